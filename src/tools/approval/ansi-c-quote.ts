/**
 * Decodes bash's `$'…'` quoting. It matters for safety because it is a classic way to spell a command without
 * writing it (`$'\x72m'` is `rm`), so the decoded text must be exactly what bash would run; an escape whose meaning
 * we do not reproduce (`\c`) makes the script unparsable instead of guessed.
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
      value += c;
      pos += 1;
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
      value += numeric.value;
      pos = numeric.end;
      continue;
    }
    // bash keeps an unknown escape as written.
    value += `\\${n}`;
    pos += 2;
  }
  return { type: 'error', reason: "unterminated $'…' quote" };
}

/** `at` points at the letter or digit after the backslash. */
function numericEscape(text: string, at: number): { value: string; end: number } | null | 'unsupported' {
  const n = text[at]!;
  if (n === 'c') return 'unsupported';
  if (/[0-7]/.test(n)) return digits(text, at, /[0-7]/, 3, 8, (code) => String.fromCharCode(code & 0xff));
  const hex = /[0-9a-fA-F]/;
  if (n === 'x') return digits(text, at + 1, hex, 2, 16, (code) => String.fromCharCode(code)) ?? 'unsupported';
  if (n === 'u') return digits(text, at + 1, hex, 4, 16, String.fromCodePoint) ?? 'unsupported';
  if (n === 'U') {
    const found = digits(text, at + 1, hex, 8, 16, (code) => (code <= 0x10ffff ? String.fromCodePoint(code) : ''));
    return found === null || found.value === '' ? 'unsupported' : found;
  }
  return null;
}

function digits(
  text: string,
  start: number,
  allowed: RegExp,
  max: number,
  radix: number,
  toText: (code: number) => string,
): { value: string; end: number } | null {
  let end = start;
  while (end < text.length && end - start < max && allowed.test(text[end]!)) end += 1;
  if (end === start) return null;
  return { value: toText(Number.parseInt(text.slice(start, end), radix)), end };
}
