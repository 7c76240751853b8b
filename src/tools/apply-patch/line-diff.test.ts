import { describe, expect, it } from 'vitest';
import { lineSpans } from './line-diff.ts';
import { fromText, type TextFile } from './text-file.ts';
import type { Span } from './unified-diff.ts';

const file = (...lines: string[]): TextFile => fromText(lines.map((line) => `${line}\n`).join(''), 'utf8', false);

/** Rebuilds `after` from `before` and the spans, checking that lines outside the spans are equal. */
function replay(before: TextFile, after: TextFile, spans: Span[]): string[] {
  const out: string[] = [];
  let position = 0;
  for (const span of spans) {
    expect(span.oldStart).toBeGreaterThanOrEqual(position);
    for (; position < span.oldStart; position++) out.push(before.lines[position]!);
    out.push(...after.lines.slice(span.newStart, span.newEnd));
    position = span.oldEnd;
  }
  for (; position < before.lines.length; position++) out.push(before.lines[position]!);
  return out;
}

describe('lineSpans', () => {
  it('finds separate changes as separate spans', () => {
    const before = file('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j');
    const after = file('a', 'B', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k');
    expect(lineSpans(before, after)).toEqual([
      { oldStart: 1, oldEnd: 2, newStart: 1, newEnd: 2 },
      { oldStart: 10, oldEnd: 10, newStart: 10, newEnd: 11 },
    ]);
  });

  it('is empty for equal files and one span for an addition to an empty file', () => {
    expect(lineSpans(file('a'), file('a'))).toEqual([]);
    expect(lineSpans(file(), file('a', 'b'))).toEqual([{ oldStart: 0, oldEnd: 0, newStart: 0, newEnd: 2 }]);
  });

  it('treats a changed line ending as a change', () => {
    expect(lineSpans(fromText('a\r\nb\r\n', 'utf8', false), fromText('a\r\nb\n', 'utf8', false))).toEqual([{ oldStart: 1, oldEnd: 2, newStart: 1, newEnd: 2 }]);
  });

  it('always describes the change exactly, and minimally (random edits)', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const before = Array.from({ length: random(30) }, () => 'abcde'[random(5)]!);
      const after = [...before];
      for (let edits = random(6); edits > 0; edits--) {
        const at = random(after.length + 1);
        if (random(2) === 0) after.splice(at, 1);
        else after.splice(at, 0, 'xyz'[random(3)]!);
      }
      const spans = lineSpans(file(...before), file(...after));
      expect(replay(file(...before), file(...after), spans)).toEqual(after);
      const changed = spans.reduce((sum, span) => sum + span.oldEnd - span.oldStart + span.newEnd - span.newStart, 0);
      expect(changed).toBe(before.length + after.length - 2 * lcsLength(before, after));
    }
  });

  it('falls back to one span for the middle when the versions differ too much', () => {
    const before = file('keep', ...Array.from({ length: 50 }, (_, i) => `old ${i}`), 'end');
    const after = file('keep', ...Array.from({ length: 50 }, (_, i) => `new ${i}`), 'end');
    expect(lineSpans(before, after, 10)).toEqual([{ oldStart: 1, oldEnd: 51, newStart: 1, newEnd: 51 }]);
  });
});

function lcsLength(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(row[j]!, row[j - 1]!);
      diagonal = above;
    }
  }
  return row[b.length]!;
}
