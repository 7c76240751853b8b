/**
 * Snapshots in the engine, in a real git repository: a task that edits with `sed -i`, creates, deletes, renames,
 * changes a mode and applies a patch is recorded before and after; its `turn_diff` shows every change, whichever
 * tool made it; `undo` puts every file back byte for byte without touching the user's index, refs, stash or config;
 * the model is told with the next request; a file changed again since the task is a conflict, left alone.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SnapshotService } from '../../src/core/snapshot-service.ts';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { createApplyPatchTool } from '../../src/tools/apply-patch/patch-tool.ts';
import { createShellTool } from '../../src/tools/shell/shell-tool.ts';
import { AgentHarness } from '../support/agent-harness.ts';
import { checkEventInvariants } from '../support/event-invariants.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { git } from '../support/git-repo.ts';

const harnesses: AgentHarness[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.shutdown();
});

/** A repository with history, a stash entry and a staged change of the user's own. */
function repository(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'keel-snap-'));
  git(cwd, 'init', '-q', '-b', 'main');
  writeFileSync(join(cwd, 'a.txt'), 'alpha\r\nbeta\r\n');
  writeFileSync(join(cwd, 'b.txt'), 'to be deleted\n');
  writeFileSync(join(cwd, 'c.txt'), 'to be renamed\n'.repeat(20));
  writeFileSync(join(cwd, 'run.sh'), '#!/bin/sh\necho hi\n');
  writeFileSync(join(cwd, 'greet.js'), 'export const greet = () => "hello";\n');
  writeFileSync(join(cwd, '.gitignore'), '*.log\n');
  git(cwd, 'add', '-A');
  git(cwd, 'commit', '-q', '-m', 'first');
  writeFileSync(join(cwd, 'greet.js'), 'export const greet = () => "hello there";\n');
  git(cwd, 'stash', '-q');
  writeFileSync(join(cwd, 'staged.txt'), 'staged by the user\n');
  git(cwd, 'add', 'staged.txt');
  return cwd;
}

/** What the user's repository looks like to git, and the bytes of its index and config. */
function userRepoState(cwd: string): Record<string, string> {
  return {
    status: git(cwd, 'status', '--porcelain'),
    log: git(cwd, 'log', '--all', '--oneline'),
    stash: git(cwd, 'stash', 'list'),
    refs: git(cwd, 'for-each-ref'),
    index: readFileSync(join(cwd, '.git', 'index')).toString('base64'),
    config: readFileSync(join(cwd, '.git', 'config'), 'utf8'),
  };
}

function files(cwd: string): Record<string, string | null> {
  const read = (name: string): string | null => (existsSync(join(cwd, name)) ? readFileSync(join(cwd, name), 'latin1') : null);
  return Object.fromEntries(['a.txt', 'b.txt', 'c.txt', 'd.txt', 'new.txt', 'greet.js', 'run.sh', 'notes.log', 'sub/deep/made.txt'].map((name) => [name, read(name)]));
}

const SCRIPT = "sed -i 's/beta/BETA/' a.txt && echo made > new.txt && rm b.txt && mv c.txt d.txt && chmod +x run.sh && echo log > notes.log && mkdir -p sub/deep && echo deep > sub/deep/made.txt";
const PATCH = ['*** Begin Patch', '*** Update File: greet.js', '@@', '-export const greet = () => "hello";', '+export const greet = () => "hi";', '*** End Patch'].join('\n');

function start(url: string, cwd: string, home: string): AgentHarness {
  const harness = new AgentHarness({
    baseUrl: url,
    cwd,
    tools: [createShellTool({}), createApplyPatchTool()],
    snapshots: new SnapshotService({ home, cwd, sessionId: 'session-1', tasksSoFar: 0 }),
  });
  harnesses.push(harness);
  return harness;
}

