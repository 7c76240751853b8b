/**
 * Reads a here-document's body: the lines after the command's newline, up to a line that is exactly the delimiter
 * (after removing leading tabs for `<<-`). A body that never ends is an error, not "the rest of the script": the
 * reader must not disagree with the shell about where commands resume.
 *
 * When the delimiter is unquoted, bash joins a line ending in an unpaired backslash with the next one before it
 * compares the line with the delimiter (`a\` then `EOF` is the body line `aEOF`, not the end), and removes that
 * backslash-newline from the body; `<<-` strips tabs from the start of the joined line only.
 */

export type HeredocBody = { type: 'ok'; body: string; end: number } | { type: 'unterminated' };

export interface HeredocRead {
  delimiter: string;
  stripTabs: boolean;
  /** The delimiter was unquoted: backslash-newline joins lines. */
  joinLines: boolean;
}

/** `start` is the index of the body's first character; `end` is the index after the delimiter line. */
export function readHeredocBody(text: string, start: number, read: HeredocRead): HeredocBody {
  const lines: string[] = [];
  let pos = start;
  while (pos < text.length) {
    const { line, next } = logicalLine(text, pos, read.joinLines);
    pos = next;
    const content = read.stripTabs ? stripLeadingTabs(line) : line;
    if (content === read.delimiter) return { type: 'ok', body: lines.join(''), end: pos };
    lines.push(`${content}\n`);
  }
  return { type: 'unterminated' };
}

/** The line starting at `pos` without its newline, joined with the following ones while `join` applies. */
function logicalLine(text: string, pos: number, join: boolean): { line: string; next: number } {
  let pieces: string[] | null = null;
  for (;;) {
    const lineEnd = text.indexOf('\n', pos);
    const end = lineEnd < 0 ? text.length : lineEnd;
    const continues = join && lineEnd >= 0 && trailingBackslashes(text, pos, end) % 2 === 1;
    const piece = text.slice(pos, continues ? end - 1 : end);
    if (!continues && pieces === null) return { line: piece, next: lineEnd < 0 ? end : end + 1 };
    (pieces ??= []).push(piece);
    pos = end + 1;
    if (!continues) return { line: pieces.join(''), next: lineEnd < 0 ? end : end + 1 };
  }
}

function trailingBackslashes(text: string, start: number, end: number): number {
  let count = 0;
  while (end - count > start && text[end - count - 1] === '\\') count += 1;
  return count;
}

function stripLeadingTabs(line: string): string {
  let at = 0;
  while (line[at] === '\t') at += 1;
  return at === 0 ? line : line.slice(at);
}
