import { describe, expect, it } from 'vitest';
import type { EventMsg, EventOf } from '../protocol/index.ts';
import { livePlanLines, planDone, planProgress, samePlan, type Plan } from './plan-cells.ts';
import type { TranscriptView } from './transcript.ts';
import { body, HEADER, liveText, texts, viewWith } from './transcript-fixture.ts';

type Status = 'pending' | 'in_progress' | 'completed';

/** A plan_update of steps `a`, `b`, `c` with these statuses. */
function plan(statuses: [Status, Status, Status], explanation: string | null = null): EventOf<'plan_update'> {
  return { type: 'plan_update', explanation, plan: statuses.map((status, index) => ({ step: `step ${'abc'[index]}`, status })) };
}

const started: EventMsg = { type: 'task_started', model_context_window: null };
const complete: EventMsg = { type: 'task_complete', last_agent_message: null };

/** Whether the view has committed its header and nothing else yet. */
function onlyHeader(view: TranscriptView): boolean {
  return JSON.stringify(texts(view.takeCommitted())) === JSON.stringify(HEADER);
}

describe('TranscriptView: the plan as a live checklist', () => {
  it('shows the plan live and redraws it on each update, committing nothing until the task ends', () => {
    const view = viewWith(started, plan(['in_progress', 'pending', 'pending'], 'Three steps.'));
    expect(liveText(view)).toEqual(['', 'Plan · 0 of 3 done', 'Three steps.', '  → step a', '  · step b', '  · step c']);
    view.apply(plan(['completed', 'in_progress', 'pending']));
    expect(liveText(view)).toEqual(['', 'Plan · 1 of 3 done', '  ✓ step a', '  → step b', '  · step c']);
    expect(onlyHeader(view)).toBe(true);

    view.apply({ type: 'agent_message', message: 'Stopping here for now.' });
    view.apply(complete);
    // Once, as it stood when the task ended.
    expect(texts(view.takeCommitted())).toEqual(['', 'Stopping here for now.', '', 'Plan', '  ✓ step a', '  → step b', '  · step c']);
    expect(liveText(view)).toEqual([]);
  });

  it('commits a complete plan at once, and not again when its task ends', () => {
    const view = viewWith(started, plan(['in_progress', 'pending', 'pending']), plan(['completed', 'completed', 'in_progress']));
    expect(onlyHeader(view)).toBe(true);
    view.apply(plan(['completed', 'completed', 'completed']));
    expect(texts(view.takeCommitted())).toEqual(['', 'Plan', '  ✓ step a', '  ✓ step b', '  ✓ step c']);
    expect(liveText(view)).toEqual([]);
    view.apply({ type: 'agent_message', message: 'All done.' });
    view.apply(complete);
    expect(texts(view.takeCommitted())).toEqual(['', 'All done.']);
  });

  it('does not commit the same plan twice when a later task sends it unchanged', () => {
    const view = viewWith(started, plan(['completed', 'in_progress', 'pending']), complete);
    expect(body(view).filter((text) => text === 'Plan')).toHaveLength(1);
    view.apply(started);
    view.apply(plan(['completed', 'in_progress', 'pending']));
    expect(liveText(view)).toContain('  → step b');
    view.apply(complete);
    expect(texts(view.takeCommitted())).toEqual([]);
  });

  it('commits the plan before the interruption note when a task is stopped', () => {
    const view = viewWith(started, plan(['in_progress', 'pending', 'pending']), { type: 'turn_aborted', reason: 'interrupted' });
    expect(body(view)).toEqual(['Plan', '  → step a', '  · step b', '  · step c', '', '⏹ Interrupted — tell keel what to do next.']);
  });

  it('takes the checklist away, committing nothing, when the model sends an empty plan', () => {
    const view = viewWith(started, plan(['in_progress', 'pending', 'pending']), { type: 'plan_update', explanation: null, plan: [] }, complete);
    expect(liveText(view)).toEqual([]);
    expect(onlyHeader(view)).toBe(true);
  });

  it('keeps the checklist nearest the prompt, below the streamed answer and running commands', () => {
    const view = viewWith(started, plan(['in_progress', 'pending', 'pending']), { type: 'agent_message_delta', delta: 'Reading the code.' });
    view.apply({ type: 'exec_command_begin', call_id: 'c1', command: ['make'], cwd: '/home/ada/repo' });
    const rows = liveText(view);
    expect(rows.indexOf('Reading the code.')).toBeLessThan(rows.indexOf('$ make'));
    expect(rows.indexOf('$ make')).toBeLessThan(rows.indexOf('Plan · 0 of 3 done'));
    // Short of rows, the plan is what stays.
    expect(liveText(view, 80, 4)).toEqual(['Plan · 0 of 3 done', '  → step a', '  · step b', '  · step c']);
  });

  it('shows a resumed session one plan per task, as each task left it', () => {
    // A replayed log: two tasks, each with several updates.
    const view = viewWith(
      started,
      plan(['in_progress', 'pending', 'pending']),
      plan(['completed', 'in_progress', 'pending']),
      complete,
      started,
      plan(['completed', 'completed', 'in_progress']),
      plan(['completed', 'completed', 'completed']),
      complete,
    );
    const shown = body(view);
    expect(shown.filter((text) => text === 'Plan')).toHaveLength(2);
    expect(shown.slice(-4)).toEqual(['Plan', '  ✓ step a', '  ✓ step b', '  ✓ step c']);
    expect(liveText(view)).toEqual([]);
  });
});

describe('plan cells', () => {
  const long: Plan = {
    explanation: null,
    plan: Array.from({ length: 8 }, (_, index) => ({ step: `step ${index + 1}`, status: index < 5 ? 'completed' : index === 5 ? 'in_progress' : 'pending' })),
  };

  it('sums up the steps done at the top when the checklist does not fit, so the current step shows', () => {
    expect(texts(livePlanLines(long, 80, 5))).toEqual(['Plan · 5 of 8 done', '  ✓ 5 steps done', '  → step 6', '  · step 7', '  · step 8']);
    expect(texts(livePlanLines(long, 80, 3))).toEqual(['Plan · 5 of 8 done', '  ✓ 5 steps done', '  → step 6']);
    expect(livePlanLines(long, 80, 20)).toHaveLength(9);
  });

  it('knows when a plan is done, how far it is, and when two plans are the same', () => {
    expect(planDone(long)).toBe(false);
    expect(planDone({ explanation: null, plan: [] })).toBe(false);
    expect(planDone({ explanation: null, plan: [{ step: 'x', status: 'completed' }] })).toBe(true);
    expect(planProgress(long)).toBe('5 of 8 done');
    expect(samePlan(long, { ...long, plan: [...long.plan] })).toBe(true);
    expect(samePlan(long, { ...long, explanation: 'changed' })).toBe(false);
    expect(samePlan(long, null)).toBe(false);
  });
});
