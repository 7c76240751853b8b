import { describe, expect, it } from 'vitest';
import type { EventMsg, EventOf } from '../protocol/index.ts';
import { initialViewState, isRunning, pendingApproval, reduce, refusedPrompt, type ViewEvent, type ViewState } from './view-state.ts';

const configured: EventOf<'session_configured'> = {
  type: 'session_configured',
  session_id: 's-1',
  model: 'gpt-test',
  model_provider_id: 'openai',
  cwd: '/repo',
  approval_policy: 'untrusted',
  sandbox_policy: { type: 'workspace-write', writable_roots: [], network_access: false },
  rollout_path: null,
};

const started: EventMsg = { type: 'task_started', model_context_window: 200_000 };
const complete: EventMsg = { type: 'task_complete', last_agent_message: null };
const execRequest: EventOf<'exec_approval_request'> = { type: 'exec_approval_request', call_id: 'c1', command: ['rm', 'x'], cwd: '/repo', reason: null };
const patchRequest: EventOf<'apply_patch_approval_request'> = {
  type: 'apply_patch_approval_request',
  call_id: 'p1',
  changes: { '/repo/a.txt': { type: 'add', content: 'a\n' } },
  reason: null,
};

/** A live engine event at `at` ms (of submission `sub-1`). */
function live(msg: EventMsg, at = 0): ViewEvent {
  return { type: 'engine', msg, submission: 'sub-1', at };
}

const VIEW_EVENTS: ReadonlySet<string> = new Set<ViewEvent['type']>(['engine', 'session_opened', 'prompt_sent', 'approval_answered', 'turn_context_changed']);

const shot = { type: 'image' as const, image_url: 'data:image/png;base64,AA==', name: 'shot.png' };

/** A prompt sent as submission `submission`. */
function sent(text: string, submission: string, images: (typeof shot)[] = []): ViewEvent {
  return { type: 'prompt_sent', prompt: { submission, text, images } };
}

/** The state after `events`; engine events given bare are live ones at 0 ms. */
function after(...events: Array<ViewEvent | EventMsg>): ViewState {
  const asEvent = (event: ViewEvent | EventMsg): ViewEvent => (VIEW_EVENTS.has(event.type) ? (event as ViewEvent) : live(event as EventMsg));
  return events.reduce<ViewState>((state, event) => reduce(state, asEvent(event)), initialViewState('s-1'));
}

/** Deep-freezes a state, so that a reducer that changed it in place would throw. */
function frozen(state: ViewState): ViewState {
  for (const value of Object.values(state)) if (typeof value === 'object' && value !== null) Object.freeze(value);
  return Object.freeze(state);
}

describe('reduce: the task', () => {
  it('runs from task_started, with its start time, until task_complete or turn_aborted', () => {
    const running = after(configured, live(started, 1234));
    expect(running.task).toEqual({ type: 'running', startedAt: 1234, retryAt: null, compacting: false });
    expect(isRunning(running)).toBe(true);
    expect(isRunning(reduce(running, live(complete)))).toBe(false);
    expect(isRunning(reduce(running, live({ type: 'turn_aborted', reason: 'interrupted' })))).toBe(false);
  });

  it('counts a retry down from when it was announced, until any other news says it went out', () => {
    const retry: EventMsg = { type: 'stream_error', message: 'retrying 1/5 in 2.0s', kind: 'server', attempt: 1, max_attempts: 5, delay_ms: 2000 };
    const waiting = after(configured, live(started, 0), live(retry, 500));
    expect(waiting.task).toEqual({ type: 'running', startedAt: 0, retryAt: 2500, compacting: false });
    expect(reduce(waiting, live({ type: 'agent_message_delta', delta: 'He' }, 2600)).task).toEqual({ type: 'running', startedAt: 0, retryAt: null, compacting: false });
    // A retry read back from a log is long over.
    expect(reduce(after(configured, started), { type: 'engine', msg: retry, submission: null, at: 9 }).task).toMatchObject({ retryAt: null });
  });

  it('returns the same state for events that change nothing it knows, without touching the one given', () => {
    const state = frozen(after(configured, started));
    expect(reduce(state, live({ type: 'agent_message_delta', delta: 'word ' }))).toBe(state);
    expect(reduce(state, live({ type: 'exec_command_output_delta', call_id: 'c1', stream: 'stdout', chunk: 'x' }))).toBe(state);
    expect(() => reduce(state, live(complete))).not.toThrow();
  });
});

