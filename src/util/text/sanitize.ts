/**
 * Makes untrusted text (command output, model text, file names) safe to draw. Anything that could move the cursor,
 * change colours, set the window title, write the clipboard or otherwise talk to the terminal is removed, so that
 * whatever a command prints can only ever show up as plain characters inside the row it was given. Bidirectional
 * formatting characters, which a terminal that does bidi would obey by drawing the text around them reordered (the
 * "Trojan Source" trick: a command that reads differently from what runs), are shown as U+FFFD instead.
 */
import { textWidth } from './width.ts';

const TAB_STOP = 8;

/**
 * Escape sequences, tried in this order. A stray introducer whose sequence is cut short is removed along with what
 * was read of it; an ESC with nothing usable after it is matched alone.
 */
const ESCAPE_SEQUENCE = new RegExp(
  [
    // Control strings (OSC, DCS, SOS, PM, APC) up to BEL or ST. Like a terminal, any other ESC also ends the string
    // (and is then read as an escape of its own); an unterminated string runs to the end of the text.
    /\u001b[\]PX^_][^]*?(?:\u0007|\u001b\\|\u009c|(?=\u001b)|$)/.source,
    // CSI, 7-bit or 8-bit: parameter bytes, intermediate bytes, and a final byte if there is one.
    /(?:\u001b\[|\u009b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?/.source,
    // Any other escape: intermediate bytes and a final byte if there is one (ESC 7, ESC ( B, ...).
    /\u001b[\x20-\x2f]*[\x30-\x7e]?/.source,
  ].join('|'),
  'g',
);

/**
 * C0 controls except tab, DEL, and C1 controls. The 8-bit introducers of control strings are not followed but
 * dropped here: that is enough to make what follows harmless, and loses less of a text that was decoded wrongly.
 */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/**
 * Bidirectional formatting characters: the Arabic letter mark, the left-to-right and right-to-left marks, the
 * embeddings and overrides with their pop, and the isolates with theirs.
 */
const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** What a bidi control is shown as, so that the reader can see that something was there. */
const REPLACEMENT = '\ufffd';

/** Anything sanitizing might change; text without it is returned as it is. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export function sanitize(text: string): string {
  if (!UNSAFE.test(text)) return text;
  const visible = afterCarriageReturn(text.replace(ESCAPE_SEQUENCE, ''))
    .replace(CONTROL, '')
    .replace(BIDI_CONTROL, REPLACEMENT);
  return visible.includes('\t') ? expandTabs(visible) : visible;
}

/** The lines of a text, each sanitized. A final newline does not start another line; an empty text has none. */
export function sanitizeLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map(sanitize);
}

/**
 * A carriage return inside a line rewinds it (progress bars redraw themselves this way): only what was written after
 * the last rewind is what a terminal would end up showing. Carriage returns at the very end rewind nothing.
 */
function afterCarriageReturn(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '\r') end -= 1;
  const trimmed = text.slice(0, end);
  return trimmed.slice(trimmed.lastIndexOf('\r') + 1);
}

function expandTabs(text: string): string {
  const parts = text.split('\t');
  let out = parts[0]!;
  let column = textWidth(out);
  for (const part of parts.slice(1)) {
    const pad = TAB_STOP - (column % TAB_STOP);
    out += ' '.repeat(pad) + part;
    column += pad + textWidth(part);
  }
  return out;
}
