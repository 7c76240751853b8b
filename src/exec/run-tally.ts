/**
 * What `keel exec` needs for its verdict, gathered from the event stream as it goes by: how the task ended, whether
 * an error ended it (and whether that was an exhausted quota), the tokens spent and what each tool call came to.
 * `verdict` then decides the status and the exit code; it is pure, the caller passes the facts exec alone knows.
 */
import type { EventMsg, TokenUsage } from '../protocol/index.ts';
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_QUOTA, EXIT_REFUSED, EXIT_TASK_ERROR, SIGNAL_EXIT_CODES, type StopSignal } from '../util/exit-codes.ts';
import type { ExecResult, ExecStatus, ToolCallTally } from './exec-result.ts';

export interface VerdictFacts {
  sessionId: string;
  /** The signal that interrupted the task; null: none did, or it came after the task had finished. */
  stoppedBy: StopSignal | null;
  /** --fail-on-refusal: a finished task with a refused or denied call exits 4. */
  failOnRefusal: boolean;
  /** The final answer did not follow --output-schema (already said on stderr). */
  answerRejected: boolean;
}

/**
 * model/quota-reset.ts appends `(the quota resets at <instant>)` to a quota error's message; the error event has
 * no field for it, so it is read back from there.
 */
const RESET_NOTE = /\(the quota resets at (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)\)/;

const NO_USAGE: TokenUsage = { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0 };

export class RunTally {
  private readonly calls: ToolCallTally = { completed: 0, failed: 0, refused: 0, denied: 0, aborted: 0 };
  private usage: TokenUsage = NO_USAGE;
  private errored = false;
  /** Set when an error said the quota is exhausted: the reset instant, or null when the server gave none. */
  private quota: { resetsAt: string | null } | null = null;
  private aborted = false;

  observe(msg: EventMsg): void {
    switch (msg.type) {
      case 'exec_command_end':
        // A command left running in the background was started as asked: its call succeeded.
        if (msg.status === 'completed' || msg.status === 'backgrounded') this.calls.completed++;
        else if (msg.status === 'aborted') this.calls.aborted++;
        else this.calls.failed++;
        break;
      case 'patch_apply_end':
        this.calls[msg.success ? 'completed' : 'failed']++;
        break;
      case 'mcp_tool_call_end':
        if (msg.status === 'completed') this.calls.completed++;
        else if (msg.status === 'aborted') this.calls.aborted++;
        else this.calls.failed++;
        break;
      case 'tool_call_blocked':
        this.calls[msg.outcome]++;
        break;
      case 'token_count':
        // Each request's own usage, summed: the run's cost whatever the engine's totals started from.
        if (msg.info !== null) this.usage = addUsage(this.usage, msg.info.last_token_usage);
        break;
      case 'error':
        this.errored = true;
        if (msg.kind === 'quota') this.quota = { resetsAt: RESET_NOTE.exec(msg.message)?.[1] ?? null };
        break;
      case 'turn_aborted':
        this.aborted = true;
        break;
      default:
        break;
    }
  }

  /** An error ended (or kept from starting) the task. */
  get failed(): boolean {
    return this.errored;
  }

  verdict(facts: VerdictFacts): ExecResult {
    const { status, exitCode } = this.decide(facts);
    const result: ExecResult = {
      type: 'exec_result',
      status,
      exit_code: exitCode,
      session_id: facts.sessionId,
      usage: { ...this.usage },
      tool_calls: { ...this.calls },
    };
    if (exitCode === EXIT_QUOTA) result.resets_at = this.quota?.resetsAt ?? null;
    return result;
  }

  private decide(facts: VerdictFacts): { status: ExecStatus; exitCode: number } {
    if (this.aborted) return { status: 'interrupted', exitCode: facts.stoppedBy === null ? EXIT_INTERRUPTED : SIGNAL_EXIT_CODES[facts.stoppedBy] };
    if (this.quota !== null) return { status: 'failed', exitCode: EXIT_QUOTA };
    if (this.errored || facts.answerRejected) return { status: 'failed', exitCode: EXIT_TASK_ERROR };
    const refused = this.calls.refused + this.calls.denied > 0;
    return { status: 'completed', exitCode: facts.failOnRefusal && refused ? EXIT_REFUSED : EXIT_OK };
  }
}

function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    cached_input_tokens: a.cached_input_tokens + b.cached_input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    reasoning_output_tokens: a.reasoning_output_tokens + b.reasoning_output_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
  };
}
