/**
 * The multi-line text editor behind the prompt box: text plus a cursor and readline-style editing. Pure state, no
 * I/O. The cursor moves and deletes by grapheme cluster (what the user sees as one character: an emoji with its
 * modifiers, a letter with its accents; see ../text/grapheme.ts, which the rest of the screen measures by too), so it
 * always sits on a code point boundary and never splits a surrogate pair.
 *
 * Every keystroke is followed by a layout, and the text may be a paste of thousands of lines, so neither may cost in
 * proportion to the whole text: clusters are found by segmenting only short stretches around the cursor, and the
 * layout (./composer-layout.ts) is kept between calls and redone only where edits have touched it.
 */
import { GraphemeWalk, graphemeStartBefore, graphemeWidth, splitsPair } from '../../util/text/grapheme.ts';
import { textWidth } from '../../util/text/width.ts';
import { layOut, type ComposerLayout, type Laid, type Untouched } from './composer-layout.ts';
import { wordDeletionEnd, wordDeletionStart, wordEndAfter, wordStartBefore } from './word-motion.ts';

export type { ComposerLayout };

/** Text as the composer holds it: newlines as \n, tabs as 4 spaces, no other control characters. */
function normalize(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '    ')
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '');
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
  private edited: Untouched | null = null;

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
    this.position = wordStartBefore(this.value, this.position);
  }

  /** To the end of this or the next word. */
  wordRight(): void {
    this.position = wordEndAfter(this.value, this.position);
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

  /** Display rows at `width` columns and where the cursor is in them (see layOut). */
  layout(width: number): ComposerLayout {
    const { layout, laid } = layOut(this.value, this.position, width, this.laid, this.edited);
    this.laid = laid;
    this.edited = null;
    return layout;
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
    const walk = new GraphemeWalk(this.value, end);
    let target = start;
    let used = 0;
    for (let at = start; at < end; ) {
      const next = walk.endOf(at);
      used += graphemeWidth(this.value, at, next);
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
    return graphemeStartBefore(this.value, start, this.position);
  }

  /** End of the grapheme cluster after the cursor. */
  private nextBoundary(): number {
    const end = this.currentLineEnd();
    if (end === this.position) return Math.min(this.value.length, end + 1);
    return new GraphemeWalk(this.value, end).endOf(this.position);
  }
}
