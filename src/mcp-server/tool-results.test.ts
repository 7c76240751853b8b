import { describe, expect, it } from 'vitest';
import { errorResult, taskResult } from './tool-results.ts';

const ID = '4f1c2d3e-0000-4000-8000-000000000001';

describe('taskResult', () => {
  it('gives a completed task\'s final message as text, the session id next to it, and both as structured content', () => {
    expect(taskResult(ID, { status: 'completed', finalMessage: 'All green.', errors: [] })).toEqual({
      content: [
        { type: 'text', text: 'All green.' },
        { type: 'text', text: `session_id: ${ID} (continue this session with the keel-reply tool)` },
      ],
      structuredContent: { session_id: ID, final_message: 'All green.', status: 'completed' },
    });
  });

  it('says so when a completed task left no message', () => {
    const result = taskResult(ID, { status: 'completed', finalMessage: null, errors: [] });
    expect(result.content[0]).toEqual({ type: 'text', text: '(keel finished the task without a final message)' });
    expect(result.structuredContent).toMatchObject({ final_message: null });
  });

  it('marks a failed task as an error result, with its errors and last message', () => {
    const result = taskResult(ID, { status: 'failed', finalMessage: 'Trying again.', errors: ['401 Unauthorized'] });
    expect(result.isError).toBe(true);
    expect(result.content[0]).toEqual({ type: 'text', text: "keel's task failed: 401 Unauthorized\n\nIts last message:\nTrying again." });
    expect(result.structuredContent).toMatchObject({ status: 'failed', session_id: ID });
  });

  it('says why a task was interrupted', () => {
    const text = (by: 'client' | 'abort_answer' | 'shutdown' | undefined) => {
      const part = taskResult(ID, { status: 'interrupted', finalMessage: null, errors: [], interruptedBy: by }).content[0];
      return part?.type === 'text' ? part.text : '';
    };
    expect(text('shutdown')).toContain('(the keel MCP server is shutting down)');
    expect(text('abort_answer')).toContain('(a question was answered "abort")');
    expect(text('client')).toContain('(the call was cancelled)');
    expect(text(undefined)).toContain('(keel stopped it)');
  });
});

describe('errorResult', () => {
  it('is an error result whose text says it comes from keel', () => {
    expect(errorResult('no session "x" to continue')).toEqual({ content: [{ type: 'text', text: 'keel: no session "x" to continue' }], isError: true });
  });
});
