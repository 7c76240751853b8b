/**
 * The conversation as the person sees it: engine events turned into styled lines. Finished things (a message, a
 * command that ended) are committed once, to be printed into the terminal's scrollback; what is still in progress
 * (streamed text, running commands) is the live part, redrawn above the prompt on every frame.
 *
 * Committed output is made of blocks (a user message, an answer, a command) with exactly one blank line between
 * them. Every piece of text from the model or a command goes through sanitize: escape codes never reach the screen.
 */
import { quoteArgv } from '../util/shell-quote.ts';
import type { EventMsg, EventOf } from '../protocol/index.ts';
import { commandLines, relativeChange, relativePath } from './approval-lines.ts';
import { fileChangeLines } from './diff-lines.ts';
import { fenceAfter, renderMarkdown, renderMarkdownLines, type CodeFence } from './markdown.ts';
import { sanitize, sanitizeLines } from './text/sanitize.ts';
import { EMPTY_LINE, plainText, span, styled, type Line, type SpanStyle } from './text/styled.ts';
import { truncateLine, wrapLine, wrapLines } from './text/wrap.ts';

export interface TranscriptOptions {
  version: string;
}

/** Output lines of a running command shown live, and of an ended one in the transcript. */
const LIVE_OUTPUT_LINES = 5;
const ENDED_OUTPUT_LINES = 8;
/** Lines of a multi-line command (a script) shown in the transcript; approvals show all of it. */
const COMMAND_LINES = 3;
/** A thought summary is kept short: it is context, not the answer. */
const REASONING_LINES = 6;
const PATCH_ERROR_LINES = 8;
const PATCH_FILE_LINES = 40;
/**
 * Characters kept of each live output line (its end, where a `\r` progress bar shows its latest state). With
 * LIVE_OUTPUT_LINES lines this bounds a running command's memory to a few tens of KB, whatever it prints.
 */
const OUTPUT_LINE_CHARS = 4096;

const DIM: SpanStyle = { dim: true };
const THOUGHT: SpanStyle = { dim: true, italic: true };

/** Lines above a live window that it may take in, so that a table or a quote cut by its top edge still renders whole. */
const WINDOW_BLOCK_LINES = 40;
/** Lines a live window may have besides 16 per row it shows. */
const WINDOW_MAX_LINES = 1024;
/**
 * Past this length the line still being written is shown plain while it streams: it is rendered again on every
 * frame, and inline Markdown on a very long line with many unpaired markers is not linear.
 */
const PARTIAL_MARKDOWN_CHARS = 2000;

/**
 * Text arriving in deltas, kept as finished lines plus the line still being written: a delta costs only its own
 * length, and a frame renders and wraps only the few lines at the end that it shows. For Markdown, each finished
 * line records whether it starts inside a code block, so that a window onto the end renders as the whole would.
 */
class TextStream {
  private readonly lines: string[] = [];
  /** For each finished line, the code block it is inside of (undefined: none). */
  private readonly fences: Array<CodeFence | undefined> = [];
  /** The code block the line being written is inside of. */
  private fence: CodeFence | undefined;
  private partial = '';

  append(delta: string): void {
    const pieces = delta.split('\n');
    this.partial += pieces[0] ?? '';
    for (const piece of pieces.slice(1)) {
      const finished = sanitize(this.partial);
      this.lines.push(finished);
      this.fences.push(this.fence);
      this.fence = fenceAfter(finished, this.fence);
      this.partial = piece;
    }
  }

  get empty(): boolean {
    return this.lines.length === 0 && this.partial === '';
  }

  /** Everything so far, one sanitized string per line. */
  texts(): string[] {
    return this.partial === '' ? this.lines : [...this.lines, sanitize(this.partial)];
  }

  /** The last `maxRows` rows of the text wrapped to `width`. */
  tailRows(width: number, maxRows: number, style: SpanStyle): Line[] {
    const chunks: Line[][] = [];
    let count = 0;
    const take = (text: string): void => {
      const rows = wrapLine({ spans: [span(text, style)] }, width);
      chunks.push(rows);
      count += rows.length;
    };
    if (this.partial !== '') take(sanitize(this.partial));
    for (let index = this.lines.length - 1; index >= 0 && count < maxRows; index--) take(this.lines[index] ?? '');
    return chunks.reverse().flat().slice(-maxRows);
  }

