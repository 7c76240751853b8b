import { describe, expect, it } from 'vitest';
import { splitPieces, splitWords } from './text-chunks.ts';

describe('splitWords', () => {
  it('cuts after each word, keeping all whitespace, so the parts join back exactly', () => {
    for (const sample of ['Hello there, friend.', '  leading and trailing  ', 'one', 'line\nbreak\ttab', '', '   ']) {
      expect(splitWords(sample).join('')).toBe(sample);
    }
    expect(splitWords('Hello there, friend.')).toEqual(['Hello ', 'there, ', 'friend.']);
    expect(splitWords('')).toEqual(['']);
  });
});

describe('splitPieces', () => {
  it('cuts into the asked number of parts without splitting a code point', () => {
    expect(splitPieces('{"a":1}', 3)).toEqual(['{"a', '":1', '}']);
    expect(splitPieces('🙂🙂🙂', 2).join('')).toBe('🙂🙂🙂');
    expect(splitPieces('🙂🙂🙂', 2)).toEqual(['🙂🙂', '🙂']);
    expect(splitPieces('x', 3)).toEqual(['x']);
    expect(splitPieces('', 3)).toEqual(['']);
  });
});