describe('reduce: approvals', () => {
  it('keeps the requests in the order asked; the first one is the question, with how many wait after it', () => {
    const state = after(configured, started, execRequest, patchRequest);
    expect(pendingApproval(state)).toEqual({ request: execRequest, kind: 'command', more: 1 });
    const answered = reduce(state, { type: 'approval_answered', decision: 'approved' });
    expect(pendingApproval(answered)).toEqual({ request: patchRequest, kind: 'patch', more: 0 });
    expect(pendingApproval(reduce(answered, { type: 'approval_answered', decision: 'denied' }))).toBeNull();
  });

  it('drops every request on an abort, and when the task ends (the engine answers them itself)', () => {
    const state = after(configured, started, execRequest, patchRequest);
    expect(reduce(state, { type: 'approval_answered', decision: 'abort' }).approvals).toEqual([]);
    expect(reduce(state, live({ type: 'turn_aborted', reason: 'interrupted' })).approvals).toEqual([]);
    expect(reduce(state, live(complete)).approvals).toEqual([]);
  });
});

describe('reduce: queued prompts', () => {
  it('queues what is sent while a task runs, until the engine takes it in as a user message', () => {
    const idle = after(configured, sent('hello', 'sub-2'));
    expect(idle.queued).toEqual([]);
    const queued = after(configured, started, sent('and the tests', 'sub-2'), sent('thanks', 'sub-3'));
    expect(queued.queued.map((prompt) => prompt.text)).toEqual(['and the tests', 'thanks']);
    expect(reduce(queued, live({ type: 'user_message', message: 'and the tests' })).queued.map((prompt) => prompt.text)).toEqual(['thanks']);
    expect(reduce(queued, live({ type: 'user_message', message: 'something else' }))).toBe(queued);
    expect(reduce(queued, live(complete)).queued).toEqual([]);
  });

  it('tells a queued prompt with images from one with the same text alone, by the names the engine gives back', () => {
    const queued = after(configured, started, sent('look', 'sub-2', [shot]), sent('look', 'sub-3'));
    const taken = reduce(queued, live({ type: 'user_message', message: 'look' }));
    expect(taken.queued.map((prompt) => prompt.submission)).toEqual(['sub-2']);
    expect(reduce(taken, live({ type: 'user_message', message: 'look', images: ['shot.png'] })).queued).toEqual([]);
  });
});

describe('reduce: a prompt the engine refuses', () => {
  const refusal: EventMsg = { type: 'error', message: 'o3-mini does not take images, so this prompt was not sent', kind: null };
  const under = (submission: string): ViewEvent => ({ type: 'engine', msg: refusal, submission, at: 0 });

  it('is the one whose submission an error names before any task started with it: nothing runs, nothing stays queued', () => {
    const state = after(configured, sent('what is this?', 'sub-2', [shot]));
    expect(refusedPrompt(state, refusal, 'sub-2')).toEqual({ submission: 'sub-2', text: 'what is this?', images: [shot] });
    const answered = reduce(state, under('sub-2'));
    expect(isRunning(answered)).toBe(false);
    expect(answered.unanswered).toEqual([]);
    expect(refusedPrompt(answered, refusal, 'sub-2')).toBeNull();
  });

  it('comes out of the queue of a running task, which goes on', () => {
    const state = after(configured, live(started), sent('and this?', 'sub-2', [shot]));
    const refused = reduce(state, under('sub-2'));
    expect(refused.queued).toEqual([]);
    expect(isRunning(refused)).toBe(true);
  });

  it('is not a task failing: a prompt that started its task, or was taken into one, is answered', () => {
    const running = after(configured, sent('go', 'sub-2'), { type: 'engine', msg: started, submission: 'sub-2', at: 0 });
    expect(running.unanswered).toEqual([]);
    expect(refusedPrompt(running, { type: 'error', message: 'quota', kind: 'quota' }, 'sub-2')).toBeNull();
    const taken = reduce(after(configured, live(started), sent('more', 'sub-3')), live({ type: 'user_message', message: 'more' }));
    expect(taken.unanswered).toEqual([]);
    // Replayed errors belong to no prompt of this run.
    expect(refusedPrompt(after(configured, sent('x', 'sub-4')), refusal, null)).toBeNull();
  });
});