  /**
   * The last `maxRows` rows of the text rendered as Markdown and wrapped to `width`. Only a window of lines at the
   * end is rendered, doubled until it fills the rows: the cost of a frame depends on the rows shown, not the text.
   */
  markdownTailRows(width: number, maxRows: number): Line[] {
    if (maxRows <= 0) return [];
    // A first guess from the lines' lengths; blank lines and fences, which give fewer rows, make it short at times.
    const columns = Math.max(1, width);
    let rows = Math.ceil(this.partial.length / columns);
    let count = 0;
    while (rows < maxRows && count < this.lines.length) {
      rows += Math.max(1, Math.ceil(this.lines[this.lines.length - 1 - count]!.length / columns));
      count += 1;
    }
    for (;;) {
      const wrapped = wrapLines(this.renderFrom(this.lines.length - count), width);
      // Past a bound the rows are left short: only a text of nearly nothing but blank lines and fences gets there.
      if (wrapped.length >= maxRows || count === this.lines.length || count > WINDOW_MAX_LINES + 16 * maxRows) return wrapped.slice(-maxRows);
      count = Math.min(this.lines.length, Math.max(1, count * 2));
    }
  }

  /**
   * The finished lines from `start` (moved back to the start of its block, within limits) and the line being
   * written, rendered.
   */
  private renderFrom(from: number): Line[] {
    // Only a table (its rows need the header) or a quote (lines without `>` continue it) depends on the lines above
    // it in the same block: the window goes back to the first line that could start one, if there is any.
    let start = from;
    const limit = Math.max(0, from - WINDOW_BLOCK_LINES);
    for (let index = from; index > limit && this.fenceAt(index) === undefined && this.fences[index - 1] === undefined; index--) {
      const above = this.lines[index - 1]!;
      if (above.trim() === '') break;
      if (above.includes('|') || /^\s*>/.test(above)) start = index - 1;
    }
    const sources = this.lines.slice(start);
    const long = this.partial.length > PARTIAL_MARKDOWN_CHARS && this.fence === undefined;
    if (this.partial !== '' && !long) sources.push(sanitize(this.partial));
    const lines = renderMarkdownLines(sources, this.fenceAt(start));
    if (long) lines.push({ spans: [span(sanitize(this.partial))] });
    return lines;
  }

  /** The code block that the line at `index` (the line being written, at the end) is inside of. */
  private fenceAt(index: number): CodeFence | undefined {
    return index < this.lines.length ? this.fences[index] : this.fence;
  }
}

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

interface RunningCommand {
  /** The argv, quoted for a shell. */
  command: string;
  dir: string;
  /**
   * The `now` of the first frame that showed the command, a few milliseconds after it began: events carry no time,
   * and taking it from the frames keeps the clock on the caller's time source.
   */
  startedAt: number | null;
  output: OutputTail;
}

export class TranscriptView {
  private readonly version: string;
  private sessionCwd = '';
  private running = false;
  /** Whether the running task had a command stopped, so an interruption says so only when it is true. */
  private stoppedCommand = false;
  private committed: Line[] = [];
  /** Whether anything was committed yet: every later block is preceded by one blank line. */
  private started = false;
  /** The group of the last committed block: a block of the same group (a patch's result) follows it without a gap. */
  private lastGroup: string | undefined;
  private message = new TextStream();
  private reasoning = new TextStream();
  /** Commands that began and have not ended, in the order they began. */
  private readonly commands = new Map<string, RunningCommand>();

  constructor(options: TranscriptOptions) {
    this.version = options.version;
  }

  get ticking(): boolean {
    return this.commands.size > 0;
  }

  get taskRunning(): boolean {
    return this.running;
  }

  get cwd(): string {
    return this.sessionCwd;
  }

