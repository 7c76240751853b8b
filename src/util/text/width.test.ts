import { describe, expect, it } from 'vitest';
import { charWidth, fitEnd, sliceByWidth, textWidth } from './width.ts';
import { wrapLine } from './wrap.ts';

const cp = (character: string): number => character.codePointAt(0)!;

describe('charWidth', () => {
  it('gives one column to ASCII and Latin letters', () => {
    for (const character of ['a', 'Z', ' ', '~', 'é', 'ß', 'Ω', 'Ж', '→', '…']) expect(charWidth(cp(character))).toBe(1);
  });

  it('gives no columns to combining marks, joiners and variation selectors', () => {
    expect(charWidth(0x0301)).toBe(0); // combining acute accent (Mn)
    expect(charWidth(0x20dd)).toBe(0); // combining enclosing circle (Me)
    expect(charWidth(0x200d)).toBe(0); // zero-width joiner
    expect(charWidth(0x200b)).toBe(0); // zero-width space
    expect(charWidth(0xfe0f)).toBe(0); // variation selector 16
    expect(charWidth(0xe0100)).toBe(0); // variation selector 17
    expect(charWidth(0x3099)).toBe(0); // combining kana voiced mark, inside a wide block
    expect(charWidth(0x1161)).toBe(0); // Hangul Jamo vowel
  });

  it('gives two columns to East Asian wide and fullwidth characters and emoji', () => {
    for (const character of ['中', '日', 'あ', 'カ', '한', 'Ａ', '！', '￥', '𠀀', '😀', '🚀', '🦀', '🫠', '⌚', '✅', '🟢']) {
      expect(charWidth(cp(character)), character).toBe(2);
    }
  });

  it('treats the edges of wide ranges exactly', () => {
    expect(charWidth(0x10ff)).toBe(1);
    expect(charWidth(0x1100)).toBe(2);
    expect(charWidth(0x115f)).toBe(2);
    expect(charWidth(0xabff)).toBe(1);
    expect(charWidth(0xac00)).toBe(2);
    expect(charWidth(0xd7a3)).toBe(2);
    expect(charWidth(0xd7a4)).toBe(1);
    expect(charWidth(0xff60)).toBe(2);
    expect(charWidth(0xff61)).toBe(1); // halfwidth katakana punctuation
    expect(charWidth(0x1f64f)).toBe(2);
    expect(charWidth(0x1f650)).toBe(1);
  });
});

describe('textWidth', () => {
  it('counts columns', () => {
    expect(textWidth('')).toBe(0);
    expect(textWidth('hello')).toBe(5);
    expect(textWidth('中文ab')).toBe(6);
    expect(textWidth('e\u0301')).toBe(1);
    expect(textWidth('a😀b')).toBe(4);
  });

  it('counts a text-default symbol followed by VS16 as a two-column emoji', () => {
    for (const emoji of ['⚠️', '❤️', '✔️', '☀️', '☺️', '©️']) expect(textWidth(emoji), emoji).toBe(2);
    expect(textWidth('⚠')).toBe(1); // without VS16 it stays text
    expect(textWidth('⌚️')).toBe(2); // already wide: VS16 adds nothing
    expect(textWidth('1️⃣')).toBe(2); // keycap
    expect(textWidth('x\ufe0f')).toBe(1); // not an emoji: VS16 changes nothing
    expect(textWidth('\ufe0f')).toBe(0);
    expect(textWidth('warning ⚠️ here')).toBe(15);
  });

  it('counts an emoji with a skin-tone modifier as one two-column emoji', () => {
    expect(textWidth('👍🏽')).toBe(2);
    expect(textWidth('👋🏻👋🏿')).toBe(4);
    expect(textWidth('☝🏽')).toBe(2); // a base that is one column on its own
    expect(textWidth('🏽')).toBe(2); // a modifier alone shows as a colour swatch
    expect(textWidth('a🏽')).toBe(3); // after a letter it is not a modifier of anything
  });

  it('counts a pair of regional indicators (a flag) as two columns', () => {
    expect(textWidth('🇫🇷')).toBe(2);
    expect(textWidth('🇫🇷🇩🇪🇯🇵')).toBe(6);
    expect(textWidth('🇫')).toBe(1);
    expect(textWidth('🇫🇷🇩')).toBe(3);
  });
});

