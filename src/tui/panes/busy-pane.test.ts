import { describe, expect, it } from 'vitest';
import { BusyPane } from './busy-pane.ts';
import { IDLE, key, newPromptPane, rowTexts, typed } from './pane-fixture.ts';
import type { PromptPane } from './prompt-pane.ts';

function busyPane(): { pane: BusyPane; prompt: PromptPane } {
  const prompt = newPromptPane(IDLE);
  return { pane: new BusyPane('opening the session…', prompt), prompt };
}

describe('BusyPane', () => {
  it('shows what keel is busy with, and no cursor', () => {
    expect(busyPane().pane.render()).toEqual({ rows: [expect.anything()], cursor: null });
    expect(rowTexts(busyPane().pane.render())).toEqual(['opening the session…']);
  });

  it('lets typing go on into the prompt, but holds Enter back', () => {
    const { pane, prompt } = busyPane();
    expect(pane.handleKey(typed('next task'))).toEqual({ type: 'handled' });
    expect(pane.handleKey(key('enter'))).toEqual({ type: 'handled' });
    expect(pane.handleKey(key('enter', { alt: true }))).toEqual({ type: 'handled' });
    expect(prompt.text).toBe('next task');
    expect(pane.handleKey(key('backspace'))).toEqual({ type: 'handled' });
    expect(prompt.text).toBe('next tas');
  });

  it('asks to interrupt on Ctrl+C, never to clear the prompt or quit', () => {
    const { pane, prompt } = busyPane();
    pane.handleKey(typed('draft'));
    expect(pane.handleKey(key('c', { ctrl: true }))).toEqual({ type: 'interrupt' });
    expect(prompt.text).toBe('draft');
  });
});
