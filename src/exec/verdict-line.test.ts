import { describe, expect, it } from 'vitest';
import type { ExecResult } from './exec-result.ts';
import { createStyle } from './style.ts';
import { verdictLine } from './verdict-line.ts';

const plain = createStyle(false);
const RESULT: ExecResult = {
  type: 'exec_result',
  status: 'completed',
  exit_code: 0,
  session_id: '3f2a1b2c-0000-4000-8000-000000000000',
  usage: { input_tokens: 12_000, cached_input_tokens: 0, output_tokens: 300, reasoning_output_tokens: 0, total_tokens: 12_300 },
  tool_calls: { completed: 5, failed: 1, refused: 1, denied: 0, aborted: 0 },
};

describe('verdictLine', () => {
  it('says the status, exit code, session, tokens and calls in one line', () => {
    expect(verdictLine(RESULT, plain)).toBe('keel exec: completed · exit 0 · session 3f2a1b2c… · 12k tokens · calls: 5 ok, 1 failed, 1 refused');
    expect(verdictLine(RESULT, createStyle(true))).toBe(`\u001b[2m${verdictLine(RESULT, plain)}\u001b[22m`);
  });

  it('names --fail-on-refusal for exit 4, the quota reset for exit 3, and says when no call was made', () => {
    expect(verdictLine({ ...RESULT, exit_code: 4 }, plain)).toContain('· exit 4 (--fail-on-refusal) ·');
    const none = { completed: 0, failed: 0, refused: 0, denied: 0, aborted: 0 };
    const quota: ExecResult = { ...RESULT, status: 'failed', exit_code: 3, tool_calls: none, resets_at: '2025-06-01T13:00:00Z' };
    expect(verdictLine(quota, plain)).toBe('keel exec: failed · exit 3 · session 3f2a1b2c… · 12k tokens · no calls · quota resets at 2025-06-01T13:00:00Z');
    expect(verdictLine({ ...quota, resets_at: null }, plain)).toContain('· quota exhausted (no reset time given)');
    expect(verdictLine(quota, createStyle(true))).toMatch(/^\u001b\[31m/);
  });
});
