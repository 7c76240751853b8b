/** Transient failures are retried visibly; the others reach the user with the server's message; the session survives. */
import { afterEach, expect, it } from 'vitest';
import { failed, httpError, respond, text } from '../../src/scripted/script-builders.ts';
import { userMessageTexts } from '../../src/scripted/index.ts';
import { AgentHarness } from '../support/agent-harness.ts';
import { checkEventInvariants } from '../support/event-invariants.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const harnesses: AgentHarness[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.shutdown();
});

function start(url: string, options: { idleTimeoutMs?: number; maxRetries?: number } = {}): AgentHarness {
  const harness = new AgentHarness({ baseUrl: url, ...options });
  harnesses.push(harness);
  return harness;
}

it('waits as long as Retry-After says after a 429, then succeeds', async () => {
  const server = await useScriptedServer([httpError(429, { headers: { 'retry-after': '1' }, message: 'Rate limit reached' }), respond(text('after the wait'))]);
  const harness = start(server.url);
  harness.say('hi');
  const retry = await harness.first('stream_error');
  expect(retry).toMatchObject({ kind: 'rate_limited', attempt: 1, max_attempts: 5, delay_ms: 1000 });
  expect(retry.message).toMatch(/^retrying 1\/5 in 1\.0s: .*Rate limit reached/);
  expect((await harness.first('task_complete')).last_agent_message).toBe('after the wait');
  expect(harness.ofType('error')).toEqual([]);
});

it('retries two 500s and succeeds on the third request', async () => {
  const server = await useScriptedServer([httpError(500), httpError(502), respond(text('third time'))]);
  const harness = start(server.url);
  harness.say('hi');
  expect((await harness.first('task_complete')).last_agent_message).toBe('third time');
  expect(harness.ofType('stream_error').map((event) => event.attempt)).toEqual([1, 2]);
});

it('re-sends the request when the stream is dropped mid-message', async () => {
  const server = await useScriptedServer([
    respond(text('this answer will be cut off in the middle'), { faults: { dropAfterEvents: 4 } }),
    respond(text('complete answer')),
  ]);
  const harness = start(server.url);
  harness.say('hi');
  expect((await harness.first('task_complete')).last_agent_message).toBe('complete answer');
  expect(harness.ofType('stream_error')[0]!.kind).toBe('stream_incomplete');
  // The cut-off message never became part of the history.
  const [, second] = await server.waitForRequests(2);
  expect(JSON.stringify(second!.body.input)).not.toContain('cut off');
});

it('gives up on a stream that goes silent past the idle timeout, then succeeds on retry', async () => {
  const server = await useScriptedServer([respond(text('silence follows'), { faults: { stallAfterEvents: 2 } }), respond(text('awake'))]);
  const harness = start(server.url, { idleTimeoutMs: 300 });
  harness.say('hi');
  expect((await harness.first('task_complete')).last_agent_message).toBe('awake');
  expect(harness.ofType('stream_error')[0]!.kind).toBe('idle_timeout');
});

it('surfaces a 400 with the server message, without retrying, and the session stays usable', async () => {
  const server = await useScriptedServer([
    httpError(400, { message: "Invalid value for 'model': no such model." }),
    respond(text('fine now')),
  ]);
  const harness = start(server.url);
  harness.say('first');
  const error = await harness.first('error');
  expect(error.kind).toBe('bad_request');
  expect(error.message).toContain("Invalid value for 'model': no such model.");
  await harness.first('task_complete');
  expect(harness.ofType('stream_error')).toEqual([]);
  expect(server.requests).toHaveLength(1);

  harness.say('second');
  await harness.waitFor((event) => event.msg.type === 'task_complete' && event.msg.last_agent_message === 'fine now');
  expect(checkEventInvariants(harness.events)).toEqual([]);
});

it('reports a broken JSON event clearly and the session stays usable', async () => {
  const server = await useScriptedServer([respond(text('garbled'), { faults: { malformedAfterEvents: 2 } }), respond(text('clean'))]);
  const harness = start(server.url);
  harness.say('first');
  const error = await harness.first('error');
  expect(error.kind).toBe('malformed');
  expect(error.message).toMatch(/JSON/i);
  await harness.first('task_complete');
  harness.say('second');
  await harness.waitFor((event) => event.msg.type === 'task_complete' && event.msg.last_agent_message === 'clean');
});

it('ends the task with an error after the retry budget is spent', async () => {
  const server = await useScriptedServer([httpError(503), httpError(503), httpError(503)]);
  const harness = start(server.url, { maxRetries: 2 });
  harness.say('hi');
  const error = await harness.first('error');
  expect(error.kind).toBe('server');
  expect(harness.ofType('stream_error')).toHaveLength(2);
  await harness.first('task_complete');
});

it('reports a failed response with the quota message and does not retry it', async () => {
  const server = await useScriptedServer([failed('insufficient_quota', 'You exceeded your current quota.')]);
  const harness = start(server.url);
  harness.say('hi');
  const error = await harness.first('error');
  expect(error.kind).toBe('quota');
  expect(error.message).toMatch(/quota/i);
  await harness.first('task_complete');
  expect(harness.ofType('stream_error')).toEqual([]);
});

it('keeps a message queued while a request is retried when the task then fails: shown, and sent with the next request', async () => {
  const server = await useScriptedServer([
    httpError(429, { headers: { 'retry-after': '1' } }),
    httpError(400, { message: 'Invalid request' }),
    respond(text('answered both')),
  ]);
  const harness = start(server.url);
  harness.say('first');
  await harness.first('stream_error');
  harness.say('typed during the wait');
  await harness.first('task_complete');
  expect(harness.ofType('error')).toHaveLength(1);
  expect(harness.ofType('user_message').map((event) => event.message)).toEqual(['first', 'typed during the wait']);

  harness.say('and now?');
  await harness.next('task_complete');
  const [, , third] = await server.waitForRequests(3);
  expect(userMessageTexts(third!).slice(-3)).toEqual(['first', 'typed during the wait', 'and now?']);
  expect(checkEventInvariants(harness.events)).toEqual([]);
});
