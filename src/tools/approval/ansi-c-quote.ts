/**
 * Decodes bash's `$'…'` quoting. It matters for safety because it is a classic way to spell a command without
 * writing it (`$'\x72m'` is `rm`), so the decoded text must be exactly what bash would run; an escape whose meaning
 * we do not reproduce makes the script unparsable instead of guessed: `\c`, a NUL (bash cuts the word there), and
 * any numeric escape above 0x7f (`\xff` is a raw byte, not U+00FF, and `\u00e9` depends on the locale).
 */

export type AnsiCResult = { type: 'ok'; value: string; end: number } | { type: 'error'; reason: string };

const SIMPLE: Record<string, string> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** `start` is the index just after `$'`; `end` in the result is the index just after the closing quote. */
export function decodeAnsiC(text: string, start: number): AnsiCResult {
  let value = '';
  let pos = start;
  while (pos < text.length) {
    const c = text[pos]!;
    if (c === "'") return { type: 'ok', value, end: pos + 1 };
    if (c !== '\\') {
      // The plain run up to the next quote or backslash, in one piece.
      let end = pos + 1;
      while (end < text.length && text[end] !== "'" && text[end] !== '\\') end += 1;
      value += text.slice(pos, end);
      pos = end;
      continue;
    }
    const n = text[pos + 1];
    if (n === undefined) break;
    if (n in SIMPLE) {
      value += SIMPLE[n];
      pos += 2;
      continue;
    }
    const numeric = numericEscape(text, pos + 1);
    if (numeric === 'unsupported') return { type: 'error', reason: `the escape \\${n} in $'…' is not analysed` };
    if (numeric !== null) {
      if (numeric.code === 0 || numeric.code > 0x7f) return { type: 'error', reason: `the escape ${text.slice(pos, numeric.end)} in $'…' is not analysed` };
      value += String.fromCharCode(numeric.code);
      pos = numeric.end;
      continue;
    }
    // bash keeps an unknown escape as written.
    value += `\\${n}`;
    pos += 2;
  }
  return { type: 'error', reason: "unterminated $'…' quote" };
}

/** `at` points at the letter or digit after the backslash; `code` is the byte (octal, `\x`) or code point (`\u`, `\U`). */
function numericEscape(text: string, at: number): { code: number; end: number } | null | 'unsupported' {
  const n = text[at]!;
  if (n === 'c') return 'unsupported';
  if (n >= '0' && n <= '7') {
    const found = digits(text, at, 8, 3)!;
    return { code: found.code & 0xff, end: found.end };
  }
  if (n === 'x') return digits(text, at + 1, 16, 2) ?? 'unsupported';
  if (n === 'u') return digits(text, at + 1, 16, 4) ?? 'unsupported';
  if (n === 'U') return digits(text, at + 1, 16, 8) ?? 'unsupported';
  return null;
}

function digits(text: string, start: number, radix: 8 | 16, max: number): { code: number; end: number } | null {
  let end = start;
  while (end < text.length && end - start < max && Number.isInteger(Number.parseInt(text[end]!, radix))) end += 1;
  if (end === start) return null;
  return { code: Number.parseInt(text.slice(start, end), radix), end };
}
