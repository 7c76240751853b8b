/**
 * apply_patch in the engine: the model edits files with a patch sent as a function call, as a freeform custom tool
 * call, or through the shell; the files change on disk, `patch_apply_begin` / `patch_apply_end` and then `turn_diff`
 * come out in that order, and the next request carries the summary right after the call. A failing patch changes
 * nothing and tells the model what to fix.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { customToolCall, functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { createApplyPatchTool } from '../../src/tools/apply-patch/patch-tool.ts';
import { createShellTool } from '../../src/tools/shell/shell-tool.ts';
import type { AnyTool } from '../../src/tools/tool.ts';
import { AgentHarness } from '../support/agent-harness.ts';
import { checkEventInvariants } from '../support/event-invariants.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const harnesses: AgentHarness[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.shutdown();
});

type Item = Record<string, unknown>;

const GREET = 'export function greet(name) {\n  return `Hello, ${name}!`;\n}\n';
const ADD_FAREWELL = [
  '*** Begin Patch',
  '*** Update File: greet.js',
  '@@',
  ' export function greet(name) {',
  '   return `Hello, ${name}!`;',
  ' }',
  '+',
  '+export function farewell(name) {',
  '+  return `Goodbye, ${name}!`;',
  '+}',
  '*** End Patch',
].join('\n');
const WITH_FAREWELL = GREET + '\nexport function farewell(name) {\n  return `Goodbye, ${name}!`;\n}\n';

function start(baseUrl: string, tools?: AnyTool[]): AgentHarness {
  const harness = new AgentHarness({ baseUrl, tools: tools ?? [createShellTool({}), createApplyPatchTool()] });
  harnesses.push(harness);
  writeFileSync(join(harness.cwd, 'greet.js'), GREET);
  return harness;
}

/** The calls and outputs of a request, as `type:call_id`, in order. */
const calls = (input: Item[]): string[] =>
  input.filter((item) => item.type !== 'message').map((item) => `${String(item.type)}:${String(item.call_id)}`);
const outputOf = (input: Item[], callId: string): string =>
  String(input.find((item) => item.call_id === callId && String(item.type).endsWith('_output'))?.output);
/** The event types of the task, without the streaming noise. */
const patchEvents = (harness: AgentHarness): string[] =>
  harness.events
    .map((event) => event.msg.type)
    .filter((type) => type.startsWith('patch_apply') || type === 'turn_diff' || type.startsWith('exec_command') || type === 'task_complete');

