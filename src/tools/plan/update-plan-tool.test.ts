import { describe, expect, it } from 'vitest';
import type { EventMsg } from '../../protocol/index.ts';
import { createUpdatePlanTool, parsePlan } from './update-plan-tool.ts';

const plan = (value: unknown): string => JSON.stringify(value);

describe('update_plan', () => {
  it('takes a plan with at most one step in progress and emits it', async () => {
    const parsed = parsePlan(plan({ explanation: ' Found the loader. ', plan: [{ step: 'Read the code', status: 'completed' }, { step: 'Rename', status: 'in_progress' }, { step: 'Test', status: 'pending' }] }));
    expect(parsed).toEqual({
      ok: true,
      args: {
        explanation: 'Found the loader.',
        plan: [
          { step: 'Read the code', status: 'completed' },
          { step: 'Rename', status: 'in_progress' },
          { step: 'Test', status: 'pending' },
        ],
      },
    });
    const events: EventMsg[] = [];
    const tool = createUpdatePlanTool();
    const result = await tool.run((parsed as { ok: true; args: never }).args, { signal: new AbortController().signal, cwd: '/', callId: 'c1', emit: (msg) => events.push(msg) });
    expect(result).toEqual({ output: 'Plan updated', success: true });
    expect(events).toEqual([{ type: 'plan_update', explanation: 'Found the loader.', plan: expect.any(Array) }]);
  });

  it('refuses two steps in progress, saying which and what to do', () => {
    const parsed = parsePlan(plan({ plan: [{ step: 'A', status: 'in_progress' }, { step: 'B', status: 'in_progress' }] }));
    expect(parsed).toEqual({
      ok: false,
      error: '2 steps are in_progress ("A", "B"); at most one step may be in progress at a time: mark the others pending or completed and send the plan again',
    });
  });

  it('says what is wrong with a malformed plan', () => {
    expect(parsePlan('{"plan": ')).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid JSON/) });
    expect(parsePlan(plan({}))).toMatchObject({ ok: false, error: expect.stringMatching(/^plan must be an array/) });
    expect(parsePlan(plan({ plan: [{ step: '', status: 'pending' }] }))).toEqual({ ok: false, error: 'plan[0].step must be a non-empty string' });
    expect(parsePlan(plan({ plan: [{ step: 'x', status: 'done' }] }))).toEqual({
      ok: false,
      error: 'plan[0].status must be "pending", "in_progress" or "completed", not "done"',
    });
    expect(parsePlan(plan({ explanation: 3, plan: [] }))).toEqual({ ok: false, error: 'explanation must be a string' });
  });

  it('accepts an empty plan (the model clears it) and no explanation', () => {
    expect(parsePlan(plan({ plan: [] }))).toEqual({ ok: true, args: { explanation: null, plan: [] } });
  });
});