describe('reduce: what the status line shows', () => {
  it('takes the model, directory and policies from the session, and what /model and /approvals change', () => {
    const state = after(configured);
    expect(state.status).toMatchObject({ model: 'gpt-test', cwd: '/repo', approval: 'untrusted', providerId: 'openai', sessionId: 's-1' });
    expect(state.status.sandbox.type).toBe('workspace-write');
    const changed = reduce(state, { type: 'turn_context_changed', model: 'gpt-next', sandbox: { type: 'read-only' } });
    expect(changed.status).toMatchObject({ model: 'gpt-next', approval: 'untrusted', sandbox: { type: 'read-only' } });
  });

  it('keeps the reasoning effort the session and each task say, and the one /model expects until a task says', () => {
    expect(after(configured).status.reasoningEffort).toBeNull();
    const high = after({ ...configured, reasoning_effort: 'high' });
    expect(high.status.reasoningEffort).toBe('high');
    // A task that does not say leaves it; one that says null means none is sent.
    expect(reduce(high, live({ type: 'task_started', model_context_window: null })).status.reasoningEffort).toBe('high');
    expect(reduce(high, live({ type: 'task_started', model_context_window: null, reasoning_effort: null })).status.reasoningEffort).toBeNull();
    const switched = reduce(high, { type: 'turn_context_changed', model: 'gpt-5', reasoningEffort: 'minimal' });
    expect(switched.status).toMatchObject({ model: 'gpt-5', reasoningEffort: 'minimal' });
    expect(reduce(switched, live({ type: 'task_started', model_context_window: null, reasoning_effort: 'low' })).status.reasoningEffort).toBe('low');
    expect(reduce(high, { type: 'turn_context_changed', approval: 'never' }).status.reasoningEffort).toBe('high');
  });

  it('follows the tokens used and the context window', () => {
    const usage = { input_tokens: 900, cached_input_tokens: 0, output_tokens: 100, reasoning_output_tokens: 0, total_tokens: 1000 };
    const counted = after(configured, started, {
      type: 'token_count',
      info: { total_token_usage: usage, last_token_usage: { ...usage, total_tokens: 600 }, model_context_window: null },
    });
    expect(counted.status).toMatchObject({ totalUsage: usage, contextUsed: 600, contextWindow: 200_000 });
    expect(reduce(counted, live({ type: 'token_count', info: null }))).toBe(counted);
  });

  it('starts over for another session, keeping the choices in force', () => {
    const state = after(configured, started, execRequest, sent('queued', 'sub-2'), { type: 'turn_diff', unified_diff: '+a' });
    const next = reduce(state, { type: 'session_opened', sessionId: 's-2', compactions: 2 });
    expect(next).toMatchObject({ task: { type: 'idle' }, approvals: [], queued: [], unanswered: [] });
    expect(next.diffs.size).toBe(0);
    expect(next.status).toMatchObject({ sessionId: 's-2', model: 'gpt-test', totalUsage: null, contextUsed: null, compactions: 2 });
  });
});