describe('apply_patch as a function tool', () => {
  it('edits the file, reports the change, and answers the call with the summary in the next request', async () => {
    const server = await useScriptedServer([respond(functionCall('apply_patch', { input: ADD_FAREWELL }, 'p1')), respond(text('added farewell'))]);
    const harness = start(server.url);
    harness.say('add a farewell function');
    expect((await harness.first('task_complete')).last_agent_message).toBe('added farewell');

    expect(readFileSync(join(harness.cwd, 'greet.js'), 'utf8')).toBe(WITH_FAREWELL);
    expect(patchEvents(harness)).toEqual(['patch_apply_begin', 'patch_apply_end', 'turn_diff', 'task_complete']);
    const begin = (await harness.first('patch_apply_begin'));
    expect(begin).toMatchObject({ call_id: 'p1', auto_approved: true });
    // Paths are reported resolved, so an approval layer can tell whether a write leaves the workspace.
    expect(begin.changes).toEqual({
      [join(harness.cwd, 'greet.js')]: { type: 'update', move_path: null, unified_diff: expect.stringContaining('+export function farewell(name) {') },
    });
    expect(await harness.first('patch_apply_end')).toEqual({
      type: 'patch_apply_end',
      call_id: 'p1',
      stdout: 'Success. Updated the following files:\nM greet.js\n',
      stderr: '',
      success: true,
    });
    expect((await harness.first('turn_diff')).unified_diff).toBe(
      [
        'diff --git a/greet.js b/greet.js',
        '--- a/greet.js',
        '+++ b/greet.js',
        '@@ -1,3 +1,7 @@',
        ' export function greet(name) {',
        '   return `Hello, ${name}!`;',
        ' }',
        '+',
        '+export function farewell(name) {',
        '+  return `Goodbye, ${name}!`;',
        '+}',
        '',
      ].join('\n'),
    );

    const [first, second] = await server.waitForRequests(2);
    const offered = (first!.body.tools as Item[]).find((tool) => tool.name === 'apply_patch');
    expect(offered).toMatchObject({ type: 'function', parameters: { required: ['input'] } });
    const input = second!.body.input as Item[];
    expect(calls(input)).toEqual(['function_call:p1', 'function_call_output:p1']);
    expect(outputOf(input, 'p1')).toBe('Success. Updated the following files:\nM greet.js\n');
    expect(checkEventInvariants(harness.events)).toEqual([]);
  });

  it('changes nothing when one operation fails, shows the model what to fix, and takes the corrected patch', async () => {
    const broken = [
      '*** Begin Patch',
      '*** Add File: notes.txt',
      '+remember the farewell',
      '*** Update File: greet.js',
      '@@',
      ' export function greet(person) {',
      '+  // greets',
      '   return `Hello, ${name}!`;',
      '*** End Patch',
    ].join('\n');
    const fixed = broken.replace('greet(person)', 'greet(name)');
    const server = await useScriptedServer([
      respond(functionCall('apply_patch', { input: broken }, 'bad')),
      respond(functionCall('apply_patch', { input: fixed }, 'good')),
      respond(text('fixed it')),
    ]);
    const harness = start(server.url);
    harness.say('add a note and a comment');
    await harness.first('task_complete');

    const [, second, third] = await server.waitForRequests(3);
    const error = outputOf(second!.body.input as Item[], 'bad');
    expect(error).toMatch(/^The patch was not applied, and no file was changed/);
    // Where the file really differs, with line numbers, so one try is enough.
    expect(error).toContain('export function greet(person) {');
    expect(error).toContain('     1 | export function greet(name) {');
    expect(error).toContain('the file has "export function greet(name) {" where the patch has "export function greet(person) {"');
    expect(outputOf(third!.body.input as Item[], 'good')).toBe('Success. Updated the following files:\nA notes.txt\nM greet.js\n');

    const ends = harness.ofType('patch_apply_end');
    expect(ends.map((end) => [end.call_id, end.success])).toEqual([
      ['bad', false],
      ['good', true],
    ]);
    expect(ends[0]!.stderr).toBe(error);
    // The failed attempt changed nothing, so only the corrected one produced a diff.
    expect(patchEvents(harness)).toEqual(['patch_apply_begin', 'patch_apply_end', 'patch_apply_begin', 'patch_apply_end', 'turn_diff', 'task_complete']);
    expect(readFileSync(join(harness.cwd, 'notes.txt'), 'utf8')).toBe('remember the farewell\n');
    expect(readFileSync(join(harness.cwd, 'greet.js'), 'utf8')).toBe(GREET.replace('{\n', '{\n  // greets\n'));
    expect(checkEventInvariants(harness.events)).toEqual([]);
  });

  it('answers a patch that does not parse with the parse error, and nothing changes', async () => {
    const server = await useScriptedServer([
      respond(functionCall('apply_patch', { input: '*** Begin Patch\n*** Frobnicate File: greet.js\n*** End Patch' }, 'p1')),
      respond(text('sorry')),
    ]);
    const harness = start(server.url);
    harness.say('edit');
    await harness.first('task_complete');
    const [, second] = await server.waitForRequests(2);
    expect(outputOf(second!.body.input as Item[], 'p1')).toMatch(/^Invalid patch: Line 2, '\*\*\* Frobnicate File: greet.js', is not a valid file operation/);
    expect(readFileSync(join(harness.cwd, 'greet.js'), 'utf8')).toBe(GREET);
    expect(harness.ofType('turn_diff')).toEqual([]);
    expect(checkEventInvariants(harness.events)).toEqual([]);
  });
});

