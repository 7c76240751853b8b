import { describe, expect, it } from 'vitest';
import { advance, isTerminal, type ToolCallState, type ToolCallStep } from './tool-call.ts';

const resolved: ToolCallState = { phase: 'resolved' };

function walk(...steps: ToolCallStep[]): ToolCallState {
  return steps.reduce(advance, resolved);
}

describe('a tool call, step by step', () => {
  it('auto-approved, it runs and completes with the tool output', () => {
    expect(walk({ type: 'run', sandboxed: true }, { type: 'finish', output: 'ok', interrupted: false })).toEqual({ phase: 'completed', output: 'ok' });
  });

  it('a tool that returned because the task was interrupted ends aborted, keeping its partial output', () => {
    const state = walk({ type: 'run', sandboxed: false }, { type: 'finish', output: 'half\naborted by user after 1.0s', interrupted: true });
    expect(state).toEqual({ phase: 'aborted', output: 'half\naborted by user after 1.0s' });
  });

  it('refused by the policy, the model is told why', () => {
    expect(walk({ type: 'refuse', subject: 'patch', reason: 'outside the workspace' })).toEqual({
      phase: 'refused',
      output: 'patch rejected: outside the workspace',
    });
  });

  it('asked and approved, it runs outside the sandbox, approved by a person', () => {
    expect(walk({ type: 'ask', subject: 'command' }, { type: 'approve' })).toEqual({ phase: 'running', sandboxed: false, approvedByPerson: true });
  });

  it('asked and denied, the model hears it was rejected by the user', () => {
    expect(walk({ type: 'ask', subject: 'command' }, { type: 'deny' })).toEqual({ phase: 'denied', output: 'exec command rejected by user' });
    expect(walk({ type: 'ask', subject: 'patch' }, { type: 'deny' })).toEqual({ phase: 'denied', output: 'patch rejected by user' });
  });

  it('asked and aborted, the model hears it was aborted by the user', () => {
    expect(walk({ type: 'ask', subject: 'command' }, { type: 'abort', ending: { type: 'abort_answer' } })).toEqual({
      phase: 'aborted',
      output: 'aborted by user',
    });
  });

  it('interrupted before its turn came, it is aborted without having run', () => {
    expect(walk({ type: 'abort', ending: { type: 'never_ran' } })).toEqual({ phase: 'aborted', output: 'aborted' });
  });

  describe('a run the sandbox blocked', () => {
    const blocked: ToolCallStep[] = [{ type: 'run', sandboxed: true }, { type: 'sandbox_denial', subject: 'command', output: 'EPERM' }];

    it('is kept with the reason when no question is asked', () => {
      expect(walk(...blocked, { type: 'keep', note: 'the sandbox blocked a write' })).toEqual({
        phase: 'completed',
        output: 'EPERM\n[keel: the sandbox blocked a write]',
      });
    });

    it('runs again without the sandbox once the person approves', () => {
      expect(walk(...blocked, { type: 'ask', subject: 'command' }, { type: 'approve' })).toEqual({
        phase: 'running',
        sandboxed: false,
        approvedByPerson: true,
      });
    });

    it('keeps the blocked output with a note when the person declines the rerun or aborts', () => {
      expect(walk(...blocked, { type: 'ask', subject: 'command' }, { type: 'deny' })).toEqual({
        phase: 'completed',
        output: 'EPERM\n[keel: the person declined to run it without the sandbox]',
      });
      expect(walk(...blocked, { type: 'ask', subject: 'command' }, { type: 'abort', ending: { type: 'abort_answer' } })).toEqual({
        phase: 'aborted',
        output: 'EPERM\n[keel: aborted by user]',
      });
    });
  });

  it('only a sandboxed run can be blocked by the sandbox', () => {
    expect(() => walk({ type: 'run', sandboxed: false }, { type: 'sandbox_denial', subject: 'command', output: 'x' })).toThrow(
      /no transition from running on sandbox_denial/,
    );
  });

  it('a finished call takes no further step: its one output is final', () => {
    const done = walk({ type: 'run', sandboxed: false }, { type: 'finish', output: 'ok', interrupted: false });
    expect(isTerminal(done)).toBe(true);
    const steps: ToolCallStep[] = [
      { type: 'finish', output: 'again', interrupted: false },
      { type: 'abort', ending: { type: 'never_ran' } },
      { type: 'ask', subject: 'command' },
      { type: 'run', sandboxed: false },
    ];
    for (const step of steps) expect(() => advance(done, step)).toThrow(/no transition from completed/);
  });

  it('nothing runs without a decision: a resolved call cannot finish, nor be approved unasked', () => {
    expect(() => advance(resolved, { type: 'finish', output: 'x', interrupted: false })).toThrow();
    expect(() => advance(resolved, { type: 'approve' })).toThrow();
    expect(() => advance(resolved, { type: 'deny' })).toThrow();
  });
});
