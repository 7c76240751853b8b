/**
 * The multi-line text editor behind the prompt box: text plus a cursor, readline-style editing, and the layout of
 * both into display rows. Pure state, no I/O. The cursor moves and deletes by grapheme cluster (what the user sees
 * as one character: an emoji with its modifiers, a letter with its accents), so it always sits on a code point
 * boundary and never splits a surrogate pair.
 *
 * Every keystroke is followed by a layout, and the text may be a paste of thousands of lines, so neither may cost in
 * proportion to the whole text. Clusters are found by segmenting only short stretches around the cursor (and skipping
 * the segmenter where two neighbouring characters can never join), and the layout is kept between calls: only the
 * logical lines touched by edits since the last one are laid out again, and of those only from the row an edit is in.
 */
import { charWidth, textWidth } from '../text/width.ts';

export interface ComposerLayout {
  rows: string[];
  cursorRow: number;
  cursorCol: number;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * How far, in UTF-16 units, to look for a place where a cluster boundary is certain before segmenting from further
 * away (from the line's start, or in windows of this size). Clusters are rarely longer than a few units.
 */
const SCAN = 256;

/** The fewest units segmented at a time, unless the text ends sooner. */
const MIN_SEGMENT = 32;

const ASCII_RUN = /[\x20-\x7e]+/y;

/**
 * Characters that may join the character before or after them into one cluster, by their general properties: marks
 * (virama linkers among them), format and control characters (ZWJ among them), unassigned code points, regional
 * indicators, emoji modifiers and Hangul jamo. This only spares most of the asking: the letters that join too (spacing
 * vowel signs such as Thai SARA AM, prepended signs, Kirat Rai vowels) are caught by asking the segmenter, once per
 * code point.
 */
const MAY_JOIN =
  /[\p{M}\p{Cc}\p{Cf}\p{Cs}\p{Cn}\p{Zl}\p{Zp}\p{Regional_Indicator}\p{Emoji_Modifier}\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff]/u;

/** Whether each code point below its length is a loner (1), may join (2), or has not been looked at yet (0). */
const loners = new Uint8Array(0x30000);

/**
 * Whether a character never joins its neighbours: between two such characters a cluster boundary is certain, whatever
 * comes before them (printable ASCII, most letters, CJK ideographs, Hangul syllables, punctuation, most emoji).
 */
function isLoner(codePoint: number): boolean {
  if (codePoint < 0x7f) return codePoint >= 0x20;
  const known = codePoint < loners.length ? loners[codePoint] : 0;
  if (known !== 0) return known === 1;
  const char = String.fromCodePoint(codePoint);
  // Alone between two letters, it neither joins what is before it (as marks do) nor what is after it (as prepended
  // signs do); doubled, it does not join itself (as regional indicators and jamo do, the only ones left that join
  // anything, and then only their own kinds). Two such characters side by side are then two clusters.
  const loner =
    !MAY_JOIN.test(char) && [...graphemes.segment(`a${char}a`)].length === 3 && [...graphemes.segment(char + char)].length === 2;
  if (codePoint < loners.length) loners[codePoint] = loner ? 1 : 2;
  return loner;
}

function isPrintableAscii(code: number): boolean {
  return code >= 0x20 && code < 0x7f;
}

/** Whether a cluster boundary falls at `index` for certain, from the two characters on either side of it alone. */
function certainBoundary(text: string, index: number): boolean {
  if (isPrintableAscii(text.charCodeAt(index - 1)) && isPrintableAscii(text.charCodeAt(index))) return true;
  if (index <= 0 || index >= text.length || splitsPair(text, index)) return false;
  return isLoner(codePointBefore(text, index)) && isLoner(text.codePointAt(index)!);
}

/** Start of the last grapheme cluster of text[from, to), segmenting only what is needed (from..to not empty). */
function clusterStartBefore(text: string, from: number, to: number): number {
  const last = splitsPair(text, to - 1) ? to - 2 : to - 1;
  if (last <= from || certainBoundary(text, last)) return Math.max(from, last);
  // Segment from the nearest certain boundary; failing one close by, from `from` (slower, but still linear).
  const stop = Math.max(from, last - SCAN);
  let start = last - 1;
  while (start > stop && !certainBoundary(text, start)) start -= 1;
  if (!certainBoundary(text, start)) start = from;
  return start + graphemes.segment(text.slice(start, to)).containing(to - start - 1)!.index;
}

/**
 * The grapheme clusters of text[from, to) taken one after another from `from` (which counts as a cluster start).
 * Runs of loners need no segmenter; other stretches are segmented up to the next certain boundary, or in windows whose
 * last cluster is left for the next window (it may go on past the window's end).
 */
class ClusterWalk {
  private ends: number[] = [];
  private next = 0;

  constructor(
    private readonly text: string,
    private readonly to: number,
  ) {}

  /** The end of the cluster that starts at `at`: `from` at first, then always where the last cluster ended. */
  endOf(at: number): number {
    if (this.next < this.ends.length) return this.ends[this.next++]!;
    const after = at + (this.text.codePointAt(at)! > 0xffff ? 2 : 1);
    if (after >= this.to || certainBoundary(this.text, after)) return Math.min(after, this.to);
    this.ends = this.segmentFrom(at);
    this.next = 1;
    return this.ends[0]!;
  }

  /**
   * The end of a run of printable ASCII from `at` whose chars are each a cluster of their own (all but the run's last,
   * which a mark after it may join), or `at` itself when there is none or the walk is inside a segmented stretch.
   */
  asciiRun(at: number): number {
    if (this.next < this.ends.length || !isPrintableAscii(this.text.charCodeAt(at + 1))) return at;
    ASCII_RUN.lastIndex = at;
    if (!ASCII_RUN.test(this.text)) return at;
    const end = Math.min(ASCII_RUN.lastIndex, this.to);
    return end === this.to ? end : Math.max(at, end - 1);
  }

  /** Ends of the clusters from `at` on, as far as they are known for certain. */
  private segmentFrom(at: number): number[] {
    const text = this.text;
    // Segment at least a few units at a time (each call of the segmenter has a cost of its own), up to a boundary
    // that is certain, or else to the end of a window.
    const limit = Math.min(this.to, at + SCAN);
    let stop = Math.min(limit, at + MIN_SEGMENT);
    while (stop < limit && !certainBoundary(text, stop)) stop += 1;
    // Up to a certain boundary, or the end, every cluster is final; in a window cut short the last one may not be.
    const final = stop < limit || limit === this.to;
    const end = final ? stop : splitsPair(text, limit) ? limit - 1 : limit;
    const ends: number[] = [];
    for (const { segment, index } of graphemes.segment(text.slice(at, end))) ends.push(at + index + segment.length);
    if (!final) {
      ends.pop();
      // One cluster filling the whole window: take it from the rest of the text, however long that is.
      if (ends.length === 0) ends.push(at + graphemes.segment(text.slice(at, this.to)).containing(0)!.segment.length);
    }
    return ends;
  }
}

/** Chars that make up words for word motions and deletions (marks included so accented letters stay whole). */
const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;
const SPACE_CHAR = /\s/u;

/** Text as the composer holds it: newlines as \n, tabs as 4 spaces, no other control characters. */
function normalize(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '    ')
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '');
}