describe('apply_patch as a freeform custom tool', () => {
  it('is offered with its grammar and answered with custom_tool_call_output right after the call', async () => {
    const patch = '*** Begin Patch\n*** Add File: docs/usage.md\n+# Usage\n+\n+Call greet(name).\n*** End Patch\n';
    const server = await useScriptedServer([respond(customToolCall('apply_patch', patch, 'ct1')), respond(text('documented'))]);
    const harness = start(server.url, [createShellTool({}), createApplyPatchTool({ freeform: true })]);
    harness.say('document it');
    await harness.first('task_complete');

    expect(readFileSync(join(harness.cwd, 'docs', 'usage.md'), 'utf8')).toBe('# Usage\n\nCall greet(name).\n');
    const [first, second] = await server.waitForRequests(2);
    const offered = (first!.body.tools as Item[]).find((tool) => tool.name === 'apply_patch');
    expect(offered).toMatchObject({ type: 'custom', format: { type: 'grammar', syntax: 'lark' } });
    const input = second!.body.input as Item[];
    expect(calls(input)).toEqual(['custom_tool_call:ct1', 'custom_tool_call_output:ct1']);
    expect(outputOf(input, 'ct1')).toBe('Success. Updated the following files:\nA docs/usage.md\n');
    expect(patchEvents(harness)).toEqual(['patch_apply_begin', 'patch_apply_end', 'turn_diff', 'task_complete']);
    expect((await harness.first('turn_diff')).unified_diff).toBe(
      ['diff --git a/docs/usage.md b/docs/usage.md', 'new file mode 100644', '--- /dev/null', '+++ b/docs/usage.md', '@@ -0,0 +1,3 @@', '+# Usage', '+', '+Call greet(name).', ''].join(
        '\n',
      ),
    );
    expect(checkEventInvariants(harness.events)).toEqual([]);
  });
});

describe('apply_patch through the shell', () => {
  it('runs ["apply_patch", PATCH] through the patch engine instead of spawning a process', async () => {
    const server = await useScriptedServer([respond(functionCall('shell', { command: ['apply_patch', ADD_FAREWELL] }, 's1')), respond(text('done'))]);
    const harness = start(server.url);
    harness.say('add farewell');
    await harness.first('task_complete');

    expect(readFileSync(join(harness.cwd, 'greet.js'), 'utf8')).toBe(WITH_FAREWELL);
    expect(patchEvents(harness)).toEqual(['patch_apply_begin', 'patch_apply_end', 'turn_diff', 'task_complete']);
    const [, second] = await server.waitForRequests(2);
    const input = second!.body.input as Item[];
    expect(calls(input)).toEqual(['function_call:s1', 'function_call_output:s1']);
    expect(outputOf(input, 's1')).toBe('Success. Updated the following files:\nM greet.js\n');
    expect(checkEventInvariants(harness.events)).toEqual([]);
  });

  it("runs bash -lc \"cd sub && apply_patch <<'EOF' … EOF\" in sub, resolved against the session's cwd", async () => {
    const script = [
      "cd sub && apply_patch <<'EOF'",
      '*** Begin Patch',
      '*** Update File: inner.txt',
      '-old',
      '+new',
      '*** Delete File: gone.txt',
      '*** End Patch',
      'EOF',
      '',
    ].join('\n');
    const server = await useScriptedServer([respond(functionCall('shell', { command: ['bash', '-lc', script] }, 's2')), respond(text('done'))]);
    const harness = start(server.url);
    mkdirSync(join(harness.cwd, 'sub'));
    writeFileSync(join(harness.cwd, 'sub', 'inner.txt'), 'old\n');
    writeFileSync(join(harness.cwd, 'sub', 'gone.txt'), 'bye\n');
    // A file of the same name outside sub must not be touched.
    writeFileSync(join(harness.cwd, 'inner.txt'), 'old\n');
    harness.say('update sub');
    await harness.first('task_complete');

    expect(readFileSync(join(harness.cwd, 'sub', 'inner.txt'), 'utf8')).toBe('new\n');
    expect(existsSync(join(harness.cwd, 'sub', 'gone.txt'))).toBe(false);
    expect(readFileSync(join(harness.cwd, 'inner.txt'), 'utf8')).toBe('old\n');
    expect(harness.ofType('exec_command_begin')).toEqual([]);
    expect(Object.keys((await harness.first('patch_apply_begin')).changes).sort()).toEqual([join(harness.cwd, 'sub', 'gone.txt'), join(harness.cwd, 'sub', 'inner.txt')]);
    const [, second] = await server.waitForRequests(2);
    expect(outputOf(second!.body.input as Item[], 's2')).toBe('Success. Updated the following files:\nM inner.txt\nD gone.txt\n');
    // The task's diff is labelled from the session's cwd, not from the patch's.
    const diff = (await harness.first('turn_diff')).unified_diff;
    expect(diff).toContain('diff --git a/sub/gone.txt b/sub/gone.txt\ndeleted file mode 100644\n--- a/sub/gone.txt\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-bye\n');
    expect(diff).toContain('diff --git a/sub/inner.txt b/sub/inner.txt\n--- a/sub/inner.txt\n+++ b/sub/inner.txt\n@@ -1,1 +1,1 @@\n-old\n+new\n');
    expect(checkEventInvariants(harness.events)).toEqual([]);
  });

  it('tells the model how to call apply_patch when the shell is given a bare patch, and runs nothing', async () => {
    const server = await useScriptedServer([respond(functionCall('shell', { command: ['bash', '-lc', ADD_FAREWELL] }, 's3')), respond(text('ok'))]);
    const harness = start(server.url);
    harness.say('edit');
    await harness.first('task_complete');
    const [, second] = await server.waitForRequests(2);
    expect(outputOf(second!.body.input as Item[], 's3')).toMatch(/^patch detected without explicit call to apply_patch/);
    expect(patchEvents(harness)).toEqual(['task_complete']);
    expect(readFileSync(join(harness.cwd, 'greet.js'), 'utf8')).toBe(GREET);
  });
});

