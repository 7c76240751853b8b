/**
 * The engine over Chat Completions, against the scripted server in chat mode, which enforces that every assistant
 * tool call id is answered by a tool message in every request.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatReasoningPlace } from '../../src/scripted/index.ts';
import { functionCall, reasoning, respond, text } from '../../src/scripted/script-builders.ts';
import { AgentHarness } from '../support/agent-harness.ts';
import { checkEventInvariants } from '../support/event-invariants.ts';
import { liveProcessesMatching } from '../support/processes.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const harnesses: AgentHarness[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.shutdown();
});

type Message = { role: string; content: string | null; tool_call_id?: string; tool_calls?: Array<{ id: string }> };

function start(url: string): AgentHarness {
  const harness = new AgentHarness({ baseUrl: url, wireApi: 'chat' });
  harnesses.push(harness);
  return harness;
}

it('answers a plain text turn', async () => {
  const server = await useScriptedServer([respond(text('hello over chat'))]);
  const harness = start(server.url);
  harness.say('hi');
  expect((await harness.first('task_complete')).last_agent_message).toBe('hello over chat');
  expect(server.requests[0]!.api).toBe('chat');
});

it('runs every tool call of a response, from a server that sends no usage and no call ids', async () => {
  const server = await useScriptedServer(
    [
      respond(functionCall('shell', { command: ['echo', 'first'] }), functionCall('shell', { command: ['echo', 'second'] })),
      respond(text('both done')),
    ],
    { chat: { toolCallIds: false, usage: false } },
  );
  const harness = start(server.url);
  harness.say('two things');
  expect((await harness.first('task_complete')).last_agent_message).toBe('both done');
  const messages = (await server.waitForRequests(2))[1]!.body.messages as Message[];
  // Each call is followed by its answer, so the two calls travel as two assistant messages, each answered.
  const calls = messages.flatMap((message) => message.tool_calls ?? []);
  expect(calls).toHaveLength(2);
  expect(new Set(calls.map((call) => call.id)).size).toBe(2);
  const tools = messages.filter((message) => message.role === 'tool');
  expect(tools.map((message) => message.tool_call_id)).toEqual(calls.map((call) => call.id));
  expect(tools[0]!.content).toContain('first');
  expect(tools[1]!.content).toContain('second');
  expect(harness.ofType('token_count')).toEqual([]);
  expect(checkEventInvariants(harness.events)).toEqual([]);
});

it('after an interrupted command, the next prompt is accepted: the call has its tool message', async () => {
  const marker = 'sleep 43.211';
  const server = await useScriptedServer([respond(functionCall('shell', { command: ['bash', '-lc', `${marker}`] }, 'call_c')), respond(text('stopped, as asked'))]);
  const harness = start(server.url);
  harness.say('wait');
  await harness.first('exec_command_begin');
  harness.submit({ type: 'interrupt' });
  await harness.first('turn_aborted');
  expect(liveProcessesMatching(marker)).toEqual([]);
  harness.say('never mind');
  expect((await harness.first('task_complete')).last_agent_message).toBe('stopped, as asked');
  const messages = (await server.waitForRequests(2))[1]!.body.messages as Message[];
  const answer = messages.find((message) => message.role === 'tool' && message.tool_call_id === 'call_c')!;
  expect(answer.content).toContain('aborted by user');
  expect(messages.at(-1)).toMatchObject({ role: 'user', content: 'never mind' });
});

describe('reasoning from chat servers, in each shape they stream it', () => {
  const THOUGHT = 'The user wants the files; list them first.';
  const cases: Array<{ place: ChatReasoningPlace; server: string; sentBackIn: Array<'reasoning_content' | 'reasoning'> }> = [
    { place: 'reasoning_content', server: 'DeepSeek, llama.cpp', sentBackIn: ['reasoning_content'] },
    { place: 'reasoning', server: 'vLLM, Ollama, OpenRouter', sentBackIn: ['reasoning'] },
    { place: 'think_tags', server: 'no reasoning parser: <think> in the content', sentBackIn: [] },
    { place: 'think_close_only', server: 'the template opened <think>', sentBackIn: [] },
  ];
  for (const { place, server: who, sentBackIn } of cases) {
    it(`${place} (${who}) lands as reasoning, never in the answer, and goes back ${sentBackIn.length > 0 ? `as ${sentBackIn}` : 'nowhere'}`, async () => {
      const server = await useScriptedServer(
        [respond(reasoning(THOUGHT), functionCall('shell', { command: ['echo', 'a.txt'] }, 'call_r')), respond(reasoning('Done thinking.'), text('One file: a.txt.'))],
        { chat: { reasoningField: place } },
      );
      const harness = start(server.url);
      harness.say('what is here?');
      expect((await harness.first('task_complete')).last_agent_message).toBe('One file: a.txt.');
      expect(harness.ofType('agent_reasoning').map((event) => event.text)).toEqual([THOUGHT, 'Done thinking.']);
      for (const message of harness.ofType('agent_message')) expect(message.message).not.toContain('think');
      if (place !== 'think_close_only') {
        // With the opening tag implied, the thought streams as text until `</think>` says what it was.
        expect(harness.ofType('agent_reasoning_delta').map((event) => event.delta).join('')).toContain(THOUGHT);
        expect(harness.ofType('agent_message_delta').map((event) => event.delta).join('')).toBe('One file: a.txt.');
      }
      const messages = (await server.waitForRequests(2))[1]!.body.messages as Array<Record<string, unknown>>;
      const calling = messages.find((message) => message.role === 'assistant' && message.tool_calls !== undefined)!;
      expect(calling.content).toBeNull();
      for (const field of ['reasoning_content', 'reasoning']) {
        expect(calling[field]).toBe(sentBackIn.includes(field as 'reasoning') ? THOUGHT : undefined);
      }
      expect(JSON.stringify(messages)).not.toContain('<think>');
      const problems = checkEventInvariants(harness.events);
      if (place === 'think_close_only') {
        // The known cost of an implied opening tag: until `</think>` the thought cannot be told from an answer, so
        // it streamed as message deltas that the final message (the answer alone) does not repeat.
        expect(problems).toEqual([expect.stringMatching(/^agent_message at seq \d+ is "One file: a.txt.", not the whole text of its deltas/)]);
      } else {
        expect(problems).toEqual([]);
      }
    });
  }
});
