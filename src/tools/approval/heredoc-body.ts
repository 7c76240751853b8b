/**
 * Reads a here-document's body: the lines after the command's newline, up to a line that is exactly the delimiter
 * (after removing leading tabs for `<<-`). A body that never ends is an error, not "the rest of the script": the
 * reader must not disagree with the shell about where commands resume.
 */

export type HeredocBody = { type: 'ok'; body: string; end: number } | { type: 'unterminated' };

/** `start` is the index of the body's first character; `end` is the index after the delimiter line. */
export function readHeredocBody(text: string, start: number, delimiter: string, stripTabs: boolean): HeredocBody {
  let body = '';
  let pos = start;
  while (pos < text.length) {
    const lineEnd = text.indexOf('\n', pos);
    const end = lineEnd < 0 ? text.length : lineEnd;
    const line = stripTabs ? text.slice(pos, end).replace(/^\t+/, '') : text.slice(pos, end);
    pos = lineEnd < 0 ? end : end + 1;
    if (line === delimiter) return { type: 'ok', body, end: pos };
    body += `${line}\n`;
  }
  return { type: 'unterminated' };
}
