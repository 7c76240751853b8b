/**
 * `keel exec`'s progress for people: everything on stderr, and only the task's final message on stdout (so
 * `keel exec "…" > answer.txt` captures just the answer). An assistant message is held back until something
 * follows it, because only the last one of a task goes to stdout.
 */
import type { Event, EventMsg, EventOf, FileChange, TokenUsage } from '../protocol/index.ts';
import { BackgroundLines } from './background-lines.ts';
import { blockedCount, blockedNote } from './blocked-note.ts';
import { compactionNote } from './compaction-note.ts';
import type { Style } from './style.ts';

export interface HumanRendererOptions {
  stdout(text: string): void;
  stderr(text: string): void;
  style: Style;
  version: string;
  /** Epoch milliseconds; default `Date.now` (tests pass a fixed clock). */
  now?: () => number;
  /**
   * What stdout gets for the task's final answer (--output-schema: the checked JSON); null: nothing, and the answer
   * goes to stderr with the progress. Default: the answer as it is.
   */
  finalAnswer?: (answer: string) => string | null;
}

/** Events that can follow the final answer of a task, so they do not prove that a held message was not final. */
const KEEPS_MESSAGE_HELD: ReadonlySet<EventMsg['type']> = new Set([
  'agent_message',
  'agent_message_delta',
  'agent_reasoning_delta',
  'token_count',
  // Sent whenever a background process ends, which may be while the final answer streams.
  'background_processes',
  // Sent whenever an MCP server starts, fails or stops.
  'mcp_servers',
  'task_complete',
  'turn_aborted',
]);

/** The same marks as the UI's checklist: done, doing, to do. */
const PLAN_MARKS = { completed: '✓', in_progress: '→', pending: '·' } as const;

/** How many trailing lines of a command's output are shown once it ends. */
const OUTPUT_TAIL_LINES = 8;
/** How many lines of a failed patch's explanation are shown (the model gets all of it). */
const PATCH_ERROR_LINES = 8;

export class HumanRenderer {
  private heldMessage: string | null = null;
  private tokens: TokenUsage | null = null;
  /** The session's working directory: patch paths are shown relative to it. */
  private cwd = '';
  private readonly commands = new Map<string, { command: string }>();
  private readonly background: BackgroundLines;

  constructor(private readonly options: HumanRendererOptions) {
    this.background = new BackgroundLines(options.now);
  }

  render(event: Event): void {
    const msg = event.msg;
    if (!KEEPS_MESSAGE_HELD.has(msg.type)) this.releaseHeldMessage();
    this.renderMsg(msg);
  }