  apply(msg: EventMsg): void {
    switch (msg.type) {
      case 'session_configured':
        this.flushLive();
        this.sessionCwd = msg.cwd;
        this.running = false;
        this.commit(this.headerLines(msg));
        break;
      case 'task_started':
        this.running = true;
        this.stoppedCommand = false;
        break;
      case 'task_complete':
        this.running = false;
        this.flushStreams();
        break;
      case 'turn_aborted':
        this.running = false;
        this.flushLive();
        this.commit([abortedLine(msg.reason, this.stoppedCommand)]);
        break;
      case 'user_message':
        this.commit(userLines(msg.message));
        break;
      case 'agent_message_delta':
        this.endThought();
        this.message.append(msg.delta);
        break;
      case 'agent_message':
        this.endThought();
        this.message = new TextStream();
        this.commit(renderMarkdown(msg.message));
        break;
      case 'agent_reasoning_delta':
        this.reasoning.append(msg.delta);
        break;
      case 'agent_reasoning':
        this.reasoning = new TextStream();
        this.commit(reasoningLines(renderMarkdown(msg.text)));
        break;
      case 'exec_command_begin':
        this.endThought();
        this.commands.set(msg.call_id, { command: quoteArgv(msg.command), dir: msg.cwd, startedAt: null, output: new OutputTail() });
        break;
      case 'exec_command_output_delta':
        this.commands.get(msg.call_id)?.output.append(msg.chunk);
        break;
      case 'exec_command_end':
        this.endCommand(msg);
        break;
      case 'patch_apply_begin':
        this.endThought();
        this.commit(this.patchLines(msg), `patch:${msg.call_id}`);
        break;
      case 'patch_apply_end':
        this.commit(patchResultLines(msg), `patch:${msg.call_id}`);
        break;
      case 'plan_update':
        this.commit(planLines(msg));
        break;
      case 'stream_error':
        // The retry streams the response again from its start: what the failed attempt streamed would repeat.
        this.message = new TextStream();
        this.reasoning = new TextStream();
        // Retries of one failure are listed together, without gaps.
        this.commit([retryLine(msg)], 'retry');
        break;
      case 'warning':
        this.commit(labelled('warning: ', msg.message, { color: 'yellow' }, { color: 'yellow' }));
        break;
      case 'error':
        this.flushStreams();
        this.commit(labelled('error: ', msg.message, { color: 'red', bold: true }, { color: 'red' }));
        break;
      case 'exec_approval_request':
      case 'apply_patch_approval_request':
        // The app prints the request itself, right after this: the thought that led to it goes first.
        this.endThought();
        break;
      // Shown elsewhere (status line, /diff) or not at all.
      case 'turn_diff':
      case 'token_count':
      case 'shutdown_complete':
        break;
      default:
        msg satisfies never;
    }
  }

  takeCommitted(): Line[] {
    const lines = this.committed;
    this.committed = [];
    return lines;
  }

  commitLines(lines: Line[]): void {
    this.commit(lines);
  }

  /**
   * Streamed thoughts, the streamed answer, then each running command, separated by blank rows (and preceded by
   * one when something was committed before, so the live part looks as it will once committed). Blocks are
   * built from the last one back, each asked only for the rows still free.
   */
  live(width: number, maxRows: number, now: number): Line[] {
    const blocks: Array<(budget: number) => Line[]> = [];
    if (!this.reasoning.empty) blocks.push((budget) => this.reasoning.tailRows(width, budget, THOUGHT));
    if (!this.message.empty) blocks.push((budget) => this.message.markdownTailRows(width, budget));
    for (const command of this.commands.values()) {
      blocks.push((budget) => this.runningRows(command, width, now).slice(-budget));
    }
    const parts: Line[][] = [];
    let budget = maxRows;
    for (let index = blocks.length - 1; index >= 0 && budget > 0; index--) {
      const rows = blocks[index]?.(budget) ?? [];
      parts.push(rows);
      budget -= rows.length;
      if ((index > 0 || this.started) && budget > 0) {
        parts.push([EMPTY_LINE]);
        budget -= 1;
      }
    }
    return parts.reverse().flat();
  }

  /** Adds a block to the committed stream: one blank line before it unless it is the first or continues `group`. */
  private commit(lines: readonly Line[], group?: string): void {
    const block = tidy(lines);
    if (block.length === 0) return;
    if (this.started && (group === undefined || group !== this.lastGroup)) this.committed.push(EMPTY_LINE);
    for (const row of block) this.committed.push(row);
    this.started = true;
    this.lastGroup = group;
  }

