import { onTestFinished, describe, expect, it } from 'vitest';
import { jsonPayloads, postJson, readSse, sseMessages } from '../../test/support/sse-read.ts';
import { failed, respond, text } from './script-builders.ts';
import type { ScriptStep } from './script.ts';
import { startScriptedServer, type ScriptedServer } from './scripted-server.ts';

async function start(script: ScriptStep[]): Promise<ScriptedServer> {
  const server = await startScriptedServer({ script });
  onTestFinished(() => server.close());
  return server;
}

const input = [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }];
const responses = (server: ScriptedServer, signal?: AbortSignal) =>
  postJson(`${server.url}/responses`, { model: 'm', input, stream: true, store: false }, signal ? { signal } : {});

describe('scripted server faults', () => {
  it('drops the connection after exactly N events', async () => {
    const server = await start([respond(text('one two three'), { faults: { dropAfterEvents: 3 } }), respond(text('again'))]);
    const response = await responses(server);
    expect(response.status).toBe(200);
    const { messages, error } = await readSse(response);
    expect(error).toBeDefined();
    expect(jsonPayloads(messages).map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
    ]);
    // The server carries on: the retry gets the next step.
    const retry = await readSse(await responses(server));
    expect(retry.error).toBeUndefined();
    expect(server.violations).toEqual([]);
  });

  it('drops right after the headers with dropAfterEvents: 0', async () => {
    const server = await start([respond(text('never seen'), { faults: { dropAfterEvents: 0 } })]);
    const response = await responses(server);
    expect(response.status).toBe(200);
    const { messages, error } = await readSse(response);
    expect(messages).toEqual([]);
    expect(error).toBeDefined();
  });

  it('stalls after N events until the client goes away, and keeps serving others', async () => {
    const server = await start([respond(text('a b c'), { faults: { stallAfterEvents: 2 } }), respond(text('next'))]);
    const controller = new AbortController();
    const stalled = sseMessages(await responses(server, controller.signal))[Symbol.asyncIterator]();
    expect((await stalled.next()).value?.event).toBe('response.created');
    expect((await stalled.next()).value?.event).toBe('response.in_progress');
    const third = stalled.next();
    // While one stream is silent, another request is answered in full.
    const other = await readSse(await responses(server));
    expect(jsonPayloads(other.messages).at(-1).type).toBe('response.completed');
    controller.abort();
    await expect(third).rejects.toThrow();
    expect(server.requests.map((request) => request.status)).toEqual([200, 200]);
  });

  it('close() ends a stalled stream and resolves', async () => {
    const server = await start([respond(text('a b c'), { faults: { stallAfterEvents: 1 } })]);
    const stalled = sseMessages(await responses(server))[Symbol.asyncIterator]();
    expect((await stalled.next()).value?.event).toBe('response.created');
    const next = stalled.next();
    await server.close();
    await expect(next).rejects.toThrow();
    await expect(server.waitForRequests(2)).rejects.toThrow(/closed with 1 of 2/);
  });

  it('close() ends a stream paused between delayed events', async () => {
    const server = await start([respond(text('slow words here'), { faults: { delayMs: 60_000 } })]);
    const paused = sseMessages(await responses(server))[Symbol.asyncIterator]();
    expect((await paused.next()).value?.event).toBe('response.created');
    const next = paused.next();
    await server.close();
    await expect(next).rejects.toThrow();
  });

  it('sends one non-JSON data line after N events, then the rest of the stream', async () => {
    const server = await start([respond(text('fine'), { faults: { malformedAfterEvents: 2 } })]);
    const { messages, error } = await readSse(await responses(server));
    expect(error).toBeUndefined();
    expect(() => JSON.parse(messages[2]?.data ?? '')).toThrow();
    expect(messages[2]?.event).toBeUndefined();
    const events = jsonPayloads(messages);
    expect(events).toHaveLength(messages.length - 1);
    expect(events.at(-1).type).toBe('response.completed');
  });

  it('delays between events and still completes', async () => {
    const server = await start([respond(text('a b'), { faults: { delayMs: 1 } })]);
    const { messages, error } = await readSse(await responses(server));
    expect(error).toBeUndefined();
    expect(jsonPayloads(messages).at(-1).type).toBe('response.completed');
  });

  it('paces events at eventsPerSecond, faster than one per timer tick', async () => {
    const words = Array.from({ length: 400 }, (_, index) => `w${index}`).join(' ');
    const server = await start([respond(text(words), { faults: { eventsPerSecond: 2000 } })]);
    const response = await responses(server);
    const arrivals: number[] = [];
    let deltas = 0;
    for await (const message of sseMessages(response)) {
      if (message.event !== 'response.output_text.delta') continue;
      deltas++;
      arrivals.push(performance.now());
    }
    expect(deltas).toBe(400);
    // 400 deltas (plus a few framing events) at 2,000/s take about 200 ms: not sent at once, not one per tick.
    const spread = arrivals.at(-1)! - arrivals[0]!;
    expect(spread).toBeGreaterThan(150);
    expect(spread).toBeLessThan(1000);
  });

  it('applies faults to failed steps and to Chat streams too', async () => {
    const server = await start([
      failed('server_error', 'boom', { faults: { dropAfterEvents: 1 } }),
      respond(text('one two'), { faults: { dropAfterEvents: 2 } }),
    ]);
    const failing = await readSse(await responses(server));
    expect(failing.messages).toHaveLength(1);
    expect(failing.error).toBeDefined();
    const chat = await postJson(`${server.url}/chat/completions`, {
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    const cut = await readSse(chat);
    expect(cut.messages).toHaveLength(2);
    expect(cut.error).toBeDefined();
  });
});
