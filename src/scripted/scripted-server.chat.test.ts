import { onTestFinished, describe, expect, it } from 'vitest';
import { jsonPayloads, postJson, readSse } from '../../test/support/sse-read.ts';
import { customToolCall, failed, functionCall, reasoning, respond, text } from './script-builders.ts';
import type { ChatFlavor, ScriptStep } from './script.ts';
import { startScriptedServer, type ScriptedServer } from './scripted-server.ts';

async function start(script: ScriptStep[], chat?: ChatFlavor): Promise<ScriptedServer> {
  const server = await startScriptedServer(chat ? { script, chat } : { script });
  onTestFinished(() => server.close());
  return server;
}

async function chat(server: ScriptedServer, extra: Record<string, unknown> = {}) {
  const response = await postJson(`${server.url}/chat/completions`, {
    model: 'local-model',
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
    ...extra,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  return readSse(response);
}

describe('scripted server, Chat Completions', () => {
  it('streams text as several content deltas, then stop and [DONE]', async () => {
    const server = await start([respond(text('Hi there you'), { id: 'chatcmpl-1' })]);
    const { messages, error } = await chat(server);
    expect(error).toBeUndefined();
    expect(messages.every((message) => message.event === undefined)).toBe(true);
    expect(messages.at(-1)?.data).toBe('[DONE]');
    const chunks = jsonPayloads(messages);
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'local-model' });
      expect(chunk.created).toEqual(expect.any(Number));
      expect(chunk.usage).toBeUndefined();
    }
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    const contents = chunks.map((chunk) => chunk.choices[0]?.delta.content).filter((content) => content);
    expect(contents).toEqual(['Hi ', 'there ', 'you']);
    expect(chunks.at(-1).choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(server.requests).toMatchObject([{ api: 'chat', path: '/v1/chat/completions', status: 200 }]);
  });

  it('streams tool calls with ids, arguments split over several chunks, finish_reason tool_calls', async () => {
    const server = await start([
      respond(
        reasoning('Thinking hard.'),
        functionCall('shell', { command: ['ls', '-la'] }, 'call_1'),
        customToolCall('apply_patch', '*** Begin Patch', 'call_2'),
      ),
    ]);
    const chunks = jsonPayloads((await chat(server)).messages);
    const deltas = chunks.map((chunk) => chunk.choices[0]?.delta ?? {});
    expect(deltas.map((delta) => delta.reasoning_content ?? '').join('')).toBe('Thinking hard.');
    const calls = deltas.flatMap((delta) => delta.tool_calls ?? []);
    const first = calls.filter((call) => call.index === 0);
    expect(first[0]).toEqual({ index: 0, id: 'call_1', type: 'function', function: { name: 'shell', arguments: '' } });
    const pieces = first.map((call) => call.function.arguments).filter((piece) => piece !== '');
    expect(pieces.length).toBeGreaterThanOrEqual(2);
    expect(pieces.join('')).toBe('{"command":["ls","-la"]}');
    const second = calls.filter((call) => call.index === 1);
    expect(second[0]).toMatchObject({ id: 'call_2', type: 'custom', custom: { name: 'apply_patch' } });
    expect(second.map((call) => call.custom.input).join('')).toBe('*** Begin Patch');
    expect(chunks.at(-1).choices[0].finish_reason).toBe('tool_calls');
  });

  it('sends a usage chunk when stream_options.include_usage asks', async () => {
    const server = await start([respond(text('ok'), { usage: { input_tokens: 7, output_tokens: 3, cached_tokens: 2 } })]);
    const chunks = jsonPayloads((await chat(server, { stream_options: { include_usage: true } })).messages);
    const last = chunks.at(-1);
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual({
      prompt_tokens: 7,
      completion_tokens: 3,
      total_tokens: 10,
      prompt_tokens_details: { cached_tokens: 2 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it('imitates a local server: no tool call ids, no usage, reasoning in `reasoning`', async () => {
    const flavor: ChatFlavor = { toolCallIds: false, usage: false, reasoningField: 'reasoning' };
    const server = await start([respond(reasoning('hmm'), functionCall('shell', {}, 'call_1'))], flavor);
    const chunks = jsonPayloads((await chat(server, { stream_options: { include_usage: true } })).messages);
    const calls = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((call) => !('id' in call))).toBe(true);
    expect(chunks.some((chunk) => 'usage' in chunk)).toBe(false);
    expect(chunks.some((chunk) => chunk.choices[0]?.delta.reasoning === 'hmm')).toBe(true);
  });

  it('imitates a server without a reasoning parser: <think> tags in the content, cut across chunks', async () => {
    const tagged = await start([respond(reasoning('plan it'), text('Done.'))], { reasoningField: 'think_tags' });
    const contents = jsonPayloads((await chat(tagged)).messages).map((chunk) => chunk.choices[0]?.delta.content ?? '');
    expect(contents.join('')).toBe('<think>\nplan it\n</think>\n\nDone.');
    expect(contents).toContain('<th');
    const opened = await start([respond(reasoning('plan it'), text('Done.'))], { reasoningField: 'think_close_only' });
    const rest = jsonPayloads((await chat(opened)).messages).map((chunk) => chunk.choices[0]?.delta.content ?? '');
    expect(rest.join('')).toBe('plan it\n</think>\n\nDone.');
  });

  it('lets a step override the server flavor', async () => {
    const server = await start([respond(functionCall('shell', {}, 'call_1'), { chat: { toolCallIds: true } })], {
      toolCallIds: false,
    });
    const chunks = jsonPayloads((await chat(server)).messages);
    expect(chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])[0].id).toBe('call_1');
  });

  it('reports a failed step as an error chunk without [DONE]', async () => {
    const server = await start([failed('server_error', 'boom')]);
    const { messages, error } = await chat(server);
    expect(error).toBeUndefined();
    expect(messages.some((message) => message.data === '[DONE]')).toBe(false);
    expect(JSON.parse(messages.at(-1)?.data ?? '')).toEqual({
      error: { message: 'boom', type: 'server_error', param: null, code: 'server_error' },
    });
  });

  it('answers Responses and Chat requests from one script, in order', async () => {
    const server = await start([respond(text('one')), respond(text('two'))]);
    await chat(server);
    const response = await postJson(`${server.url}/responses`, { model: 'm', input: 'hello', stream: true });
    const events = jsonPayloads((await readSse(response)).messages);
    expect(events.at(-1).response.output[0].content[0].text).toBe('two');
    expect(server.requests.map((request) => request.api)).toEqual(['chat', 'responses']);
  });
});
