import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackwardLineReader } from './backward-line-reader.ts';
import { tempHome } from './testing/temp-home.ts';

function withFile<T>(content: string | Buffer, use: (fd: number, size: number) => T): T {
  const path = join(tempHome(), 'file');
  writeFileSync(path, content);
  const fd = openSync(path, 'r');
  try {
    return use(fd, Buffer.byteLength(content));
  } finally {
    closeSync(fd);
  }
}

function allLines(reader: BackwardLineReader): string[] {
  const lines: string[] = [];
  for (let line = reader.next(); line !== null; line = reader.next()) lines.push(line);
  return lines;
}

describe('BackwardLineReader', () => {
  it('returns complete lines from the last to the first, across many small chunks', () => {
    const content = Array.from({ length: 500 }, (_, i) => `line ${i} ${'ü'.repeat(i % 7)}`).join('\n') + '\n';
    withFile(content, (fd, size) => {
      const reader = new BackwardLineReader(fd, size, { firstChunk: 16 });
      expect(reader.trailing).toEqual({ offset: size, text: '' });
      expect(allLines(reader)).toEqual(content.split('\n').slice(0, -1).reverse());
      expect(reader.reachedStart).toBe(true);
    });
  });

  it('hands back the bytes after the last newline separately', () => {
    withFile('a\nb\ntorn', (fd, size) => {
      const reader = new BackwardLineReader(fd, size, { firstChunk: 2 });
      expect(reader.trailing).toEqual({ offset: 4, text: 'torn' });
      expect(allLines(reader)).toEqual(['b', 'a']);
    });
    withFile('only', (fd, size) => {
      const reader = new BackwardLineReader(fd, size);
      expect(reader.trailing).toEqual({ offset: 0, text: 'only' });
      expect(allLines(reader)).toEqual([]);
    });
    withFile('', (fd, size) => expect(allLines(new BackwardLineReader(fd, size))).toEqual([]));
  });

  it('keeps empty lines, and stops at the cap without returning a line that starts before it', () => {
    withFile('first\n\nsecond\n', (fd, size) => expect(allLines(new BackwardLineReader(fd, size))).toEqual(['second', '', 'first']));
    withFile(`${'x'.repeat(100)}\nabc\ndef\n`, (fd, size) => {
      const reader = new BackwardLineReader(fd, size, { maxBytes: 10, firstChunk: 4 });
      expect(allLines(reader)).toEqual(['def', 'abc']);
      expect(reader.bytesRead).toBe(10);
      expect(reader.reachedStart).toBe(false);
    });
  });
});