describe('turn_diff', () => {
  it("aggregates the task's changes from each file's state before the task, and starts over with the next task", async () => {
    const server = await useScriptedServer([
      respond(functionCall('apply_patch', { input: '*** Begin Patch\n*** Update File: a.txt\n-one\n+uno\n*** Add File: b.txt\n+bee\n*** End Patch' }, 'p1')),
      respond(
        functionCall('apply_patch', { input: '*** Begin Patch\n*** Update File: a.txt\n uno\n-two\n+dos\n*** Delete File: b.txt\n*** Delete File: c.txt\n*** End Patch' }, 'p2'),
      ),
      respond(text('first task done')),
      respond(functionCall('apply_patch', { input: '*** Begin Patch\n*** Update File: a.txt\n@@\n-three\n+tres\n*** End Patch' }, 'p3')),
      respond(text('second task done')),
    ]);
    const harness = start(server.url);
    writeFileSync(join(harness.cwd, 'a.txt'), 'one\ntwo\nthree\n');
    writeFileSync(join(harness.cwd, 'c.txt'), 'sea\n');
    harness.say('translate');
    await harness.first('task_complete');

    const diffs = harness.ofType('turn_diff').map((event) => event.unified_diff);
    expect(diffs).toHaveLength(2);
    expect(diffs[0]).toBe(
      'diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n-one\n+uno\n two\n three\n' +
        'diff --git a/b.txt b/b.txt\nnew file mode 100644\n--- /dev/null\n+++ b/b.txt\n@@ -0,0 +1,1 @@\n+bee\n',
    );
    // b.txt came and went within the task: it is not in the task's diff. a.txt is diffed from before p1.
    expect(diffs[1]).toBe(
      'diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n-one\n-two\n+uno\n+dos\n three\n' +
        'diff --git a/c.txt b/c.txt\ndeleted file mode 100644\n--- a/c.txt\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-sea\n',
    );

    const from = harness.events.length;
    harness.say('and the last one');
    await harness.waitFor((event) => event.msg.type === 'task_complete', from);
    const next = harness.ofType('turn_diff').map((event) => event.unified_diff);
    expect(next).toHaveLength(3);
    expect(next[2]).toBe('diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n uno\n dos\n-three\n+tres\n');
    expect(checkEventInvariants(harness.events)).toEqual([]);
  });
});