/** Whether `index` falls between the two halves of a surrogate pair. */
function splitsPair(text: string, index: number): boolean {
  const high = text.charCodeAt(index - 1);
  const low = text.charCodeAt(index);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
}

/** The code point ending just before `index` (for scanning backwards). */
function charBefore(text: string, index: number): string {
  return text.slice(splitsPair(text, index - 1) ? index - 2 : index - 1, index);
}

function codePointBefore(text: string, index: number): number {
  return splitsPair(text, index - 1) ? text.codePointAt(index - 2)! : text.charCodeAt(index - 1);
}

function charAt(text: string, index: number): string {
  return String.fromCodePoint(text.codePointAt(index)!);
}

/** Moves back from `index` over chars matching `test`. */
function skipBack(text: string, index: number, test: (char: string) => boolean): number {
  while (index > 0) {
    const char = charBefore(text, index);
    if (!test(char)) break;
    index -= char.length;
  }
  return index;
}

/** Moves forward from `index` over chars matching `test`. */
function skipForward(text: string, index: number, test: (char: string) => boolean): number {
  while (index < text.length) {
    const char = charAt(text, index);
    if (!test(char)) break;
    index += char.length;
  }
  return index;
}

const isWord = (char: string): boolean => WORD_CHAR.test(char);
const isSpace = (char: string): boolean => SPACE_CHAR.test(char);
/** Punctuation and symbols: neither word nor space. */
const isOther = (char: string): boolean => !isWord(char) && !isSpace(char);

