import { afterEach, describe, expect, it } from 'vitest';
import type { ModelEvent } from '../model-event.ts';
import { testPrompt } from '../test-prompt.ts';
import { sse, startSse, startTestHttpServer, type TestHandler, type TestHttpServer } from '../test-http-server.ts';
import { ResponsesClient } from './client.ts';
import type { ClientOptions } from '../client-options.ts';

let server: TestHttpServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: TestHandler): Promise<TestHttpServer> {
  server = await startTestHttpServer(handler);
  return server;
}

async function collect(events: AsyncIterable<ModelEvent>): Promise<ModelEvent[]> {
  const out: ModelEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

function client(srv: TestHttpServer, options: Partial<ClientOptions> = {}): ResponsesClient {
  return new ResponsesClient({ baseUrl: srv.baseUrl, ...options });
}

const created = sse({ type: 'response.created', response: { id: 'resp_1' } }, 'response.created');
const completed = sse(
  { type: 'response.completed', response: { id: 'resp_1', usage: { input_tokens: 5, output_tokens: 2, total_tokens: 7 } } },
  'response.completed',
);
const message = { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hi!' }] };

describe('ResponsesClient', () => {
  it('streams a response and sends the request the API expects', async () => {
    const srv = await serve((_request, response) => {
      startSse(response);
      response.write(created);
      response.write(': keepalive\n\n');
      const delta = sse({ type: 'response.output_text.delta', delta: 'Hi!' }, 'response.output_text.delta');
      // Split inside a message, to be reassembled.
      response.write(delta.slice(0, 20));
      response.write(delta.slice(20));
      response.write(sse({ type: 'response.output_item.done', item: message }, 'response.output_item.done'));
      response.end(completed);
    });
    const events = await collect(
      client(srv, { apiKey: 'sk-test', headers: { 'x-extra': 'yes' }, queryParams: { 'api-version': '2025-01' } }).stream(
        testPrompt(),
        new AbortController().signal,
      ),
    );
    expect(events).toEqual([
      { type: 'created', responseId: 'resp_1' },
      { type: 'text_delta', delta: 'Hi!' },
      { type: 'output_item_done', item: message },
      {
        type: 'completed',
        responseId: 'resp_1',
        usage: { input_tokens: 5, cached_input_tokens: 0, output_tokens: 2, reasoning_output_tokens: 0, total_tokens: 7 },
        endTurn: null,
      },
    ]);
    const [request] = srv.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v1/responses?api-version=2025-01');
    expect(request?.headers['authorization']).toBe('Bearer sk-test');
    expect(request?.headers['accept']).toBe('text/event-stream');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['x-extra']).toBe('yes');
    const body = JSON.parse(request?.body ?? '{}') as Record<string, unknown>;
    expect(body['model']).toBe('test-model');
    expect(body['stream']).toBe(true);
  });

  it('sends no Authorization header without a key', async () => {
    const srv = await serve((_request, response) => {
      startSse(response);
      response.end(completed);
    });
    await collect(client(srv).stream(testPrompt(), new AbortController().signal));
    expect(srv.requests[0]?.headers['authorization']).toBeUndefined();
  });

  it('reports 429 as rate_limited with the delay from the headers', async () => {
    const srv = await serve((_request, response) => {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '750', 'retry-after': '1' });
      response.end(JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }));
    });
    const events = await collect(client(srv).stream(testPrompt(), new AbortController().signal));
    expect(events).toEqual([
      { type: 'failed', error: { kind: 'rate_limited', message: 'HTTP 429: Rate limit reached', status: 429, retryAfterMs: 750 } },
    ]);
  });

  it('reports 429 insufficient_quota as quota', async () => {
    const srv = await serve((_request, response) => {
      response.writeHead(429, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'You exceeded your quota', type: 'insufficient_quota', code: 'insufficient_quota' } }));
    });
    const [event] = await collect(client(srv).stream(testPrompt(), new AbortController().signal));
    expect(event).toMatchObject({ type: 'failed', error: { kind: 'quota', status: 429 } });
  });

  it('reports 500 as server', async () => {
    const srv = await serve((_request, response) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('upstream exploded');
    });
    const events = await collect(client(srv).stream(testPrompt(), new AbortController().signal));
    expect(events).toEqual([{ type: 'failed', error: { kind: 'server', message: 'HTTP 500: upstream exploded', status: 500 } }]);
  });

  it("surfaces a 400's own message", async () => {
    const srv = await serve((_request, response) => {
      response.writeHead(400, { 'content-type': 'application/json' });
      const error = { message: 'No tool output found for function call call_7.', type: 'invalid_request_error', param: 'input', code: null };
      response.end(JSON.stringify({ error }));
    });
    const events = await collect(client(srv).stream(testPrompt(), new AbortController().signal));
    expect(events).toEqual([
      { type: 'failed', error: { kind: 'bad_request', message: 'HTTP 400: No tool output found for function call call_7.', status: 400 } },
    ]);
  });

  it('reports a connection dropped mid-stream as stream_incomplete', async () => {
    const srv = await serve((_request, response) => {
      startSse(response);
      response.write(created, () => response.socket?.destroy());
    });
    const events = await collect(client(srv).stream(testPrompt(), new AbortController().signal));
    expect(events[0]).toEqual({ type: 'created', responseId: 'resp_1' });
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ type: 'failed', error: { kind: 'stream_incomplete' } });
    if (events[1]?.type === 'failed') expect(events[1].error.message).toMatch(/^stream closed before response.completed/);
  });

  it('reports a clean end without response.completed as stream_incomplete', async () => {
    const srv = await serve((_request, response) => {
      startSse(response);
      response.end(created);
    });
    const events = await collect(client(srv).stream(testPrompt(), new AbortController().signal));
    expect(events.at(-1)).toEqual({
      type: 'failed',
      error: { kind: 'stream_incomplete', message: 'stream closed before response.completed' },
    });
  });

  it('reports a stream that goes silent as idle_timeout', async () => {
    const srv = await serve((_request, response) => {
      startSse(response);
      response.write(created);
    });
    const events = await collect(client(srv, { idleTimeoutMs: 200 }).stream(testPrompt(), new AbortController().signal));
    expect(events).toEqual([
      { type: 'created', responseId: 'resp_1' },
      { type: 'failed', error: { kind: 'idle_timeout', message: 'no data from the model for 0.2 s' } },
    ]);
    await srv.requests[0]?.closed;
  });

  it('counts SSE comments as activity for the idle timeout', async () => {
    const srv = await serve((_request, response) => {
      startSse(response);
      response.write(created);
      let beats = 0;
      // Keepalives every 40 ms for ~5 idle periods: the stream must survive on comments alone.
      const interval = setInterval(() => {
        if (++beats < 25) {
          response.write(': keepalive\n\n');
          return;
        }
        clearInterval(interval);
        response.end(completed);
      }, 40);
      response.on('close', () => clearInterval(interval));
    });
    const events = await collect(client(srv, { idleTimeoutMs: 250 }).stream(testPrompt(), new AbortController().signal));
    expect(events.map((event) => event.type)).toEqual(['created', 'completed']);
  });

  it('ends quietly and closes the connection when aborted mid-stream', async () => {
    const srv = await serve((_request, response) => {
      startSse(response);
      response.write(created); // then silence, until the client leaves
    });
    const controller = new AbortController();
    const events: ModelEvent[] = [];
    for await (const event of client(srv).stream(testPrompt(), controller.signal)) {
      events.push(event);
      controller.abort();
    }
    expect(events).toEqual([{ type: 'created', responseId: 'resp_1' }]);
    await srv.requests[0]?.closed;
  });

  it('ends quietly when aborted while waiting for the next event', async () => {
    const srv = await serve((_request, response) => {
      startSse(response);
      response.write(created);
    });
    const controller = new AbortController();
    const iterator = client(srv).stream(testPrompt(), controller.signal)[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual({ type: 'created', responseId: 'resp_1' });
    const pending = iterator.next();
    controller.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
    await srv.requests[0]?.closed;
  });

  it('yields nothing and sends nothing when the signal is already aborted', async () => {
    const srv = await serve((_request, response) => response.end());
    const controller = new AbortController();
    controller.abort();
    expect(await collect(client(srv).stream(testPrompt(), controller.signal))).toEqual([]);
    expect(srv.requests).toEqual([]);
  });

  it('stops reading and releases the connection after the terminal event', async () => {
    const srv = await serve((_request, response) => {
      startSse(response);
      response.write(created);
      response.write(completed); // and the connection stays open, as a misbehaving proxy might keep it
    });
    const events = await collect(client(srv).stream(testPrompt(), new AbortController().signal));
    expect(events.map((event) => event.type)).toEqual(['created', 'completed']);
    await srv.requests[0]?.closed;
  });

  it('fails malformed on an event whose data is not JSON, and stops there', async () => {
    const srv = await serve((_request, response) => {
      startSse(response);
      response.write(created);
      response.write('event: response.output_text.delta\ndata: {not json\n\n');
      response.end(completed);
    });
    const events = await collect(client(srv).stream(testPrompt(), new AbortController().signal));
    expect(events).toEqual([
      { type: 'created', responseId: 'resp_1' },
      { type: 'failed', error: { kind: 'malformed', message: 'event "response.output_text.delta" is not JSON: "{not json"' } },
    ]);
  });

  it('reports an unreachable server as network', async () => {
    const srv = await serve((_request, response) => response.end());
    const baseUrl = srv.baseUrl;
    await srv.close();
    server = undefined;
    const events = await collect(new ResponsesClient({ baseUrl }).stream(testPrompt(), new AbortController().signal));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'failed', error: { kind: 'network' } });
    if (events[0]?.type === 'failed') expect(events[0].error.message).toContain('ECONNREFUSED');
  });

  it('reports a server that never answers as network after the connect timeout', async () => {
    const srv = await serve(() => {
      // Never answers: no status line, no headers.
    });
    const events = await collect(client(srv, { connectTimeoutMs: 200 }).stream(testPrompt(), new AbortController().signal));
    expect(events).toEqual([{ type: 'failed', error: { kind: 'network', message: 'no response from the model within 0.2 s' } }]);
    await srv.requests[0]?.closed;
  });
});