  private renderMsg(msg: EventMsg): void {
    const { style } = this.options;
    const err = (line: string): void => this.options.stderr(`${line}\n`);
    switch (msg.type) {
      case 'session_configured':
        err(style.dim(`keel ${this.options.version} · model ${msg.model}${effortNote(msg.reasoning_effort)} · session ${msg.session_id}`));
        err(style.dim(`workdir ${msg.cwd}`));
        this.cwd = msg.cwd;
        break;
      case 'user_message':
        err(`${style.bold('›')} ${msg.message}`);
        for (const name of msg.images ?? []) err(style.dim(`  [image: ${name}]`));
        break;
      case 'agent_reasoning':
        // Dimmed line by line: a terminal may drop the attribute at a line break, and the summary is not the answer.
        for (const line of `thinking: ${msg.text}`.split('\n')) err(style.dim(line));
        break;
      case 'agent_message':
        this.releaseHeldMessage();
        this.heldMessage = msg.message;
        break;
      case 'exec_command_begin': {
        const command = this.background.begin(msg);
        if (command === null) break;
        this.commands.set(msg.call_id, { command });
        err(`${style.cyan('$')} ${command} ${style.dim(`(in ${msg.cwd})`)}`);
        break;
      }
      case 'exec_command_end': {
        if (this.background.isInteraction(msg.call_id)) {
          this.renderInteraction(msg);
          break;
        }
        const seconds = (msg.duration_ms / 1000).toFixed(1);
        for (const line of tailLines(msg.aggregated_output, OUTPUT_TAIL_LINES)) err(style.dim(`  ${line}`));
        if (msg.status === 'backgrounded') {
          const command = this.commands.get(msg.call_id)?.command ?? '';
          err(style.cyan(`  ${this.background.backgrounded(msg.process_id, command)}`));
        } else if (msg.status === 'aborted') err(style.yellow(`  ⏹ stopped after ${seconds}s`));
        else if (msg.status === 'timed_out') err(style.red(`  ✗ timed out after ${seconds}s`));
        else if (msg.exit_code === 0) err(style.green(`  ✓ exit 0 · ${seconds}s`));
        else err(style.red(`  ✗ exit ${msg.exit_code ?? '?'} · ${seconds}s`));
        this.commands.delete(msg.call_id);
        break;
      }
      case 'patch_apply_begin': {
        const files = Object.entries(msg.changes).map(([path, change]) => `  ${changeLine(this.relative(path), change, (to) => this.relative(to))}`);
        err(`${style.cyan('✎')} apply_patch`);
        for (const line of files) err(line);
        break;
      }
      case 'mcp_tool_call_end': {
        const { server, tool, arguments: args } = msg.invocation;
        const shown = JSON.stringify(args);
        err(style.cyan(`⚙ ${server}.${tool}${shown === '{}' ? '' : ` ${shown.length > 160 ? `${shown.slice(0, 159)}…` : shown}`}`));
        for (const line of tailLines(msg.output, OUTPUT_TAIL_LINES)) err(style.dim(`  ${line}`));
        const seconds = (msg.duration_ms / 1000).toFixed(1);
        if (msg.status === 'completed') err(style.green(`  ✓ done in ${seconds}s`));
        else err(style.red(`  ✗ ${msg.status === 'timed_out' ? 'timed out' : msg.status === 'aborted' ? 'interrupted' : 'failed'} after ${seconds}s`));
        break;
      }
      case 'patch_apply_end': {
        if (msg.success) {
          err(style.green('  ✓ patch applied'));
          break;
        }
        const [first = '', ...rest] = msg.stderr.trim().split('\n');
        err(style.red(`  ✗ patch failed: ${first}`));
        for (const line of headLines(rest.filter((line) => line.trim() !== ''), PATCH_ERROR_LINES)) err(style.dim(`    ${line}`));
        break;
      }
      case 'stream_error':
        err(style.yellow(`⟳ ${msg.message}`));
        break;
      case 'context_compacted':
        err(style.dim(compactionNote(msg)));
        break;
      case 'plan_update': {
        err(style.bold('plan'));
        if (msg.explanation !== null) err(style.dim(`  ${msg.explanation}`));
        for (const item of msg.plan) err(`  ${PLAN_MARKS[item.status]} ${item.step}`);
        break;
      }
      case 'tool_call_blocked':
        err(style.red(blockedNote(msg)));
        break;
      case 'warning':
        err(style.yellow(`warning: ${msg.message}`));
        break;
      case 'error':
        err(style.red(`error: ${msg.message}`));
        break;
      case 'turn_aborted':
        this.releaseHeldMessage();
        err(style.yellow('⏹ interrupted: the running command was stopped and the session is saved'));
        break;
      case 'task_complete': {
        const final = this.heldMessage ?? msg.last_agent_message;
        this.heldMessage = null;
        const blocked = blockedCount(msg.blocked_calls);
        if (blocked !== null) err(style.yellow(blocked));
        if (this.tokens !== null && this.tokens.total_tokens > 0) {
          const t = this.tokens;
          err(style.dim(`tokens: ${t.input_tokens} in (${t.cached_input_tokens} cached) · ${t.output_tokens} out`));
        }
        if (final === null) break;
        const shown = this.options.finalAnswer === undefined ? final : this.options.finalAnswer(final);
        if (shown === null) err(final);
        else this.options.stdout(shown.endsWith('\n') ? shown : `${shown}\n`);
        break;
      }
      case 'token_count':
        if (msg.info) this.tokens = msg.info.total_token_usage;
        break;
      case 'background_processes':
        this.background.update(msg);
        break;
      case 'shutdown_complete': {
        const stopped = this.background.stoppedAtExit();
        if (stopped !== null) err(style.yellow(stopped));
        break;
      }
      default:
        break;
    }
  }

  /** A `write_stdin` call: one line, then the new output's tail. */
  private renderInteraction(msg: EventOf<'exec_command_end'>): void {
    const { style } = this.options;
    const shown = this.background.interaction(msg);
    if (shown.type === 'quiet') return;
    const tone = { plain: style.cyan, ok: style.green, failed: style.red, stopped: style.yellow }[shown.tone];
    this.options.stderr(`${tone(shown.line)}\n`);
    for (const line of tailLines(msg.aggregated_output, OUTPUT_TAIL_LINES)) this.options.stderr(`${style.dim(`  ${line}`)}\n`);
  }

  private relative(path: string): string {
    const prefix = this.cwd.endsWith('/') ? this.cwd : `${this.cwd}/`;
    return this.cwd !== '' && path.startsWith(prefix) ? path.slice(prefix.length) : path;
  }

  /** An assistant message followed by more work was not the final answer: it goes to stderr. */
  private releaseHeldMessage(): void {
    if (this.heldMessage === null) return;
    this.options.stderr(`${this.heldMessage}\n`);
    this.heldMessage = null;
  }
}

function effortNote(effort: string | null | undefined): string {
  return effort === null || effort === undefined ? '' : ` (reasoning ${effort})`;
}

/** `A path`, `D path`, `M path (+n -m)` or `R old → new (+n -m)`, like git's name-status. */
function changeLine(path: string, change: FileChange, relative: (path: string) => string): string {
  switch (change.type) {
    case 'add':
      return `A ${path}`;
    case 'delete':
      return `D ${path}`;
    case 'update': {
      // After the two header lines, every line starting with + or - is one added or removed line.
      const lines = change.unified_diff.split('\n').slice(2);
      const added = lines.filter((line) => line.startsWith('+')).length;
      const removed = lines.filter((line) => line.startsWith('-')).length;
      const name = change.move_path === null ? `M ${path}` : `R ${path} → ${relative(change.move_path)}`;
      return `${name} (+${added} -${removed})`;
    }
  }
}

function headLines(lines: string[], count: number): string[] {
  return lines.length <= count ? lines : [...lines.slice(0, count), `… (${lines.length - count} more lines)`];
}

function tailLines(text: string, count: number): string[] {
  const lines = text.replace(/\n$/, '').split('\n');
  if (lines.length === 1 && lines[0] === '') return [];
  return lines.length <= count ? lines : ['…', ...lines.slice(-count)];
}
