/**
 * The differential renderer. The screen has two parts: finished lines, printed once above and left to the
 * terminal's own scrollback, and the live area at the bottom (what is in progress, the prompt box, the status
 * line), redrawn in place. A frame rewrites only the live rows that changed; committed lines cost nothing after
 * they are printed, however long the session gets.
 *
 * The live area never grows past the screen's height minus one row: the renderer moves the cursor up to its first
 * row to redraw it, which is only possible while that row is still on the screen.
 */
import { lineToAnsi, type Line } from '../util/text/styled.ts';
import { wrapLines } from '../util/text/wrap.ts';

export interface ScreenOutput {
  write(data: string): void;
  columns(): number;
  rows(): number;
}

export interface LiveCursor {
  row: number;
  col: number;
}

/** Committed lines kept to redraw the visible screen after a resize (older ones are in the terminal's scrollback). */
const REFLOW_TAIL_LINES = 300;

const SYNC_BEGIN = '\u001b[?2026h';
const SYNC_END = '\u001b[?2026l';
const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';
const CLEAR_LINE = '\u001b[2K';
const CLEAR_BELOW = '\u001b[J';

export class Screen {
  /** Rows of the live area as drawn last (escape-coded), and the row the cursor was left on. */
  private drawn: string[] = [];
  private cursorRow = 0;
  private pendingCommits: Line[] = [];
  private recentCommits: Line[] = [];
  private live: Line[] = [];
  private cursor: LiveCursor | null = null;
  private width: number;
  /** Set by a resize: the next frame redraws the whole screen. */
  private reflow = false;

  constructor(
    private readonly out: ScreenOutput,
    private readonly color: boolean,
  ) {
    this.width = Math.max(1, out.columns());
  }

  get columns(): number {
    return this.width;
  }

  get rows(): number {
    return Math.max(2, this.out.rows());
  }

  /** Lines to print above the live area at the next frame, in order. Logical lines: wrapped here. */
  commit(lines: readonly Line[]): void {
    if (lines.length === 0) return;
    this.pendingCommits.push(...lines);
    this.recentCommits.push(...lines);
    if (this.recentCommits.length > REFLOW_TAIL_LINES * 2) this.recentCommits = this.recentCommits.slice(-REFLOW_TAIL_LINES);
  }

  /** The live area's rows (already wrapped to `columns`) and where the cursor goes, or null to hide it. */
  setLive(rows: readonly Line[], cursor: LiveCursor | null): void {
    const limit = this.rows - 1;
    const cut = Math.max(0, rows.length - limit);
    this.live = cut === 0 ? [...rows] : rows.slice(cut);
    this.cursor = cursor === null || cursor.row - cut < 0 ? null : { row: cursor.row - cut, col: cursor.col };
  }

  /** Writes one frame: pending commits, then the live rows that changed. */
  render(): void {
    const rows = this.live.map((row) => lineToAnsi(row, this.color));
    let out = SYNC_BEGIN + HIDE_CURSOR;
    if (this.reflow) {
      out += this.reflowed();
      out += this.drawAll(rows);
    } else if (this.pendingCommits.length > 0) {
      out += this.toLiveStart() + CLEAR_BELOW;
      for (const row of wrapLines(this.pendingCommits, this.width)) out += `${lineToAnsi(row, this.color)}\r\n`;
      this.pendingCommits = [];
      out += this.drawAll(rows);
    } else {
      out += this.toLiveStart() + this.drawChanged(rows);
    }
    this.drawn = rows;
    out += this.placeCursor(rows.length);
    this.out.write(out + SYNC_END);
  }

  /**
   * After a resize the terminal may have re-wrapped what was on the screen, so the live area's position is no
   * longer known: the next frame clears the screen and redraws it from the recent committed lines, wrapped to the
   * new width, above the new live area.
   */
  resize(): void {
    this.width = Math.max(1, this.out.columns());
    this.reflow = true;
  }

  /** Clears the whole screen and redraws (Ctrl+L). */
  redrawAll(): void {
    this.reflow = true;
    this.render();
  }

  private reflowed(): string {
    this.reflow = false;
    this.pendingCommits = [];
    const room = Math.max(0, this.rows - 1 - this.live.length);
    const tail = room === 0 ? [] : wrapLines(this.recentCommits.slice(-REFLOW_TAIL_LINES), this.width).slice(-room);
    // Row by row rather than "erase display": several terminals (tmux, VTE) copy the whole screen into the
    // scrollback on an erase-display, which would leave a stale copy of the transcript there after every resize.
    let out = '\u001b[H';
    for (let row = 0; row < this.rows; row++) out += `${CLEAR_LINE}${row < this.rows - 1 ? '\u001b[1B' : ''}`;
    out += '\u001b[H';
    for (const row of tail) out += `${lineToAnsi(row, this.color)}\r\n`;
    return out;
  }

  /** Erases the live area and leaves the cursor at its first row, so whatever is printed next follows the transcript. */
  clearLive(): void {
    this.out.write(`${this.toLiveStart()}${CLEAR_BELOW}${SHOW_CURSOR}`);
    this.drawn = [];
    this.cursorRow = 0;
  }

  private toLiveStart(): string {
    return `\r${this.cursorRow > 0 ? `\u001b[${this.cursorRow}A` : ''}`;
  }

  private drawAll(rows: string[]): string {
    return rows.map((row) => CLEAR_LINE + row).join('\r\n');
  }

  /** Rewrites only changed rows: unchanged ones are stepped over with a cursor move. */
  private drawChanged(rows: string[]): string {
    let out = '';
    for (let index = 0; index < rows.length; index++) {
      if (index > 0) out += index < this.drawn.length ? '\r\u001b[1B' : '\r\n';
      if (index >= this.drawn.length || this.drawn[index] !== rows[index]) out += CLEAR_LINE + rows[index];
    }
    if (rows.length < this.drawn.length) {
      // Rows left over from a taller frame: erase them (the row below the last one drawn exists, so move down).
      out += rows.length === 0 ? CLEAR_BELOW : `\u001b[1B\r${CLEAR_BELOW}\u001b[1A`;
    }
    return out;
  }

  /** From the end of the last row drawn to the cursor's place; records which row that is. */
  private placeCursor(rowCount: number): string {
    const lastRow = Math.max(0, rowCount - 1);
    if (this.cursor === null || rowCount === 0) {
      this.cursorRow = lastRow;
      return '';
    }
    const row = Math.min(this.cursor.row, lastRow);
    this.cursorRow = row;
    const up = lastRow - row;
    return `${up > 0 ? `\u001b[${up}A` : ''}\r${this.cursor.col > 0 ? `\u001b[${this.cursor.col}C` : ''}${SHOW_CURSOR}`;
  }
}
