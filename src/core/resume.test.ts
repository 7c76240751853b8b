import { describe, expect, it } from 'vitest';
import { assistantMessage, userMessage, type EventMsg, type ResponseItem } from '../protocol/index.ts';
import { unfinishedOutput } from '../tools/unfinished-call.ts';
import { summaryMessage } from './compaction.ts';
import { endsMidTask, outputsForOpenCalls, planResume } from './resume.ts';

const STARTED_THEN_LOST = unfinishedOutput({ type: 'lost_with_keel' });

const call = (id: string): ResponseItem => ({ type: 'function_call', name: 'shell', arguments: '{}', call_id: id });

it('tells the model which open calls had started and which never did', () => {
  const items = [userMessage('go'), call('ran'), call('queued')];
  expect(outputsForOpenCalls(items, new Set(['ran']))).toEqual([
    { type: 'function_call_output', call_id: 'ran', output: STARTED_THEN_LOST },
    { type: 'function_call_output', call_id: 'queued', output: 'aborted' },
  ]);
});

it('leaves answered calls alone', () => {
  const items = [call('a'), { type: 'function_call_output', call_id: 'a', output: 'ok' } as ResponseItem];
  expect(outputsForOpenCalls(items, new Set(['a']))).toEqual([]);
});

it('knows whether the model still owed an answer', () => {
  expect(endsMidTask([userMessage('hi')])).toBe(true);
  expect(endsMidTask([userMessage('hi'), assistantMessage('hello')])).toBe(false);
  expect(endsMidTask([userMessage('hi'), call('a'), { type: 'function_call_output', call_id: 'a', output: 'x' }])).toBe(true);
  expect(endsMidTask([])).toBe(false);
});