  /**
   * Commits streamed thoughts that got no final event. A summary arrives as `agent_reasoning`, but raw reasoning
   * streamed without a summary gets none: it is over when the model moves on to its answer or a tool.
   */
  private endThought(): void {
    if (this.reasoning.empty) return;
    this.commit(reasoningLines(plainLines(this.reasoning.texts())));
    this.reasoning = new TextStream();
  }

  /** Commits streamed text that got no final event (the turn failed or was stopped): nothing seen is lost. */
  private flushStreams(): void {
    this.endThought();
    if (!this.message.empty) this.commit(renderMarkdownLines(this.message.texts()));
    this.message = new TextStream();
  }

  /** Commits everything live; commands still running are shown stopped. */
  private flushLive(): void {
    this.flushStreams();
    for (const command of this.commands.values()) {
      this.stoppedCommand = true;
      this.commit([...this.commandHeader(command), { spans: [span('  ⏹ stopped', { color: 'yellow' })] }]);
    }
    this.commands.clear();
  }

  private endCommand(msg: EventOf<'exec_command_end'>): void {
    if (msg.status === 'aborted') this.stoppedCommand = true;
    const command = this.commands.get(msg.call_id);
    this.commands.delete(msg.call_id);
    const header = command === undefined ? commandLines('(command)', null, this.sessionCwd) : this.commandHeader(command);
    this.commit([...header, ...outputTailLines(msg.aggregated_output), commandStatusLine(msg)]);
  }

  private commandHeader(command: RunningCommand): Line[] {
    return commandLines(command.command, command.dir, this.sessionCwd, COMMAND_LINES);
  }

  private runningRows(command: RunningCommand, width: number, now: number): Line[] {
    command.startedAt ??= now;
    const seconds = Math.max(0, Math.floor((now - command.startedAt) / 1000));
    // Output rows are cut, not wrapped, so that one long line cannot push the rest out of the live area.
    const output = command.output.last(LIVE_OUTPUT_LINES).map((text) => truncateLine({ spans: [span(`  ${text}`, DIM)] }, width));
    const clock = truncateLine({ spans: [span(`  running ${seconds}s · Ctrl+C to stop`, DIM)] }, width);
    return [...wrapLines(this.commandHeader(command), width), ...output, clock];
  }

  private headerLines(msg: EventOf<'session_configured'>): Line[] {
    return [
      { spans: [span(`keel ${this.version} · ${sanitize(msg.model)} · session ${sanitize(msg.session_id)}`, DIM)] },
      { spans: [span(`workdir ${sanitize(msg.cwd)}`, DIM)] },
    ];
  }

  private patchLines(msg: EventOf<'patch_apply_begin'>): Line[] {
    const files = Object.entries(msg.changes).flatMap(([path, change]) => {
      const lines = fileChangeLines(relativePath(path, this.sessionCwd), relativeChange(change, this.sessionCwd), PATCH_FILE_LINES);
      // A patch the person approved was shown whole with the question: here only which files it changes.
      return msg.auto_approved ? lines : lines.slice(0, 1);
    });
    return [{ spans: [span('✎ apply_patch', { color: 'cyan' })] }, ...files];
  }
}

/** Drops blank lines at both ends and repeated ones inside, so that blocks are separated by exactly one. */
function tidy(lines: readonly Line[]): Line[] {
  const isBlank = (row: Line): boolean => plainText(row).trim() === '';
  const out: Line[] = [];
  for (const row of lines) {
    const previous = out.at(-1);
    if (isBlank(row) && (previous === undefined || isBlank(previous))) continue;
    out.push(row);
  }
  return out.slice(0, out.findLastIndex((row) => !isBlank(row)) + 1);
}

function plainLines(texts: readonly string[]): Line[] {
  return texts.map((text) => ({ spans: [span(text)] }));
}

function userLines(message: string): Line[] {
  const [first = '', ...rest] = sanitizeLines(message);
  return [
    { spans: [span('› ', { bold: true, color: 'cyan' }), span(first)], indent: 2 },
    ...rest.map((text): Line => ({ spans: [span(`  ${text}`)], indent: 2 })),
  ];
}

