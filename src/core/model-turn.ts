/**
 * One turn: a model request (re-sent on transient failures) and the tool work it triggers. Calls are recorded the
 * moment they arrive and run in call order while the stream goes on; every call gets its output recorded before
 * the turn returns — a real one, a partial one when interrupted, or `aborted` when it never started. When a
 * response's tool work changed files, `turn_diff` follows it with the task's diff so far.
 */
import { callIdOf, isToolCall, messageText, type EventMsg, type ReviewDecision, type ResponseItem, type TokenUsage, type ToolCallItem } from '../protocol/index.ts';
import type { ModelClient, ModelError, Prompt } from '../model/model-event.ts';
import { isRetryable } from '../model/model-error.ts';
import { retryDelayMs } from '../model/retry-schedule.ts';
import type { ToolRegistry } from '../tools/tool-registry.ts';
import { abortableDelay } from '../util/abortable-delay.ts';
import { ABORTED_OUTPUT, outputFor, type ConversationHistory } from './history.ts';
import type { PromptBuilder } from './prompt-builder.ts';
import type { SessionRecorder } from './session-recorder.ts';
import type { TokenTotals } from './token-totals.ts';
import type { TurnContext } from './turn-context.ts';
import type { TurnDiffTracker } from './turn-diff-tracker.ts';
import type { ApprovalGate, GateCall } from './approval-gate.ts';
import type { ToolContext } from '../tools/tool.ts';

export interface RetryOptions {
  /** How many times a failed request is re-sent before the error ends the turn. */
  maxRetries: number;
  random: () => number;
}

export interface TurnDeps {
  client: ModelClient;
  registry: ToolRegistry;
  prompts: PromptBuilder;
  history: ConversationHistory;
  recorder: SessionRecorder;
  retry: RetryOptions;
  tokens: TokenTotals;
  /** The usable context window of a model, when known (for the UIs' "context left"). */
  contextWindow(model: string): number | null;
  /** The changes of the running task so far; a new tracker for each task. */
  diff: TurnDiffTracker;
  /** Decides each call before it runs; null runs every call as it is (no policy to apply). */
  gate: ApprovalGate | null;
  /** Waits for the answer to an approval request of the running task. */
  waitForDecision(callId: string, signal: AbortSignal): Promise<ReviewDecision>;
  /** Interrupts the running task, as the `interrupt` op does. */
  abortTask(): void;
  /** Emits an event of the running task. */
  emit(msg: EventMsg): void;
}

export type TurnOutcome =
  | { type: 'completed'; toolCalls: number; lastAgentMessage: string | null; endTurn: boolean | null; usage: TokenUsage | null }
  | { type: 'failed'; error: ModelError }
  | { type: 'aborted' };

type SampleOutcome =
  | { type: 'completed'; toolCalls: number; lastAgentMessage: string | null; endTurn: boolean | null; usage: TokenUsage | null }
  | { type: 'failed'; error: ModelError; toolCalls: number }
  | { type: 'aborted' };

