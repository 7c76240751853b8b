import { describe, expect, it } from 'vitest';
import { DoubleEscape } from './double-escape.ts';
import type { Key } from './input/keys.ts';

const ESC: Key = { kind: 'key', name: 'escape', ctrl: false, alt: false, shift: false };
const ALT_ESC: Key = { kind: 'key', name: 'escape', ctrl: false, alt: true, shift: false };
const TYPED: Key = { kind: 'text', text: 'x' };

describe('DoubleEscape', () => {
  it('answers the second of two idle Escs within a second, and starts over after it', () => {
    const escapes = new DoubleEscape();
    expect(escapes.pressed(ESC, 0, true)).toBe(false);
    expect(escapes.pressed(ESC, 1000, true)).toBe(true);
    // A third press begins a new pair rather than counting as another double.
    expect(escapes.pressed(ESC, 1100, true)).toBe(false);
    expect(escapes.pressed(ESC, 1200, true)).toBe(true);
  });

  it('does not pair Escs more than a second apart: the later one starts a pair of its own', () => {
    const escapes = new DoubleEscape();
    expect(escapes.pressed(ESC, 0, true)).toBe(false);
    expect(escapes.pressed(ESC, 1001, true)).toBe(false);
    expect(escapes.pressed(ESC, 1500, true)).toBe(true);
  });

  it('is broken by any other key between the two, and by an Esc pressed while not idle (it interrupts a task instead)', () => {
    const escapes = new DoubleEscape();
    escapes.pressed(ESC, 0, true);
    expect(escapes.pressed(TYPED, 10, true)).toBe(false);
    expect(escapes.pressed(ESC, 20, true)).toBe(false);
    expect(escapes.pressed(ALT_ESC, 30, true)).toBe(false);
    expect(escapes.pressed(ESC, 40, true)).toBe(false);

    escapes.pressed(ESC, 100, false);
    expect(escapes.pressed(ESC, 200, true)).toBe(false);
    expect(escapes.pressed(ESC, 300, false)).toBe(false);
    expect(escapes.pressed(ESC, 400, true)).toBe(false);
    expect(escapes.pressed(ESC, 500, true)).toBe(true);
  });
});