describe('snapshots of a task', () => {
  it('diffs every change of any tool, and undo restores every file without touching the user’s repository', async () => {
    const cwd = repository();
    const home = mkdtempSync(join(tmpdir(), 'keel-home-'));
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: ['bash', '-c', SCRIPT] }, 's1')),
      respond(functionCall('apply_patch', { input: PATCH }, 'p1')),
      respond(text('done')),
      respond(text('noted')),
    ]);
    const before = files(cwd);
    const beforeMode = statSync(join(cwd, 'run.sh')).mode;
    const repoBefore = userRepoState(cwd);
    const harness = start(server.url, cwd, home);

    harness.say('rework the files');
    await harness.first('task_complete');
    const snapshots = harness.ofType('task_snapshot');
    expect(snapshots.map((snapshot) => snapshot.phase)).toEqual(['before', 'after']);
    // The snapshot before comes ahead of the first command.
    const types = harness.events.map((event) => event.msg.type);
    expect(types.indexOf('task_snapshot')).toBeLessThan(types.indexOf('exec_command_begin'));
    const diff = harness.ofType('turn_diff').at(-1)!.unified_diff;
    expect(diff).toContain('-beta\r\n+BETA\r\n');
    expect(diff).toContain('diff --git a/new.txt b/new.txt\nnew file mode 100644');
    expect(diff).toContain('diff --git a/b.txt b/b.txt\ndeleted file mode 100644');
    expect(diff).toContain('rename from c.txt\nrename to d.txt');
    expect(diff).toContain('old mode 100644\nnew mode 100755');
    expect(diff).toContain('+export const greet = () => "hi";');
    expect(diff).toContain('sub/deep/made.txt');
    // Ignored files are not recorded.
    expect(diff).not.toContain('notes.log');

    harness.submit({ type: 'undo', preview: true });
    const preview = await harness.first('undo_result');
    expect(preview).toMatchObject({ task: 1, done: false, conflicts: [] });
    expect([...preview.restored].sort()).toEqual(['a.txt', 'b.txt', 'c.txt', 'greet.js', 'run.sh']);
    expect([...preview.deleted].sort()).toEqual(['d.txt', 'new.txt', 'sub/deep/made.txt']);
    expect(preview.skipped).toEqual([{ path: 'notes.log', reason: 'ignored' }]);
    expect(preview.unified_diff).toContain('rename from d.txt\nrename to c.txt');
    // A preview changes nothing.
    expect(files(cwd)['d.txt']).not.toBeNull();

    const at = harness.events.length;
    harness.submit({ type: 'undo' });
    const done = await harness.first('undo_result', at);
    expect(done.done).toBe(true);
    expect({ ...files(cwd), 'notes.log': null }).toEqual({ ...before, 'notes.log': null });
    expect(files(cwd)['notes.log']).toBe('log\n');
    expect(statSync(join(cwd, 'run.sh')).mode).toBe(beforeMode);
    expect(existsSync(join(cwd, 'sub'))).toBe(false);
    expect(userRepoState(cwd)).toEqual(repoBefore);

    // The model hears of it with the next request.
    harness.say('what changed?');
    await harness.first('task_complete', at);
    const input = JSON.stringify(server.requests.at(-1)!.body.input);
    expect(input).toContain('The user undid the changes of task 1');
    checkEventInvariants(harness.events);
  });

  it('leaves a file changed again since the task alone, unless forced', async () => {
    const cwd = repository();
    const home = mkdtempSync(join(tmpdir(), 'keel-home-'));
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: ['bash', '-c', 'echo task > a.txt && echo task > b.txt'] }, 's1')),
      respond(text('done')),
    ]);
    const harness = start(server.url, cwd, home);
    harness.say('edit');
    await harness.first('task_complete');
    writeFileSync(join(cwd, 'a.txt'), 'the user again\n');

    harness.submit({ type: 'undo' });
    const done = await harness.first('undo_result');
    expect(done).toMatchObject({ done: true, conflicts: ['a.txt'], restored: ['b.txt'] });
    expect(readFileSync(join(cwd, 'a.txt'), 'utf8')).toBe('the user again\n');
    expect(readFileSync(join(cwd, 'b.txt'), 'utf8')).toBe('to be deleted\n');

    // Undone once, the task is not offered again; with `task` and `force`, the conflict is overwritten.
    const at = harness.events.length;
    harness.submit({ type: 'undo' });
    expect((await harness.first('warning', at)).message).toContain('no task of this session changed files that can be undone');
    harness.submit({ type: 'undo', task: 1, force: true });
    expect(await harness.first('undo_result', at)).toMatchObject({ done: true, conflicts: [], restored: ['a.txt'] });
    expect(readFileSync(join(cwd, 'a.txt'), 'latin1')).toBe('alpha\r\nbeta\r\n');
  });

  it('records no snapshot for a task whose tools only read, and says why when there can be none', async () => {
    const cwd = repository();
    chmodSync(cwd, 0o755);
    const home = mkdtempSync(join(tmpdir(), 'keel-home-'));
    const server = await useScriptedServer([respond(text('just talking'))]);
    const harness = start(server.url, cwd, home);
    harness.say('hello');
    await harness.first('task_complete');
    expect(harness.ofType('task_snapshot')).toEqual([]);
    harness.submit({ type: 'undo' });
    expect((await harness.first('warning')).message).toContain('no task of this session changed files');
  });
});
