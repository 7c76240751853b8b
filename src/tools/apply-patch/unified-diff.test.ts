import { describe, expect, it } from 'vitest';
import { fromText } from './text-file.ts';
import { coarseSpans, unifiedDiff } from './unified-diff.ts';

const text = (value: string) => fromText(value, 'utf8', false);
const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => `l${from + index}\n`).join('');

describe('unifiedDiff', () => {
  it('writes headers and hunks with 3 lines of context', () => {
    const before = text(numbered(1, 10));
    const after = text(numbered(1, 10).replace('l5\n', 'L5\n'));
    expect(unifiedDiff(before, after, [{ oldStart: 4, oldEnd: 5, newStart: 4, newEnd: 5 }], 'a.txt', 'a.txt')).toBe(
      ['--- a/a.txt', '+++ b/a.txt', '@@ -2,7 +2,7 @@', ' l2', ' l3', ' l4', '-l5', '+L5', ' l6', ' l7', ' l8', ''].join('\n'),
    );
  });

  it('merges changes whose context overlaps into one hunk and keeps distant ones apart', () => {
    const before = text(numbered(1, 30));
    const after = text(numbered(1, 30).replace('l3\n', 'X\n').replace('l9\n', 'Y\n').replace('l25\n', 'Z\n'));
    const spans = [2, 8, 24].map((line) => ({ oldStart: line, oldEnd: line + 1, newStart: line, newEnd: line + 1 }));
    const headers = unifiedDiff(before, after, spans, 'f', 'f')
      .split('\n')
      .filter((line) => line.startsWith('@@'));
    expect(headers).toEqual(['@@ -1,12 +1,12 @@', '@@ -22,7 +22,7 @@']);
  });

  it('names the line before an empty range, as unified diffs do', () => {
    const diff = unifiedDiff(text(''), text('a\n'), [{ oldStart: 0, oldEnd: 0, newStart: 0, newEnd: 1 }], 'f', 'f');
    expect(diff).toBe('--- a/f\n+++ b/f\n@@ -0,0 +1,1 @@\n+a\n');
    const removed = unifiedDiff(text('a\nb\n'), text('a\n'), [{ oldStart: 1, oldEnd: 2, newStart: 1, newEnd: 1 }], 'f', 'f');
    expect(removed).toBe('--- a/f\n+++ b/f\n@@ -1,2 +1,1 @@\n a\n-b\n');
  });

  it('shows the final line break added to a file that lacked one', () => {
    const diff = unifiedDiff(text('a\nb'), text('a\nb\nc\n'), [{ oldStart: 2, oldEnd: 2, newStart: 2, newEnd: 3 }], 'f', 'f');
    expect(diff).toBe('--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n');
  });

  it('labels a move with both paths and is empty when nothing changed', () => {
    const diff = unifiedDiff(text('x\n'), text('y\n'), coarseSpans(text('x\n'), text('y\n')), 'old/name.txt', 'new/name.txt');
    expect(diff.split('\n').slice(0, 2)).toEqual(['--- a/old/name.txt', '+++ b/new/name.txt']);
    expect(unifiedDiff(text('x\n'), text('x\n'), [], 'f', 'f')).toBe('');
  });
});

describe('coarseSpans', () => {
  it('covers what lies between the common prefix and suffix, line endings included', () => {
    expect(coarseSpans(text('a\nb\nc\n'), text('a\nB\nB2\nc\n'))).toEqual([{ oldStart: 1, oldEnd: 2, newStart: 1, newEnd: 3 }]);
    expect(coarseSpans(text('a\nb'), text('a\nb\n'))).toEqual([{ oldStart: 1, oldEnd: 2, newStart: 1, newEnd: 2 }]);
    expect(coarseSpans(text('a\n'), text('a\n'))).toEqual([]);
  });
});
