import { describe, expect, it } from 'vitest';
import { texts, viewWith } from './transcript-fixture.ts';

describe('TranscriptView: calls that did not run', () => {
  it('shows a call that did not run as one line: red when refused or denied, yellow when aborted', () => {
    const refused = viewWith({ type: 'tool_call_blocked', call_id: 'c1', tool: 'shell', summary: 'rm -rf build', outcome: 'refused', reason: 'not allowed' });
    const lines = refused.takeCommitted();
    expect(texts(lines).at(-1)).toBe('✗ refused: rm -rf build — not allowed');
    expect(lines.at(-1)?.spans[0]?.style).toEqual({ color: 'red' });
    const aborted = viewWith({ type: 'tool_call_blocked', call_id: 'c2', tool: 'shell', summary: 'echo hi', outcome: 'aborted', reason: 'the task was interrupted before it started' });
    expect(aborted.takeCommitted().at(-1)?.spans[0]?.style).toEqual({ color: 'yellow' });
  });
});