/**
 * Where a backward word deletion starting at `index` ends: spaces, then a word (or, when the cursor follows
 * punctuation instead, that run of punctuation, so Ctrl+W always deletes something).
 */
function wordDeletionStart(text: string, index: number): number {
  const afterSpaces = skipBack(text, index, isSpace);
  if (afterSpaces === 0) return 0;
  return skipBack(text, afterSpaces, isWord(charBefore(text, afterSpaces)) ? isWord : isOther);
}

/** The forward counterpart of `wordDeletionStart`. */
function wordDeletionEnd(text: string, index: number): number {
  const afterSpaces = skipForward(text, index, isSpace);
  if (afterSpaces === text.length) return afterSpaces;
  return skipForward(text, afterSpaces, isWord(charAt(text, afterSpaces)) ? isWord : isOther);
}

/** Printable ASCII only: one cluster and one column per char. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** A logical line hard-wrapped at some width: its rows, where each starts in it, and the columns the last one fills. */
interface LineRows {
  readonly text: string;
  readonly rows: string[];
  readonly starts: number[];
  readonly lastWidth: number;
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
  const walk = new ClusterWalk(text, text.length);
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
    const single = end - at === 1 || (end - at === 2 && splitsPair(text, at + 1));
    const columns = single ? charWidth(text.codePointAt(at)!) : textWidth(text.slice(at, end));
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

/** The last layout: the width and the text it was for, line by line. */
interface Laid {
  readonly width: number;
  readonly length: number;
  readonly lines: LineRows[];
}

export class Composer {
  private value = '';
  private position = 0;
  private killed = '';
  /**
   * The display column Up/Down aim for, kept while the cursor only moves vertically, so passing through a short line
   * does not lose the column. Valid only while text and cursor are what they were after the last vertical move.
   */
  private goal: { text: string; cursor: number; column: number } | null = null;
  /** The last layout, kept so that the next one only redoes what edits since have changed. */
  private laid: Laid | null = null;
  /**
   * What edits since the last layout left alone: text[0, from) and the last `tail` units are as they were then.
   * Null when there was no edit.
   */
  private edited: { from: number; tail: number } | null = null;

  get text(): string {
    return this.value;
  }

  /** Index into text, in UTF-16 units, always on a code point boundary. */
  get cursor(): number {
    return this.position;
  }

  isEmpty(): boolean {
    return this.value === '';
  }

  /** Replaces the text (normalised like typed input); the cursor defaults to the end. */
  setText(text: string, cursor = text.length): void {
    const clamped = Math.max(0, Math.min(cursor, text.length));
    this.value = normalize(text);
    this.laid = null;
    this.edited = null;
    const position = normalize(text.slice(0, clamped)).length;
    this.position = splitsPair(this.value, position) ? position - 1 : position;
  }

  clear(): void {
    this.setText('');
  }

  /** Inserts at the cursor: \r\n and \r become \n, tabs 4 spaces, other control chars are dropped. */
  insert(text: string): void {
    this.replace(this.position, this.position, normalize(text));
  }

  newline(): void {
    this.insert('\n');
  }

  backspace(): void {
    this.replace(this.previousBoundary(), this.position, '');
  }

  deleteForward(): void {
    this.replace(this.position, this.nextBoundary(), '');
  }

  left(): void {
    this.position = this.previousBoundary();
  }

