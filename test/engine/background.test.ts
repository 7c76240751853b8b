/**
 * Background processes through the engine: they survive an interrupt of the next command, the model hears which
 * still run (and which ended) before its next task, the person can list and stop them, the limit refuses more, and
 * none outlives the session.
 */
import { afterEach, expect, it } from 'vitest';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { functionCallOutput, outputText, userMessageTexts } from '../../src/scripted/index.ts';
import { createExecCommandTool, createWriteStdinTool } from '../../src/tools/exec-command/exec-command-tool.ts';
import { ProcessTable } from '../../src/tools/exec-command/process-table.ts';
import { findLiveProcesses, uniqueSleepArg } from '../../src/tools/shell/shell-call-harness.ts';
import { AgentHarness } from '../support/agent-harness.ts';
import { checkEventInvariants } from '../support/event-invariants.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { waitUntilAsync } from '../support/wait-until.ts';

const harnesses: AgentHarness[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.shutdown();
});

function start(baseUrl: string, max?: number): { harness: AgentHarness; table: ProcessTable } {
  const table = new ProcessTable({ max });
  const harness = new AgentHarness({ baseUrl, tools: [createExecCommandTool({ table }), createWriteStdinTool({ table })], processes: table });
  harnesses.push(harness);
  return { harness, table };
}

// Not a login shell: the machine's profile scripts would only slow the tests down.
const exec = (cmd: string, callId: string, yieldMs = 300) => functionCall('exec_command', { cmd, yield_time_ms: yieldMs, login: false }, callId);
const noteOf = (texts: string[]) => texts.find((line) => line.startsWith('<background_processes>'));

it('a dev server survives an interrupt of the next command, and the next task is told it still runs', async () => {
  const dev = uniqueSleepArg();
  const slow = uniqueSleepArg();
  const server = await useScriptedServer([
    respond(exec(`echo ready; sleep ${dev}`, 'dev')),
    respond(exec(`sleep ${slow}`, 'slow', 30_000)),
    respond(text('ok')),
  ]);
  const { harness, table } = start(server.url);
  harness.say('start the server, then run the tests');
  const slowBegin = harness.waitFor((event) => event.msg.type === 'exec_command_begin' && event.msg.call_id === 'slow');
  await slowBegin;
  harness.submit({ type: 'interrupt' });
  await harness.first('turn_aborted');
  expect(await findLiveProcesses(slow)).toEqual([]);
  await waitUntilAsync(async () => (await findLiveProcesses(dev)).length === 1);
  expect(table.list()).toMatchObject([{ id: 1, status: 'running' }]);

  harness.say('is it up?');
  await harness.first('task_complete');
  const requests = await server.waitForRequests(3);
  const note = noteOf(userMessageTexts(requests[2]!));
  expect(note).toMatch(/- session ID 1 \(`echo ready; sleep [\d.]+`\): still running/);
  // The note comes before the person's prompt.
  expect(userMessageTexts(requests[2]!).slice(-2)).toEqual([note, 'is it up?']);
  expect(outputText(functionCallOutput(requests[1]!, 'dev'))).toMatch(/Process running with session ID 1\nOutput:\nready\n$/);
  expect(checkEventInvariants(harness.events)).toEqual([]);
});

it('lists and stops background processes on request; the model hears who stopped them', async () => {
  const marker = uniqueSleepArg();
  const server = await useScriptedServer([
    respond(exec(`sleep ${marker} & sleep ${marker}; wait`, 'a'), exec(`sleep ${marker}`, 'b')),
    respond(text('both started')),
    respond(text('noted')),
  ]);
  const { harness } = start(server.url);
  harness.say('start two');
  await harness.first('task_complete');
  const from = harness.events.length;
  harness.submit({ type: 'list_background_processes' });
  const listed = await harness.first('background_processes', from);
  expect(listed.processes.map((process) => [process.id, process.status])).toEqual([
    [1, 'running'],
    [2, 'running'],
  ]);

  harness.submit({ type: 'stop_background_process', process_id: 1 });
  await harness.waitFor((event) => event.msg.type === 'background_processes' && event.msg.processes[0]?.status === 'stopped', from);
  harness.submit({ type: 'stop_background_process', process_id: 7 });
  const warning = await harness.first('warning', from);
  expect(warning.message).toBe('no background process 7 is running (running: 2)');
  await waitUntilAsync(async () => (await findLiveProcesses(marker)).length === 1);

  harness.say('what runs?');
  await harness.waitFor((event) => event.msg.type === 'task_complete', from);
  const requests = await server.waitForRequests(3);
  const note = noteOf(userMessageTexts(requests[2]!))!;
  expect(note).toContain('- session ID 1 (`sleep');
  expect(note).toContain('stopped by the user');
  expect(note).toMatch(/- session ID 2 .*still running/);
});

it('refuses a command beyond max_background_processes, and the refusal is counted and shown', async () => {
  const server = await useScriptedServer([
    respond(exec(`sleep ${uniqueSleepArg()}`, 'one'), exec('echo two', 'two')),
    respond(text('done')),
  ]);
  const { harness } = start(server.url, 1);
  harness.say('start');
  const complete = await harness.first('task_complete');
  expect(complete.blocked_calls).toEqual({ refused: 1, denied: 0, aborted: 0 });
  const blocked = harness.ofType('tool_call_blocked');
  expect(blocked).toMatchObject([{ call_id: 'two', tool: 'exec_command', outcome: 'refused' }]);
  expect(blocked[0]!.reason).toContain('max_background_processes = 1');
  const [, second] = await server.waitForRequests(2);
  expect(outputText(functionCallOutput(second!, 'two'))).toMatch(/^exec command rejected: 1 background processes are running/);
});

it('stops every background process at shutdown, listing each as stopped before shutdown_complete', async () => {
  const marker = uniqueSleepArg();
  const server = await useScriptedServer([respond(exec(`sleep ${marker}`, 'a'), exec(`sleep ${marker}`, 'b')), respond(text('ok'))]);
  const { harness } = start(server.url);
  harness.say('start');
  await harness.first('task_complete');
  await harness.shutdown();
  expect(await findLiveProcesses(marker)).toEqual([]);
  const types = harness.events.map((event) => event.msg.type);
  const lastList = harness.ofType('background_processes').at(-1)!;
  expect(lastList.processes.map((process) => process.status)).toEqual(['stopped', 'stopped']);
  expect(types.lastIndexOf('background_processes')).toBeLessThan(types.indexOf('shutdown_complete'));
});
