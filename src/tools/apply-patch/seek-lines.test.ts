import { describe, expect, it } from 'vitest';
import { LineIndex, lineKey, normalizePunctuation, seekLines } from './seek-lines.ts';

const seek = (lines: string[], pattern: string[], first = 0, last?: number) => seekLines(new LineIndex(lines), pattern, first, last);

describe('seekLines', () => {
  it('pass 1: exact match, the first one from the start position', () => {
    const lines = ['a', 'b', 'c', 'a', 'b'];
    expect(seek(lines, ['a', 'b'])).toEqual({ type: 'found', index: 0, pass: 'exact' });
    expect(seek(lines, ['a', 'b'], 1)).toEqual({ type: 'found', index: 3, pass: 'exact' });
  });

  it('pass 2: ignores trailing whitespace', () => {
    expect(seek(['x', 'let a = 1;   ', 'y'], ['let a = 1;'])).toEqual({ type: 'found', index: 1, pass: 'trailing_whitespace' });
  });

  it('pass 3: ignores indentation and runs of blanks inside the line (tabs versus spaces)', () => {
    expect(seek(['\tif (x) {', '\t\treturn\t1;', '\t}'], ['  if (x) {', '    return 1;', '  }'])).toEqual({
      type: 'found',
      index: 0,
      pass: 'whitespace',
    });
  });

  it('pass 4: normalizes Unicode dashes, quotes and spaces to ASCII', () => {
    const file = ['const s = “quoted” – ‘x’;', 'a\u00a0b\u2011c'];
    expect(seek(file, ['const s = "quoted" - \'x\';', 'a b-c'])).toEqual({ type: 'found', index: 0, pass: 'punctuation' });
    expect(normalizePunctuation('\u2010\u2015\u2212\u201b\u201f\u3000\u202f')).toBe('---\'"  ');
  });

  it('prefers a stricter match later in the file over a tolerant one earlier', () => {
    expect(seek(['foo  ', 'x', 'foo'], ['foo'])).toEqual({ type: 'found', index: 2, pass: 'exact' });
  });

  it('does not match what differs in more than whitespace and punctuation', () => {
    expect(seek(['alpha', 'beta'], ['alpha', 'gamma'])).toEqual({ type: 'not_found' });
    expect(seek(['a'], ['a', 'b'])).toEqual({ type: 'not_found' });
  });

  it('searches only start positions in [first, last]', () => {
    const lines = ['a', 'b', 'a', 'b', 'a'];
    expect(seek(lines, ['a'], 1, 1)).toEqual({ type: 'not_found' });
    expect(seek(lines, ['a'], 4, 4)).toEqual({ type: 'found', index: 4, pass: 'exact' });
    expect(seek(lines, ['a', 'b'], 3)).toEqual({ type: 'not_found' });
  });

  it('matches an empty pattern at the start position', () => {
    expect(seek(['a'], [], 1)).toEqual({ type: 'found', index: 1, pass: 'exact' });
  });

  it('keys lines per pass', () => {
    expect(['exact', 'trailing_whitespace', 'whitespace', 'punctuation'].map((pass) => lineKey('  a \t—  b  ', pass as never))).toEqual([
      '  a \t—  b  ',
      '  a \t—  b',
      'a — b',
      'a - b',
    ]);
  });
});
