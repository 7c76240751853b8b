import { onTestFinished, describe, expect, it } from 'vitest';
import { jsonPayloads, postJson, readJson, readSse } from '../../test/support/sse-read.ts';
import { customToolCall, failed, functionCall, httpError, reasoning, respond, text } from './script-builders.ts';
import type { ScriptStep } from './script.ts';
import { startScriptedServer, type ScriptedServer } from './scripted-server.ts';

async function start(script: ScriptStep[]): Promise<ScriptedServer> {
  const server = await startScriptedServer({ script });
  onTestFinished(() => server.close());
  return server;
}

function body(input: unknown, extra: Record<string, unknown> = {}) {
  return { model: 'test-model', input, stream: true, store: false, ...extra };
}

const hello = [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] }];

describe('scripted server, Responses API', () => {
  it('streams assistant text as word deltas, then the whole message, framed as event/data pairs', async () => {
    const server = await start([respond(text('Hello there, friend.'), { id: 'resp_a' })]);
    const response = await postJson(`${server.url}/responses`, body(hello));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const { messages, error } = await readSse(response);
    expect(error).toBeUndefined();
    for (const message of messages) expect(JSON.parse(message.data).type).toBe(message.event);
    const events = jsonPayloads(messages);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    expect(events[0]).toMatchObject({ type: 'response.created', response: { id: 'resp_a', model: 'test-model' } });
    const deltas = events.filter((event) => event.type === 'response.output_text.delta');
    expect(deltas.map((event) => event.delta)).toEqual(['Hello ', 'there, ', 'friend.']);
    const itemId = deltas[0].item_id;
    expect(itemId).toMatch(/^msg_/);
    expect(deltas[0]).toMatchObject({ output_index: 0, content_index: 0 });
    const done = events.find((event) => event.type === 'response.output_item.done');
    expect(done.item).toMatchObject({
      id: itemId,
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'Hello there, friend.' }],
    });
    expect(events.at(-1)).toMatchObject({
      type: 'response.completed',
      response: {
        id: 'resp_a',
        usage: { input_tokens: 0, input_tokens_details: { cached_tokens: 0 }, output_tokens: 0, total_tokens: 0 },
      },
    });
    expect(server.requests).toMatchObject([{ api: 'responses', path: '/v1/responses', status: 200, step: 0 }]);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer test');
    expect(server.violations).toEqual([]);
    expect(server.remainingSteps()).toBe(0);
  });

  it('streams reasoning summaries and tool calls with their ids, and reports usage', async () => {
    const usage = { input_tokens: 10, output_tokens: 5, cached_tokens: 4, reasoning_tokens: 2 };
    const server = await start([
      respond(
        reasoning('Look first.', 'Then act.'),
        functionCall('shell', { command: ['ls'] }, 'call_1'),
        functionCall('shell', '{"command": [', 'call_2'),
        customToolCall('apply_patch', '*** Begin Patch\n*** End Patch', 'call_3'),
        { usage },
      ),
    ]);
    const response = await postJson(`${server.url}/responses`, body(hello, { include: ['reasoning.encrypted_content'] }));
    const events = jsonPayloads((await readSse(response)).messages);
    const summaryDeltas = events.filter((event) => event.type === 'response.reasoning_summary_text.delta');
    expect(summaryDeltas.map((event) => [event.summary_index, event.delta])).toEqual([
      [0, 'Look '],
      [0, 'first.'],
      [1, 'Then '],
      [1, 'act.'],
    ]);
    const items = events.filter((event) => event.type === 'response.output_item.done').map((event) => event.item);
    expect(items).toMatchObject([
      { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Look first.' }, { text: 'Then act.' }] },
      { type: 'function_call', name: 'shell', arguments: '{"command":["ls"]}', call_id: 'call_1' },
      { type: 'function_call', name: 'shell', arguments: '{"command": [', call_id: 'call_2' },
      { type: 'custom_tool_call', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch', call_id: 'call_3' },
    ]);
    expect(items[0].id).toMatch(/^rs_/);
    expect(items[0].encrypted_content).toEqual(expect.any(String));
    expect(items[1].id).toMatch(/^fc_/);
    const argDeltas = events.filter((event) => event.type === 'response.function_call_arguments.delta' && event.output_index === 1);
    expect(argDeltas.length).toBeGreaterThan(1);
    expect(argDeltas.map((event) => event.delta).join('')).toBe('{"command":["ls"]}');
    const completed = events.at(-1);
    expect(completed.response.output).toEqual(items);
    expect(completed.response.usage).toEqual({
      input_tokens: 10,
      input_tokens_details: { cached_tokens: 4 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 2 },
      total_tokens: 15,
    });
  });

  it('generates response ids and call ids when the script leaves them out', async () => {
    const server = await start([respond(functionCall('shell', {})), respond(text('done'))]);
    const first = jsonPayloads((await readSse(await postJson(`${server.url}/responses`, body(hello)))).messages);
    expect(first[0].response.id).toBe('resp_1');
    const call = first.at(-1).response.output[0];
    expect(call.call_id).toBe('call_1');
    const input = [...hello, call, { type: 'function_call_output', call_id: 'call_1', output: 'ok' }];
    const second = jsonPayloads((await readSse(await postJson(`${server.url}/responses`, body(input)))).messages);
    expect(second[0].response.id).toBe('resp_2');
  });

  it('answers an HTTP error step with its status, headers and an OpenAI-shaped body', async () => {
    const server = await start([httpError(429, { headers: { 'retry-after': '1' } }), httpError(500, { body: { oops: true } })]);
    const limited = await postJson(`${server.url}/responses`, body(hello));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await readJson(limited)).toEqual({
      error: { message: expect.any(String), type: 'requests', param: null, code: 'rate_limit_exceeded' },
    });
    const broken = await postJson(`${server.url}/responses`, body(hello));
    expect(broken.status).toBe(500);
    expect(await readJson(broken)).toEqual({ oops: true });
    expect(server.requests.map((request) => request.status)).toEqual([429, 500]);
    expect(server.violations).toEqual([]);
  });

  it('streams response.failed with the scripted code and message', async () => {
    const server = await start([failed('server_error', 'boom', { id: 'resp_f' })]);
    const events = jsonPayloads((await readSse(await postJson(`${server.url}/responses`, body(hello)))).messages);
    expect(events.at(-1)).toMatchObject({
      type: 'response.failed',
      response: { id: 'resp_f', status: 'failed', error: { code: 'server_error', message: 'boom' } },
    });
    expect(events.some((event) => event.type === 'response.completed')).toBe(false);
  });

  it('runs the step expectation, and a failing one answers 500 without consuming the step', async () => {
    const server = await start([
      respond(text('ok'), {
        expect: (request) => {
          if (request.body.input.length !== 2) throw new Error('expected two input items');
        },
      }),
    ]);
    const refused = await postJson(`${server.url}/responses`, body(hello));
    expect(refused.status).toBe(500);
    expect((await readJson(refused)).error.message).toContain('expected two input items');
    expect(server.violations).toEqual([expect.stringContaining('step 0 expect failed: expected two input items')]);
    expect(server.remainingSteps()).toBe(1);
    const accepted = await postJson(`${server.url}/responses`, body([...hello, ...hello]));
    expect(accepted.status).toBe(200);
    await readSse(accepted);
    expect(server.remainingSteps()).toBe(0);
  });

  it('answers 500 and records a violation when the script is exhausted', async () => {
    const server = await start([]);
    const response = await postJson(`${server.url}/responses`, body(hello));
    expect(response.status).toBe(500);
    expect((await readJson(response)).error.message).toContain('script is exhausted');
    expect(server.violations).toEqual([expect.stringContaining('script is exhausted')]);
    expect(server.requests).toMatchObject([{ status: 500, step: null }]);
  });

  it('refuses bodies that are not JSON, lack model or input, or do not stream, without consuming a step', async () => {
    const server = await start([respond(text('never'))]);
    const notJson = await postJson(`${server.url}/responses`, '{"model": ');
    expect(notJson.status).toBe(400);
    expect((await readJson(notJson)).error.type).toBe('invalid_request_error');
    const noModel = await postJson(`${server.url}/responses`, { input: hello, stream: true });
    expect((await readJson(noModel)).error).toMatchObject({ param: 'model', code: 'missing_required_parameter' });
    const noInput = await postJson(`${server.url}/responses`, { model: 'm', stream: true });
    expect((await readJson(noInput)).error).toMatchObject({ param: 'input', code: 'missing_required_parameter' });
    const notStreaming = await postJson(`${server.url}/responses`, { model: 'm', input: hello });
    expect((await readJson(notStreaming)).error.param).toBe('stream');
    expect(server.violations).toHaveLength(4);
    expect(server.requests[0]?.body).toBe('{"model": ');
    expect(server.remainingSteps()).toBe(1);
  });

  it('answers 404 on other paths and records it', async () => {
    const server = await start([]);
    const response = await fetch(`${server.url}/models`);
    expect(response.status).toBe(404);
    expect(server.requests).toMatchObject([{ api: 'unknown', method: 'GET', path: '/v1/models', status: 404 }]);
    expect(server.violations).toEqual([expect.stringContaining('Invalid URL (GET /v1/models)')]);
  });

  it('waitForRequests resolves once enough requests were answered', async () => {
    const server = await start([httpError(503), httpError(503)]);
    const waiting = server.waitForRequests(2);
    await (await postJson(`${server.url}/responses`, body(hello))).text();
    await (await postJson(`${server.url}/responses`, body(hello))).text();
    expect((await waiting).map((request) => request.status)).toEqual([503, 503]);
  });
});
