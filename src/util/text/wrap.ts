/**
 * Fitting styled lines to the screen's width. The work is done on the line's text as one string, with rows found as
 * index ranges and only then cut back into styled spans, so wrapping costs a few string slices per row and nothing
 * per character (this runs on every frame while a reply streams in).
 */
import type { Line, Span } from './styled.ts';
import { graphemeEnd, graphemeWidth } from './grapheme.ts';
import { fitEnd, sliceByWidth, textWidth } from './width.ts';

const ELLIPSIS = '…';
const SPACE = 0x20;

export function lineWidth(target: Line): number {
  let total = 0;
  for (const part of target.spans) total += textWidth(part.text);
  return total;
}

/**
 * Rows of at most `width` columns (`width` below 1 counts as 1). Breaks fall at spaces where possible, and the spaces
 * at a break are dropped; a word longer than a row is cut. Rows after the first start with `indent` spaces unless that
 * would take more than half the row (or leave too little for a double-width character). The one exception to the
 * width: a character wider than a whole row (double-width on a row of one column) still gets a row of its own.
 */
export function wrapLine(target: Line, width: number): Line[] {
  const columns = Math.max(1, Math.floor(width));
  if (lineWidth(target) <= columns) return [{ spans: target.spans }];
  const text = target.spans.map((part) => part.text).join('');
  const indent = target.indent !== undefined && target.indent > 0 && target.indent <= columns / 2 ? target.indent : 0;
  const cutter = new SpanCutter(target.spans);
  const rows: Line[] = [];
  // The first row's own indentation (a bullet, a padded label) is not a place to break: that would leave it alone.
  const firstBreakFrom = indent > 0 ? fitEnd(text, 0, indent) : 0;
  let start = 0;
  while (start < text.length) {
    let hanging = rows.length === 0 ? 0 : indent;
    // A character too wide for what the indent leaves gets the whole row instead.
    if (hanging > 0 && graphemeWidth(text, start, graphemeEnd(text, start)) > columns - hanging) hanging = 0;
    const [end, next] = findBreak(text, start, columns - hanging, rows.length === 0 ? firstBreakFrom : start);
    const spans = cutter.cut(start, end);
    rows.push({ spans: hanging > 0 ? [{ text: ' '.repeat(hanging) }, ...spans] : spans });
    start = next;
  }
  return rows;
}

export function wrapLines(lines: Line[], width: number): Line[] {
  return lines.flatMap((target) => wrapLine(target, width));
}

/** The line cut to at most `width` columns; when anything was cut off, the last column shows `…`. */
export function truncateLine(target: Line, width: number): Line {
  const columns = Math.floor(width);
  if (lineWidth(target) <= columns) return { spans: target.spans };
  if (columns < 1) return { spans: [] };
  const spans: Span[] = [];
  let room = columns - 1;
  for (const part of target.spans) {
    const { head, rest } = sliceByWidth(part.text, room);
    if (head !== '') spans.push(withText(part, head));
    if (rest !== '') {
      spans.push(withText(part, ELLIPSIS));
      break;
    }
    room -= textWidth(head);
  }
  return { spans };
}

/**
 * Where the row starting at `start` ends, and where the next row starts. Prefers the last space after `breakFrom`
 * that fits (the row gives up the run of spaces there); with none, the row is filled and the word cut.
 */
function findBreak(text: string, start: number, width: number, breakFrom: number): [end: number, next: number] {
  const limit = fitEnd(text, start, width);
  if (limit === text.length) return [limit, limit];
  const space = lastSpace(text, Math.max(start, breakFrom), limit);
  if (space > start) {
    let end = space;
    while (end > start && text.charCodeAt(end - 1) === SPACE) end -= 1;
    let next = space;
    while (text.charCodeAt(next) === SPACE) next += 1;
    if (end > start) return [end, next];
  }
  const cut = limit > start ? limit : graphemeEnd(text, start);
  return [cut, cut];
}

/** The last space in `text` at an index in (start, limit], or -1; looks no further back than the row. */
function lastSpace(text: string, start: number, limit: number): number {
  for (let index = limit; index > start; index -= 1) {
    if (text.charCodeAt(index) === SPACE) return index;
  }
  return -1;
}

/** Cuts index ranges of a line's joined text back into its styled spans; ranges must come in increasing order. */
class SpanCutter {
  private readonly spans: readonly Span[];
  private current = 0;
  private currentStart = 0;

  constructor(spans: readonly Span[]) {
    this.spans = spans;
  }

  cut(start: number, end: number): Span[] {
    const out: Span[] = [];
    while (this.current < this.spans.length) {
      const part = this.spans[this.current]!;
      const partEnd = this.currentStart + part.text.length;
      const from = Math.max(start, this.currentStart);
      const to = Math.min(end, partEnd);
      if (to > from) {
        const whole = from === this.currentStart && to === partEnd;
        out.push(whole ? part : withText(part, part.text.slice(from - this.currentStart, to - this.currentStart)));
      }
      if (partEnd > end) break;
      this.currentStart = partEnd;
      this.current += 1;
    }
    return out;
  }
}

function withText(part: Span, text: string): Span {
  return part.style === undefined ? { text } : { text, style: part.style };
}