export async function runTurn(deps: TurnDeps, context: TurnContext, signal: AbortSignal): Promise<TurnOutcome> {
  for (let attempt = 1; ; attempt++) {
    for (const synthetic of deps.history.normalize()) deps.recorder.recordItem(synthetic);
    // The log must describe what is about to be sent before it is sent.
    await deps.recorder.flush();
    const { prompt, sent } = deps.prompts.build(context.model, deps.history.items);
    const outcome = await sample(deps, prompt, sent, context, signal);
    if (signal.aborted || outcome.type === 'aborted') return { type: 'aborted' };
    if (outcome.type === 'completed') return outcome;
    const { error } = outcome;
    if (!isRetryable(error.kind) || attempt > deps.retry.maxRetries) return { type: 'failed', error };
    const delayMs = retryDelayMs(error, attempt, deps.retry.random);
    deps.emit({
      type: 'stream_error',
      kind: error.kind,
      attempt,
      max_attempts: deps.retry.maxRetries,
      delay_ms: delayMs,
      message: `retrying ${attempt}/${deps.retry.maxRetries} in ${formatDelay(delayMs)}: ${error.message}`,
    });
    if (!(await abortableDelay(delayMs, signal))) return { type: 'aborted' };
  }
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

async function sample(
  deps: TurnDeps,
  prompt: Prompt,
  sent: readonly ResponseItem[],
  context: TurnContext,
  signal: AbortSignal,
): Promise<SampleOutcome> {
  const output: ResponseItem[] = [];
  let toolCalls = 0;
  let lastAgentMessage: string | null = null;
  let tools: Promise<void> = Promise.resolve();
  let changedFiles = false;
  const diff = deps.diff;
  let terminal: { type: 'completed'; responseId: string | null; usage: TokenUsage | null; endTurn: boolean | null } | { type: 'failed'; error: ModelError } | null = null;

  for await (const event of deps.client.stream(prompt, signal)) {
    switch (event.type) {
      case 'created':
      case 'output_item_added':
        break;
      case 'text_delta':
        deps.emit({ type: 'agent_message_delta', delta: event.delta });
        break;
      case 'reasoning_summary_delta':
      case 'reasoning_content_delta':
        deps.emit({ type: 'agent_reasoning_delta', delta: event.delta });
        break;
      case 'output_item_done': {
        const item = event.item;
        if (item.type === 'message' && item.role === 'assistant') {
          record(deps, item, output);
          lastAgentMessage = messageText(item);
          deps.emit({ type: 'agent_message', message: lastAgentMessage });
        } else if (item.type === 'reasoning') {
          record(deps, item, output);
          const text = item.summary.map((part) => part.text).join('\n\n');
          if (text) deps.emit({ type: 'agent_reasoning', text });
        } else if (isToolCall(item)) {
          record(deps, item, output);
          toolCalls++;
          tools = tools.then(async () => {
            if (await runCall(deps, item, context, signal, diff)) changedFiles = true;
          });
        }
        // Anything else the model echoes back (outputs, user messages) is not part of its answer.
        break;
      }
      case 'completed':
        // The server holds this response from now on, even if its tool work is interrupted later.
        deps.prompts.completed(event.responseId, sent, output);
        terminal = event;
        break;
      case 'failed':
        terminal = event;
        break;
    }
  }
  await tools;
  // Also when interrupted: the files did change, and the diff says how.
  if (changedFiles) deps.emit({ type: 'turn_diff', unified_diff: diff.diff(context.cwd) });
  if (signal.aborted) return { type: 'aborted' };
  if (terminal === null) {
    // The adapter contract promises a terminal event unless aborted; treat a broken promise as an incomplete stream.
    return { type: 'failed', toolCalls, error: { kind: 'stream_incomplete', message: 'stream ended without a result' } };
  }
  if (terminal.type === 'failed') return { type: 'failed', error: terminal.error, toolCalls };
  if (terminal.usage) deps.emit(deps.tokens.add(terminal.usage, deps.contextWindow(context.model)));
  return { type: 'completed', toolCalls, lastAgentMessage, endTurn: terminal.endTurn, usage: terminal.usage };
}

function record(deps: TurnDeps, item: ResponseItem, output: ResponseItem[]): void {
  deps.history.record(item);
  deps.recorder.recordItem(item);
  output.push(item);
}

/** Runs one call and records its output; true when it changed files (which `diff` then knows about). */
async function runCall(deps: TurnDeps, call: ToolCallItem, context: TurnContext, signal: AbortSignal, diff: TurnDiffTracker): Promise<boolean> {
  const callId = callIdOf(call);
  // A call nothing can answer is dropped by normalization; running it would produce an output with no home.
  if (callId === undefined) return false;
  let text: string;
  let changedFiles = false;
  if (signal.aborted) {
    text = ABORTED_OUTPUT;
    recordOutput(deps, call, text);
    return false;
  }
  // A tool's end event waits until its output is recorded: whoever sees the end (a front end, the log) can rely on
  // the output being on disk, so a kill right after it never loses a result that was already known.
  const heldEnds: EventMsg[] = [];
  const emit = (msg: EventMsg): void => {
    if (msg.type === 'exec_command_end' || msg.type === 'patch_apply_end') heldEnds.push(msg);
    else deps.emit(msg);
  };
  try {
    const resolved = deps.registry.resolve(call);
    const gate = deps.gate;
    let extra: Pick<ToolContext, 'wrapArgv' | 'approvedByPerson'> = {};
    let gateCall: GateCall | null = null;
    if (gate !== null && resolved.type === 'run' && resolved.tool.approvalSubject) {
      gateCall = {
        callId,
        cwd: context.cwd,
        subject: await resolved.tool.approvalSubject(resolved.args, context.cwd),
        approvalPolicy: context.approvalPolicy,
        sandboxPolicy: context.sandboxPolicy,
        signal,
        emit,
        waitForDecision: deps.waitForDecision,
        abortTask: deps.abortTask,
      };
      const verdict = await gate.check(gateCall);
      if (verdict.type === 'respond') {
        recordOutput(deps, call, verdict.output);
        return false;
      }
      extra = { wrapArgv: verdict.wrapArgv, approvedByPerson: verdict.approvedByPerson };
    }
    let result = await deps.registry.run(resolved, { signal, cwd: context.cwd, callId, emit, ...extra });
    if (gate !== null && gateCall !== null && extra.wrapArgv !== undefined && !result.success && !signal.aborted) {
      // Only when a question follows does the first run's end go out before its output is recorded: the person must
      // see the failure before being asked (a rerun is a second begin/end pair for the same call).
      const after = await gate.afterSandboxedFailure(gateCall, result.exitCode ?? null, result.output, () => {
        for (const end of heldEnds.splice(0)) deps.emit(end);
      });
      if (after.type === 'rerun' && !signal.aborted) {
        result = await deps.registry.run(resolved, { signal, cwd: context.cwd, callId, emit, approvedByPerson: true });
      } else if (after.type === 'keep' && after.note !== null) {
        result = { ...result, output: `${result.output}\n[keel: ${after.note}]` };
      }
    }
    text = result.output;
    if (result.fileWrites !== undefined && result.fileWrites.length > 0) {
      diff.record(result.fileWrites);
      changedFiles = true;
    }
    recordOutput(deps, call, text);
  } finally {
    for (const end of heldEnds) deps.emit(end);
  }
  return changedFiles;
}

function recordOutput(deps: TurnDeps, call: ToolCallItem, text: string): void {
  const item = outputFor(call, text);
  deps.history.record(item);
  deps.recorder.recordItem(item);
}