  right(): void {
    this.position = this.nextBoundary();
  }

  /** To the start of this or the previous word (a word is a run of letters, digits and underscores). */
  wordLeft(): void {
    this.position = skipBack(this.value, skipBack(this.value, this.position, (char) => !isWord(char)), isWord);
  }

  /** To the end of this or the next word. */
  wordRight(): void {
    this.position = skipForward(this.value, skipForward(this.value, this.position, (char) => !isWord(char)), isWord);
  }

  lineStart(): void {
    this.position = this.currentLineStart();
  }

  lineEnd(): void {
    this.position = this.currentLineEnd();
  }

  /** Ctrl+U: deletes from the line start to the cursor; at the line start, joins with the line above. */
  killToLineStart(): void {
    const start = this.currentLineStart();
    this.kill(start === this.position ? Math.max(0, start - 1) : start, this.position);
  }

  /** Ctrl+K: deletes from the cursor to the line end; at the line end, joins with the line below. */
  killToLineEnd(): void {
    const end = this.currentLineEnd();
    this.kill(this.position, end === this.position ? Math.min(this.value.length, end + 1) : end);
  }

  /** Ctrl+W, Alt+Backspace: spaces, then the word (or run of punctuation) before the cursor. */
  killWordBefore(): void {
    this.kill(wordDeletionStart(this.value, this.position), this.position);
  }

  /** Alt+D: spaces, then the word (or run of punctuation) after the cursor. */
  deleteWordAfter(): void {
    this.kill(this.position, wordDeletionEnd(this.value, this.position));
  }

  /** Ctrl+Y: inserts the text of the last kill. */
  yank(): void {
    this.insert(this.killed);
  }

  /** To the same display column on the previous logical line; false (and no move) on the first line. */
  up(): boolean {
    const start = this.currentLineStart();
    if (start === 0) return false;
    this.moveToLine(this.lineStartOf(start - 1), start - 1);
    return true;
  }

  /** To the same display column on the next logical line; false (and no move) on the last line. */
  down(): boolean {
    const end = this.currentLineEnd();
    if (end === this.value.length) return false;
    this.moveToLine(end + 1, this.lineEndOf(end + 1));
    return true;
  }

  onFirstLine(): boolean {
    return this.currentLineStart() === 0;
  }

  onLastLine(): boolean {
    return this.currentLineEnd() === this.value.length;
  }

  /**
   * Display rows: each logical line hard-wrapped at `width` columns without splitting a character (wide ones move
   * whole to the next row). A cursor at the end of a full row is shown at column 0 of the row below, which is added
   * (empty) when the cursor ends a logical line whose last row is full; so the cursor column is always < width. A cursor
   * inside a cluster (set there by setText) is shown after the part of the cluster before it.
   */
  layout(width: number): ComposerLayout {
    const columns = Math.max(1, Math.floor(width));
    const laid = this.laid;
    let lines: LineRows[];
    if (laid === null || laid.width !== columns) lines = this.value.split('\n').map((line) => rowsOf(line, columns));
    else if (this.edited === null) lines = laid.lines;
    else lines = this.rewrap(laid, this.edited);
    this.laid = { width: columns, length: this.value.length, lines };
    this.edited = null;

    const rows: string[] = [];
    let cursor = { row: 0, col: 0 };
    let lineStart = 0;
    for (const line of lines) {
      const offset = this.position - lineStart;
      if (offset >= 0 && offset <= line.text.length) cursor = this.cursorIn(line, offset, rows.length, columns);
      for (const row of line.rows) rows.push(row);
      // A cursor after a full last row is shown on a row of its own.
      if (offset === line.text.length && line.lastWidth >= columns) rows.push('');
      lineStart += line.text.length + 1;
    }
    return { rows, cursorRow: cursor.row, cursorCol: cursor.col };
  }

  /** Row and column of the cursor at `offset` in `line`, whose rows start at row `firstRow`. */
  private cursorIn(line: LineRows, offset: number, firstRow: number, width: number): { row: number; col: number } {
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
    return { row: firstRow + low, col: textWidth(line.text.slice(line.starts[low], offset)) };
  }

