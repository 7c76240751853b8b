import { describe, expect, it } from 'vitest';
import { hintLine } from './hint-line.ts';
import { IDLE, RUNNING, stateAfter } from './panes/pane-fixture.ts';
import { plainText } from '../util/text/styled.ts';
import { reduce } from './view-state.ts';

const hint = (...args: Parameters<typeof hintLine>): string => plainText(hintLine(...args));

describe('hintLine', () => {
  it('says what the keys do between tasks, and how long a task has been working', () => {
    expect(hint(IDLE, 'prompt', '', false, 0)).toBe('Enter send · Ctrl+J new line · ↑ history · /help commands · Ctrl+D quit');
    expect(hint(RUNNING, 'prompt', '', false, 3500)).toBe('● working 3s · Esc or Ctrl+C to interrupt · Enter queues a message');
  });

  it('counts down to a retry', () => {
    const retry = { type: 'stream_error', message: 'retrying', kind: 'server', attempt: 1, max_attempts: 5, delay_ms: 4000 } as const;
    const waiting = reduce(RUNNING, { type: 'engine', msg: retry, submission: 'sub-1', at: 1000 });
    expect(hint(waiting, 'prompt', '', false, 2500)).toBe('⟳ retrying in 3s · working 2s · Esc or Ctrl+C to interrupt');
    expect(hint(waiting, 'prompt', '', false, 5000)).toContain('● working 5s');
  });

  it('says the context is being compacted while it is, retries included, and working again after', () => {
    const compacting = reduce(RUNNING, { type: 'engine', msg: { type: 'compaction_started', reason: 'manual' }, submission: 'sub-1', at: 0 });
    expect(hint(compacting, 'prompt', '', false, 2500)).toBe('● compacting context 2s · Esc or Ctrl+C to interrupt · Enter queues a message');
    const retry = { type: 'stream_error', message: 'retrying', kind: 'server', attempt: 1, max_attempts: 5, delay_ms: 4000 } as const;
    const waiting = reduce(compacting, { type: 'engine', msg: retry, submission: 'sub-1', at: 3000 });
    expect(hint(waiting, 'prompt', '', false, 4000)).toBe('⟳ retrying in 3s · compacting context 4s · Esc or Ctrl+C to interrupt');
    const compacted = { type: 'context_compacted', reason: 'manual', tokens_before: 9000, tokens_after: 800, compactions: 1 } as const;
    expect(hint(reduce(compacting, { type: 'engine', msg: compacted, submission: 'sub-1', at: 5000 }), 'prompt', '', false, 5000)).toContain('● working 5s');
  });

  it('lists the commands a /word being typed could become', () => {
    expect(hint(IDLE, 'prompt', '/re', false, 0)).toBe('/resume');
    expect(hint(IDLE, 'prompt', '/co', false, 0)).toBe('/compact [TEXT]');
    expect(hint(IDLE, 'prompt', '/', false, 0)).toContain('/new  /resume  /fork  /status');
    expect(hint(IDLE, 'prompt', '/zz', false, 0)).toBe('no such command: /help lists them');
    expect(hint(IDLE, 'prompt', '/model gpt', false, 0)).toContain('Enter send');
  });

  it('puts a second Ctrl+C before anything, then a question waiting, and says nothing under a list or a busy note', () => {
    const asking = stateAfter({ type: 'task_started', model_context_window: null }, { type: 'exec_approval_request', call_id: 'c', command: ['ls'], cwd: '/', reason: null });
    expect(hint(IDLE, 'prompt', '', true, 0)).toBe('Press Ctrl+C again to quit · Ctrl+D also quits');
    expect(hint(asking, 'approval', '', false, 0)).toBe('keel is waiting for your answer');
    expect(hint(RUNNING, 'busy', '', true, 0)).toBe('');
    expect(hint(IDLE, 'picker', '', false, 0)).toBe('');
  });
});
