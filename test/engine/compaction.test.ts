/**
 * Compaction against the scripted server: automatic (the reported usage passed the limit), on a request that does
 * not fit, and asked for (`compact`); on both wire APIs and in stateful mode. Each test checks what went over the
 * wire: the summary request has no tools, and the request after it holds the summary and the task, not the old
 * tool output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SUMMARY_INSTRUCTION, SUMMARY_PREFIX } from '../../src/core/compaction.ts';
import { UNKNOWN_MODEL_PROFILE } from '../../src/model/model-profile.ts';
import type { CapturedRequest } from '../../src/scripted/index.ts';
import { failed, functionCall, httpError, respond, text, userMessageTexts } from '../../src/scripted/index.ts';
import { AgentHarness, type HarnessOptions } from '../support/agent-harness.ts';
import { checkEventInvariants } from '../support/event-invariants.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const harnesses: AgentHarness[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.shutdown();
});

function start(options: HarnessOptions & { limit?: number | null; window?: number | null }): AgentHarness {
  const { limit = 1000, window = null, ...rest } = options;
  const harness = new AgentHarness({
    ...rest,
    modelProfile: () => ({ ...UNKNOWN_MODEL_PROFILE, contextWindow: window, autoCompactTokenLimit: limit }),
  });
  harnesses.push(harness);
  return harness;
}

const TASK = 'Rename the config loader and keep the old name as an alias.';
const BIG_OUTPUT_MARK = 'OLD-TOOL-OUTPUT';
const SUMMARY = 'Task: rename the loader. Done: read src/config.ts. Next: edit it.';
/** Usage that passes the test limit of 1000 tokens. */
const OVER = { usage: { input_tokens: 1100, output_tokens: 40 } };

const listing = functionCall('shell', { command: ['bash', '-lc', `echo ${BIG_OUTPUT_MARK}`] }, 'call_ls');

/** What a Responses request says, as the assertions need it. */
function wire(request: CapturedRequest): { tools: unknown; texts: string[]; json: string } {
  const texts = request.api === 'chat' ? chatTexts(request) : userMessageTexts(request);
  return { tools: request.body.tools, texts, json: JSON.stringify(request.body.input ?? request.body.messages) };
}

function chatTexts(request: CapturedRequest): string[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON
  return (request.body.messages as any[]).filter((message) => message.role === 'user').map((message) => String(message.content));
}

function isSummaryRequest(request: CapturedRequest): boolean {
  return wire(request).texts.at(-1)?.startsWith(SUMMARY_INSTRUCTION.slice(0, 40)) ?? false;
}

