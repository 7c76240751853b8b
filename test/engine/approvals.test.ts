/** Approvals through the engine: what asks, what runs, what is refused, what the model is told. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createSafetyServices } from '../../src/cli/safety-services.ts';
import { nodeSandboxHost, probeSandbox } from '../../src/sandbox/index.ts';
import type { AskForApproval, SandboxPolicy } from '../../src/protocol/index.ts';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { userMessageTexts } from '../../src/scripted/index.ts';
import { createApplyPatchTool } from '../../src/tools/apply-patch/patch-tool.ts';
import { createShellTool } from '../../src/tools/shell/shell-tool.ts';
import { AgentHarness } from '../support/agent-harness.ts';
import { checkEventInvariants } from '../support/event-invariants.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const harnesses: AgentHarness[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.shutdown();
});

const workspaceWrite: SandboxPolicy = { type: 'workspace-write', writable_roots: [], network_access: false };

function start(url: string, approvalPolicy: AskForApproval, sandboxPolicy: SandboxPolicy = workspaceWrite): AgentHarness {
  const home = mkdtempSync(join(tmpdir(), 'keel-home-'));
  const harness = new AgentHarness({
    baseUrl: url,
    approvalPolicy,
    sandboxPolicy,
    safety: createSafetyServices(process.env, home),
    tools: [createShellTool({}), createApplyPatchTool()],
  });
  harnesses.push(harness);
  return harness;
}

type Item = Record<string, string>;
async function outputOf(server: Awaited<ReturnType<typeof useScriptedServer>>, index: number, callId: string): Promise<string> {
  const requests = await server.waitForRequests(index + 1);
  return (requests[index]!.body.input as Item[]).find((item) => item.type === 'function_call_output' && item.call_id === callId)!.output!;
}

const touch = (name: string, callId: string) => functionCall('shell', { command: ['touch', name] }, callId);

it('untrusted: asks before a command that is not known to be safe, and runs it once approved', async () => {
  const server = await useScriptedServer([respond(touch('approved.txt', 'c1')), respond(text('done'))]);
  const harness = start(server.url, 'untrusted');
  harness.say('make a file');
  const request = await harness.first('exec_approval_request');
  expect(request).toMatchObject({ call_id: 'c1', command: ['touch', 'approved.txt'], cwd: harness.cwd });
  expect(request.reason).toBeTruthy();
  expect(existsSync(join(harness.cwd, 'approved.txt'))).toBe(false);
  harness.submit({ type: 'exec_approval', id: 'c1', decision: 'approved' });
  await harness.first('task_complete');
  expect(existsSync(join(harness.cwd, 'approved.txt'))).toBe(true);
  expect(JSON.parse(await outputOf(server, 1, 'c1'))).toMatchObject({ metadata: { exit_code: 0 } });
  expect(checkEventInvariants(harness.events)).toEqual([]);
});

it('a denial tells the model "exec command rejected by user" and runs nothing', async () => {
  const server = await useScriptedServer([respond(touch('denied.txt', 'c2')), respond(text('ok'))]);
  const harness = start(server.url, 'untrusted');
  harness.say('make a file');
  await harness.first('exec_approval_request');
  harness.submit({ type: 'exec_approval', id: 'c2', decision: 'denied' });
  await harness.first('task_complete');
  expect(await outputOf(server, 1, 'c2')).toBe('exec command rejected by user');
  expect(existsSync(join(harness.cwd, 'denied.txt'))).toBe(false);
  expect(harness.ofType('exec_command_begin')).toEqual([]);
  // The person sees the call that did not run, and the task's end counts it.
  expect(harness.ofType('tool_call_blocked')).toEqual([
    { type: 'tool_call_blocked', call_id: 'c2', tool: 'shell', summary: 'touch denied.txt', outcome: 'denied', reason: 'the user declined it' },
  ]);
  expect((await harness.first('task_complete')).blocked_calls).toEqual({ refused: 0, denied: 1, aborted: 0 });
});

it('approve for the session: the same command in the same place is not asked about again', async () => {
  const server = await useScriptedServer([respond(touch('again.txt', 'c3')), respond(touch('again.txt', 'c4')), respond(text('ok'))]);
  const harness = start(server.url, 'untrusted');
  harness.say('twice');
  await harness.first('exec_approval_request');
  harness.submit({ type: 'exec_approval', id: 'c3', decision: 'approved_for_session' });
  await harness.first('task_complete');
  expect(harness.ofType('exec_approval_request')).toHaveLength(1);
  expect(harness.ofType('exec_command_end')).toHaveLength(2);
});

it('abort from the approval prompt interrupts the task like Ctrl+C, and the next request is accepted', async () => {
  const server = await useScriptedServer([respond(touch('never.txt', 'c5')), respond(text('fine'))]);
  const harness = start(server.url, 'untrusted');
  harness.say('try');
  await harness.first('exec_approval_request');
  harness.submit({ type: 'exec_approval', id: 'c5', decision: 'abort' });
  await harness.first('turn_aborted');
  harness.say('next');
  await harness.first('task_complete');
  expect(await outputOf(server, 1, 'c5')).toBe('aborted by user');
  expect(existsSync(join(harness.cwd, 'never.txt'))).toBe(false);
  expect(harness.ofType('tool_call_blocked')).toMatchObject([{ call_id: 'c5', outcome: 'aborted', reason: 'the user answered abort' }]);
  expect((await harness.first('turn_aborted')).blocked_calls).toEqual({ refused: 0, denied: 0, aborted: 1 });
  // The next task's count starts afresh.
  expect((await harness.first('task_complete')).blocked_calls).toBeUndefined();
});

it('never + read-only: the command runs in the sandbox, cannot write, and the model sees why', async () => {
  const server = await useScriptedServer([respond(touch('blocked.txt', 'c6')), respond(text('understood'))]);
  const harness = start(server.url, 'never', { type: 'read-only' });
  harness.say('try to write');
  await harness.first('task_complete');
  const output = await outputOf(server, 1, 'c6');
  expect(existsSync(join(harness.cwd, 'blocked.txt'))).toBe(false);
  // Either the sandbox ran it and the write failed, or no sandbox works here and it was refused: never unconfined.
  expect(output).toMatch(/Read-only file system|exec command rejected/);
});

it('a patch that writes outside the workspace asks (on-request) and is refused under never', async () => {
  // Not under /tmp, which workspace-write may write.
  const outside = mkdtempSync('/var/tmp/keel-outside-');
  writeFileSync(join(outside, 'x.txt'), 'one\n');
  const patch = `*** Begin Patch\n*** Update File: ${join(outside, 'x.txt')}\n@@\n-one\n+two\n*** End Patch`;
  const server = await useScriptedServer([respond(functionCall('apply_patch', { input: patch }, 'p1')), respond(text('ok')), respond(functionCall('apply_patch', { input: patch }, 'p2')), respond(text('ok'))]);
  const asking = start(server.url, 'on-request');
  asking.say('edit outside');
  const request = await asking.first('apply_patch_approval_request');
  expect(Object.keys(request.changes)).toEqual([join(outside, 'x.txt')]);
  asking.submit({ type: 'patch_approval', id: 'p1', decision: 'denied' });
  await asking.first('task_complete');
  expect(await outputOf(server, 1, 'p1')).toBe('patch rejected by user');

  const refusing = start(server.url, 'never');
  refusing.say('edit outside');
  await refusing.first('task_complete');
  expect(await outputOf(server, 3, 'p2')).toMatch(/^patch rejected: /);
  const [blocked] = refusing.ofType('tool_call_blocked');
  expect(blocked).toMatchObject({ call_id: 'p2', tool: 'apply_patch', summary: `apply_patch ${join(outside, 'x.txt')}`, outcome: 'refused' });
  expect(blocked!.reason).toBe((await outputOf(server, 3, 'p2')).replace(/^patch rejected: /, ''));
  expect((await refusing.first('task_complete')).blocked_calls).toEqual({ refused: 1, denied: 0, aborted: 0 });
});

// Needs a working sandbox; where none can run, the probe's reason is printed instead (keel sandbox check).
const probe = await probeSandbox(nodeSandboxHost());
if (probe.type !== 'available') console.warn(`skipping the sandbox-retry test: ${probe.reason}`);

it.skipIf(probe.type !== 'available')('on-failure: a command the sandbox blocked is offered for a run without it, and runs once approved', async () => {
  const server = await useScriptedServer([respond(touch('escaped.txt', 'c7')), respond(text('written'))]);
  const harness = start(server.url, 'on-failure', { type: 'read-only' });
  harness.say('write it');
  const request = await harness.first('exec_approval_request');
  expect(request.reason).toMatch(/failed in the sandbox/);
  // The person saw the sandboxed failure before the question.
  expect(harness.ofType('exec_command_end')[0]).toMatchObject({ call_id: 'c7', status: 'failed' });
  expect(existsSync(join(harness.cwd, 'escaped.txt'))).toBe(false);
  harness.submit({ type: 'exec_approval', id: 'c7', decision: 'approved' });
  await harness.first('task_complete');
  expect(existsSync(join(harness.cwd, 'escaped.txt'))).toBe(true);
  expect(JSON.parse(await outputOf(server, 1, 'c7'))).toMatchObject({ metadata: { exit_code: 0 } });
  expect(checkEventInvariants(harness.events)).toEqual([]);
});

it('tells the model when approvals or the sandbox change between tasks, and only what changed', async () => {
  const server = await useScriptedServer([respond(text('first')), respond(text('second'))]);
  const harness = start(server.url, 'on-request', { type: 'read-only' });
  harness.say('one');
  await harness.first('task_complete');
  harness.submit({ type: 'override_turn_context', approval_policy: 'never', sandbox_policy: { type: 'danger-full-access' } });
  harness.say('two');
  const [first, second] = await server.waitForRequests(2);
  const notes = (request: typeof first) => userMessageTexts(request!).filter((message) => message.startsWith('<environment_context>'));
  expect(notes(first)).toHaveLength(1);
  const changed = notes(second).at(-1)!;
  expect(notes(second)).toHaveLength(2);
  expect(changed).toContain('<approval_policy>never</approval_policy>');
  expect(changed).toContain('<sandbox_mode>danger-full-access</sandbox_mode>');
  expect(changed).not.toContain('<cwd>');
  // The note comes before the new prompt, which stays the last message.
  expect(userMessageTexts(second!).at(-1)).toBe('two');
});

it('a change made while a task runs reaches the model with the next request, never between a call and its output', async () => {
  const server = await useScriptedServer([respond(functionCall('shell', { command: ['sleep', '0.3'] }, 'c-mid')), respond(text('done'))]);
  const harness = start(server.url, 'never', { type: 'danger-full-access' });
  harness.say('wait a little');
  await harness.first('exec_command_begin');
  harness.submit({ type: 'override_turn_context', approval_policy: 'untrusted' });
  await harness.first('task_complete');
  const [, second] = await server.waitForRequests(2);
  const input = second!.body.input as Item[];
  const output = input.findIndex((item) => item.type === 'function_call_output' && item.call_id === 'c-mid');
  expect(input[output - 1]).toMatchObject({ type: 'function_call', call_id: 'c-mid' });
  expect(JSON.stringify(input.slice(output + 1))).toContain('<approval_policy>untrusted</approval_policy>');
});

it('fails closed: a command the sandbox cannot confine when it is spawned is refused, never run unconfined', async () => {
  const server = await useScriptedServer([respond(touch('unconfined.txt', 'c9')), respond(text('ok'))]);
  const home = mkdtempSync(join(tmpdir(), 'keel-home-'));
  const real = createSafetyServices(process.env, home);
  let wraps = 0;
  const harness = new AgentHarness({
    baseUrl: server.url,
    approvalPolicy: 'on-request',
    sandboxPolicy: workspaceWrite,
    // The sandbox says yes when the call is decided and no when its argv is wrapped for spawning.
    safety: {
      ...real,
      sandboxAvailable: () => Promise.resolve(true),
      wrap: (argv) => (++wraps === 1 ? { type: 'wrapped', argv: [...argv] } : { type: 'unsupported', reason: 'the sandbox went away' }),
    },
    tools: [createShellTool({}), createApplyPatchTool()],
  });
  harnesses.push(harness);
  harness.say('make a file');
  await harness.first('task_complete');
  expect(wraps).toBe(2);
  expect(await outputOf(server, 1, 'c9')).toBe('exec command rejected: the sandbox went away');
  expect(existsSync(join(harness.cwd, 'unconfined.txt'))).toBe(false);
  expect(harness.ofType('exec_command_begin')).toEqual([]);
  expect(harness.ofType('tool_call_blocked')).toMatchObject([{ call_id: 'c9', summary: 'touch unconfined.txt', outcome: 'refused', reason: 'the sandbox went away' }]);
  expect(checkEventInvariants(harness.events)).toEqual([]);
});

it('approve always: saves an allow rule in config.toml, says so, and the command runs unasked from then on', async () => {
  const server = await useScriptedServer([respond(touch('always.txt', 'c8')), respond(touch('always.txt', 'c9')), respond(text('ok'))]);
  const home = mkdtempSync(join(tmpdir(), 'keel-home-'));
  const harness = new AgentHarness({
    baseUrl: server.url,
    approvalPolicy: 'untrusted',
    sandboxPolicy: { type: 'danger-full-access' },
    safety: createSafetyServices(process.env, home),
    tools: [createShellTool({})],
  });
  harnesses.push(harness);
  harness.say('touch it twice');
  const request = await harness.first('exec_approval_request');
  expect(request.proposed_rule).toEqual(['touch', 'always.txt']);
  harness.submit({ type: 'exec_approval', id: 'c8', decision: 'approved_always' });
  await harness.first('task_complete');
  expect(harness.ofType('exec_approval_request')).toHaveLength(1);
  expect(harness.ofType('exec_command_end').map((end) => end.call_id)).toEqual(['c8', 'c9']);
  expect(harness.ofType('rule_saved')).toEqual([{ type: 'rule_saved', pattern: ['touch', 'always.txt'], path: join(home, 'config.toml') }]);
  expect(readFileSync(join(home, 'config.toml'), 'utf8')).toMatch(/\[\[rules\]\]\npattern = \["touch", "always\.txt"\]\ndecision = "allow"/);
});