describe('reduce: diffs for /diff', () => {
  it('keeps the latest diff of each task, and every one read back from a log', () => {
    const state = after(
      configured,
      { type: 'engine', msg: { type: 'turn_diff', unified_diff: 'old 1' }, submission: null, at: 0 },
      { type: 'engine', msg: { type: 'turn_diff', unified_diff: 'old 2' }, submission: null, at: 0 },
      { type: 'engine', msg: { type: 'turn_diff', unified_diff: 'first' }, submission: 'sub-7', at: 0 },
      { type: 'engine', msg: { type: 'turn_diff', unified_diff: 'first and second' }, submission: 'sub-7', at: 0 },
    );
    expect([...state.diffs.values()]).toEqual(['old 1', 'old 2', 'first and second']);
  });
});

describe('reduce: compaction', () => {
  const compacting: EventMsg = { type: 'compaction_started', reason: 'manual' };
  const compacted: EventOf<'context_compacted'> = { type: 'context_compacted', reason: 'manual', tokens_before: 150_000, tokens_after: 9_000, compactions: 3 };
  const usage = { input_tokens: 9_500, cached_input_tokens: 0, output_tokens: 100, reasoning_output_tokens: 0, total_tokens: 9_600 };
  const counted: EventMsg = { type: 'token_count', info: { total_token_usage: usage, last_token_usage: usage, model_context_window: null } };

  it('knows the task is compacting from compaction_started until the context is compacted', () => {
    const state = after(configured, live(started, 100), compacting);
    expect(state.task).toEqual({ type: 'running', startedAt: 100, retryAt: null, compacting: true });
    // A retry of the summary request is part of the compaction.
    const retry: EventMsg = { type: 'stream_error', message: 'retrying 1/5 in 1.0s', kind: 'server', attempt: 1, max_attempts: 5, delay_ms: 1000 };
    expect(reduce(state, live(retry, 200)).task).toMatchObject({ compacting: true, retryAt: 1200 });
    expect(reduce(state, live(compacted)).task).toEqual({ type: 'running', startedAt: 100, retryAt: null, compacting: false });
  });

  it('knows a compaction is over when it ends in a warning, an error or the end of the task', () => {
    const state = after(configured, started, compacting);
    const endings: EventMsg[] = [
      { type: 'warning', message: 'nothing to compact yet: the model has not answered anything in this session' },
      { type: 'error', message: 'could not compact the conversation: overloaded', kind: 'server' },
    ];
    for (const ending of endings) expect(reduce(state, live(ending)).task).toMatchObject({ type: 'running', compacting: false });
    expect(reduce(state, live({ type: 'turn_aborted', reason: 'interrupted' })).task).toEqual({ type: 'idle' });
    expect(reduce(state, live(complete)).task).toEqual({ type: 'idle' });
    // The next task starts without it.
    expect(reduce(reduce(state, live(complete)), live(started)).task).toMatchObject({ compacting: false });
  });

  it('counts the context as the compacted history until the next request reports what it holds', () => {
    const before = after(configured, started, counted);
    const state = reduce(reduce(before, live(compacting)), live(compacted));
    expect(state.status).toMatchObject({ contextUsed: 9_000, compactions: 3, totalUsage: usage });
    expect(reduce(state, live({ ...counted, info: { ...counted.info!, last_token_usage: { ...usage, total_tokens: 12_000 } } })).status.contextUsed).toBe(12_000);
  });

  it('takes the compactions of a resumed session from its log, and from a compaction replayed from it', () => {
    expect(initialViewState('s-1', 4).status.compactions).toBe(4);
    expect(initialViewState('s-1').status.compactions).toBe(0);
    const replayed = reduce(initialViewState('s-1', 4), { type: 'engine', msg: compacted, submission: null, at: 0 });
    expect(replayed.status).toMatchObject({ compactions: 3, contextUsed: 9_000 });
    // A compaction read back from a log is long over: it marks no task as compacting.
    const idle = after(configured);
    expect(reduce(idle, { type: 'engine', msg: compacting, submission: null, at: 0 })).toBe(idle);
    expect(reduce(idle, live(compacting))).toBe(idle);
  });
});