describe('sliceByWidth', () => {
  it('takes the longest prefix that fits', () => {
    expect(sliceByWidth('hello world', 5)).toEqual({ head: 'hello', rest: ' world' });
    expect(sliceByWidth('hi', 10)).toEqual({ head: 'hi', rest: '' });
    expect(sliceByWidth('hi', 0)).toEqual({ head: '', rest: 'hi' });
    expect(sliceByWidth('', 3)).toEqual({ head: '', rest: '' });
  });

  it('never splits a wide character or a surrogate pair', () => {
    expect(sliceByWidth('中文', 3)).toEqual({ head: '中', rest: '文' });
    expect(sliceByWidth('a😀', 2)).toEqual({ head: 'a', rest: '😀' });
    expect(sliceByWidth('😀😀', 2)).toEqual({ head: '😀', rest: '😀' });
  });

  it('keeps zero-width marks with their base character', () => {
    expect(sliceByWidth('ae\u0301b', 2)).toEqual({ head: 'ae\u0301', rest: 'b' });
    expect(sliceByWidth('a中\u0301', 2)).toEqual({ head: 'a', rest: '中\u0301' });
  });
});

describe('sliceByWidth and fitEnd with emoji', () => {
  it('never split a base from its VS16 or skin-tone modifier, nor a flag in two', () => {
    expect(sliceByWidth('a⚠️b', 2)).toEqual({ head: 'a', rest: '⚠️b' });
    expect(sliceByWidth('a⚠️b', 3)).toEqual({ head: 'a⚠️', rest: 'b' });
    expect(sliceByWidth('a👍🏽b', 2)).toEqual({ head: 'a', rest: '👍🏽b' });
    expect(sliceByWidth('a👍🏽b', 3)).toEqual({ head: 'a👍🏽', rest: 'b' });
    expect(sliceByWidth('🇫🇷🇩🇪', 3)).toEqual({ head: '🇫🇷', rest: '🇩🇪' });
    expect(sliceByWidth('🇫🇷🇩🇪', 1)).toEqual({ head: '', rest: '🇫🇷🇩🇪' });
    expect(sliceByWidth('x1️⃣', 2)).toEqual({ head: 'x', rest: '1️⃣' });
  });

  it('measure what they cut the same as textWidth', () => {
    const text = 'ok ⚠️ 👍🏽 🇫🇷🇩🇪 ❤️✔️☀️ 1️⃣ 中文 e\u0301 👨‍👩‍👧 🇫 end';
    for (let width = 0; width <= textWidth(text); width += 1) {
      const { head, rest } = sliceByWidth(text, width);
      expect(head + rest).toBe(text);
      expect(textWidth(head), `width ${width}`).toBeLessThanOrEqual(width);
      expect(textWidth(head) + textWidth(rest), `width ${width}`).toBe(textWidth(text));
    }
  });

  it('keep the rest of a unit with its first character when a row starts inside it', () => {
    // What wrapping does with a character too wide for a row: it ends the row after the character and its marks.
    expect(fitEnd('🇫🇷🇩🇪', 2, 0)).toBe(4); // the second half of the first flag
    expect(fitEnd('🇫🇷🇩🇪', 4, 0)).toBe(4); // a new flag: it does not fit
    expect(fitEnd('🇫🇷🇩🇪', 6, 0)).toBe(8);
    expect(fitEnd('👍🏽x', 2, 0)).toBe(4);
    expect(fitEnd('a🏽x', 1, 0)).toBe(1); // a swatch after a letter stands alone
    expect(fitEnd('⚠️x', 1, 0)).toBe(2);
  });
});

describe('wrapping lines with emoji', () => {
  it('never splits a base from its VS16 or modifier, nor a flag, and keeps every row within the width', () => {
    const text = '⚠️❤️👍🏽🇫🇷✔️a☀️🇩🇪👋🏿b';
    for (const width of [2, 3, 4, 5]) {
      const rows = wrapLine({ spans: [{ text }] }, width).map((row) => row.spans.map((span) => span.text).join(''));
      expect(rows.join(''), `width ${width}`).toBe(text);
      for (const row of rows) {
        expect(textWidth(row), `${row} in ${width}`).toBeLessThanOrEqual(width);
        expect(row, `${row} in ${width}`).not.toMatch(/^(?:\ufe0f|\u{1f3fb}|\u{1f3fc}|\u{1f3fd}|\u{1f3fe}|\u{1f3ff})/u);
      }
    }
    const flags = wrapLine({ spans: [{ text: '🇫🇷🇩🇪🇯🇵' }] }, 3).map((row) => row.spans.map((span) => span.text).join(''));
    expect(flags).toEqual(['🇫🇷', '🇩🇪', '🇯🇵']);
    const wide = wrapLine({ spans: [{ text: 'ab⚠️' }] }, 3).map((row) => row.spans.map((span) => span.text).join(''));
    expect(wide).toEqual(['ab', '⚠️']);
  });
});

describe('fitEnd', () => {
  it('finds the end of a row from any start', () => {
    expect(fitEnd('abcdef', 2, 3)).toBe(5);
    expect(fitEnd('ab中', 1, 2)).toBe(2);
    expect(fitEnd('ab', 2, 5)).toBe(2);
  });
});