  /**
   * The lines of the text after `edited`, from those of the last layout: lines wholly before the first edit or wholly
   * inside the untouched tail are kept, the ones in between wrapped again (the first of them only from the row that
   * the first edit is in).
   */
  private rewrap(laid: Laid, edited: { from: number; tail: number }): LineRows[] {
    const lines = laid.lines;
    // The first line touched: the one whose text or newline holds `from`.
    let first = 0;
    let firstStart = 0;
    while (firstStart + lines[first]!.text.length < edited.from) {
      firstStart += lines[first]!.text.length + 1;
      first += 1;
    }
    // The first line kept at the end: after it and its newline, nothing was touched.
    const cleanFrom = laid.length - edited.tail;
    let last = lines.length;
    let lastEnd = laid.length;
    while (last - 1 > first) {
      const start = lastEnd - lines[last - 1]!.text.length;
      if (start - 1 < cleanFrom) break;
      last -= 1;
      lastEnd = start - 1;
    }
    const shift = this.value.length - laid.length;
    const changed = this.value.slice(firstStart, lastEnd + shift).split('\n');
    const rewrapped = changed.map((line, index) =>
      rowsOf(line, laid.width, index === 0 ? { before: lines[first]!, unchanged: edited.from - firstStart } : undefined),
    );
    return [...lines.slice(0, first), ...rewrapped, ...lines.slice(last)];
  }

  /** Replaces text[from, to) with `text` and puts the cursor after it. */
  private replace(from: number, to: number, text: string): void {
    const tail = this.value.length - to;
    this.value = this.value.slice(0, from) + text + this.value.slice(to);
    this.position = from + text.length;
    const edited = this.edited;
    this.edited = { from: Math.min(from, edited?.from ?? from), tail: Math.min(tail, edited?.tail ?? tail) };
  }

  /** Deletes text[from, to), keeping it for yank() when it is not empty. */
  private kill(from: number, to: number): void {
    if (from === to) return;
    this.killed = this.value.slice(from, to);
    this.replace(from, to, '');
  }

  private currentLineStart(): number {
    return this.lineStartOf(this.position);
  }

  private currentLineEnd(): number {
    return this.lineEndOf(this.position);
  }

  /** Start of the logical line holding `index`. */
  private lineStartOf(index: number): number {
    return index === 0 ? 0 : this.value.lastIndexOf('\n', index - 1) + 1;
  }

  /** End (the index of its newline, or the text's end) of the logical line holding `index`. */
  private lineEndOf(index: number): number {
    const newline = this.value.indexOf('\n', index);
    return newline === -1 ? this.value.length : newline;
  }

  /** Puts the cursor on the line text[start, end) at the goal column, or as far right as the line allows. */
  private moveToLine(start: number, end: number): void {
    const column = this.goalColumn();
    const walk = new ClusterWalk(this.value, end);
    let target = start;
    let used = 0;
    for (let at = start; at < end; ) {
      const next = walk.endOf(at);
      used += textWidth(this.value.slice(at, next));
      if (used > column) break;
      target = at = next;
    }
    this.position = target;
    this.goal = { text: this.value, cursor: target, column };
  }

  /** The column of the last vertical move if nothing else happened since, else the cursor's own column. */
  private goalColumn(): number {
    const goal = this.goal;
    if (goal !== null && goal.text === this.value && goal.cursor === this.position) return goal.column;
    return textWidth(this.value.slice(this.currentLineStart(), this.position));
  }

  /** Start of the grapheme cluster before the cursor. */
  private previousBoundary(): number {
    const start = this.currentLineStart();
    if (start === this.position) return Math.max(0, start - 1);
    return clusterStartBefore(this.value, start, this.position);
  }

  /** End of the grapheme cluster after the cursor. */
  private nextBoundary(): number {
    const end = this.currentLineEnd();
    if (end === this.position) return Math.min(this.value.length, end + 1);
    return new ClusterWalk(this.value, end).endOf(this.position);
  }
}
