import { describe, expect, it } from 'vitest';
import type { EventMsg, TokenUsage } from '../protocol/index.ts';
import { ExecResult } from './exec-result.ts';
import { RunTally, type VerdictFacts } from './run-tally.ts';

const FACTS: VerdictFacts = { sessionId: 's-1', stoppedBy: null, failOnRefusal: false, answerRejected: false };

function tally(messages: EventMsg[]): RunTally {
  const run = new RunTally();
  for (const msg of messages) run.observe(msg);
  return run;
}

const usage = (input: number, output: number): TokenUsage => ({
  input_tokens: input,
  cached_input_tokens: 0,
  output_tokens: output,
  reasoning_output_tokens: 0,
  total_tokens: input + output,
});
const tokens = (last: TokenUsage, total: TokenUsage): EventMsg => ({ type: 'token_count', info: { last_token_usage: last, total_token_usage: total, model_context_window: null } });
const commandEnd = (call_id: string, status: 'completed' | 'failed' | 'timed_out' | 'aborted' | 'backgrounded'): EventMsg => ({
  type: 'exec_command_end',
  call_id,
  exit_code: status === 'completed' ? 0 : null,
  duration_ms: 5,
  aggregated_output: '',
  status,
});
const blocked = (call_id: string, outcome: 'refused' | 'denied' | 'aborted'): EventMsg => ({ type: 'tool_call_blocked', call_id, tool: 'shell', summary: 'rm x', outcome, reason: 'no' });
const invocation = { server: 'docs', tool: 'search', arguments: {} };
const COMPLETE: EventMsg = { type: 'task_complete', last_agent_message: 'done' };

describe('RunTally', () => {
  it('counts every call by how it ended, and sums the usage of each request', () => {
    const run = tally([
      commandEnd('c1', 'completed'),
      commandEnd('c2', 'backgrounded'),
      commandEnd('c3', 'failed'),
      commandEnd('c4', 'timed_out'),
      commandEnd('c5', 'aborted'),
      { type: 'patch_apply_end', call_id: 'p1', stdout: '', stderr: '', success: true },
      { type: 'patch_apply_end', call_id: 'p2', stdout: '', stderr: 'no match', success: false },
      { type: 'mcp_tool_call_end', call_id: 'm1', invocation, duration_ms: 1, status: 'completed', output: '' },
      { type: 'mcp_tool_call_end', call_id: 'm2', invocation, duration_ms: 1, status: 'timed_out', output: '' },
      blocked('b1', 'refused'),
      blocked('b2', 'denied'),
      blocked('b3', 'aborted'),
      // The engine's totals may start from earlier runs; the run's own cost is the sum of the last usages.
      tokens(usage(100, 10), usage(900, 90)),
      tokens(usage(200, 20), usage(1100, 110)),
      { type: 'token_count', info: null },
      COMPLETE,
    ]);
    const result = run.verdict(FACTS);
    expect(result).toEqual({
      type: 'exec_result',
      status: 'completed',
      exit_code: 0,
      session_id: 's-1',
      usage: usage(300, 30),
      tool_calls: { completed: 4, failed: 4, refused: 1, denied: 1, aborted: 2 },
    });
    expect(ExecResult.parse(result)).toEqual(result);
  });

  it('turns a finished task with a refused or denied call into exit 4 only with --fail-on-refusal', () => {
    for (const outcome of ['refused', 'denied'] as const) {
      const run = tally([blocked('b', outcome), COMPLETE]);
      expect(run.verdict(FACTS)).toMatchObject({ status: 'completed', exit_code: 0 });
      expect(run.verdict({ ...FACTS, failOnRefusal: true })).toMatchObject({ status: 'completed', exit_code: 4 });
    }
    // A call that never started because of an interrupt is no refusal.
    expect(tally([blocked('b', 'aborted'), COMPLETE]).verdict({ ...FACTS, failOnRefusal: true }).exit_code).toBe(0);
  });

  it('fails with 1 on an error or a rejected answer, and with 3 on an exhausted quota, with the reset when said', () => {
    const error = (kind: 'server' | 'quota' | null, message = 'HTTP 500: boom'): EventMsg => ({ type: 'error', message, kind });
    expect(tally([error('server'), COMPLETE]).verdict({ ...FACTS, failOnRefusal: true })).toMatchObject({ status: 'failed', exit_code: 1 });
    expect(tally([error(null)]).verdict(FACTS)).toMatchObject({ status: 'failed', exit_code: 1 });
    expect(tally([COMPLETE]).verdict({ ...FACTS, answerRejected: true })).toMatchObject({ status: 'failed', exit_code: 1 });
    expect(tally([error('server'), COMPLETE]).verdict(FACTS)).not.toHaveProperty('resets_at');

    const withReset = tally([error('quota', 'HTTP 429: You exceeded your current quota. (the quota resets at 2025-06-01T13:00:00Z)'), COMPLETE]);
    expect(withReset.verdict(FACTS)).toMatchObject({ status: 'failed', exit_code: 3, resets_at: '2025-06-01T13:00:00Z' });
    expect(tally([error('quota', 'HTTP 429: You exceeded your current quota.'), COMPLETE]).verdict(FACTS)).toMatchObject({ exit_code: 3, resets_at: null });
  });

  it('is interrupted when the task was aborted, with the code of the signal that did it', () => {
    const run = tally([commandEnd('c1', 'aborted'), { type: 'turn_aborted', reason: 'interrupted' }]);
    expect(run.verdict(FACTS)).toMatchObject({ status: 'interrupted', exit_code: 130, tool_calls: { aborted: 1 } });
    expect(run.verdict({ ...FACTS, stoppedBy: 'SIGTERM' })).toMatchObject({ status: 'interrupted', exit_code: 143 });
    expect(run.verdict({ ...FACTS, stoppedBy: 'SIGHUP' }).exit_code).toBe(129);
    // A signal after the task had finished changed nothing.
    expect(tally([COMPLETE]).verdict({ ...FACTS, stoppedBy: 'SIGTERM' })).toMatchObject({ status: 'completed', exit_code: 0 });
  });
});