/** `thinking ` and the first lines of a thought summary, dim; blank lines are left out to keep it short. */
function reasoningLines(lines: Line[]): Line[] {
  const content = lines.filter((row) => plainText(row).trim() !== '');
  const shown = content.slice(0, REASONING_LINES).map((row) => styled(row, THOUGHT));
  const [first] = shown;
  if (first === undefined) return [];
  shown[0] = { ...first, spans: [span('thinking ', DIM), ...first.spans] };
  if (content.length > shown.length) shown.push({ spans: [span('…', DIM)] });
  return shown;
}

/** The last lines of a command's output, dim and indented, after a `…` when some were cut. */
function outputTailLines(output: string): Line[] {
  const lines = sanitizeLines(output);
  const shown = lines.slice(-ENDED_OUTPUT_LINES).map((text): Line => ({ spans: [span(`  ${text}`, DIM)], indent: 2 }));
  return lines.length > ENDED_OUTPUT_LINES ? [{ spans: [span('  …', DIM)] }, ...shown] : shown;
}

function commandStatusLine(msg: EventOf<'exec_command_end'>): Line {
  const seconds = (msg.duration_ms / 1000).toFixed(1);
  if (msg.status === 'aborted') return { spans: [span(`  ⏹ stopped after ${seconds}s`, { color: 'yellow' })] };
  if (msg.status === 'timed_out') return { spans: [span(`  ✗ timed out after ${seconds}s`, { color: 'red' })] };
  if (msg.exit_code === 0) return { spans: [span(`  ✓ exit 0 · ${seconds}s`, { color: 'green' })] };
  return { spans: [span(`  ✗ exit ${msg.exit_code ?? '?'} · ${seconds}s`, { color: 'red' })] };
}

function patchResultLines(msg: EventOf<'patch_apply_end'>): Line[] {
  if (msg.success) return [{ spans: [span('  ✓ patch applied', { color: 'green' })] }];
  const [first = '', ...rest] = sanitizeLines(msg.stderr).filter((text) => text.trim() !== '');
  const details = rest.slice(0, PATCH_ERROR_LINES).map((text): Line => ({ spans: [span(`    ${text}`, DIM)] }));
  if (rest.length > details.length) details.push({ spans: [span(`    … (${rest.length - details.length} more lines)`, DIM)] });
  const title = first === '' ? '  ✗ patch failed' : `  ✗ patch failed: ${first}`;
  return [{ spans: [span(title, { color: 'red' })] }, ...details];
}

const PLAN_MARKS = {
  completed: span('✓', { color: 'green' }),
  in_progress: span('→', { color: 'cyan' }),
  pending: span('·'),
} as const;

function planLines(msg: EventOf<'plan_update'>): Line[] {
  const explanation = msg.explanation === null ? [] : sanitizeLines(msg.explanation).map((text): Line => ({ spans: [span(text, DIM)] }));
  const steps = msg.plan.map((item): Line => ({ spans: [span('  '), PLAN_MARKS[item.status], span(` ${sanitize(item.step)}`)], indent: 4 }));
  return [{ spans: [span('Plan', { bold: true })] }, ...explanation, ...steps];
}

/** The engine's message already says which attempt comes and when (`retrying 1/5 in 1.3s: …`). */
function retryLine(msg: EventOf<'stream_error'>): Line {
  return { spans: [span(`⟳ ${sanitizeLines(msg.message).join(' ')}`, { color: 'yellow' })] };
}

function abortedLine(reason: EventOf<'turn_aborted'>['reason'], stoppedCommand: boolean): Line {
  const what = stoppedCommand ? 'running commands were stopped; ' : '';
  const text = reason === 'replaced' ? '⏹ Task replaced' : `⏹ Interrupted — ${what}tell keel what to do next.`;
  return { spans: [span(text, { color: 'yellow' })] };
}

/** `label` then the message; a message of several lines keeps them, in the message's style. */
function labelled(label: string, message: string, labelStyle: SpanStyle, style: SpanStyle): Line[] {
  const [first = '', ...rest] = sanitizeLines(message);
  return [{ spans: [span(label, labelStyle), span(first, style)] }, ...rest.map((text): Line => ({ spans: [span(text, style)] }))];
}
