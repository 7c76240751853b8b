/**
 * The prompt editor's text laid out into display rows: each logical line hard-wrapped at the box's width without
 * splitting a character (../text/grapheme.ts says what one is and how wide). A layout is kept between keystrokes, and
 * the next one only redoes the logical lines that edits since have touched, and of those only from the row an edit
 * is in: a paste of thousands of lines costs its size once, not on every key.
 */
import { GraphemeWalk, graphemeWidth } from '../../util/text/grapheme.ts';
import { textWidth } from '../../util/text/width.ts';

export interface ComposerLayout {
  rows: string[];
  cursorRow: number;
  cursorCol: number;
}

/** What edits since the last layout left alone: text[0, from) and the last `tail` units are as they were then. */
export interface Untouched {
  readonly from: number;
  readonly tail: number;
}

/** A logical line hard-wrapped at some width: its rows, where each starts in it, and the columns the last one fills. */
interface LineRows {
  readonly text: string;
  readonly rows: string[];
  readonly starts: number[];
  readonly lastWidth: number;
}

/** A layout as kept for the next one: the width and the text it was for, line by line. */
export interface Laid {
  readonly width: number;
  readonly length: number;
  readonly lines: LineRows[];
}

/** Printable ASCII only: one cluster and one column per char. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Display rows of `text` with the cursor at `cursor`, at `width` columns, reusing `laid` (the last layout) for what
 * `untouched` says no edit has changed since (null: no edit). A cursor at the end of a full row is shown at column 0
 * of the row below, which is added (empty) when the cursor ends a logical line whose last row is full; so the cursor
 * column is always < width. A cursor inside a cluster is shown after the part of the cluster before it.
 */
export function layOut(
  text: string,
  cursor: number,
  width: number,
  laid: Laid | null,
  untouched: Untouched | null,
): { layout: ComposerLayout; laid: Laid } {
  const columns = Math.max(1, Math.floor(width));
  let lines: LineRows[];
  if (laid === null || laid.width !== columns) lines = text.split('\n').map((line) => rowsOf(line, columns));
  else if (untouched === null) lines = laid.lines;
  else lines = rewrap(text, laid, untouched);

  const rows: string[] = [];
  let at = { row: 0, col: 0 };
  let lineStart = 0;
  for (const line of lines) {
    const offset = cursor - lineStart;
    if (offset >= 0 && offset <= line.text.length) at = cursorIn(line, offset, rows.length, columns);
    for (const row of line.rows) rows.push(row);
    // A cursor after a full last row is shown on a row of its own.
    if (offset === line.text.length && line.lastWidth >= columns) rows.push('');
    lineStart += line.text.length + 1;
  }
  return { layout: { rows, cursorRow: at.row, cursorCol: at.col }, laid: { width: columns, length: text.length, lines } };
}

/**
 * `text` hard-wrapped at `width` columns without splitting a cluster; a cluster wider than a whole row gets one of its
 * own. With `reuse`, the same line as it was before an edit that left its first `unchanged` units as they were: rows
 * that cannot have changed are taken from it rather than laid out again.
 */
function rowsOf(text: string, width: number, reuse?: { before: LineRows; unchanged: number }): LineRows {
  if (PRINTABLE_ASCII.test(text)) {
    const rows: string[] = [];
    const starts: number[] = [];
    let start = 0;
    do {
      rows.push(text.slice(start, start + width));
      starts.push(start);
      start += width;
    } while (start < text.length);
    return { text, rows, starts, lastWidth: text.length - starts.at(-1)! };
  }
  let kept = 0;
  if (reuse !== undefined) {
    // A row's end depends on the first cluster of the next row (it did not fit), and that cluster's extent on the
    // char after it: rows are kept up to the last but one that starts inside the unchanged part.
    const starts = reuse.before.starts;
    let next = starts.length - 1;
    while (next > 0 && starts[next]! >= reuse.unchanged) next -= 1;
    kept = Math.max(0, next - 1);
  }
  const rows = kept > 0 ? reuse!.before.rows.slice(0, kept) : [];
  const starts = kept > 0 ? reuse!.before.starts.slice(0, kept) : [];
  let rowStart = kept > 0 ? reuse!.before.starts[kept]! : 0;
  let used = 0;
  const walk = new GraphemeWalk(text, text.length);
  for (let at = rowStart; at < text.length; ) {
    const run = walk.asciiRun(at);
    if (run > at) {
      // One column per char: fill rows without looking at each.
      while (at < run) {
        if (used >= width) {
          rows.push(text.slice(rowStart, at));
          starts.push(rowStart);
          rowStart = at;
          used = 0;
        }
        const take = Math.min(run - at, width - used);
        at += take;
        used += take;
      }
      continue;
    }
    const end = walk.endOf(at);
    const columns = graphemeWidth(text, at, end);
    if (at > rowStart && (used + columns > width || used >= width)) {
      rows.push(text.slice(rowStart, at));
      starts.push(rowStart);
      rowStart = at;
      used = 0;
    }
    used += columns;
    at = end;
  }
  rows.push(text.slice(rowStart));
  starts.push(rowStart);
  return { text, rows, starts, lastWidth: used };
}

/** Row and column of the cursor at `offset` in `line`, whose rows start at row `firstRow`. */
function cursorIn(line: LineRows, offset: number, firstRow: number, width: number): { row: number; col: number } {
  if (offset === line.text.length) {
    const full = line.lastWidth >= width;
    return { row: firstRow + line.rows.length - (full ? 0 : 1), col: full ? 0 : line.lastWidth };
  }
  let low = 0;
  let high = line.starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (line.starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  // Sliced, not measured by cluster: the cursor may sit inside one.
  return { row: firstRow + low, col: textWidth(line.text.slice(line.starts[low], offset)) };
}

/**
 * The lines of `text` from those of the last layout: lines wholly before the first edit or wholly inside the
 * untouched tail are kept, the ones in between wrapped again (the first of them only from the row that the first edit
 * is in).
 */
function rewrap(text: string, laid: Laid, untouched: Untouched): LineRows[] {
  const lines = laid.lines;
  // The first line touched: the one whose text or newline holds `from`.
  let first = 0;
  let firstStart = 0;
  while (firstStart + lines[first]!.text.length < untouched.from) {
    firstStart += lines[first]!.text.length + 1;
    first += 1;
  }
  // The first line kept at the end: after it and its newline, nothing was touched.
  const cleanFrom = laid.length - untouched.tail;
  let last = lines.length;
  let lastEnd = laid.length;
  while (last - 1 > first) {
    const start = lastEnd - lines[last - 1]!.text.length;
    if (start - 1 < cleanFrom) break;
    last -= 1;
    lastEnd = start - 1;
  }
  const shift = text.length - laid.length;
  const changed = text.slice(firstStart, lastEnd + shift).split('\n');
  const rewrapped = changed.map((line, index) =>
    rowsOf(line, laid.width, index === 0 ? { before: lines[first]!, unchanged: untouched.from - firstStart } : undefined),
  );
  return [...lines.slice(0, first), ...rewrapped, ...lines.slice(last)];
}