describe('automatic compaction', () => {
  it('compacts before the next request once the reported usage passes the limit, and the task goes on', async () => {
    const server = await useScriptedServer([respond(listing, OVER), respond(text(SUMMARY)), respond(text('Renamed.'))]);
    const harness = start({ baseUrl: server.url });
    harness.say(TASK);
    expect((await harness.first('task_complete')).last_agent_message).toBe('Renamed.');

    const [first, summary, next] = await server.waitForRequests(3);
    expect(first!.body.tools).toBeDefined();
    // The summary request: the whole history, the instruction last, and no tools to call.
    expect(isSummaryRequest(summary!)).toBe(true);
    expect(summary!.body.tools).toBeUndefined();
    expect(summary!.body.tool_choice).toBeUndefined();
    expect(wire(summary!).json).toContain(BIG_OUTPUT_MARK);
    // The request after it: the task verbatim and the summary, not the old tool output or call.
    const after = wire(next!);
    expect(after.tools).toBeDefined();
    expect(after.texts).toContain(TASK);
    expect(after.texts.some((message) => message.startsWith(SUMMARY_PREFIX) && message.includes(SUMMARY))).toBe(true);
    expect(after.json).not.toContain(BIG_OUTPUT_MARK);
    expect(after.json).not.toContain('call_ls');

    const compacted = harness.ofType('context_compacted');
    expect(compacted).toHaveLength(1);
    expect(compacted[0]).toMatchObject({ reason: 'auto', compactions: 1 });
    expect(compacted[0]!.tokens_after).toBeLessThan(compacted[0]!.tokens_before);
    expect(harness.ofType('agent_message').map((event) => event.message)).not.toContain(SUMMARY);
    expect(checkEventInvariants(harness.events, { complete: false })).toEqual([]);
  });

  it('does not compact below the limit', async () => {
    const server = await useScriptedServer([respond(listing, { usage: { input_tokens: 500, output_tokens: 10 } }), respond(text('Done.'))]);
    const harness = start({ baseUrl: server.url });
    harness.say(TASK);
    await harness.first('task_complete');
    expect(harness.ofType('compaction_started')).toEqual([]);
    expect((await server.waitForRequests(2)).some(isSummaryRequest)).toBe(false);
  });

  it('compacts between tasks too, keeping the new prompt after the summary', async () => {
    const server = await useScriptedServer([respond(text('First done.'), OVER), respond(text(SUMMARY)), respond(text('Second done.'))]);
    const harness = start({ baseUrl: server.url });
    harness.say(TASK);
    await harness.first('task_complete');
    const from = harness.events.length;
    harness.say('Now add a test for the alias.');
    await harness.first('task_complete', from);
    const [, summary, next] = await server.waitForRequests(3);
    // The new prompt is not part of what is summarized: the model has not answered it yet.
    expect(wire(summary!).texts).not.toContain('Now add a test for the alias.');
    const texts = wire(next!).texts;
    expect(texts.at(-1)).toBe('Now add a test for the alias.');
    expect(texts).toContain(TASK);
    expect(texts.findIndex((message) => message.startsWith(SUMMARY_PREFIX))).toBe(texts.length - 2);
  });

  it('works the same on Chat Completions', async () => {
    const server = await useScriptedServer([respond(listing, OVER), respond(text(SUMMARY)), respond(text('Renamed.'))]);
    const harness = start({ baseUrl: server.url, wireApi: 'chat' });
    harness.say(TASK);
    expect((await harness.first('task_complete')).last_agent_message).toBe('Renamed.');
    const [, summary, next] = await server.waitForRequests(3);
    expect(summary!.body.tools).toBeUndefined();
    expect(isSummaryRequest(summary!)).toBe(true);
    // Chat joins consecutive user messages into one: the task and the summary arrive together.
    const after = wire(next!);
    expect(after.texts.join('\n')).toContain(TASK);
    expect(after.texts.join('\n')).toContain(`${SUMMARY_PREFIX} The conversation before this point`);
    expect(after.json).not.toContain(BIG_OUTPUT_MARK);
    expect(after.json).not.toContain('tool_calls');
  });

  it('in stateful mode, summarizes along the chain and starts a new chain from the compacted history', async () => {
    const server = await useScriptedServer([respond(listing, { ...OVER, id: 'resp_first' }), respond(text(SUMMARY)), respond(text('Renamed.'))]);
    const harness = start({ baseUrl: server.url, stateful: true });
    harness.say(TASK);
    await harness.first('task_complete');
    const [, summary, next] = await server.waitForRequests(3);
    expect(summary!.body.previous_response_id).toBe('resp_first');
    expect(summary!.body.tools).toBeUndefined();
    expect(next!.body.previous_response_id).toBeUndefined();
    expect(next!.body.store).toBe(true);
    const after = wire(next!);
    expect(after.texts).toContain(TASK);
    expect(after.texts.some((message) => message.startsWith(SUMMARY_PREFIX))).toBe(true);
    expect(after.json).not.toContain(BIG_OUTPUT_MARK);
  });

  it('goes on uncompacted, with a warning, when the summary request fails for good', async () => {
    const server = await useScriptedServer([
      respond(listing, OVER),
      httpError(400, { message: 'Unsupported parameter.', code: 'unsupported_parameter' }),
      respond(text('Renamed anyway.')),
    ]);
    const harness = start({ baseUrl: server.url });
    harness.say(TASK);
    expect((await harness.first('task_complete')).last_agent_message).toBe('Renamed anyway.');
    expect(harness.ofType('warning').at(-1)!.message).toMatch(/could not compact the conversation \(HTTP 400: Unsupported parameter\.\); going on/);
    expect(harness.ofType('context_compacted')).toEqual([]);
    const [, , next] = await server.waitForRequests(3);
    // The history is exactly what it was: the old output is still there.
    expect(wire(next!).json).toContain(BIG_OUTPUT_MARK);
  });

  it('retries a summary request that hits a transient error, by the normal rules', async () => {
    const server = await useScriptedServer([respond(listing, OVER), httpError(503), respond(text(SUMMARY)), respond(text('Renamed.'))]);
    const harness = start({ baseUrl: server.url });
    harness.say(TASK);
    await harness.first('task_complete');
    expect(harness.ofType('stream_error')).toHaveLength(1);
    expect(harness.ofType('context_compacted')).toHaveLength(1);
  });

  it('keeps the history as it was when the summary request is interrupted', async () => {
    const server = await useScriptedServer([
      respond(listing, OVER),
      respond(text(SUMMARY), { faults: { stallAfterEvents: 1 } }),
      respond(text(SUMMARY)),
      respond(text('Renamed.')),
    ]);
    const harness = start({ baseUrl: server.url });
    harness.say(TASK);
    await harness.first('compaction_started');
    await server.waitForRequests(2);
    harness.submit({ type: 'interrupt' });
    await harness.first('turn_aborted');
    expect(harness.ofType('context_compacted')).toEqual([]);
    const from = harness.events.length;
    harness.say('continue');
    await harness.first('task_complete', from);
    // The usage still passes the limit, so the next task compacts first: from the whole, unchanged history.
    const requests = await server.waitForRequests(4);
    expect(isSummaryRequest(requests[2]!)).toBe(true);
    expect(wire(requests[2]!).json).toContain(BIG_OUTPUT_MARK);
    expect(wire(requests[3]!).json).not.toContain(BIG_OUTPUT_MARK);
    expect(checkEventInvariants(harness.events, { complete: false })).toEqual([]);
  });
});