describe('the resume plan', () => {
  const header = (model: string): EventMsg => ({
    type: 'session_configured',
    session_id: 's1',
    model,
    model_provider_id: 'openai',
    cwd: '/work',
    approval_policy: 'on-request',
    sandbox_policy: { type: 'read-only' },
    rollout_path: null,
  });
  const logged = (events: EventMsg[]) => events.map((event) => ({ ts: '2026-12-02T00:00:00Z', event }));
  const begin = (id: string): EventMsg => ({ type: 'exec_command_begin', call_id: id, command: ['sleep', '9'], cwd: '/work' });

  it('answers the calls a killed run left open and says the task was cut off', () => {
    const plan = planResume({
      items: [userMessage('go'), call('ran'), call('queued')],
      events: logged([header('m1'), { type: 'task_started', model_context_window: null }, begin('ran')]),
    });
    expect(plan.answers).toEqual([
      { type: 'function_call_output', call_id: 'ran', output: STARTED_THEN_LOST },
      { type: 'function_call_output', call_id: 'queued', output: 'aborted' },
    ]);
    expect(plan.history.slice(-2)).toEqual(plan.answers);
    expect(plan.midTask).toBe(true);
    expect(plan.cutOff).toBe(true);
    expect(plan.replay.at(-1)).toEqual({ type: 'turn_aborted', reason: 'interrupted' });
  });

  it('does not call a cleanly interrupted task cut off, though the model still owes an answer', () => {
    const plan = planResume({
      items: [userMessage('go'), call('a'), { type: 'function_call_output', call_id: 'a', output: 'aborted by user after 1.0s' }],
      events: logged([header('m1'), { type: 'task_started', model_context_window: null }, { type: 'turn_aborted', reason: 'interrupted' }]),
    });
    expect(plan.answers).toEqual([]);
    expect(plan.midTask).toBe(true);
    expect(plan.cutOff).toBe(false);
    expect(plan.replay.filter((event) => event.type === 'turn_aborted')).toHaveLength(1);
  });

  it('read from a compaction, knows it begins inside a task and takes the usage reported since', () => {
    const usage = (total: number): EventMsg => ({
      type: 'token_count',
      info: {
        total_token_usage: { input_tokens: total, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: total },
        last_token_usage: { input_tokens: total, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: total },
        model_context_window: null,
      },
    });
    const compacted: EventMsg = { type: 'context_compacted', reason: 'auto', tokens_before: 9000, tokens_after: 800, compactions: 3 };
    const killed = planResume({
      items: [userMessage('go'), call('after')],
      events: logged([usage(9000), compacted]),
      compaction: { ts: '2026-12-02T00:00:00Z', number: 3, line: null },
      eventsFrom: 'last_compaction',
    });
    // Killed after the compaction, inside the task that compacted: cut off, and no usage since the compaction.
    expect(killed).toMatchObject({ cutOff: true, replayFromCompaction: true, context: { compactions: 3, lastReportedTokens: null } });
    const later = planResume({
      items: [userMessage('go'), assistantMessage('done')],
      events: logged([compacted, usage(1200), { type: 'task_complete', last_agent_message: 'done' }]),
      compaction: { ts: '2026-12-02T00:00:00Z', number: 3, line: null },
      eventsFrom: 'last_compaction',
    });
    expect(later).toMatchObject({ cutOff: false, context: { compactions: 3, lastReportedTokens: 1200 } });
  });

  it('has nothing to continue after a finished /compact, but goes on after a compaction cut off mid-task', () => {
    const summary = summaryMessage('Task: rename the loader.');
    const finished = planResume({
      items: [userMessage('go'), summary],
      events: logged([{ type: 'context_compacted', reason: 'manual', tokens_before: 10, tokens_after: 5, compactions: 1 }, { type: 'task_complete', last_agent_message: null }]),
      compaction: { ts: '2026-12-02T00:00:00Z', number: 1, line: null },
      eventsFrom: 'last_compaction',
    });
    expect(finished).toMatchObject({ midTask: false, cutOff: false });
    const killed = planResume({
      items: [userMessage('go'), summary],
      events: logged([{ type: 'context_compacted', reason: 'auto', tokens_before: 10, tokens_after: 5, compactions: 1 }]),
      compaction: { ts: '2026-12-02T00:00:00Z', number: 1, line: null },
      eventsFrom: 'last_compaction',
    });
    expect(killed).toMatchObject({ midTask: true, cutOff: true });
  });

  it('shows one header and no approval questions from long ago', () => {
    const plan = planResume({
      items: [userMessage('go'), assistantMessage('done')],
      events: logged([
        header('m1'),
        { type: 'task_started', model_context_window: null },
        { type: 'exec_approval_request', call_id: 'c1', command: ['rm', 'x'], cwd: '/work', reason: 'asks' },
        { type: 'task_complete', last_agent_message: 'done' },
        header('m2'),
      ]),
    });
    expect(plan.replay.map((event) => event.type)).toEqual(['session_configured', 'task_started', 'task_complete']);
    expect(plan.cutOff).toBe(false);
    expect(plan.midTask).toBe(false);
  });
});

describe("the resume plan's background processes", () => {
  const logged = (events: EventMsg[]) => ({ items: [], events: events.map((event) => ({ ts: '2026-12-02T00:00:00Z', event })) });
  const listed = (id: number, status: 'running' | 'exited' | 'stopped') => ({ id, command: `job ${id}`, cwd: '/w', started_at: 0, status, exit_code: status === 'exited' ? 0 : null });

  it('keeps the last list the log holds and numbers new processes after every id the log used', () => {
    const plan = planResume(
      logged([
        { type: 'exec_command_begin', call_id: 'a', command: ['sh', '-c', 'x'], cwd: '/w', process_id: 4 },
        { type: 'background_processes', processes: [listed(2, 'running'), listed(3, 'running')] },
        { type: 'background_processes', processes: [listed(3, 'running')] },
      ]),
    );
    expect(plan.context.background).toEqual({ processes: [listed(3, 'running')], nextId: 5 });
  });

  it('keeps the size the last compaction left, so the resumed session does not compact again at once', () => {
    const compacted = (after: number): EventMsg => ({ type: 'context_compacted', reason: 'auto', tokens_before: 9000, tokens_after: after, compactions: 1 });
    expect(planResume(logged([compacted(900), compacted(700)])).context.compactedFloor).toBe(700);
    expect(planResume(logged([])).context.compactedFloor).toBe(0);
  });

  it('starts at 1 when the log never had one', () => {
    expect(planResume(logged([])).context.background).toEqual({ processes: [], nextId: 1 });
  });
});
