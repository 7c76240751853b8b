/**
 * Text arriving in deltas (a streamed answer, streamed thoughts), kept as finished lines plus the line still being
 * written: a delta costs only its own length, and a frame renders and wraps only the few lines at the end that it
 * shows. For Markdown, each finished line records whether it starts inside a code block, so that a window onto the
 * end renders as the whole would.
 */
import { fenceAfter, renderMarkdownLines, type CodeFence } from './markdown.ts';
import { sanitize } from '../util/text/sanitize.ts';
import { span, type Line, type SpanStyle } from '../util/text/styled.ts';
import { wrapLine, wrapLines } from '../util/text/wrap.ts';

/** Lines above a live window that it may take in, so that a table or a quote cut by its top edge still renders whole. */
const WINDOW_BLOCK_LINES = 40;
/** Lines a live window may have besides 16 per row it shows. */
const WINDOW_MAX_LINES = 1024;
/**
 * Past this length the line still being written is shown plain while it streams: it is rendered again on every
 * frame, and inline Markdown on a very long line with many unpaired markers is not linear.
 */
const PARTIAL_MARKDOWN_CHARS = 2000;

export class TextStream {
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
