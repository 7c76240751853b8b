import { afterEach, describe, expect, it } from 'vitest';
import type { ModelEvent } from '../model-event.ts';
import { testPrompt } from '../test-prompt.ts';
import { sse, startSse, startTestHttpServer, type TestHandler, type TestHttpServer } from '../test-http-server.ts';
import { ChatClient } from './client.ts';

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

function chunk(delta: Record<string, unknown>, finish: string | null = null): string {
  return sse({ id: 'chatcmpl-7', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });
}

describe('ChatClient', () => {
  it('posts to /chat/completions and turns a text + two tool calls stream into items', async () => {
    const srv = await serve((_request, response) => {
      startSse(response);
      response.write(chunk({ role: 'assistant', content: 'Checking.' }));
      // Two calls without ids, their arguments interleaved and split.
      response.write(chunk({ tool_calls: [{ index: 0, type: 'function', function: { name: 'shell', arguments: '{"comm' } }] }));
      response.write(chunk({ tool_calls: [{ index: 1, type: 'function', function: { name: 'read', arguments: '{}' } }] }));
      response.write(chunk({ tool_calls: [{ index: 0, function: { arguments: 'and":["ls"]}' } }] }));
      response.write(chunk({}, 'tool_calls'));
      response.write(sse({ id: 'chatcmpl-7', choices: [], usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 } }));
      response.end(sse('[DONE]'));
    });
    const events = await collect(new ChatClient({ baseUrl: `${srv.baseUrl}/`, apiKey: 'k' }).stream(testPrompt(), new AbortController().signal));
    expect(events).toEqual([
      { type: 'created', responseId: null },
      { type: 'text_delta', delta: 'Checking.' },
      { type: 'output_item_done', item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.' }] } },
      {
        type: 'output_item_done',
        item: { type: 'function_call', name: 'shell', arguments: '{"command":["ls"]}', call_id: 'call_chatcmpl-7_0' },
      },
      { type: 'output_item_done', item: { type: 'function_call', name: 'read', arguments: '{}', call_id: 'call_chatcmpl-7_1' } },
      {
        type: 'completed',
        responseId: null,
        usage: { input_tokens: 9, cached_input_tokens: 0, output_tokens: 3, reasoning_output_tokens: 0, total_tokens: 12 },
        endTurn: null,
      },
    ]);
    const [request] = srv.requests;
    expect(request?.url).toBe('/v1/chat/completions');
    expect(request?.headers['authorization']).toBe('Bearer k');
    const body = JSON.parse(request?.body ?? '{}') as Record<string, unknown>;
    expect(body['stream']).toBe(true);
    expect(body['stream_options']).toEqual({ include_usage: true });
    expect(body['messages']).toHaveLength(5);
  });

  it('completes without usage when the server sends none', async () => {
    const srv = await serve((_request, response) => {
      startSse(response);
      response.write(chunk({ content: 'ok' }, 'stop'));
      response.end(sse('[DONE]'));
    });
    const events = await collect(new ChatClient({ baseUrl: srv.baseUrl }).stream(testPrompt(), new AbortController().signal));
    expect(events.at(-1)).toEqual({ type: 'completed', responseId: null, usage: null, endTurn: null });
  });

  it('completes when the server closes after a finish_reason without [DONE]', async () => {
    const srv = await serve((_request, response) => {
      startSse(response);
      response.end(chunk({ content: 'ok' }, 'stop'));
    });
    const events = await collect(new ChatClient({ baseUrl: srv.baseUrl }).stream(testPrompt(), new AbortController().signal));
    expect(events.map((event) => event.type)).toEqual(['created', 'text_delta', 'output_item_done', 'completed']);
  });

  it('fails stream_incomplete when the connection drops before the response finished', async () => {
    const srv = await serve((_request, response) => {
      startSse(response);
      response.write(chunk({ content: 'partial' }), () => response.socket?.destroy());
    });
    const events = await collect(new ChatClient({ baseUrl: srv.baseUrl }).stream(testPrompt(), new AbortController().signal));
    expect(events.at(-1)).toMatchObject({ type: 'failed', error: { kind: 'stream_incomplete' } });
  });

  it('shares the transport rules: HTTP errors are classified, silence times out', async () => {
    const failing = await serve((_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'Invalid API key', type: 'invalid_request_error', code: 'invalid_api_key' } }));
    });
    expect(await collect(new ChatClient({ baseUrl: failing.baseUrl }).stream(testPrompt(), new AbortController().signal))).toEqual([
      { type: 'failed', error: { kind: 'auth', message: 'HTTP 401: Invalid API key', status: 401 } },
    ]);
    await failing.close();

    const silent = await serve((_request, response) => startSse(response));
    const events = await collect(new ChatClient({ baseUrl: silent.baseUrl, idleTimeoutMs: 200 }).stream(testPrompt(), new AbortController().signal));
    expect(events).toEqual([{ type: 'failed', error: { kind: 'idle_timeout', message: 'no data from the model for 0.2 s' } }]);
  });
});
