import { describe, expect, it } from 'vitest';
import type { Line } from './styled.ts';
import { line, plainText, span } from './styled.ts';
import { textWidth } from './width.ts';
import { lineWidth, truncateLine, wrapLine, wrapLines } from './wrap.ts';

const rows = (target: Line, width: number): string[] => wrapLine(target, width).map(plainText);

describe('wrapLine', () => {
  it('keeps a line that fits as one row, without its indent', () => {
    expect(wrapLine({ spans: [span('short')], indent: 2 }, 10)).toEqual([{ spans: [span('short')] }]);
  });

  it('gives exactly one empty row for an empty line', () => {
    expect(wrapLine(line(), 10)).toEqual([{ spans: [] }]);
    expect(wrapLine(line(''), 10).map(plainText)).toEqual(['']);
  });

  it('breaks at spaces and drops the spaces at the break', () => {
    expect(rows(line('the quick brown fox jumps'), 10)).toEqual(['the quick', 'brown fox', 'jumps']);
    expect(rows(line('aaaa bbbb'), 4)).toEqual(['aaaa', 'bbbb']);
    expect(rows(line('word     next'), 6)).toEqual(['word', 'next']);
    expect(rows(line('abc   '), 3)).toEqual(['abc']);
  });

  it('keeps spaces that are not at a break', () => {
    expect(rows(line('  indented text here'), 12)).toEqual(['  indented', 'text here']);
  });

  it('cuts a word longer than a row', () => {
    expect(rows(line('abcdefghij'), 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(rows(line('hi abcdefghij'), 4)).toEqual(['hi', 'abcd', 'efgh', 'ij']);
    expect(rows(line('      '), 4)).toEqual(['    ', '  ']);
  });

  it('treats a width below one as one', () => {
    expect(rows(line('abc'), 0)).toEqual(['a', 'b', 'c']);
    expect(rows(line('ab'), -5)).toEqual(['a', 'b']);
  });

  it('hangs rows after the first by the indent', () => {
    const item: Line = { spans: [span('• '), span('one two three four')], indent: 2 };
    expect(rows(item, 10)).toEqual(['• one two', '  three', '  four']);
    for (const row of wrapLine(item, 10)) expect(row.indent).toBeUndefined();
  });

  it('ignores an indent of more than half the row', () => {
    expect(rows({ spans: [span('aaa bbb ccc')], indent: 3 }, 5)).toEqual(['aaa', 'bbb', 'ccc']);
    expect(rows({ spans: [span('aaa bbb ccc')], indent: 2 }, 5)).toEqual(['aaa', '  bbb', '  ccc']);
  });

  it('keeps each span’s style, splitting spans across rows', () => {
    const bold = { bold: true };
    const red = { color: 'red' as const };
    const result = wrapLine(line('plain ', span('bold words here', bold), span(' red', red)), 10);
    expect(result).toEqual([
      { spans: [span('plain '), span('bold', bold)] },
      { spans: [span('words here', bold)] },
      { spans: [span('red', red)] },
    ]);
  });

  it('breaks inside a word that spans several styles', () => {
    const result = wrapLine(line(span('ab', { bold: true }), span('cdef', { italic: true })), 3);
    expect(result).toEqual([
      { spans: [span('ab', { bold: true }), span('c', { italic: true })] },
      { spans: [span('def', { italic: true })] },
    ]);
  });

  it('counts wide characters and never splits them', () => {
    expect(rows(line('中文字符串'), 4)).toEqual(['中文', '字符', '串']);
    expect(rows(line('a中文'), 4)).toEqual(['a中', '文']);
    expect(rows(line('😀😀 😀'), 4)).toEqual(['😀😀', '😀']);
  });

  it('keeps combining marks with their base character', () => {
    expect(rows(line('abce\u0301fg'), 4)).toEqual(['abce\u0301', 'fg']);
  });

  it('gives a character too wide for the row a row of its own, dropping the indent for it', () => {
    expect(rows(line('中文'), 1)).toEqual(['中', '文']);
    expect(rows({ spans: [span('a中文')], indent: 1 }, 2)).toEqual(['a', '中', '文']);
  });

  it('produces rows no wider than the width for mixed text', () => {
    const text = 'Lorem ipsum dolor 中文 sit amet, consectetur😀 adipiscing elit, sed do eiusmod tempor incididunt';
    for (const width of [2, 3, 5, 7, 11, 20, 40]) {
      const result = wrapLine({ spans: [span(text)], indent: 1 }, width);
      for (const row of result) expect(textWidth(plainText(row))).toBeLessThanOrEqual(width);
      expect(result.map(plainText).join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    }
  });

  // How fast: bench/tui-render.bench.ts.
  it('wraps long lines whole', () => {
    const words = 'streaming text arrives in small pieces and is wrapped on every frame '.repeat(1500);
    const solid = 'x'.repeat(100_000);
    const wrapped = wrapLine(line(words), 80);
    const cut = wrapLine(line(solid), 80);
    expect(cut).toHaveLength(1250);
    expect(wrapped.length).toBeGreaterThan(1250);
    expect(wrapped.map((row) => plainText(row).trim()).join(' ').replace(/ +/g, ' ')).toBe(words.trim());
  });
});

describe('wrapLine with a padded label', () => {
  it('does not break inside the first row\'s indentation', () => {
    const labelled: Line = { spans: [span('  Log        ', { dim: true }), span('/a/very/long/path/that/does/not/fit')], indent: 13 };
    const rows = wrapLine(labelled, 30).map(plainText);
    expect(rows[0]).toBe('  Log        /a/very/long/path');
    expect(rows.slice(1)).toEqual(['             /that/does/not/fi', '             t']);
    expect(rows.every((row) => textWidth(row) <= 30)).toBe(true);
  });
});

describe('wrapLines', () => {
  it('wraps every line in order', () => {
    expect(wrapLines([line('aa bb'), line(), line('cc')], 2).map(plainText)).toEqual(['aa', 'bb', '', 'cc']);
    expect(wrapLines([], 10)).toEqual([]);
  });
});

describe('truncateLine', () => {
  it('keeps a line that fits', () => {
    expect(truncateLine(line('abc'), 3)).toEqual(line('abc'));
    expect(truncateLine(line(), 0)).toEqual(line());
  });

  it('ends a cut line with an ellipsis in the style of the cut span', () => {
    const bold = { bold: true };
    expect(truncateLine(line('abcdef'), 4)).toEqual(line('abc', '…'));
    expect(truncateLine(line('ab', span('cdef', bold)), 4)).toEqual(line('ab', span('c', bold), span('…', bold)));
    expect(truncateLine(line('abc', span('def', bold)), 4)).toEqual(line('abc', span('…', bold)));
  });

  it('does not split a wide character', () => {
    const result = truncateLine(line('中文字'), 4);
    expect(plainText(result)).toBe('中…');
    expect(lineWidth(result)).toBe(3);
  });

  it('handles the smallest widths', () => {
    expect(plainText(truncateLine(line('abc'), 1))).toBe('…');
    expect(truncateLine(line('abc'), 0)).toEqual(line());
  });
});

describe('lineWidth', () => {
  it('sums the columns of every span', () => {
    expect(lineWidth(line('ab', span('中', { bold: true }), ''))).toBe(4);
    expect(lineWidth(line())).toBe(0);
  });
});
