import { onTestFinished, describe, expect, it } from 'vitest';
import { jsonPayloads, postJson, readJson, readSse } from '../../test/support/sse-read.ts';
import { functionCall, respond, text } from './script-builders.ts';
import type { ScriptStep } from './script.ts';
import { startScriptedServer, type ScriptedServer } from './scripted-server.ts';

async function start(script: ScriptStep[]): Promise<ScriptedServer> {
  const server = await startScriptedServer({ script });
  onTestFinished(() => server.close());
  return server;
}

const user = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const call = (callId: string) => ({ type: 'function_call', name: 'shell', arguments: '{}', call_id: callId });
const output = (callId: string) => ({ type: 'function_call_output', call_id: callId, output: 'ok' });

function rulesError(message: string, param = 'input', code: string | null = null) {
  return { error: { message, type: 'invalid_request_error', param, code } };
}

/** Posts a Responses request and returns the status with the JSON error body or the streamed events. */
async function post(server: ScriptedServer, input: unknown[], extra: Record<string, unknown> = {}) {
  const response = await postJson(`${server.url}/responses`, { model: 'm', input, stream: true, ...extra });
  if (response.status !== 200) return { status: response.status, body: await readJson(response), events: [] };
  return { status: 200, body: undefined, events: jsonPayloads((await readSse(response)).messages) };
}

describe('Responses rules, stateless (store: false, full history)', () => {
  it('refuses a call without an output with the API body, and does not consume a step', async () => {
    const server = await start([respond(text('fine'))]);
    const refused = await post(server, [user('hi'), call('call_1')], { store: false });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual(rulesError('No tool output found for function call call_1.'));
    expect(server.violations).toEqual([expect.stringContaining('No tool output found for function call call_1.')]);
    expect(server.remainingSteps()).toBe(1);
    const accepted = await post(server, [user('hi'), call('call_1'), output('call_1')], { store: false });
    expect(accepted.status).toBe(200);
    expect(server.requests.map((request) => [request.status, request.step])).toEqual([
      [400, null],
      [200, 0],
    ]);
  });

  it('refuses an output placed before its call', async () => {
    const server = await start([]);
    const refused = await post(server, [user('hi'), output('call_1'), call('call_1')], { store: false });
    expect(refused.body).toEqual(rulesError('No tool output found for function call call_1.'));
  });

  it('refuses an output whose call is nowhere in the conversation', async () => {
    const server = await start([]);
    const refused = await post(server, [user('hi'), output('call_9')], { store: false });
    expect(refused.body).toEqual(rulesError('No tool call found for function call output with call_id call_9.'));
  });

  it('pairs custom tool calls with custom outputs only', async () => {
    const server = await start([]);
    const custom = { type: 'custom_tool_call', name: 'apply_patch', input: 'x', call_id: 'call_c' };
    const refused = await post(server, [user('hi'), custom, output('call_c')], { store: false });
    expect(refused.body).toEqual(rulesError('No tool output found for custom tool call call_c.'));
  });

  it('refuses function call arguments sent as an object instead of JSON text', async () => {
    const server = await start([]);
    const refused = await post(server, [user('hi'), { ...call('call_1'), arguments: {} }, output('call_1')]);
    expect(refused.body.error).toMatchObject({ param: 'input[1].arguments', code: 'invalid_type' });
  });

  it('records a second output for one call as a violation but answers normally', async () => {
    const server = await start([respond(text('fine'))]);
    const accepted = await post(server, [user('hi'), call('call_1'), output('call_1'), output('call_1')], { store: false });
    expect(accepted.status).toBe(200);
    expect(server.violations).toEqual([expect.stringContaining('function:call_1 has 2 outputs for 1 call(s)')]);
  });
});

