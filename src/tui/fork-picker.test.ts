import { describe, expect, it } from 'vitest';
import { forkPicker } from './fork-picker.ts';
import type { Key } from './input/keys.ts';
import { plainText } from '../util/text/styled.ts';

const ENTER: Key = { kind: 'key', name: 'enter', ctrl: false, alt: false, shift: false };
const prompts = [
  { number: 1, text: 'fix the parser', images: 0, queued: false },
  { number: 2, text: 'now the lexer\nand its tests', images: 1, queued: false },
  { number: 3, text: 'and the docs', images: 0, queued: true },
];

describe('forkPicker', () => {
  it('lists the prompts oldest first under their own numbers, by first line, with what else they carried', () => {
    const rows = forkPicker(prompts).render(100, 10).map(plainText);
    expect(rows.slice(1, 4)).toEqual(['  1. fix the parser', '  2. now the lexer  +1 line · 1 image', '› 3. and the docs  sent while a task ran']);
  });

  it('selects the newest prompt first, and picks by number', () => {
    expect(forkPicker(prompts).handle(ENTER)).toEqual({ type: 'picked', value: 3 });
    expect(forkPicker(prompts).handle({ kind: 'text', text: '2' })).toEqual({ type: 'picked', value: 2 });
  });
});
