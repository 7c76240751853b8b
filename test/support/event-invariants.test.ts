import { describe, expect, it } from 'vitest';
import type { Event } from '../../src/protocol/index.ts';
import { checkEventInvariants, type CheckedEvent } from './event-invariants.ts';

/** These streams are written by hand, with only the fields the invariants look at: the schema is not checked here. */
const check = (events: Parameters<typeof checkEventInvariants>[0], options: Parameters<typeof checkEventInvariants>[1] = {}) =>
  checkEventInvariants(events, { schema: false, ...options });

type Msg = CheckedEvent['msg'];

/** Numbers the messages as the engine does: seq from 0, one per event. */
function stream(...msgs: Msg[]): CheckedEvent[] {
  return msgs.map((msg, seq) => ({ id: 'sub_1', seq, msg }));
}

const configured: Msg = { type: 'session_configured', session_id: 's' };
const started: Msg = { type: 'task_started' };
const complete: Msg = { type: 'task_complete', last_agent_message: null };
const aborted: Msg = { type: 'turn_aborted', reason: 'interrupted' };
const begin = (callId: string): Msg => ({ type: 'exec_command_begin', call_id: callId });
const end = (callId: string): Msg => ({ type: 'exec_command_end', call_id: callId });
const delta = (text: string): Msg => ({ type: 'agent_message_delta', delta: text });
const message = (text: string): Msg => ({ type: 'agent_message', message: text });

describe('checkEventInvariants', () => {
  it('accepts a sound session', () => {
    const events = stream(
      configured,
      started,
      { type: 'agent_reasoning_delta', delta: 'thin' },
      { type: 'agent_reasoning_delta', delta: 'king' },
      { type: 'agent_reasoning', text: 'thinking' },
      begin('c1'),
      { type: 'patch_apply_begin', call_id: 'c2' },
      { type: 'patch_apply_end', call_id: 'c2' },
      end('c1'),
      delta('Hel'),
      delta('lo'),
      message('Hello'),
      complete,
      started,
      begin('c3'),
      end('c3'),
      delta('partial'),
      aborted,
      started,
      message('no deltas needed'),
      complete,
    );
    expect(check(events)).toEqual([]);
  });

  it('requires session_configured first, at seq 0, once', () => {
    expect(check([])).toEqual(['no events: session_configured must come first']);
    expect(check(stream(started, complete))).toEqual(['the first event is task_started, not session_configured']);
    const late = stream(configured).map((event) => ({ ...event, seq: 4 }));
    expect(check(late)).toEqual(['session_configured has seq 4; seq starts at 0']);
    expect(check(stream(configured, configured))).toEqual(['session_configured again at seq 1']);
  });

  it('requires seq to grow by exactly one', () => {
    const events = stream(configured, started, complete);
    events[2] = { ...events[2]!, seq: 3 };
    expect(check(events)).toEqual(['seq 3 (task_complete) follows seq 1; seq must grow by exactly one']);
  });

  it('requires every task to end exactly once before the next starts', () => {
    expect(check(stream(configured, started, started, complete))).toEqual([
      'task_started at seq 2 while the task started at seq 1 has not ended',
    ]);
    expect(check(stream(configured, started, complete, aborted))).toEqual([
      'turn_aborted at seq 3 without a running task',
    ]);
    expect(check(stream(configured, started))).toEqual(['task_started at seq 1 never ended']);
    expect(check(stream(configured, started), { complete: false })).toEqual([]);
  });

  it('requires exactly one matching end for every begin, before the task ends', () => {
    expect(check(stream(configured, started, begin('c1'), aborted))).toEqual([
      'exec_command_begin for call_id c1 (seq 2) has no exec_command_end before turn_aborted (seq 3)',
    ]);
    expect(check(stream(configured, started, begin('c1'), end('c1'), end('c1'), complete))).toEqual([
      'exec_command_end for call_id c1 at seq 4 has no open exec_command_begin',
    ]);
    expect(check(stream(configured, started, begin('c1'), end('c2'), end('c1'), complete))).toEqual([
      'exec_command_end for call_id c2 at seq 3 has no open exec_command_begin',
    ]);
    expect(check(stream(configured, started, { type: 'patch_apply_begin', call_id: 'p' }, end('p'), complete))).toEqual([
      'exec_command_end for call_id p at seq 3 has no open exec_command_begin',
      'patch_apply_begin for call_id p (seq 2) has no patch_apply_end before task_complete (seq 4)',
    ]);
  });

  it('requires deltas to come before a final message that carries their whole text', () => {
    expect(check(stream(configured, started, message('Hi'), delta('Hi'), complete))).toEqual([
      'agent_message_delta from seq 3 is never followed by agent_message before task_complete (seq 4)',
    ]);
    expect(check(stream(configured, started, delta('Hel'), delta('lo'), message('Help'), complete))).toEqual([
      'agent_message at seq 4 is "Help", not the whole text of its deltas "Hello"',
    ]);
  });

  it('lets a retried stream start its deltas over', () => {
    const retry: Msg = { type: 'stream_error', message: 'dropped', kind: 'network', attempt: 1, max_attempts: 5, delay_ms: 200 };
    expect(check(stream(configured, started, delta('Hel'), retry, delta('Hello'), message('Hello'), complete))).toEqual([]);
  });

  it('requires a compaction to end before anything the model says, with only retries and its usage between', () => {
    const compacting: Msg = { type: 'compaction_started', reason: 'auto' };
    const compacted: Msg = { type: 'context_compacted', reason: 'auto', tokens_before: 10, tokens_after: 2, compactions: 1 };
    const retry: Msg = { type: 'stream_error', message: 'busy', kind: 'server', attempt: 1, max_attempts: 5, delay_ms: 200 };
    const usage: Msg = { type: 'token_count', info: null };
    expect(check(stream(configured, started, compacting, retry, usage, compacted, message('Done'), complete))).toEqual([]);
    expect(check(stream(configured, started, compacting, aborted))).toEqual([]);
    expect(check(stream(configured, started, compacting, message('the summary'), complete))).toEqual([
      'agent_message at seq 3 comes inside the compaction started at seq 2',
    ]);
    expect(check(stream(configured, compacting))).toEqual([
      'compaction_started at seq 1 outside a task',
      'compaction_started at seq 1 never ended',
    ]);
    expect(check(stream(configured, started, compacted, complete))).toEqual(['context_compacted at seq 2 without a compaction_started']);
  });

  it("takes the engine's own Event type", () => {
    const events: Event[] = [
      {
        id: 'init',
        seq: 0,
        msg: {
          type: 'session_configured',
          session_id: 's',
          model: 'm',
          model_provider_id: 'scripted',
          cwd: '/tmp',
          approval_policy: 'never',
          sandbox_policy: { type: 'danger-full-access' },
          rollout_path: null,
        },
      },
      { id: 'sub_1', seq: 1, msg: { type: 'task_started', model_context_window: null } },
      { id: 'sub_1', seq: 2, msg: { type: 'task_complete', last_agent_message: null } },
    ];
    expect(check(events)).toEqual([]);
  });
});

it('reports an event the protocol schema does not accept', () => {
  const configured = { id: 'init', seq: 0, msg: { type: 'session_configured', session_id: 's' } };
  expect(checkEventInvariants([configured])[0]).toMatch(/^event seq 0 \(session_configured\) does not match the protocol schema/);
});
