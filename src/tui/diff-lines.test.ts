import { describe, expect, it } from 'vitest';
import { diffLines, fileChangeLines } from './diff-lines.ts';
import type { Line, SpanStyle } from '../util/text/styled.ts';
import { plainText } from '../util/text/styled.ts';

const BOLD: SpanStyle = { bold: true };
const GREEN: SpanStyle = { color: 'green' };
const RED: SpanStyle = { color: 'red' };
const CYAN: SpanStyle = { color: 'cyan' };
const DIM: SpanStyle = { dim: true };

const DIFF = [
  'diff --git a/src/app.ts b/src/app.ts',
  'index 3b18e51..a9c2f11 100644',
  '--- a/src/app.ts',
  '+++ b/src/app.ts',
  '@@ -1,4 +1,4 @@ function main() {',
  ' keep',
  '-old',
  '--- a removed SQL comment',
  '+new',
  '+++ an added counter',
  ' end',
  '\\ No newline at end of file',
].join('\n');

describe('diffLines', () => {
  it('colours headers, hunk headers, additions, removals, context and notes', () => {
    expect(diffLines(DIFF)).toEqual<Line[]>([
      { spans: [{ text: 'diff --git a/src/app.ts b/src/app.ts', style: BOLD }] },
      { spans: [{ text: 'index 3b18e51..a9c2f11 100644', style: BOLD }] },
      { spans: [{ text: '--- a/src/app.ts', style: BOLD }] },
      { spans: [{ text: '+++ b/src/app.ts', style: BOLD }] },
      { spans: [{ text: '@@ -1,4 +1,4 @@', style: CYAN }, { text: ' function main() {' }] },
      { spans: [{ text: ' keep' }] },
      { spans: [{ text: '-old', style: RED }] },
      { spans: [{ text: '--- a removed SQL comment', style: RED }] },
      { spans: [{ text: '+new', style: GREEN }] },
      { spans: [{ text: '+++ an added counter', style: GREEN }] },
      { spans: [{ text: ' end' }] },
      { spans: [{ text: '\\ No newline at end of file', style: DIM }] },
    ]);
  });

  it('recognizes the next file’s header once a hunk’s counts run out', () => {
    const styles = diffLines('@@ -1 +1 @@\n-a\n+b\n--- a/next\n+++ b/next\n@@ -0,0 +1 @@\n+c').map((row) => row.spans[0]!.style);
    expect(styles).toEqual([CYAN, RED, GREEN, BOLD, BOLD, CYAN, GREEN]);
  });

  it('keeps a hunk without counts open until the next hunk or file', () => {
    const styles = diffLines('@@\n--- x\n+++ y\n@@ fn\n-a\ndiff --git a/b b/b\n--- a/b').map((row) => row.spans[0]!.style);
    expect(styles).toEqual([CYAN, RED, GREEN, CYAN, RED, BOLD, BOLD]);
  });

  it('caps the lines and says how many were left out', () => {
    const diff = ['@@ -1,5 +1,0 @@', '-1', '-2', '-3', '-4', '-5'].join('\n');
    expect(diffLines(diff, 3).map(plainText)).toEqual(['@@ -1,5 +1,0 @@', '-1', '-2', '… 3 more lines']);
    expect(diffLines(diff, 5).at(-1)).toEqual({ spans: [{ text: '… 1 more line', style: DIM }] });
    expect(diffLines(diff, 6)).toHaveLength(6);
    expect(diffLines(diff, 0).map(plainText)).toEqual(['… 6 more lines']);
  });

  it('gives nothing for an empty diff', () => {
    expect(diffLines('')).toEqual([]);
  });

  it('sanitizes content', () => {
    const rows = diffLines('@@ -1 +1 @@\n-\u001b[31mred\u001b[0m\n+\ttab\r\n');
    expect(rows.map(plainText)).toEqual(['@@ -1 +1 @@', '-red', '+       tab']);
  });
});

describe('fileChangeLines', () => {
  it('shows an added file with its content as green lines', () => {
    expect(fileChangeLines('src/new.ts', { type: 'add', content: 'one\ntwo\n' })).toEqual<Line[]>([
      { spans: [{ text: 'A', style: { bold: true, color: 'green' } }, { text: ' src/new.ts (+2)', style: BOLD }] },
      { spans: [{ text: '  ' }, { text: '+one', style: GREEN }] },
      { spans: [{ text: '  ' }, { text: '+two', style: GREEN }] },
    ]);
  });

  it('shows an empty added file with no body', () => {
    expect(fileChangeLines('empty', { type: 'add', content: '' }).map(plainText)).toEqual(['A empty (+0)']);
  });

  it('shows a deleted file as a header only', () => {
    expect(fileChangeLines('old.txt', { type: 'delete', content: 'a\nb\nc' })).toEqual<Line[]>([
      { spans: [{ text: 'D', style: { bold: true, color: 'red' } }, { text: ' old.txt (-3)', style: BOLD }] },
    ]);
  });

  it('shows an update with its counts and the diff without the file header', () => {
    const lines = fileChangeLines('src/app.ts', { type: 'update', unified_diff: DIFF, move_path: null });
    expect(lines[0]).toEqual({ spans: [{ text: 'M', style: BOLD }, { text: ' src/app.ts (+2 -2)', style: BOLD }] });
    expect(lines.slice(1).map(plainText)).toEqual([
      '  @@ -1,4 +1,4 @@ function main() {',
      '   keep',
      '  -old',
      '  --- a removed SQL comment',
      '  +new',
      '  +++ an added counter',
      '   end',
      '  \\ No newline at end of file',
    ]);
    for (const row of lines.slice(1)) expect(row.spans[0]).toEqual({ text: '  ' });
  });

  it('names the new path of a moved file', () => {
    const change = { type: 'update', unified_diff: '@@ -1 +1 @@\n-a\n+b\n', move_path: 'b.ts' } as const;
    expect(plainText(fileChangeLines('a.ts', change)[0]!)).toBe('R a.ts → b.ts (+1 -1)');
    const pureMove = fileChangeLines('a.ts', { type: 'update', unified_diff: '', move_path: 'b.ts' });
    expect(pureMove.map(plainText)).toEqual(['R a.ts → b.ts (+0 -0)']);
  });

  it('caps the body, counting every line in the header', () => {
    const content = Array.from({ length: 50 }, (_, index) => `line ${index}`).join('\n');
    const added = fileChangeLines('big', { type: 'add', content }, 10);
    expect(plainText(added[0]!)).toBe('A big (+50)');
    expect(added).toHaveLength(12);
    expect(plainText(added.at(-1)!)).toBe('  … 40 more lines');

    const diff = `--- a/big\n+++ b/big\n@@ -0,0 +1,50 @@\n${content.replace(/^/gm, '+')}`;
    const updated = fileChangeLines('big', { type: 'update', unified_diff: diff, move_path: null }, 10);
    expect(plainText(updated[0]!)).toBe('M big (+50 -0)');
    expect(updated).toHaveLength(12);
    expect(plainText(updated.at(-1)!)).toBe('  … 41 more lines');
  });

  it('sanitizes paths', () => {
    const header = fileChangeLines('evil\u001b]0;x\u0007.ts', { type: 'delete', content: '' })[0]!;
    expect(plainText(header)).toBe('D evil.ts (-0)');
  });
});
