import { describe, expect, it } from 'vitest';
import { continuesEmoji, GraphemeWalk, graphemeEnd, graphemeStartBefore, graphemeWidth } from './grapheme.ts';
import { textWidth } from './width.ts';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Where each cluster of `text` ends, as the segmenter finds them segmenting the whole text. */
function segmentEnds(text: string): number[] {
  return [...segmenter.segment(text)].map(({ index, segment }) => index + segment.length);
}

/** Where each cluster ends, as a walk from the start finds them. */
function walkEnds(text: string): number[] {
  const walk = new GraphemeWalk(text, text.length);
  const ends: number[] = [];
  for (let at = 0; at < text.length; ) {
    const run = walk.asciiRun(at);
    if (run > at) {
      for (let index = at + 1; index <= run; index += 1) ends.push(index);
      at = run;
      continue;
    }
    at = walk.endOf(at);
    ends.push(at);
  }
  return ends;
}

/** Pieces whose neighbours decide how they join: emoji with VS16, skin tones and ZWJ, flags, marks, Indic, Hangul. */
const PIECES = [
  'a', 'Z', ' ', '.', 'é', 'e\u0301', '中', 'あ', '😀', '⚠', '⚠️', '\ufe0f', '👍', '🏽', '👍🏽', '\u200d', '👩', '🇫', '🇷',
  '🇫🇷', 'क', '\u094d', 'ष', 'ก', '\u0e33', '\u0600', '\u1100', '\u1161', '\u11a8', '한', '1', '\u20e3', 'x\u0301\u0302',
];

/** Texts of `count` random pieces, the same on every run (a linear congruential generator). */
function randomTexts(seed: number, texts: number, count: number): string[] {
  let state = seed >>> 0;
  const next = (below: number): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * below);
  };
  return Array.from({ length: texts }, () => Array.from({ length: count }, () => PIECES[next(PIECES.length)]).join(''));
}

describe('clusters', () => {
  it('are the ones the segmenter finds in the whole text, walking forward or looking back', () => {
    for (const text of [...randomTexts(3, 400, 24), ...randomTexts(5, 20, 400)]) {
      const ends = segmentEnds(text);
      expect(walkEnds(text), JSON.stringify(text)).toEqual(ends);
      const starts = [0, ...ends.slice(0, -1)];
      ends.forEach((end, index) => expect(graphemeStartBefore(text, 0, end), JSON.stringify(text)).toBe(starts[index]));
    }
  });

  it('keep an emoji with its VS16 or skin tone, and a flag, whole, also at the end of the text', () => {
    expect(walkEnds('⚠️ 👍🏽x🇫🇷🇩🇪')).toEqual([2, 3, 7, 8, 12, 16]);
    expect(graphemeEnd('🇫🇷🇩', 0)).toBe(4);
    expect(graphemeEnd('🇫🇷🇩', 4)).toBe(6);
    // A skin tone after a letter joins it as well (it is an extending character), though it is drawn apart.
    expect(graphemeEnd('a🏽b', 0)).toBe(3);
    expect(graphemeEnd('👩\u200d👩 x', 0)).toBe(5);
  });
});

describe('graphemeWidth', () => {
  it('gives a cluster its base character’s width, or 2 when the rest makes an emoji of it', () => {
    expect(graphemeWidth('e\u0301')).toBe(1);
    expect(graphemeWidth('中')).toBe(2);
    expect(graphemeWidth('⚠️')).toBe(2);
    expect(graphemeWidth('☝🏽')).toBe(2);
    expect(graphemeWidth('🇫🇷')).toBe(2);
    expect(graphemeWidth('1️⃣')).toBe(2);
  });

  it('adds what joined characters with a width of their own take, erring wide', () => {
    expect(graphemeWidth('👨‍👩‍👧')).toBe(6);
    expect(graphemeWidth('a🏽')).toBe(3);
    expect(graphemeWidth('ก\u0e33')).toBe(2);
  });

  it('measures a slice of a longer text without looking past it', () => {
    expect(graphemeWidth('x⚠️y', 1, 3)).toBe(2);
    expect(graphemeWidth('ab中', 2, 3)).toBe(2);
  });

  it('adds up over the clusters of any text to its width', () => {
    for (const text of randomTexts(11, 300, 20)) {
      const ends = segmentEnds(text);
      const sum = ends.reduce((total, end, index) => total + graphemeWidth(text, index === 0 ? 0 : ends[index - 1]!, end), 0);
      expect(sum, JSON.stringify(text)).toBe(textWidth(text));
    }
  });
});

describe('continuesEmoji', () => {
  it('tells the half of an emoji that is counted with the character before it', () => {
    expect(continuesEmoji('👍🏽', 2)).toBe(true);
    expect(continuesEmoji('a🏽', 1)).toBe(false);
    expect(continuesEmoji('🇫🇷🇩🇪', 2)).toBe(true);
    expect(continuesEmoji('🇫🇷🇩🇪', 4)).toBe(false);
    expect(continuesEmoji('⚠️', 1)).toBe(false);
    expect(continuesEmoji('🏽', 0)).toBe(false);
  });
});
