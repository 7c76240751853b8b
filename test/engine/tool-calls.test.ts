/** Several calls in one response, an unknown tool, malformed arguments: each call gets exactly one output, in order. */
import { afterEach, expect, it } from 'vitest';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { AgentHarness } from '../support/agent-harness.ts';
import { checkEventInvariants } from '../support/event-invariants.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const harnesses: AgentHarness[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.shutdown();
});

type Item = Record<string, unknown>;
const summary = (input: Item[]): string[] =>
  input.filter((item) => item.type !== 'message').map((item) => `${String(item.type)}:${String(item.call_id)}`);

it('runs two calls of one response in order and answers each right after its call', async () => {
  const server = await useScriptedServer([
    respond(functionCall('shell', { command: ['echo', 'one'] }, 'c1'), functionCall('shell', { command: ['bash', '-lc', 'echo two >&2; exit 3'] }, 'c2')),
    respond(text('both ran')),
  ]);
  const harness = new AgentHarness({ baseUrl: server.url });
  harnesses.push(harness);
  harness.say('run two things');
  expect((await harness.first('task_complete')).last_agent_message).toBe('both ran');

  const [, second] = await server.waitForRequests(2);
  const input = second!.body.input as Item[];
  expect(summary(input)).toEqual(['function_call:c1', 'function_call_output:c1', 'function_call:c2', 'function_call_output:c2']);
  const outputs = input.filter((item) => item.type === 'function_call_output').map((item) => JSON.parse(item.output as string));
  expect(outputs[0]).toMatchObject({ output: 'one\n', metadata: { exit_code: 0 } });
  expect(outputs[1]).toMatchObject({ output: 'two\n', metadata: { exit_code: 3 } });
  expect(harness.ofType('exec_command_begin').map((event) => event.call_id)).toEqual(['c1', 'c2']);
  expect(checkEventInvariants(harness.events)).toEqual([]);
});

it('answers an unknown tool and malformed arguments so the model can correct itself, and the task goes on', async () => {
  const server = await useScriptedServer([
    respond(functionCall('teleport', { to: 'mars' }, 'c_unknown'), functionCall('shell', '{"command": ["ls"', 'c_bad')),
    respond(functionCall('shell', { command: 'ls' }, 'c_wrong_type')),
    respond(text('corrected')),
  ]);
  const harness = new AgentHarness({ baseUrl: server.url });
  harnesses.push(harness);
  harness.say('do it');
  expect((await harness.first('task_complete')).last_agent_message).toBe('corrected');

  const requests = await server.waitForRequests(3);
  const second = requests[1]!.body.input as Item[];
  expect(summary(second)).toEqual(['function_call:c_unknown', 'function_call_output:c_unknown', 'function_call:c_bad', 'function_call_output:c_bad']);
  expect(second.find((item) => item.call_id === 'c_unknown' && item.type === 'function_call_output')!.output).toBe('unsupported call: teleport');
  expect(String(second.find((item) => item.call_id === 'c_bad' && item.type === 'function_call_output')!.output)).toMatch(/^failed to parse function arguments: /);
  const third = requests[2]!.body.input as Item[];
  expect(String(third.find((item) => item.call_id === 'c_wrong_type' && item.type === 'function_call_output')!.output)).toMatch(/^failed to parse function arguments: /);
  // Nothing ran: a call that does not parse never reaches a process.
  expect(harness.ofType('exec_command_begin')).toEqual([]);
  expect(checkEventInvariants(harness.events)).toEqual([]);
});

it('sends what the user typed while the task ran with its next request', async () => {
  const server = await useScriptedServer([
    respond(functionCall('shell', { command: ['bash', '-lc', 'echo waiting'] }, 'c1')),
    respond(text('saw your note')),
  ]);
  const harness = new AgentHarness({ baseUrl: server.url });
  harnesses.push(harness);
  harness.say('start');
  await harness.first('exec_command_begin');
  harness.say('also check the README');
  await harness.first('task_complete');
  const [, second] = await server.waitForRequests(2);
  const users = (second!.body.input as Item[]).filter((item) => item.type === 'message' && item.role === 'user');
  expect(JSON.stringify(users.at(-1))).toContain('also check the README');
  expect(harness.ofType('task_started')).toHaveLength(1);
});