describe('Responses rules, stateful (previous_response_id)', () => {
  it('resolves the chain, so the output owed to a stored call must come in the next input', async () => {
    const server = await start([
      respond(functionCall('shell', { command: ['ls'] }, 'call_1'), { id: 'resp_1' }),
      respond(text('listed'), { id: 'resp_2' }),
      respond(text('bye'), { id: 'resp_3' }),
    ]);
    expect((await post(server, [user('list')])).status).toBe(200);
    const missing = await post(server, [user('and?')], { previous_response_id: 'resp_1' });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual(rulesError('No tool output found for function call call_1.'));
    const answered = await post(server, [output('call_1')], { previous_response_id: 'resp_1' });
    expect(answered.status).toBe(200);
    // Two links back: call_1 and its output are both in the chain.
    expect((await post(server, [user('thanks')], { previous_response_id: 'resp_2' })).status).toBe(200);
    expect(server.remainingSteps()).toBe(0);
  });

  it('refuses an output whose call is not in the resolved chain', async () => {
    const server = await start([respond(text('hi'), { id: 'resp_1' })]);
    await post(server, [user('hi')]);
    const refused = await post(server, [output('call_x')], { previous_response_id: 'resp_1' });
    expect(refused.body).toEqual(rulesError('No tool call found for function call output with call_id call_x.'));
  });

  it('refuses an unknown previous response id', async () => {
    const server = await start([respond(text('never'))]);
    const refused = await post(server, [user('hi')], { previous_response_id: 'resp_nope' });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual(
      rulesError("Previous response with id 'resp_nope' not found.", 'previous_response_id', 'previous_response_not_found'),
    );
    expect(server.remainingSteps()).toBe(1);
  });

  it('does not store responses requested with store: false, nor streams that did not complete', async () => {
    const server = await start([
      respond(text('unstored'), { id: 'resp_a' }),
      respond(text('cut'), { id: 'resp_b', faults: { dropAfterEvents: 3 } }),
    ]);
    await post(server, [user('hi')], { store: false });
    const cut = await postJson(`${server.url}/responses`, { model: 'm', input: [user('hi')], stream: true });
    expect((await readSse(cut)).error).toBeDefined();
    for (const id of ['resp_a', 'resp_b']) {
      const refused = await post(server, [user('again')], { previous_response_id: id });
      expect(refused.body.error.code).toBe('previous_response_not_found');
    }
  });
});

describe('Chat Completions rules', () => {
  async function postChat(server: ScriptedServer, messages: unknown[]) {
    const response = await postJson(`${server.url}/chat/completions`, { model: 'm', messages, stream: true });
    return { status: response.status, body: response.status === 200 ? await response.text() : await readJson(response) };
  }
  const assistantCalls = (...ids: string[]) => ({
    role: 'assistant',
    content: null,
    tool_calls: ids.map((id) => ({ id, type: 'function', function: { name: 'shell', arguments: '{}' } })),
  });
  const tool = (id: string) => ({ role: 'tool', tool_call_id: id, content: 'ok' });

  it('refuses tool calls not answered before the next message, naming the ids', async () => {
    const server = await start([respond(text('fine'))]);
    const refused = await postChat(server, [{ role: 'user', content: 'hi' }, assistantCalls('call_1', 'call_2'), tool('call_1'), { role: 'user', content: 'go on' }]);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual(
      rulesError(
        "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. " +
          'The following tool_call_ids did not have response messages: call_2',
        'messages',
      ),
    );
    expect(server.remainingSteps()).toBe(1);
    const accepted = await postChat(server, [{ role: 'user', content: 'hi' }, assistantCalls('call_1', 'call_2'), tool('call_2'), tool('call_1')]);
    expect(accepted.status).toBe(200);
    expect(server.violations).toHaveLength(1);
  });

  it('refuses tool calls left unanswered at the end of the messages', async () => {
    const server = await start([]);
    const refused = await postChat(server, [{ role: 'user', content: 'hi' }, assistantCalls('call_1')]);
    expect(refused.body.error.message).toContain('did not have response messages: call_1');
  });

  it('refuses a tool message without a preceding tool call, in the API spelling', async () => {
    const server = await start([]);
    const refused = await postChat(server, [{ role: 'user', content: 'hi' }, tool('call_1')]);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      message: "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
      type: 'invalid_request_error',
      code: null,
    });
  });

  it('refuses a tool message answering an id the assistant did not issue', async () => {
    const server = await start([]);
    const refused = await postChat(server, [assistantCalls('call_1'), tool('call_2')]);
    expect(refused.body.error.message).toContain("'tool_call_id' of 'call_2' not found");
  });
});
