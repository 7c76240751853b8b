import { describe, expect, it } from 'vitest';
import type { ViewState } from '../view-state.ts';
import { history, IDLE, key, newPromptPane, rowTexts, RUNNING, typed } from './pane-fixture.ts';
import type { PromptPane } from './prompt-pane.ts';

const AREA = { width: 40, height: 24, room: 21 };

/** A prompt pane on `state`, and a promise of its next change that came of itself (a recalled prompt). */
function promptPane(state: ViewState = IDLE, prompts = history()): { pane: PromptPane; changed: () => Promise<void> } {
  let notify = (): void => undefined;
  const pane = newPromptPane(state, { prompts, host: { changed: () => notify() } });
  return { pane, changed: () => new Promise((resolve) => (notify = resolve)) };
}

function typeInto(pane: PromptPane, ...keys: Parameters<PromptPane['handleKey']>[0][]): void {
  for (const each of keys) expect(pane.handleKey(each)).toEqual({ type: 'handled' });
}

describe('PromptPane: typing and sending', () => {
  it('shows what is typed after the prompt sign, with the cursor after it', () => {
    const { pane } = promptPane();
    typeInto(pane, typed('fix the'), { kind: 'paste', text: ' tests' });
    expect(pane.render(AREA)).toEqual({ rows: [expect.anything()], cursor: { row: 0, col: 15 } });
    expect(rowTexts(pane.render(AREA))).toEqual(['› fix the tests']);
  });

  it('sends the text on Enter and starts empty again; a blank prompt sends nothing', () => {
    const { pane } = promptPane();
    typeInto(pane, typed('  '));
    expect(pane.handleKey(key('enter'))).toEqual({ type: 'handled' });
    typeInto(pane, typed('run it'));
    expect(pane.handleKey(key('enter'))).toEqual({ type: 'send', text: '  run it', images: [] });
    expect(pane.isEmpty()).toBe(true);
  });

  it('adds a line with Shift+Enter, Ctrl+J or Alt+Enter', () => {
    const { pane } = promptPane();
    typeInto(pane, typed('a'), key('enter', { shift: true }), typed('b'), key('j', { ctrl: true }), typed('c'), key('enter', { alt: true }));
    expect(pane.text).toBe('a\nb\nc\n');
    expect(rowTexts(pane.render(AREA))).toEqual(['› a', '  b', '  c', '  ']);
  });

  it('edits with the readline keys of the keymap', () => {
    const { pane } = promptPane();
    typeInto(pane, typed('hello big world'), key('w', { ctrl: true }), key('a', { ctrl: true }), key('k', { ctrl: true }), key('y', { ctrl: true }));
    expect(pane.text).toBe('hello big ');
    typeInto(pane, key('left', { alt: true }), key('backspace'));
    expect(pane.text).toBe('hellobig ');
  });

  it('completes a /command with Tab when only one matches', () => {
    const { pane } = promptPane();
    typeInto(pane, typed('/he'), key('tab'));
    expect(pane.text).toBe('/help ');
    const other = promptPane().pane;
    typeInto(other, typed('/nope'), key('tab'));
    expect(other.text).toBe('/nope');
  });
});

describe('PromptPane: Esc, Ctrl+C and Ctrl+D', () => {
  it('asks to interrupt with Esc, and with Ctrl+C while a task runs, whatever is typed', () => {
    const { pane } = promptPane(RUNNING);
    typeInto(pane, typed('draft'));
    expect(pane.handleKey(key('escape'))).toEqual({ type: 'interrupt' });
    expect(pane.handleKey(key('c', { ctrl: true }))).toEqual({ type: 'interrupt' });
    expect(pane.text).toBe('draft');
  });

  it('clears the prompt with Ctrl+C when no task runs, and on an empty one asks to quit (to be confirmed)', () => {
    const { pane } = promptPane(IDLE);
    typeInto(pane, typed('draft'), key('c', { ctrl: true }));
    expect(pane.isEmpty()).toBe(true);
    expect(pane.handleKey(key('c', { ctrl: true }))).toEqual({ type: 'quit', confirmed: false });
  });

  it('quits with Ctrl+D on an empty prompt, and deletes forward otherwise', () => {
    const { pane } = promptPane();
    typeInto(pane, typed('ab'), key('left'), key('d', { ctrl: true }));
    expect(pane.text).toBe('a');
    typeInto(pane, key('backspace'));
    expect(pane.handleKey(key('d', { ctrl: true }))).toEqual({ type: 'quit', confirmed: true });
  });
});

describe('PromptPane: earlier prompts', () => {
  it('recalls earlier prompts with Up from the first line, newest first, and goes back to the draft with Down', async () => {
    const { pane, changed } = promptPane(IDLE, history('oldest', 'older'));
    pane.remember('mine');
    typeInto(pane, typed('draft'));
    let next = changed();
    typeInto(pane, key('up'));
    await next;
    expect(pane.text).toBe('mine');
    next = changed();
    typeInto(pane, key('up'));
    await next;
    expect(pane.text).toBe('older');
    next = changed();
    typeInto(pane, key('down'));
    await next;
    next = changed();
    typeInto(pane, key('down'));
    await next;
    expect(pane.text).toBe('draft');
  });

  it('moves between lines with Up while not on the first one', () => {
    const { pane } = promptPane(IDLE, history('never shown'));
    typeInto(pane, typed('one'), key('enter', { shift: true }), typed('two'), key('up'));
    expect(pane.render(AREA).cursor).toEqual({ row: 0, col: 5 });
    expect(pane.text).toBe('one\ntwo');
  });

  it('keeps what was typed after Up over a prompt that arrives later', async () => {
    const { pane, changed } = promptPane(IDLE, history('from the file'));
    const next = changed();
    typeInto(pane, key('up'), typed('x'));
    await next;
    expect(pane.text).toBe('x');
  });
});

describe('PromptPane: drawing', () => {
  it('shows a placeholder that says what Enter does now', () => {
    const wide = { ...AREA, width: 60 };
    expect(rowTexts(promptPane(IDLE).pane.render(wide))).toEqual(['› ask keel to do something, or /help']);
    expect(rowTexts(promptPane(RUNNING).pane.render(wide))).toEqual(['↳ type a message to queue it for the running task']);
    // Cut to the width, the cursor's column left free.
    expect(rowTexts(promptPane(RUNNING).pane.render({ ...AREA, width: 12 }))).toEqual(['↳ type a me']);
  });

  it('shows the rows around the cursor of a text taller than its room, under a line that counts the rest', () => {
    const { pane } = promptPane(IDLE);
    typeInto(pane, typed('1\n2\n3\n4\n5\n6'), key('up'), key('up'));
    // Half the screen is the room: 3 rows here, one of them the count.
    const view = pane.render({ width: 40, height: 6, room: 5 });
    expect(rowTexts(view)).toEqual(['  6 lines · 2 above · 2 below', '  3', '  4']);
    expect(view.cursor).toEqual({ row: 2, col: 3 });
  });
});
