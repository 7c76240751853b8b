import { describe, expect, it } from 'vitest';
import { charWidth, fitEnd, sliceByWidth, textWidth } from './width.ts';

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
    expect(textWidth('👍🏽')).toBe(4); // modifier counted on its own: wider rather than narrower
    expect(textWidth('a😀b')).toBe(4);
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

describe('fitEnd', () => {
  it('finds the end of a row from any start', () => {
    expect(fitEnd('abcdef', 2, 3)).toBe(5);
    expect(fitEnd('ab中', 1, 2)).toBe(2);
    expect(fitEnd('ab', 2, 5)).toBe(2);
  });
});
