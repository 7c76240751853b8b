import { describe, expect, it } from 'vitest';
import { charBoundaryAtOrAfter, charBoundaryAtOrBefore, countLines, truncateForModel } from './truncate.ts';

const numbered = (from: number, to: number): string => {
  const lines: string[] = [];
  for (let i = from; i <= to; i++) lines.push(`${i}\n`);
  return lines.join('');
};
const bytesOf = (text: string): number => Buffer.byteLength(text, 'utf8');

function splitTruncated(out: string): { header: string; head: string; marker: string; tail: string } {
  const match = /^(Total output lines: \d+)\n\n([\s\S]*)\n(\[\.\.\. omitted [^\]]*\])\n\n([\s\S]*)$/.exec(out);
  if (!match) throw new Error(`not a truncated text: ${out.slice(0, 200)}`);
  return { header: match[1]!, head: match[2]!, marker: match[3]!, tail: match[4]! };
}

describe('truncateForModel', () => {
  it('returns text within both budgets unchanged', () => {
    expect(truncateForModel('')).toBe('');
    expect(truncateForModel('hello\nworld')).toBe('hello\nworld');
    const exactlyLines = numbered(1, 256);
    expect(truncateForModel(exactlyLines)).toBe(exactlyLines);
    const exactlyBytes = 'x'.repeat(10 * 1024);
    expect(truncateForModel(exactlyBytes)).toBe(exactlyBytes);
  });

  it('keeps the first and last 128 lines when there are too many lines', () => {
    const out = truncateForModel(numbered(1, 257));
    const parts = splitTruncated(out);
    expect(parts.header).toBe('Total output lines: 257');
    expect(parts.head).toBe(numbered(1, 128));
    expect(parts.marker).toBe('[... omitted 1 of 257 lines ...]');
    expect(parts.tail).toBe(numbered(130, 257));
  });

  it('counts omitted lines of a long listing', () => {
    const parts = splitTruncated(truncateForModel(numbered(1, 1000)));
    expect(parts.header).toBe('Total output lines: 1000');
    expect(parts.marker).toBe('[... omitted 744 of 1000 lines ...]');
    expect(parts.head.startsWith('1\n2\n')).toBe(true);
    expect(parts.tail.endsWith('999\n1000\n')).toBe(true);
  });

  it('counts a last line without a newline', () => {
    const text = numbered(1, 299) + '300';
    const parts = splitTruncated(truncateForModel(text));
    expect(parts.header).toBe('Total output lines: 300');
    expect(parts.marker).toBe('[... omitted 44 of 300 lines ...]');
    expect(parts.tail.endsWith('299\n300')).toBe(true);
  });

  it('keeps at most half the byte budget for the head and the whole budget in all', () => {
    const line = 'y'.repeat(99) + '\n';
    const text = line.repeat(200);
    const parts = splitTruncated(truncateForModel(text));
    expect(parts.header).toBe('Total output lines: 200');
    expect(bytesOf(parts.head)).toBe(5120);
    expect(bytesOf(parts.head) + bytesOf(parts.tail)).toBe(10 * 1024);
    // The cuts fall inside lines, so the marker also gives bytes.
    expect(parts.marker).toBe(`[... omitted 96 of 200 lines (${20_000 - 10_240} of 20000 bytes) ...]`);
    expect(text.startsWith(parts.head)).toBe(true);
    expect(text.endsWith(parts.tail)).toBe(true);
  });

  it('honours configured budgets', () => {
    const parts = splitTruncated(truncateForModel(numbered(1, 10), { maxLines: 4 }));
    expect(parts.head).toBe('1\n2\n');
    expect(parts.tail).toBe('9\n10\n');
    expect(parts.marker).toBe('[... omitted 6 of 10 lines ...]');

    const small = splitTruncated(truncateForModel('abcdefghij'.repeat(3), { maxBytes: 10 }));
    expect(small.head).toBe('abcde');
    expect(small.tail).toBe('fghij');
    expect(small.marker).toBe('[... omitted 20 of 30 bytes ...]');
  });

  it('cuts a single enormous line by bytes', () => {
    const text = 'z'.repeat(1024 * 1024);
    const out = truncateForModel(text);
    const parts = splitTruncated(out);
    expect(parts.header).toBe('Total output lines: 1');
    expect(parts.marker).toBe(`[... omitted ${1024 * 1024 - 10 * 1024} of ${1024 * 1024} bytes ...]`);
    expect(parts.head.length + parts.tail.length).toBe(10 * 1024);
    expect(out.length).toBeLessThan(11 * 1024);
  });

  it('never cuts inside a UTF-8 character', () => {
    for (const char of ['é', '€', '😀']) {
      for (let shift = 0; shift < 4; shift++) {
        const text = 'a'.repeat(shift) + char.repeat(6000);
        const parts = splitTruncated(truncateForModel(text));
        expect(parts.head).not.toContain('\uFFFD');
        expect(parts.tail).not.toContain('\uFFFD');
        expect(text.startsWith(parts.head)).toBe(true);
        expect(text.endsWith(parts.tail)).toBe(true);
        expect(bytesOf(parts.head)).toBeLessThanOrEqual(5120);
        expect(bytesOf(parts.head) + bytesOf(parts.tail)).toBeLessThanOrEqual(10 * 1024);
        expect(bytesOf(parts.head)).toBeGreaterThan(5120 - bytesOf(char));
      }
    }
  });

  it('handles a million lines', () => {
    const parts = splitTruncated(truncateForModel(numbered(1, 1_000_000)));
    expect(parts.header).toBe('Total output lines: 1000000');
    expect(parts.marker).toBe('[... omitted 999744 of 1000000 lines ...]');
    expect(parts.tail.split('\n')[0]).toBe('999873');
  });
});

describe('character boundaries', () => {
  const euro = Buffer.from('a€b', 'utf8'); // 61 e2 82 ac 62

  it('moves a cut back to the start of a split character', () => {
    expect([0, 1, 2, 3, 4, 5].map((at) => charBoundaryAtOrBefore(euro, at))).toEqual([0, 1, 1, 1, 4, 5]);
  });

  it('moves a start forward past continuation bytes', () => {
    expect([0, 1, 2, 3, 4, 5].map((at) => charBoundaryAtOrAfter(euro, at))).toEqual([0, 1, 4, 4, 4, 5]);
  });
});

describe('countLines', () => {
  it('does not count a final newline as a line', () => {
    expect(countLines(0, 0, undefined)).toBe(0);
    expect(countLines(1, 0, 0x61)).toBe(1);
    expect(countLines(2, 1, 0x0a)).toBe(1);
    expect(countLines(3, 1, 0x62)).toBe(2);
  });
});
