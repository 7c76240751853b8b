/**
 * A shell command in the transcript: while it runs, live, with the end of its output and a clock; once it has ended,
 * committed with the last lines of its output and how it ended. Calls about background processes (a command that
 * goes on in the background, input sent to one) are titled and ended as process-cells.ts says.
 */
import type { EventOf } from '../protocol/index.ts';
import { commandLines } from './approval-lines.ts';
import {
  backgroundHintLine,
  backgroundLead,
  commandTitle,
  interactionLine,
  interactionStatusLine,
  NO_NEW_OUTPUT,
  type CommandTitle,
} from './process-cells.ts';
import { sanitize, sanitizeLines } from '../util/text/sanitize.ts';
import { span, type Line, type SpanStyle } from '../util/text/styled.ts';
import { truncateLine, wrapLines } from '../util/text/wrap.ts';

/** Output lines of a running command shown live, and of an ended one in the transcript. */
const LIVE_OUTPUT_LINES = 5;
const ENDED_OUTPUT_LINES = 8;
/** Lines of a multi-line command (a script) shown in the transcript; approvals show all of it. */
const COMMAND_LINES = 3;
/**
 * Characters kept of each live output line (its end, where a `\r` progress bar shows its latest state). With
 * LIVE_OUTPUT_LINES lines this bounds a running command's memory to a few tens of KB, whatever it prints.
 */
const OUTPUT_LINE_CHARS = 4096;

const DIM: SpanStyle = { dim: true };

/**
 * The end of a running command's output: its last few lines, each cut to its last OUTPUT_LINE_CHARS characters,
 * so that memory stays small however much the command prints. Lines are sanitized only when shown, whole, so that
 * a `\r` or an escape sequence split across chunks is still understood.
 */
class OutputTail {
  private lines: string[] = [];
  private partial = '';

  append(chunk: string): void {
    const pieces = chunk.split('\n');
    const rest = pieces.pop() ?? '';
    if (pieces.length === 0) {
      this.partial += rest;
      // Cut only once the line is twice the limit, so that a line growing by small chunks is copied rarely.
      if (this.partial.length > 2 * OUTPUT_LINE_CHARS) this.partial = lastChars(this.partial);
      return;
    }
    pieces[0] = this.partial + (pieces[0] ?? '');
    this.lines = [...this.lines, ...pieces.slice(-LIVE_OUTPUT_LINES).map(lastChars)].slice(-LIVE_OUTPUT_LINES);
    this.partial = lastChars(rest);
  }

  /** The last `count` lines, sanitized (the line being written counts when it has anything). */
  last(count: number): string[] {
    const lines = this.partial === '' ? this.lines : [...this.lines, this.partial];
    return lines.slice(-count).map(sanitize);
  }
}

function lastChars(text: string): string {
  return text.length > OUTPUT_LINE_CHARS ? text.slice(-OUTPUT_LINE_CHARS) : text;
}

export class RunningCommand {
  readonly title: CommandTitle;
  private readonly dir: string;
  /**
   * The `now` of the first frame that showed the command, a few milliseconds after it began: events carry no time,
   * and taking it from the frames keeps the clock on the caller's time source.
   */
  private startedAt: number | null = null;
  private readonly output = new OutputTail();

  constructor(begin: EventOf<'exec_command_begin'>) {
    this.title = commandTitle(begin);
    this.dir = begin.cwd;
  }

  /** Whether this call talks to a background process (`write_stdin`) rather than running a command. */
  get interaction(): boolean {
    return this.title.type === 'interaction';
  }

  append(chunk: string): void {
    this.output.append(chunk);
  }

  /** The command line, with where it runs when that is not `cwd` (the session's directory). */
  header(cwd: string): Line[] {
    if (this.title.type === 'interaction') return [interactionLine(this.title)];
    return commandLines(this.title.text, this.dir, cwd, COMMAND_LINES);
  }

