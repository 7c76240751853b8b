/**
 * The multi-line text editor behind the prompt box: text plus a cursor, readline-style editing, and the layout of
 * both into display rows. Pure state, no I/O. The cursor moves and deletes by grapheme cluster (what the user sees
 * as one character: an emoji with its modifiers, a letter with its accents), so it always sits on a code point
 * boundary and never splits a surrogate pair.
 */
import { textWidth } from '../text/width.ts';

export interface ComposerLayout {
  rows: string[];
  cursorRow: number;
  cursorCol: number;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

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

/** Grapheme clusters of `text`, each with its start index. */
function clusters(text: string): Array<{ segment: string; index: number }> {
  return [...graphemes.segment(text)];
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

/** Where a run of display rows is built up: the rows so far and the one being filled. */
class RowBuilder {
  readonly rows: string[] = [];
  private row = '';
  private used = 0;

  constructor(private readonly width: number) {}

  /** Starts a new row first if `columns` more would not fit (a row is never empty, so oversized chars still go in). */
  makeRoom(columns: number): void {
    if (this.row !== '' && (this.used + columns > this.width || this.used >= this.width)) this.endRow();
  }

  add(cluster: string, columns: number): void {
    this.row += cluster;
    this.used += columns;
  }

  /** Row index and column where the next char would go. */
  position(): { row: number; col: number } {
    return { row: this.rows.length, col: this.used };
  }

  isFull(): boolean {
    return this.used >= this.width;
  }

  endRow(): void {
    this.rows.push(this.row);
    this.row = '';
    this.used = 0;
  }
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
   * (empty) when the cursor ends a logical line whose last row is full; so the cursor column is always < width.
   */
  layout(width: number): ComposerLayout {
    const builder = new RowBuilder(Math.max(1, width));
    let cursor = { row: 0, col: 0 };
    let lineStart = 0;
    for (const line of this.value.split('\n')) {
      for (const { segment, index } of clusters(line)) {
        const columns = textWidth(segment);
        builder.makeRoom(columns);
        if (lineStart + index === this.position) cursor = builder.position();
        builder.add(segment, columns);
      }
      if (lineStart + line.length === this.position) {
        if (builder.isFull()) builder.endRow();
        cursor = builder.position();
      }
      builder.endRow();
      lineStart += line.length + 1;
    }
    return { rows: builder.rows, cursorRow: cursor.row, cursorCol: cursor.col };
  }

  /** Replaces text[from, to) with `text` and puts the cursor after it. */
  private replace(from: number, to: number, text: string): void {
    this.value = this.value.slice(0, from) + text + this.value.slice(to);
    this.position = from + text.length;
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
    let target = start;
    let used = 0;
    for (const { segment, index } of clusters(this.value.slice(start, end))) {
      used += textWidth(segment);
      if (used > column) break;
      target = start + index + segment.length;
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
    return start + clusters(this.value.slice(start, this.position)).at(-1)!.index;
  }

  /** End of the grapheme cluster after the cursor. */
  private nextBoundary(): number {
    const end = this.currentLineEnd();
    if (end === this.position) return Math.min(this.value.length, end + 1);
    return this.position + clusters(this.value.slice(this.position, end))[0]!.segment.length;
  }
}
