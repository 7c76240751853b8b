/**
 * `keel undo` from the shell, on a session `keel exec` ran in a real git repository: it shows the diff, refuses to
 * change files unasked without a terminal, puts every file back with --yes, tells the session (the next request of
 * `exec resume` carries the note), keeps a file changed since, and settles an undo a kill cut off.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { SnapshotStore } from '../../src/store/snapshots/index.ts';
import { modelEnv } from '../support/keel-tui.ts';
import { runKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { committedRepo, git } from '../support/git-repo.ts';

function place(): { home: string; cwd: string } {
  const cwd = committedRepo({ 'app.py': 'print("one")\n', 'notes.md': '# notes\n' }, 'keel-undo-work-');
  return { home: mkdtempSync(join(tmpdir(), 'keel-undo-home-')), cwd };
}

const EDIT = "sed -i 's/one/two/' app.py && echo generated > gen.txt && echo more >> notes.md";

async function taskThatEdits(home: string, cwd: string, url: string): Promise<string> {
  const run = await runKeel(['exec', '--json', '--dangerously-bypass-sandbox', 'make the edits'], { env: modelEnv(url, home), cwd });
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout.split('\n')[0]!).session_id as string;
}

describe('keel undo', () => {
  it('shows the diff, asks for --yes without a terminal, restores the files and tells the session', async () => {
    const { home, cwd } = place();
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: ['bash', '-c', EDIT] }, 'c1')),
      respond(text('edited')),
      respond(text('understood')),
    ]);
    const id = await taskThatEdits(home, cwd, server.url);
    expect(readFileSync(join(cwd, 'app.py'), 'utf8')).toBe('print("two")\n');

    const env = modelEnv(server.url, home);
    const refused = await runKeel(['undo'], { env, cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pass --yes');

    const preview = await runKeel(['undo', '--preview'], { env, cwd });
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain('Undo task 1');
    expect(preview.stdout).toContain('-print("two")\n+print("one")');
    expect(preview.stdout).toContain('diff --git a/gen.txt b/gen.txt\ndeleted file mode 100644');
    expect(existsSync(join(cwd, 'gen.txt'))).toBe(true);

    const done = await runKeel(['undo', id.slice(0, 8), '--yes'], { env, cwd });
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toContain('undid task 1');
    expect(readFileSync(join(cwd, 'app.py'), 'utf8')).toBe('print("one")\n');
    expect(readFileSync(join(cwd, 'notes.md'), 'utf8')).toBe('# notes\n');
    expect(existsSync(join(cwd, 'gen.txt'))).toBe(false);
    expect(git(cwd, 'status', '--porcelain')).toBe('');

    // Nothing left to undo; and the session goes on knowing what happened.
    expect((await runKeel(['undo', '--yes'], { env, cwd })).stderr).toContain('no task of this session changed files');
    const resumed = await runKeel(['exec', 'resume', id, 'what now?'], { env, cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    const input = JSON.stringify(server.requests.at(-1)!.body.input);
    expect(input).toContain('The user undid the changes of task 1');
    expect(input).toContain('Deleted (the task created them): gen.txt');
  });

  it('leaves a file changed since the task as it is, unless --force', async () => {
    const { home, cwd } = place();
    const server = await useScriptedServer([respond(functionCall('shell', { command: ['bash', '-c', EDIT] }, 'c1')), respond(text('edited'))]);
    await taskThatEdits(home, cwd, server.url);
    writeFileSync(join(cwd, 'app.py'), 'print("mine")\n');
    const env = modelEnv(server.url, home);
    const kept = await runKeel(['undo', '--yes'], { env, cwd });
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stdout).toContain('Changed again since task 1, left as they are unless --force: app.py');
    expect(readFileSync(join(cwd, 'app.py'), 'utf8')).toBe('print("mine")\n');
    expect(existsSync(join(cwd, 'gen.txt'))).toBe(false);
    const forced = await runKeel(['undo', '--task', '1', '--force', '--yes'], { env, cwd });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'app.py'), 'utf8')).toBe('print("one")\n');
  });

  it('finishes or rolls back an undo a kill cut off, and refuses a new one until then', async () => {
    const { home, cwd } = place();
    const server = await useScriptedServer([respond(functionCall('shell', { command: ['bash', '-c', EDIT] }, 'c1')), respond(text('edited'))]);
    const id = await taskThatEdits(home, cwd, server.url);
    // The state a kill leaves: the journal written, one file already back, the others not yet.
    const store = await SnapshotStore.open(home, cwd);
    const log = readFileSync(execFileSync('find', [home, '-name', '*.jsonl', '-path', '*sessions*'], { encoding: 'utf8' }).trim(), 'utf8');
    const snapshots = log.split('\n').filter((line) => line.includes('"task_snapshot"')).map((line) => JSON.parse(line).event.snapshot_id as string);
    const midway = await store.take({ sessionId: id, task: 1, phase: 'undo' });
    writeFileSync(join(cwd, 'app.py'), 'print("one")\n');
    writeFileSync(
      join(store.storeDir, 'undo-journal.json'),
      JSON.stringify({ version: 1, session_id: id, task: 1, target: snapshots[0], rollback: midway.id, paths: ['app.py', 'gen.txt', 'notes.md'], started_at: new Date().toISOString() }),
    );
    const env = modelEnv(server.url, home);

    const refused = await runKeel(['undo', '--yes'], { env, cwd });
    expect(refused.stderr).toContain('was cut off before it finished');
    expect(refused.stderr).toContain('keel undo --finish');

    const rolledBack = await runKeel(['undo', '--rollback'], { env, cwd });
    expect(rolledBack.code, rolledBack.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'app.py'), 'utf8')).toBe('print("two")\n');
    expect(existsSync(join(cwd, 'gen.txt'))).toBe(true);
    expect((await runKeel(['undo', '--finish'], { env, cwd })).stderr).toContain('no undo was cut off');

    const finished = await runKeel(['undo', '--yes'], { env, cwd });
    expect(finished.code, finished.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'app.py'), 'utf8')).toBe('print("one")\n');
    expect(existsSync(join(cwd, 'gen.txt'))).toBe(false);
  });
});
