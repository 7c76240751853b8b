import { describe, expect, it } from 'vitest';
import type { EventMsg, EventOf } from '../protocol/index.ts';
import { body, HEADER, texts, viewWith } from './transcript-fixture.ts';

const compacted = (fields: Partial<EventOf<'context_compacted'>> = {}): EventMsg => ({
  type: 'context_compacted',
  reason: 'manual',
  tokens_before: 182_300,
  tokens_after: 9_000,
  compactions: 1,
  ...fields,
});

describe('TranscriptView: compaction', () => {
  it('says nothing while the summary is written, then one dim line with the sizes', () => {
    const view = viewWith({ type: 'task_started', model_context_window: null }, { type: 'compaction_started', reason: 'manual' });
    expect(texts(view.takeCommitted())).toEqual(HEADER);
    view.apply({ type: 'token_count', info: null });
    view.apply(compacted());
    view.apply({ type: 'task_complete', last_agent_message: null });
    const lines = view.takeCommitted();
    expect(texts(lines)).toEqual(['', 'context compacted: 182k → 9.0k tokens']);
    expect(lines.at(-1)?.spans).toEqual([{ text: 'context compacted: 182k → 9.0k tokens', style: { dim: true } }]);
  });

  it('says when the compaction was forced by a request that did not fit, and nothing more for an automatic one', () => {
    expect(body(viewWith(compacted({ reason: 'overflow' })))).toEqual(['context compacted: 182k → 9.0k tokens (the request did not fit)']);
    expect(body(viewWith(compacted({ reason: 'auto', tokens_before: 1_200_000, tokens_after: 950 })))).toEqual(['context compacted: 1.2M → 950 tokens']);
  });

  it('puts the line in its place among the task’s blocks, one blank line around it', () => {
    const view = viewWith(
      { type: 'task_started', model_context_window: null },
      { type: 'user_message', message: 'rename the loader' },
      { type: 'agent_message', message: 'Read it.' },
      { type: 'compaction_started', reason: 'auto' },
      compacted({ reason: 'auto' }),
      { type: 'agent_message', message: 'Renamed.' },
    );
    expect(body(view)).toEqual(['› rename the loader', '', 'Read it.', '', 'context compacted: 182k → 9.0k tokens', '', 'Renamed.']);
  });
});
