import { describe, expect, it } from 'vitest';
import type { Key } from './input/keys.ts';
import { Picker } from './picker.ts';
import { plainText } from '../util/text/styled.ts';

const key = (name: string, mods: Partial<{ ctrl: boolean; alt: boolean; shift: boolean }> = {}): Key => ({ kind: 'key', name, ctrl: false, alt: false, shift: false, ...mods });

describe('Picker', () => {
  const items = ['alpha', 'beta', 'gamma'].map((label) => ({ label, value: label.toUpperCase() }));

  it('moves with the arrows (wrapping around) and picks with Enter', () => {
    const picker = new Picker('Pick', items);
    expect(picker.handle(key('down'))).toEqual({ type: 'open' });
    expect(picker.handle(key('enter'))).toEqual({ type: 'picked', value: 'BETA' });
    const other = new Picker('Pick', items);
    other.handle(key('up'));
    expect(other.handle(key('enter'))).toEqual({ type: 'picked', value: 'GAMMA' });
  });

  it('picks by number and cancels with Esc or Ctrl+C', () => {
    expect(new Picker('Pick', items).handle({ kind: 'text', text: '3' })).toEqual({ type: 'picked', value: 'GAMMA' });
    expect(new Picker('Pick', items).handle({ kind: 'text', text: '7' })).toEqual({ type: 'open' });
    expect(new Picker('Pick', items).handle(key('escape'))).toEqual({ type: 'cancelled' });
    expect(new Picker('Pick', items).handle(key('c', { ctrl: true }))).toEqual({ type: 'cancelled' });
  });

  it('shows a window of items around the selection within the rows it is given', () => {
    const many = Array.from({ length: 30 }, (_, index) => ({ label: `session ${index}`, value: index }));
    const picker = new Picker('Resume', many);
    for (let step = 0; step < 20; step++) picker.handle(key('down'));
    const rows = picker.render(40, 8).map(plainText);
    expect(rows).toHaveLength(8);
    expect(rows[0]).toBe('Resume');
    expect(rows.filter((row) => row.startsWith('›'))).toEqual(['›    session 20']);
    expect(rows.at(-1)).toContain('Enter choose');
  });

  it('says so when there is nothing to choose, and Enter then cancels', () => {
    const picker = new Picker<string>('Resume', [], 'no other session was started here yet');
    expect(picker.render(60, 6).map(plainText)).toContain('  no other session was started here yet');
    expect(picker.handle(key('enter'))).toEqual({ type: 'cancelled' });
  });
});
