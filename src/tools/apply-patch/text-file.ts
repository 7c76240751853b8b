/**
 * A file's bytes as lines, in a form that turns back into the same bytes: each line keeps its own ending, and the
 * encoding and byte-order mark are remembered. This is what lets a patch change three lines of a CRLF, BOM-prefixed
 * or Latin-1 file without touching a byte of the rest. Pure.
 */
import { isUtf8 } from 'node:buffer';

/**
 * `latin1` is the fallback for bytes that are not UTF-8: it maps every byte to one character and back, so untouched
 * bytes survive exactly whatever the real 8-bit encoding is.
 */
export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'latin1';

export interface TextFile {
  encoding: TextEncoding;
  bom: boolean;
  /** Line texts without their endings. A file ending in a line break has no empty last line here. */
  lines: string[];
  /** `eols[i]` ends `lines[i]`: '\n', '\r\n', '\r', or '' for a last line without a line break. */
  eols: string[];
}

export type DecodeResult = { type: 'text'; file: TextFile } | { type: 'binary'; reason: string };

export type EncodeResult =
  | { type: 'encoded'; bytes: Uint8Array }
  /** A character the file's 8-bit encoding cannot hold; `line` is 1-based. */
  | { type: 'unencodable'; line: number; char: string };

const UTF8_BOM = [0xef, 0xbb, 0xbf];

export function decodeText(bytes: Uint8Array): DecodeResult {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return decodeUtf16(buffer, 'utf16le');
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return decodeUtf16(buffer, 'utf16be');
  // Text files do not contain NUL bytes; editing one that does would be editing binary data as if it were text.
  if (buffer.indexOf(0) !== -1) return { type: 'binary', reason: 'it contains NUL bytes (a binary file)' };
  const bom = UTF8_BOM.every((byte, index) => buffer[index] === byte);
  const body = bom ? buffer.subarray(3) : buffer;
  // Not UTF-8: fall back to the byte-preserving reading described on `TextEncoding`.
  if (!isUtf8(body)) return { type: 'text', file: fromText(buffer.toString('latin1'), 'latin1', false) };
  return { type: 'text', file: fromText(body.toString('utf8'), 'utf8', bom) };
}

function decodeUtf16(buffer: Buffer, encoding: 'utf16le' | 'utf16be'): DecodeResult {
  if (buffer.length % 2 !== 0) return { type: 'binary', reason: 'it starts with a UTF-16 byte-order mark but has an odd length' };
  const body = Buffer.from(buffer.subarray(2));
  if (encoding === 'utf16be') body.swap16();
  return { type: 'text', file: fromText(body.toString('utf16le'), encoding, true) };
}

export function fromText(text: string, encoding: TextEncoding, bom: boolean): TextFile {
  const { lines, eols } = splitLines(text);
  return withKnownText({ encoding, bom, lines, eols }, text);
}

/**
 * The joined text of files whose text is already at hand (decoded files, spliced files), so encoding a 100,000-line
 * file is one string copy rather than a join of every line. Keyed by object: `TextFile`s are never mutated, and a
 * copy made with different lines is a different object, so a cached text can never be stale.
 */
const knownTexts = new WeakMap<TextFile, string>();

/** Records that `text` is exactly `file`'s lines and endings joined; returns `file`. */
export function withKnownText(file: TextFile, text: string): TextFile {
  knownTexts.set(file, text);
  return file;
}

/** Splits on LF, CRLF and lone CR alike, keeping each ending. */
export function splitLines(text: string): { lines: string[]; eols: string[] } {
  if (text === '') return { lines: [], eols: [] };
  if (!text.includes('\r')) {
    // The common case, several times faster than the general split below on large files.
    const lines = text.split('\n');
    const eols: string[] = new Array<string>(lines.length).fill('\n');
    if (lines[lines.length - 1] === '') {
      lines.pop();
      eols.pop();
    } else {
      eols[eols.length - 1] = '';
    }
    return { lines, eols };
  }
  const lines: string[] = [];
  const eols: string[] = [];
  // With a capturing group, split alternates text and separator: [line, eol, line, eol, ..., rest].
  const parts = text.split(/(\r\n|\r|\n)/);
  for (let index = 0; index + 1 < parts.length; index += 2) {
    lines.push(parts[index]!);
    eols.push(parts[index + 1]!);
  }
  const rest = parts[parts.length - 1]!;
  if (rest !== '') {
    lines.push(rest);
    eols.push('');
  }
  return { lines, eols };
}

/** The ending new lines get: the file's first line break, or LF in a file that has none. */
export function defaultEol(file: TextFile): string {
  for (const eol of file.eols) if (eol !== '') return eol;
  return '\n';
}

/** The file's text as a string (without BOM), as shown in events and diffs. */
export function textOf(file: TextFile): string {
  const known = knownTexts.get(file);
  if (known !== undefined) return known;
  const { lines, eols } = file;
  const count = lines.length;
  if (count === 0) return '';
  // One join when every line but the last shares an ending: a flat string, no per-line concatenation.
  const eol = eols[0]!;
  let uniform = true;
  for (let index = 1; index < count - 1 && uniform; index++) uniform = eols[index] === eol;
  if (uniform) return lines.join(eol) + eols[count - 1]!;
  const parts = new Array<string>(count * 2);
  for (let index = 0; index < count; index++) {
    parts[2 * index] = lines[index]!;
    parts[2 * index + 1] = eols[index]!;
  }
  return parts.join('');
}

export function encodeText(file: TextFile): EncodeResult {
  const text = textOf(file);
  switch (file.encoding) {
    case 'utf8': {
      const body = Buffer.from(text, 'utf8');
      return { type: 'encoded', bytes: file.bom ? Buffer.concat([Buffer.from(UTF8_BOM), body]) : body };
    }
    case 'utf16le':
    case 'utf16be': {
      const body = Buffer.from(text, 'utf16le');
      if (file.encoding === 'utf16be') body.swap16();
      const bom = file.encoding === 'utf16le' ? [0xff, 0xfe] : [0xfe, 0xff];
      return { type: 'encoded', bytes: Buffer.concat([Buffer.from(bom), body]) };
    }
    case 'latin1': {
      const outside = /[^\u0000-\u00ff]/u.exec(text);
      if (outside) {
        const line = text.slice(0, outside.index).split(/\r\n|\r|\n/).length;
        return { type: 'unencodable', line, char: outside[0] };
      }
      return { type: 'encoded', bytes: Buffer.from(text, 'latin1') };
    }
  }
}
