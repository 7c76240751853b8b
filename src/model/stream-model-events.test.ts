import { afterEach, describe, expect, it } from 'vitest';
import type { ModelEvent } from './model-event.ts';
import { streamModelEvents, type StreamMapper } from './stream-model-events.ts';
import { sse, startSse, startTestHttpServer, type TestHttpServer } from './test-http-server.ts';

let server: TestHttpServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function collect(events: AsyncIterable<ModelEvent>): Promise<ModelEvent[]> {
  const out: ModelEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

async function twoMessageServer(): Promise<TestHttpServer> {
  server = await startTestHttpServer((_request, response) => {
    startSse(response);
    response.write(sse('one'));
    response.end(sse('two'));
  });
  return server;
}

function base(srv: TestHttpServer) {
  return { url: `${srv.baseUrl}/x`, headers: {}, connectTimeoutMs: 5000, idleTimeoutMs: 5000, now: Date.now };
}

describe('streamModelEvents', () => {
  it('stops at the first terminal event and drops what the mapper returned after it', async () => {
    const srv = await twoMessageServer();
    const mapper: StreamMapper = {
      onMessage: (message) => [
        { type: 'text_delta', delta: message.data },
        { type: 'completed', responseId: null, usage: null, endTurn: null },
        { type: 'text_delta', delta: 'after' },
      ],
      onEnd: () => [],
    };
    const events = await collect(streamModelEvents(base(srv), () => '{}', mapper, new AbortController().signal));
    expect(events).toEqual([
      { type: 'text_delta', delta: 'one' },
      { type: 'completed', responseId: null, usage: null, endTurn: null },
    ]);
  });

  it('still ends with a terminal event when a mapper forgets one', async () => {
    const srv = await twoMessageServer();
    const mapper: StreamMapper = { onMessage: () => [], onEnd: () => [] };
    const events = await collect(streamModelEvents(base(srv), () => '{}', mapper, new AbortController().signal));
    expect(events).toEqual([{ type: 'failed', error: { kind: 'stream_incomplete', message: 'stream ended without a final event' } }]);
  });

  it('turns a throw into a failed event instead of rejecting', async () => {
    const srv = await twoMessageServer();
    const mapper: StreamMapper = {
      onMessage: () => {
        throw new Error('mapper bug');
      },
      onEnd: () => [],
    };
    const events = await collect(streamModelEvents(base(srv), () => '{}', mapper, new AbortController().signal));
    expect(events).toEqual([{ type: 'failed', error: { kind: 'malformed', message: 'could not read the model stream: mapper bug' } }]);
    const failingBody = await collect(
      streamModelEvents(base(srv), () => {
        throw new Error('no body');
      }, mapper, new AbortController().signal),
    );
    expect(failingBody).toEqual([{ type: 'failed', error: { kind: 'malformed', message: 'could not read the model stream: no body' } }]);
  });
});
