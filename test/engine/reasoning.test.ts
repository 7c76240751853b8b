/**
 * Reasoning models at their best: the configured effort, summary and verbosity reach the request; stateless, every
 * reasoning item the model returned goes back with its encrypted content, in its place before the calls it led to,
 * in every later request; stateful, nothing is resent; a model keel does not know gets no reasoning parameters; the
 * catalogue's context window reaches "context left".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { modelSettingsFor, NO_MODEL_SETTINGS, type ModelSettingsSlice } from '../../src/config/model-settings.ts';
import { callIndex, inputsOfType, requestInput } from '../../src/scripted/responses-input.ts';
import { functionCall, reasoning, respond, text } from '../../src/scripted/script-builders.ts';
import { AgentHarness, type HarnessOptions } from '../support/agent-harness.ts';
import { checkEventInvariants } from '../support/event-invariants.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const harnesses: AgentHarness[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.shutdown();
});


/** A harness whose engine knows models the way a run of keel does: the catalogue under `config`. */
function harnessFor(options: HarnessOptions & { model: string }, config: Partial<ModelSettingsSlice> = {}): AgentHarness {
  const harness = new AgentHarness({ ...options, modelProfile: (model) => modelSettingsFor({ ...NO_MODEL_SETTINGS, ...config }, model).profile });
  harnesses.push(harness);
  return harness;
}

/** The reasoning item exactly as the scripted server streamed it (see responses-events.ts). */
function streamedReasoning(id: string, summary: string) {
  return { id, type: 'reasoning', summary: [{ type: 'summary_text', text: summary }], encrypted_content: `scripted-encrypted:${id}` };
}

describe('reasoning on the Responses API', () => {
  it('sends the configured effort, summary and verbosity, and asks for the encrypted reasoning', async () => {
    const server = await useScriptedServer([respond(text('hi'))]);
    const harness = harnessFor({ baseUrl: server.url, model: 'gpt-5' }, { model_reasoning_effort: 'high', model_reasoning_summary: 'detailed', model_verbosity: 'low' });
    harness.say('hello');
    await harness.first('task_complete');
    const [request] = await server.waitForRequests(1);
    expect(request!.body).toMatchObject({
      model: 'gpt-5',
      store: false,
      reasoning: { effort: 'high', summary: 'detailed' },
      text: { verbosity: 'low' },
      include: ['reasoning.encrypted_content'],
    });
  });

  it('gives each reasoning item back as received, before the call it led to, in every later request', async () => {
    const server = await useScriptedServer([
      respond(reasoning('Look at the files first.'), functionCall('shell', { command: ['echo', 'one'] }, 'c1')),
      respond(reasoning('One file; say so.'), text('There is one.')),
      respond(text('Still one.')),
    ]);
    const harness = harnessFor({ baseUrl: server.url, model: 'gpt-5-codex' });
    harness.say('what is here?');
    await harness.first('task_complete');
    harness.say('and now?');
    await harness.first('task_complete', harness.events.findIndex((event) => event.msg.type === 'task_complete') + 1);

    const [, second, third] = await server.waitForRequests(3);
    const first = streamedReasoning('rs_1', 'Look at the files first.');
    for (const request of [second!, third!]) {
      const input = requestInput(request);
      expect(input[callIndex(request, 'c1') - 1]).toStrictEqual(first);
      expect(request.body.include).toEqual(['reasoning.encrypted_content']);
    }
    // The second response's reasoning sits before the answer it led to.
    const input = requestInput(third!);
    const answer = input.findIndex((item) => item.type === 'message' && item.role === 'assistant');
    expect(input[answer - 1]).toStrictEqual(streamedReasoning('rs_2', 'One file; say so.'));
    expect(inputsOfType(third!, 'reasoning')).toHaveLength(2);
    // Summaries reach the front ends as reasoning.
    expect(harness.ofType('agent_reasoning').map((event) => event.text)).toEqual(['Look at the files first.', 'One file; say so.']);
    expect(checkEventInvariants(harness.events)).toEqual([]);
  });

  it('resends nothing in stateful mode: previous_response_id carries the reasoning', async () => {
    const server = await useScriptedServer([
      respond(reasoning('Run it.'), functionCall('shell', { command: ['echo', 'one'] }, 'c1')),
      respond(text('done')),
    ]);
    const harness = harnessFor({ baseUrl: server.url, model: 'gpt-5-codex', stateful: true });
    harness.say('go');
    await harness.first('task_complete');
    const [first, second] = await server.waitForRequests(2);
    for (const request of [first!, second!]) {
      expect(request.body.store).toBe(true);
      expect(request.body.reasoning).toEqual({ effort: 'medium', summary: 'auto' });
      expect('include' in request.body).toBe(false);
    }
    expect(second!.body.previous_response_id).toBe('resp_1');
    expect(requestInput(second!).map((item) => item.type)).toEqual(['function_call_output']);
  });

  it('sends no reasoning parameters to a model it does not know, and no reasoning it could not hand back', async () => {
    const server = await useScriptedServer([
      respond(reasoning('Thinking out loud.'), functionCall('shell', { command: ['echo', 'one'] }, 'c1')),
      respond(text('done')),
    ]);
    const harness = harnessFor({ baseUrl: server.url, model: 'my-local-model' });
    harness.say('go');
    await harness.first('task_complete');
    const [first, second] = await server.waitForRequests(2);
    for (const request of [first!, second!]) {
      for (const key of ['reasoning', 'include', 'text']) expect(key in request.body, key).toBe(false);
    }
    // Returned without encrypted content (none was asked for), it is not sent back by id: nothing was stored.
    expect(inputsOfType(second!, 'reasoning')).toEqual([]);
    expect(harness.ofType('agent_reasoning').map((event) => event.text)).toEqual(['Thinking out loud.']);
  });

  it('follows a switch of model: a model that does not reason gets neither reasoning parameters nor reasoning items', async () => {
    const server = await useScriptedServer([respond(reasoning('Answer briefly.'), text('hi')), respond(text('hello again'))]);
    const harness = harnessFor({ baseUrl: server.url, model: 'gpt-5-codex' });
    harness.say('hello');
    await harness.first('task_complete');
    harness.submit({ type: 'override_turn_context', model: 'gpt-4.1' });
    harness.say('and again');
    const second = await harness.waitFor((event) => event.msg.type === 'task_started', harness.events.length);
    expect(second.msg).toEqual({ type: 'task_started', model_context_window: 995_197, reasoning_effort: null });
    await harness.first('task_complete', harness.events.indexOf(second));
    const [, request] = await server.waitForRequests(2);
    expect(request!.body.model).toBe('gpt-4.1');
    for (const key of ['reasoning', 'include']) expect(key in request!.body, key).toBe(false);
    expect(inputsOfType(request!, 'reasoning')).toEqual([]);
  });

  it('reports the catalogue\'s context window and the effort to the front ends', async () => {
    const server = await useScriptedServer([respond(text('hi'), { usage: { input_tokens: 1000, output_tokens: 10 } })]);
    const harness = harnessFor({ baseUrl: server.url, model: 'gpt-5-codex' }, { model_reasoning_effort: 'low' });
    harness.say('hello');
    await harness.first('task_complete');
    expect(harness.ofType('session_configured')[0]).toMatchObject({ model: 'gpt-5-codex', reasoning_effort: 'low' });
    expect(harness.ofType('task_started')[0]).toEqual({ type: 'task_started', model_context_window: 258_400, reasoning_effort: 'low' });
    expect(harness.ofType('token_count')[0]!.info?.model_context_window).toBe(258_400);
  });
});
