import { describe, expect, it } from 'vitest';
import type { Key } from './input/keys.ts';
import { APPROVAL_KEYS, BUSY_KEYS, GLOBAL_KEYS, keyHelp, Keymap, PICKER_KEYS, PROMPT_KEYS } from './keymap.ts';
import { helpText } from './slash-commands.ts';

const key = (name: string, mods: Partial<{ ctrl: boolean; alt: boolean; shift: boolean }> = {}): Key => ({
  kind: 'key',
  name,
  ctrl: false,
  alt: false,
  shift: false,
  ...mods,
});

describe('Keymap', () => {
  it('finds the command of a key as the table writes it', () => {
    expect(PROMPT_KEYS.lookup(key('enter'))).toBe('send');
    expect(PROMPT_KEYS.lookup(key('j', { ctrl: true }))).toBe('newline');
    expect(PROMPT_KEYS.lookup(key('left', { alt: true }))).toBe('word_left');
    expect(PROMPT_KEYS.lookup(key('home'))).toBe('line_start');
    expect(GLOBAL_KEYS.lookup(key('z', { ctrl: true }))).toBe('suspend');
  });

  it('tells Shift+Enter from Enter, and otherwise lets Shift through', () => {
    expect(PROMPT_KEYS.lookup(key('enter', { shift: true }))).toBe('newline');
    expect(PROMPT_KEYS.lookup(key('enter', { alt: true, shift: true }))).toBe('newline');
    expect(PROMPT_KEYS.lookup(key('escape', { shift: true }))).toBe('interrupt');
  });

  it('matches a Ctrl key whatever else is held, and no plain key when Ctrl or Alt is', () => {
    expect(PROMPT_KEYS.lookup(key('c', { ctrl: true, alt: true, shift: true }))).toBe('interrupt_or_clear');
    expect(PROMPT_KEYS.lookup(key('up', { ctrl: true }))).toBeNull();
    expect(PROMPT_KEYS.lookup(key('backspace', { ctrl: true }))).toBe('kill_word_before');
  });

  it('matches typed characters exactly, and never pasted text', () => {
    expect(APPROVAL_KEYS.lookup({ kind: 'text', text: 'y' })).toBe('approved');
    expect(APPROVAL_KEYS.lookup({ kind: 'text', text: 'N' })).toBe('denied');
    expect(APPROVAL_KEYS.lookup({ kind: 'text', text: 'yes' })).toBeNull();
    expect(APPROVAL_KEYS.lookup({ kind: 'paste', text: 'y' })).toBeNull();
    expect(PROMPT_KEYS.lookup({ kind: 'text', text: 'y' })).toBeNull();
  });

  it('takes a key with modifiers it does not bind for the plain key when lenient', () => {
    expect(PICKER_KEYS.lookup(key('down', { ctrl: true }))).toBe('next');
    expect(PICKER_KEYS.lookup(key('enter', { alt: true }))).toBe('choose');
    expect(PICKER_KEYS.lookup(key('p', { ctrl: true }))).toBe('previous');
    expect(APPROVAL_KEYS.lookup(key('escape', { alt: true }))).toBe('abort');
    expect(APPROVAL_KEYS.lookup(key('y', { ctrl: true }))).toBeNull();
    expect(BUSY_KEYS.lookup(key('enter', { ctrl: true }))).toBe('hold');
  });

  it('refuses a table that binds a key twice, or a key it cannot name', () => {
    expect(() => new Keymap([{ bindings: [[['Ctrl+A'], 'one'], [['Ctrl+A'], 'two']], help: null }])).toThrow(/bound twice/);
    expect(() => new Keymap([{ bindings: [[['Ctrl+Alt+A'], 'one']], help: null }])).toThrow(/cannot bind/);
    expect(() => new Keymap([{ bindings: [[['Ctrl+Nope'], 'one']], help: null }])).toThrow(/no key named/);
  });
});

describe('/help', () => {
  it('lists the keys of the table, each row with its keys as they are bound', () => {
    const rows = keyHelp();
    expect(rows).toContainEqual(['Shift+Enter, Ctrl+J, Alt+Enter', 'new line']);
    expect(rows).toContainEqual(['Ctrl+A / Ctrl+E', 'start / end of the line']);
    expect(rows).toContainEqual(['y / a / n / Esc', 'approve / for the session / deny / abort']);
    expect(rows).toContainEqual(['Ctrl+L / Ctrl+Z', 'redraw / suspend (fg to come back)']);
    // Every key a listed row names gives that row's command.
    for (const row of [...PROMPT_KEYS.rows, ...APPROVAL_KEYS.rows, ...GLOBAL_KEYS.rows].filter((candidate) => candidate.help !== null)) {
      for (const [keys] of row.bindings) expect(keyHelp().some(([label]) => label.includes(keys.join(', ')))).toBe(true);
    }
  });

  it('prints the commands, then the keys, in lines that fit 80 columns', () => {
    const text = helpText();
    expect(text.startsWith('Commands:\n  /new')).toBe(true);
    expect(text).toContain('\nKeys:\n  Enter ');
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });
});
