import { describe, expect, it } from 'vitest';
import type { EventMsg } from '../../protocol/index.ts';
import type { ViewState } from '../view-state.ts';
import { ApprovalPane } from './approval-pane.ts';
import { key, newPromptPane, rowTexts, stateAfter, typed } from './pane-fixture.ts';
import type { PromptPane } from './prompt-pane.ts';

const AREA = { width: 120, height: 24, room: 21 };
const started: EventMsg = { type: 'task_started', model_context_window: null };
const command: EventMsg = { type: 'exec_approval_request', call_id: 'c1', command: ['rm', 'x'], cwd: '/repo', reason: null };
const patch: EventMsg = { type: 'apply_patch_approval_request', call_id: 'p1', changes: { '/repo/a': { type: 'add', content: 'a\n' } }, reason: null };

/** An approval pane over a prompt, on `state`; `typing`: whether keys may go on to the prompt. */
function approvalPane(state: ViewState, typing = true): { pane: ApprovalPane; prompt: PromptPane } {
  const prompt = newPromptPane(state);
  return { pane: new ApprovalPane(() => state, prompt, () => typing), prompt };
}

describe('ApprovalPane: answers', () => {
  it('answers with y, a, A, n and Esc, on an empty prompt', () => {
    const { pane } = approvalPane(stateAfter(started, command));
    expect(pane.handleKey(typed('y'))).toEqual({ type: 'answer', decision: 'approved' });
    expect(pane.handleKey(typed('a'))).toEqual({ type: 'answer', decision: 'approved_for_session' });
    // Shift+A is "always"; the app makes it "for the session" where the question offers no rule to save.
    expect(pane.handleKey(typed('A'))).toEqual({ type: 'answer', decision: 'approved_always' });
    expect(pane.handleKey(typed('n'))).toEqual({ type: 'answer', decision: 'denied' });
    expect(pane.handleKey(key('escape'))).toEqual({ type: 'answer', decision: 'abort' });
    expect(pane.handleKey(key('c', { ctrl: true }))).toEqual({ type: 'answer', decision: 'abort' });
  });

  it('takes letters for typing while the prompt holds text: only an abort answers then', () => {
    const { pane, prompt } = approvalPane(stateAfter(started, command));
    expect(pane.handleKey(typed('n'))).toEqual({ type: 'answer', decision: 'denied' });
    expect(pane.handleKey(typed('wait'))).toEqual({ type: 'handled' });
    expect(pane.handleKey(typed('y'))).toEqual({ type: 'handled' });
    expect(prompt.text).toBe('waity');
    expect(pane.handleKey(key('escape'))).toEqual({ type: 'answer', decision: 'abort' });
    // Enter sends what was typed (the engine queues it), which empties the prompt for answers again.
    expect(pane.handleKey(key('enter'))).toEqual({ type: 'send', text: 'waity', images: [] });
  });

  it('drops keys that are not answers while a list is open under the question', () => {
    const { pane, prompt } = approvalPane(stateAfter(started, command), false);
    expect(pane.handleKey(typed('hello'))).toEqual({ type: 'handled' });
    expect(prompt.isEmpty()).toBe(true);
    expect(pane.handleKey(typed('y'))).toEqual({ type: 'answer', decision: 'approved' });
  });
});

describe('ApprovalPane: drawing', () => {
  it('asks about the first request, says how many wait, and where it runs', () => {
    const view = approvalPane(stateAfter(started, command, patch)).pane.render(AREA);
    expect(rowTexts(view)).toEqual([
      '↑ Run the command above? (1 more waiting) It runs outside the read-only sandbox.',
      'y approve · a approve for this session · n deny · Esc abort the task',
    ]);
    expect(view.cursor).toBeNull();
    const answered = stateAfter(started, patch);
    expect(rowTexts(approvalPane(answered).pane.render(AREA))[0]).toBe('↑ Apply the patch above? It runs outside the read-only sandbox.');
  });

  it('says how to answer with text in the prompt, and shows the prompt under the question', () => {
    const { pane } = approvalPane(stateAfter(started, command));
    pane.handleKey(typed('later'));
    const view = pane.render(AREA);
    expect(rowTexts(view)).toEqual([
      '↑ Run the command above? It runs outside the read-only sandbox.',
      'to answer, send your message first (Enter queues it) or clear it (Ctrl+U); Esc aborts the task',
      '↳ later',
    ]);
    expect(view.cursor).toEqual({ row: 2, col: 7 });
  });
});