describe('a request that does not fit', () => {
  const tooLong = () => httpError(400, { message: 'Your input exceeds the context window of this model.', code: 'context_length_exceeded' });

  it('compacts once and sends the request again', async () => {
    const server = await useScriptedServer([respond(listing), tooLong(), respond(text(SUMMARY)), respond(text('Renamed.'))]);
    const harness = start({ baseUrl: server.url, limit: null });
    harness.say(TASK);
    expect((await harness.first('task_complete')).last_agent_message).toBe('Renamed.');
    expect(harness.ofType('context_compacted')[0]).toMatchObject({ reason: 'overflow' });
    expect(harness.ofType('error')).toEqual([]);
    const requests = await server.waitForRequests(4);
    expect(isSummaryRequest(requests[2]!)).toBe(true);
    expect(wire(requests[3]!).json).not.toContain(BIG_OUTPUT_MARK);
  });

  it('says what is too big when even the compacted request does not fit', async () => {
    const huge = `Please review this log:\n${'x'.repeat(30_000)}`;
    const server = await useScriptedServer([respond(text('Sure.')), tooLong(), respond(text(SUMMARY)), tooLong()], { allowViolations: true });
    const harness = start({ baseUrl: server.url, limit: null });
    harness.say(TASK);
    await harness.first('task_complete');
    const from = harness.events.length;
    harness.say(huge);
    await harness.first('task_complete', from);
    const error = harness.ofType('error').at(-1)!;
    expect(error.kind).toBe('context_window_exceeded');
    expect(error.message).toMatch(/does not fit test-model's context window even after compacting/);
    expect(error.message).toMatch(/The biggest part is a user message \(“Please review this log: x+…”\), about 7\.5k tokens\. Send it again shorter/);
  });

  it('summarizes a cut-down copy when the whole history does not fit even for the summary', async () => {
    const server = await useScriptedServer([respond(listing), tooLong(), tooLong(), respond(text(SUMMARY)), respond(text('Renamed.'))]);
    const harness = start({ baseUrl: server.url, limit: null });
    harness.say(TASK);
    await harness.first('task_complete');
    const requests = await server.waitForRequests(5);
    const standalone = requests[3]!;
    expect(isSummaryRequest(standalone)).toBe(true);
    expect(standalone.body.store).toBe(false);
    expect(wire(standalone).texts).toContain(TASK);
    expect(harness.ofType('warning').at(-1)!.message).toMatch(/did not fit for summarizing.*long outputs trimmed/);
  });
});

describe('the compact op', () => {
  it('compacts between tasks as a task of its own, with the person\u2019s instruction', async () => {
    const server = await useScriptedServer([respond(listing), respond(text('Read it.')), respond(text(SUMMARY)), respond(text('Next.'))]);
    const harness = start({ baseUrl: server.url, limit: null });
    harness.say(TASK);
    await harness.first('task_complete');
    const from = harness.events.length;
    harness.submit({ type: 'compact', instruction: 'keep the API design notes' });
    await harness.first('task_complete', from);
    const types = harness.events.slice(from).map((event) => event.msg.type);
    expect(types).toEqual(['task_started', 'compaction_started', 'token_count', 'context_compacted', 'task_complete']);
    const [, , summary] = await server.waitForRequests(3);
    expect(wire(summary!).texts.at(-1)).toMatch(/The user adds, about what the notes must keep: keep the API design notes$/);
    const next = harness.events.length;
    harness.say('go on');
    await harness.first('task_complete', next);
    const [, , , after] = await server.waitForRequests(4);
    expect(wire(after!).json).not.toContain(BIG_OUTPUT_MARK);
    expect(checkEventInvariants(harness.events, { complete: false })).toEqual([]);
  });

  it('asked while a task runs, compacts before that task\u2019s next request', async () => {
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: ['bash', '-lc', `sleep 0.3; echo ${BIG_OUTPUT_MARK}`] }, 'call_slow')),
      respond(text(SUMMARY)),
      respond(text('Renamed.')),
    ]);
    const harness = start({ baseUrl: server.url, limit: null });
    harness.say(TASK);
    await harness.first('exec_command_begin');
    harness.submit({ type: 'compact' });
    expect((await harness.first('task_complete')).last_agent_message).toBe('Renamed.');
    expect(harness.ofType('context_compacted')[0]).toMatchObject({ reason: 'manual' });
    const [, summary, next] = await server.waitForRequests(3);
    expect(wire(summary!).json).toContain(BIG_OUTPUT_MARK);
    expect(wire(next!).json).not.toContain(BIG_OUTPUT_MARK);
  });

  it('asked during the task\u2019s last request, compacts before the task ends instead of dropping it', async () => {
    // The answer streams slowly: the op arrives while its first words are out and the rest is still to come.
    const server = await useScriptedServer([respond(listing), respond(text('one two three four five six seven eight'), { faults: { delayMs: 150 } }), respond(text(SUMMARY))]);
    const harness = start({ baseUrl: server.url, limit: null });
    harness.say(TASK);
    await harness.first('agent_message_delta');
    harness.submit({ type: 'compact' });
    await harness.first('task_complete');
    const types = harness.events.map((event) => event.msg.type);
    expect(types.indexOf('context_compacted')).toBeGreaterThan(types.indexOf('agent_message'));
    expect(types.indexOf('context_compacted')).toBeLessThan(types.indexOf('task_complete'));
    expect((await harness.first('task_complete')).last_agent_message).toBe('one two three four five six seven eight');
  });

  it('says there is nothing to compact before the model has answered', async () => {
    const server = await useScriptedServer([]);
    const harness = start({ baseUrl: server.url });
    harness.submit({ type: 'compact' });
    expect((await harness.next('warning')).message).toMatch(/nothing to compact yet/);
    expect(harness.ofType('task_started')).toEqual([]);
  });

  it('reports a failed summary as an error of the compaction task and keeps the history', async () => {
    const server = await useScriptedServer([respond(text('Read it.')), failed('server_error', 'The model is overloaded.'), respond(text('Still here.'))], {
      allowViolations: true,
    });
    const harness = new AgentHarness({ baseUrl: server.url, maxRetries: 0 });
    harnesses.push(harness);
    harness.say(TASK);
    await harness.first('task_complete');
    const from = harness.events.length;
    harness.submit({ type: 'compact' });
    await harness.first('task_complete', from);
    expect(harness.ofType('error').at(-1)!.message).toMatch(/^could not compact the conversation: The model is overloaded\./);
    const next = harness.events.length;
    harness.say('go on');
    await harness.first('task_complete', next);
    const requests = await server.waitForRequests(3);
    expect(wire(requests[2]!).texts.some((message) => message.startsWith(SUMMARY_PREFIX))).toBe(false);
    expect(wire(requests[2]!).json).toContain('Read it.');
  });
});