  /** The title of the command gone on in the background as process `processId`, its script after it. */
  backgroundHeader(cwd: string, processId: number): Line[] {
    const text = this.title.type === 'interaction' ? this.title.command : this.title.text;
    return commandLines(text, this.dir, cwd, COMMAND_LINES, backgroundLead(processId));
  }

  /** What shows while it runs, wrapped to `width`. */
  liveRows(cwd: string, width: number, now: number): Line[] {
    this.startedAt ??= now;
    const seconds = Math.max(0, Math.floor((now - this.startedAt) / 1000));
    // Output rows are cut, not wrapped, so that one long line cannot push the rest out of the live area.
    const output = this.output.last(LIVE_OUTPUT_LINES).map((text) => truncateLine({ spans: [span(`  ${text}`, DIM)] }, width));
    // Interrupting a wait for a background process's output ends the wait, not the process.
    const doing = this.interaction ? `waiting for output ${seconds}s · Esc stops waiting` : `running ${seconds}s · Ctrl+C to stop`;
    const clock = truncateLine({ spans: [span(`  ${doing}`, DIM)] }, width);
    return [...wrapLines(this.header(cwd), width), ...output, clock];
  }

  /** What is committed when the task ends with the command still running (its end event comes no more). */
  stoppedLines(cwd: string): Line[] {
    const stopped = this.interaction ? '  ⏹ stopped waiting' : '  ⏹ stopped';
    return [...this.header(cwd), { spans: [span(stopped, { color: 'yellow' })] }];
  }
}

/** What is committed when a command ended; `command` is undefined for one whose beginning was never seen. */
export function endedCommandLines(msg: EventOf<'exec_command_end'>, command: RunningCommand | undefined, cwd: string): Line[] {
  const output = outputTailLines(msg.aggregated_output);
  if (command?.interaction) return [...command.header(cwd), ...(output.length === 0 ? [NO_NEW_OUTPUT] : output), interactionStatusLine(msg)];
  // Not ended: the command goes on as a background process, which has no status to show yet.
  const id = msg.process_id ?? command?.title.processId ?? null;
  if (msg.status === 'backgrounded' && id !== null) {
    const header = command === undefined ? commandLines('(command)', null, cwd, 1, backgroundLead(id)) : command.backgroundHeader(cwd, id);
    return [...header, ...output, backgroundHintLine(id)];
  }
  const header = command === undefined ? commandLines('(command)', null, cwd) : command.header(cwd);
  return [...header, ...output, commandStatusLine(msg)];
}

/** The last lines of a command's output, dim and indented, after a `…` when some were cut. */
function outputTailLines(output: string): Line[] {
  const lines = sanitizeLines(output);
  const shown = lines.slice(-ENDED_OUTPUT_LINES).map((text): Line => ({ spans: [span(`  ${text}`, DIM)], indent: 2 }));
  return lines.length > ENDED_OUTPUT_LINES ? [{ spans: [span('  …', DIM)] }, ...shown] : shown;
}

function commandStatusLine(msg: EventOf<'exec_command_end'>): Line {
  // Backgrounded without saying as which process (an engine older than process ids): still running, not failed.
  if (msg.status === 'backgrounded') return { spans: [span('  ● running in the background', { color: 'cyan' })] };
  const seconds = (msg.duration_ms / 1000).toFixed(1);
  if (msg.status === 'aborted') return { spans: [span(`  ⏹ stopped after ${seconds}s`, { color: 'yellow' })] };
  if (msg.status === 'timed_out') return { spans: [span(`  ✗ timed out after ${seconds}s`, { color: 'red' })] };
  if (msg.exit_code === 0) return { spans: [span(`  ✓ exit 0 · ${seconds}s`, { color: 'green' })] };
  return { spans: [span(`  ✗ exit ${msg.exit_code ?? '?'} · ${seconds}s`, { color: 'red' })] };
}
