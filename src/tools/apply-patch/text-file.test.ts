import { describe, expect, it } from 'vitest';
import { decodeText, defaultEol, encodeText, splitLines, type TextFile } from './text-file.ts';

function decoded(bytes: Uint8Array | string): TextFile {
  const result = decodeText(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
  if (result.type !== 'text') throw new Error(result.reason);
  return result.file;
}

function roundTrip(bytes: Buffer): Buffer {
  const encoded = encodeText(decoded(bytes));
  if (encoded.type !== 'encoded') throw new Error('unencodable');
  return Buffer.from(encoded.bytes);
}

describe('splitLines', () => {
  it('keeps each line ending: LF, CRLF and lone CR', () => {
    expect(splitLines('a\r\nb\rc\nd')).toEqual({ lines: ['a', 'b', 'c', 'd'], eols: ['\r\n', '\r', '\n', ''] });
  });

  it('has no empty last line for a final line break, and no lines for an empty file', () => {
    expect(splitLines('a\n')).toEqual({ lines: ['a'], eols: ['\n'] });
    expect(splitLines('a\n\n')).toEqual({ lines: ['a', ''], eols: ['\n', '\n'] });
    expect(splitLines('')).toEqual({ lines: [], eols: [] });
  });
});

describe('decodeText / encodeText', () => {
  it('round-trips every byte of LF, CRLF, CR and mixed files, with or without a final newline', () => {
    for (const text of ['a\nb\n', 'a\r\nb\r\n', 'a\rb\r', 'one\r\ntwo\rthree\nfour\r\n', 'no newline', '\n\n', '']) {
      expect(roundTrip(Buffer.from(text)).toString('utf8')).toBe(text);
    }
  });

  it('keeps a UTF-8 BOM out of the text and puts it back', () => {
    const bytes = Buffer.from('\ufeffhello\r\n', 'utf8');
    const file = decoded(bytes);
    expect(file).toMatchObject({ encoding: 'utf8', bom: true, lines: ['hello'] });
    expect(roundTrip(bytes).equals(bytes)).toBe(true);
  });

  it('reads UTF-16 files with a BOM, little and big endian', () => {
    const little = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo\r\nwörld\r\n', 'utf16le')]);
    const big = Buffer.from(little);
    big.swap16();
    expect(decoded(little)).toMatchObject({ encoding: 'utf16le', bom: true, lines: ['héllo', 'wörld'] });
    expect(decoded(big)).toMatchObject({ encoding: 'utf16be', bom: true, lines: ['héllo', 'wörld'] });
    expect(roundTrip(little).equals(little)).toBe(true);
    expect(roundTrip(big).equals(big)).toBe(true);
  });

  it('reads bytes that are not UTF-8 one byte per character, so they come back unchanged', () => {
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a, 0x93, 0x71, 0x94, 0x0a]);
    expect(decoded(latin1)).toMatchObject({ encoding: 'latin1', lines: ['café', '\u0093q\u0094'] });
    expect(roundTrip(latin1).equals(latin1)).toBe(true);
  });

  it('refuses to write a character an 8-bit file cannot hold', () => {
    const file = decoded(Buffer.from([0xe9, 0x0a]));
    expect(encodeText({ ...file, lines: ['é', 'ok ✅'], eols: ['\n', '\n'] })).toEqual({ type: 'unencodable', line: 2, char: '✅' });
  });

  it('treats files with NUL bytes as binary', () => {
    expect(decodeText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))).toMatchObject({ type: 'binary' });
  });
});

describe('defaultEol', () => {
  it("is the file's first line break, or LF when it has none", () => {
    expect(defaultEol(decoded('a\r\nb\n'))).toBe('\r\n');
    expect(defaultEol(decoded('a\rb\r\n'))).toBe('\r');
    expect(defaultEol(decoded('single line'))).toBe('\n');
  });
});
