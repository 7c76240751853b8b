import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startStoreChild } from '../testing/run-store-child.ts';
import { applyRestore, planRestore, settleUndo, unfinishedUndo, type UndoJournal } from './restore.ts';
import { SnapshotStore, type SnapshotLimits } from './snapshot-store.ts';
import {
  describePath,
  gitDirListing,
  makeUnwritable,
  TASK_CHANGED,
  TASK_FILES,
  taskLikeEdits,
  treeState,
  undoTemporaries,
  userGit,
  TempPlaces,
  userRepositoryState,
  writeFiles,
} from './testing/fixture.ts';

const LIMITS: SnapshotLimits = { maxFileBytes: 64 * 1024, maxFiles: 1_000 };
const OPTIONS = { force: false, sessionId: 'session-1', task: 1 };
const places = new TempPlaces();
const cleanups: Array<() => void> = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  places.removeAll();
});

const home = (): string => places.home();
const repository = (files: Record<string, string | Buffer> = {}): string => places.repository(files);

const label = (phase: 'before' | 'after') => ({ sessionId: 'session-1', task: 1, phase });

/** `state` without the paths under any of `skip` (what no snapshot records). */
function without(state: Map<string, string>, skip: readonly string[]): Map<string, string> {
  return new Map([...state].filter(([path]) => !skip.some((left) => path === left || path.startsWith(`${left}/`))));
}

/** Only the paths under `keep`. */
function only(state: Map<string, string>, keep: readonly string[]): Map<string, string> {
  return new Map([...state].filter(([path]) => keep.some((kept) => path === kept || path.startsWith(`${kept}/`))));
}

/** A store over `repo` with the task's before snapshot taken, `task` run, and its after snapshot. */
async function taskDone(repo: string, task: () => void, limits: SnapshotLimits = LIMITS) {
  const keelHome = home();
  const store = await SnapshotStore.open(keelHome, repo, limits);
  const before = await store.take(label('before'));
  const beforeState = treeState(repo);
  task();
  const after = await store.take(label('after'));
  return { keelHome, store, before, after, beforeState, afterState: treeState(repo) };
}

describe('undo of a task-like sequence', () => {
  it('puts every file back byte for byte, removes what the task created, and leaves the user\'s repository as it was', async () => {
    const repo = repository({ ...TASK_FILES });
    writeFiles(repo, { 'big.bin': Buffer.alloc(LIMITS.maxFileBytes + 1, 0x61) });
    const userState = userRepositoryState(repo);
    const listing = gitDirListing(repo);
    const notRecorded = ['big.bin', 'build', 'debug.log', 'out.log'];
    const { store, before, after, beforeState } = await taskDone(repo, () => {
      taskLikeEdits(repo);
      writeFileSync(join(repo, 'big.bin'), Buffer.alloc(LIMITS.maxFileBytes + 1, 0x62));
    });
    const leftAsTheTaskLeftThem = only(treeState(repo), notRecorded);

    const plan = await planRestore(store, before.id, after.id);
    expect(plan.restore.sort()).toEqual(['README.md', 'doomed.txt', 'linkme.txt', 'old-name.txt', 'script.sh', 'src/app.ts']);
    expect(plan.remove.sort()).toEqual(['new/deep/dir/file.txt', 'new/deep/other.txt', 'renamed.txt', 'src/new.ts']);
    expect(plan.conflicts).toEqual([]);
    expect(plan.skipped).toEqual([
      { path: 'big.bin', reason: 'too_large' },
      { path: 'out.log', reason: 'ignored' },
    ]);
    expect([...plan.diff.matchAll(/^diff --git a\/(\S+) b\/(\S+)$/gm)].flatMap((match) => [match[1], match[2]]).filter((path, index, all) => all.indexOf(path) === index).sort()).toEqual(TASK_CHANGED);

    const done = await applyRestore(store, plan, OPTIONS);
    expect(done.restored.sort()).toEqual(plan.restore);
    expect(done.removed.sort()).toEqual(plan.remove);
    expect(done.conflicts).toEqual([]);
    expect((await store.read(done.before)).tree).toBe(after.tree);

    expect(treeState(repo, notRecorded)).toEqual(without(beforeState, notRecorded));
    expect(existsSync(join(repo, 'new'))).toBe(false);
    expect(only(treeState(repo), notRecorded)).toEqual(leftAsTheTaskLeftThem);
    expect(unfinishedUndo(store)).toBeNull();
    expect(undoTemporaries(repo)).toEqual([]);
    expect(userRepositoryState(repo)).toEqual(userState);
    expect(gitDirListing(repo)).toEqual(listing);
  });

  it('leaves a file someone changed again after the task alone (a conflict), and restores it only with force', async () => {
    const repo = repository({ 'a.txt': 'a before\n', 'b.txt': 'b before\n' });
    const { store, before, after, beforeState } = await taskDone(repo, () => writeFiles(repo, { 'a.txt': 'a by the task\n', 'b.txt': 'b by the task\n' }));
    writeFileSync(join(repo, 'a.txt'), 'a changed again by the user\n');

    const plan = await planRestore(store, before.id, after.id);
    expect(plan).toMatchObject({ restore: ['b.txt'], remove: [], conflicts: ['a.txt'] });
    expect(plan.diff).toContain('diff --git a/b.txt b/b.txt');
    expect(plan.diff).not.toContain('a.txt');
    expect(await applyRestore(store, plan, OPTIONS)).toMatchObject({ restored: ['b.txt'], removed: [], conflicts: ['a.txt'] });
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('a changed again by the user\n');
    expect(readFileSync(join(repo, 'b.txt'), 'utf8')).toBe('b before\n');

    const again = await planRestore(store, before.id, after.id);
    expect(again).toMatchObject({ restore: [], remove: [], conflicts: ['a.txt'] });
    expect(await applyRestore(store, again, { ...OPTIONS, force: true })).toMatchObject({ restored: ['a.txt'], conflicts: [] });
    expect(treeState(repo)).toEqual(beforeState);
  });

  it('never touches large, ignored or nested-repository files the task changed, and reports them', async () => {
    const repo = repository({ 'kept.txt': 'kept\n' });
    writeFiles(repo, { 'big.bin': Buffer.alloc(LIMITS.maxFileBytes + 1, 0x61), 'vendor/lib/file.c': 'int x;\n' });
    userGit(join(repo, 'vendor/lib'), 'init', '-q');
    const { store, before, after } = await taskDone(repo, () =>
      writeFiles(repo, {
        'kept.txt': 'changed\n',
        'big.bin': Buffer.alloc(LIMITS.maxFileBytes + 2, 0x62),
        'new-big.bin': Buffer.alloc(LIMITS.maxFileBytes + 1, 0x63),
        'debug.log': 'rewritten\n',
        'fresh.log': 'created, ignored\n',
        'vendor/lib/file.c': 'int y;\n',
        'vendor/lib/new.c': 'int z;\n',
      }),
    );
    const untouched = ['big.bin', 'new-big.bin', 'debug.log', 'fresh.log', 'vendor/lib/file.c', 'vendor/lib/new.c'].map((path) => [path, describePath(repo, path)]);

    const plan = await planRestore(store, before.id, after.id);
    expect(plan).toMatchObject({ restore: ['kept.txt'], remove: [], conflicts: [] });
    expect(plan.skipped).toEqual([
      { path: 'big.bin', reason: 'too_large' },
      { path: 'fresh.log', reason: 'ignored' },
      { path: 'new-big.bin', reason: 'too_large' },
      { path: 'vendor/lib', reason: 'nested_repository' },
    ]);
    await applyRestore(store, plan, OPTIONS);
    expect(readFileSync(join(repo, 'kept.txt'), 'utf8')).toBe('kept\n');
    expect(untouched.map(([path]) => [path, describePath(repo, path!)])).toEqual(untouched);
  });

  it('restores a file the repository tracks though .gitignore matches it (added with -f)', async () => {
    const repo = repository();
    writeFiles(repo, { 'build/bundle.js': 'tracked build v1\n' });
    userGit(repo, 'add', '-f', 'build/bundle.js');
    userGit(repo, 'commit', '-q', '-m', 'vendored bundle');
    const { store, before, after, beforeState } = await taskDone(repo, () => writeFiles(repo, { 'build/bundle.js': 'rebuilt by the task\n' }));
    const plan = await planRestore(store, before.id, after.id);
    expect(plan).toMatchObject({ restore: ['build/bundle.js'], remove: [], conflicts: [] });
    await applyRestore(store, plan, OPTIONS);
    expect(treeState(repo)).toEqual(beforeState);
  });

  it('undoes files replaced by directories and directories replaced by files, leaving what it cannot own alone', async () => {
    const repo = repository({ 'file-then-dir': 'a file\n', 'dir-then-file/x.txt': 'x\n', 'dir-then-file/y/z.txt': 'z\n', 'blocked/a.txt': 'a\n' });
    const { store, before, after, beforeState } = await taskDone(repo, () => {
      rmSync(join(repo, 'file-then-dir'));
      writeFiles(repo, { 'file-then-dir/inside.txt': 'made by the task\n' });
      rmSync(join(repo, 'dir-then-file'), { recursive: true });
      writeFileSync(join(repo, 'dir-then-file'), 'a file now\n');
      rmSync(join(repo, 'blocked'), { recursive: true });
      writeFileSync(join(repo, 'blocked'), 'a file now\n');
    });
    // Someone edits the file that replaced `blocked/`: restoring blocked/a.txt would delete that edit.
    writeFileSync(join(repo, 'blocked'), 'edited after the task\n');
    const plan = await planRestore(store, before.id, after.id);
    expect(plan.restore.sort()).toEqual(['dir-then-file/x.txt', 'dir-then-file/y/z.txt', 'file-then-dir']);
    expect(plan.remove.sort()).toEqual(['dir-then-file', 'file-then-dir/inside.txt']);
    expect(plan.conflicts.sort()).toEqual(['blocked', 'blocked/a.txt']);
    await applyRestore(store, plan, OPTIONS);
    expect(readFileSync(join(repo, 'blocked'), 'utf8')).toBe('edited after the task\n');
    expect(treeState(repo, ['blocked'])).toEqual(without(beforeState, ['blocked']));

    // With force the conflicts go back too.
    await applyRestore(store, await planRestore(store, before.id, after.id), { ...OPTIONS, force: true });
    expect(treeState(repo)).toEqual(beforeState);
  });

  it('keeps a file\'s own permissions, and restores a file whose name is as long as a name may be', async () => {
    const long = `${'n'.repeat(250)}.txt`;
    const repo = repository({ 'private.env': 'SECRET=1\n', 'shared.txt': 'group writable\n', [long]: 'long name\n' });
    chmodSync(join(repo, 'private.env'), 0o600);
    chmodSync(join(repo, 'shared.txt'), 0o664);
    const { store, before, after, beforeState } = await taskDone(repo, () => writeFiles(repo, { 'private.env': 'SECRET=2\n', 'shared.txt': 'changed\n', [long]: 'changed\n' }));
    await applyRestore(store, await planRestore(store, before.id, after.id), OPTIONS);
    expect(statSync(join(repo, 'private.env')).mode & 0o777).toBe(0o600);
    expect(treeState(repo)).toEqual(beforeState);
  });

  it('restores CRLF files and files under eol/filter attributes byte for byte', async () => {
    const repo = repository({ '.gitattributes': '* text=auto eol=crlf\n*.up filter=upper\n', 'crlf.txt': 'one\r\ntwo\r\n', 'lf.txt': 'one\ntwo\n', 'shout.up': 'lower\n' });
    const { store, before, after, beforeState } = await taskDone(repo, () => {
      writeFiles(repo, { 'crlf.txt': 'one\ntwo\n', 'lf.txt': 'one\r\ntwo\r\n', 'shout.up': 'LOWER\n' });
      rmSync(join(repo, '.gitattributes'));
    });
    await applyRestore(store, await planRestore(store, before.id, after.id), OPTIONS);
    expect(treeState(repo)).toEqual(beforeState);
    expect(readFileSync(join(repo, 'crlf.txt'), 'utf8')).toBe('one\r\ntwo\r\n');
  });

  it('is not redirected by GIT_DIR and GIT_INDEX_FILE pointing at the user\'s repository', async () => {
    const repo = repository({ ...TASK_FILES });
    const userState = userRepositoryState(repo);
    const saved = { GIT_DIR: process.env.GIT_DIR, GIT_INDEX_FILE: process.env.GIT_INDEX_FILE };
    process.env.GIT_DIR = join(repo, '.git');
    process.env.GIT_INDEX_FILE = join(repo, '.git', 'index');
    try {
      const { store, before, after, beforeState } = await taskDone(repo, () => taskLikeEdits(repo));
      await applyRestore(store, await planRestore(store, before.id, after.id), OPTIONS);
      const notRecorded = ['build', 'debug.log', 'out.log'];
      expect(treeState(repo, notRecorded)).toEqual(without(beforeState, notRecorded));
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    rmSync(join(repo, 'out.log'));
    expect(userRepositoryState(repo)).toEqual(userState);
  });

  it('works the same in a plain directory', async () => {
    const dir = places.dir('plain', { 'a.txt': 'a\n', 'sub/b.txt': 'b\n' });
    const { store, before, after, beforeState } = await taskDone(dir, () => {
      writeFiles(dir, { 'a.txt': 'A\n', 'sub/new/c.txt': 'c\n' });
      rmSync(join(dir, 'sub/b.txt'));
    });
    expect(store.inRepository).toBe(false);
    const done = await applyRestore(store, await planRestore(store, before.id, after.id), OPTIONS);
    expect(done).toMatchObject({ restored: ['a.txt', 'sub/b.txt'], removed: ['sub/new/c.txt'] });
    expect(treeState(dir)).toEqual(beforeState);
  });
});

describe('an undo cut off part-way', () => {
  /** A task over a, b, locked/c, z (changed), gone (deleted) and new (created); `locked` refuses new files during the undo. */
  async function interruptedUndo() {
    const repo = repository({ 'a.txt': 'a\n', 'b.txt': 'b\n', 'locked/c.txt': 'c\n', 'z.txt': 'z\n', 'gone.txt': 'gone\n' });
    const task = await taskDone(repo, () => {
      writeFiles(repo, { 'a.txt': 'A\n', 'b.txt': 'B\n', 'locked/c.txt': 'C\n', 'z.txt': 'Z\n', 'new.txt': 'new\n' });
      rmSync(join(repo, 'gone.txt'));
    });
    const plan = await planRestore(task.store, task.before.id, task.after.id);
    expect(plan).toMatchObject({ restore: ['a.txt', 'b.txt', 'gone.txt', 'locked/c.txt', 'z.txt'], remove: ['new.txt'] });
    const writable = makeUnwritable(join(repo, 'locked'));
    if (writable === null) return null;
    let restored = false;
    const restoreWritable = () => {
      if (!restored) writable();
      restored = true;
    };
    cleanups.push(restoreWritable);
    await expect(applyRestore(task.store, plan, OPTIONS)).rejects.toThrow(/locked/);
    // Part-way: the removal and the first files are done, locked/c.txt and what comes after it are not.
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('a\n');
    expect(readFileSync(join(repo, 'gone.txt'), 'utf8')).toBe('gone\n');
    expect(existsSync(join(repo, 'new.txt'))).toBe(false);
    expect(readFileSync(join(repo, 'locked/c.txt'), 'utf8')).toBe('C\n');
    expect(readFileSync(join(repo, 'z.txt'), 'utf8')).toBe('Z\n');
    expect(undoTemporaries(repo)).toEqual([]);
    const journal = unfinishedUndo(task.store)!;
    expect(journal).toMatchObject({ version: 1, session_id: 'session-1', task: 1, target: task.before.id, paths: [...plan.restore, ...plan.remove] });
    expect(journal.rollback).not.toBe(task.after.id);
    expect((await task.store.read(journal.rollback)).tree).toBe(task.after.tree);
    return { ...task, repo, journal, restoreWritable };
  }

  it('rolls back to the tree as it was before the undo (even while the directory still refuses writes)', async (context) => {
    const cut = await interruptedUndo();
    if (cut === null) return context.skip('no way to make a directory unwritable for root here');
    expect(await settleUndo(cut.store, cut.journal, 'rollback')).toMatchObject({ removed: ['gone.txt'] });
    cut.restoreWritable();
    expect(treeState(cut.repo)).toEqual(cut.afterState);
    expect(unfinishedUndo(cut.store)).toBeNull();
  });

  it('finishes the undo once the directory takes writes again', async (context) => {
    const cut = await interruptedUndo();
    if (cut === null) return context.skip('no way to make a directory unwritable for root here');
    cut.restoreWritable();
    expect(await settleUndo(cut.store, cut.journal, 'finish')).toMatchObject({ removed: [] });
    expect(treeState(cut.repo)).toEqual(cut.beforeState);
    expect(unfinishedUndo(cut.store)).toBeNull();
  });

  it('settles a journal left by a run that died, removing the temporaries it left', async () => {
    const repo = repository({ 'a.txt': 'a\n', 'b.txt': 'b\n', 'dir/c.txt': 'c\n' });
    const { store, before, after, beforeState, afterState } = await taskDone(repo, () => writeFiles(repo, { 'a.txt': 'A\n', 'b.txt': 'B\n', 'dir/c.txt': 'C\n', 'dir/new.txt': 'new\n' }));
    const paths = ['a.txt', 'b.txt', 'dir/c.txt', 'dir/new.txt'];
    const dead = async (): Promise<UndoJournal> => {
      const rollback = await store.take({ sessionId: 'session-1', task: 1, phase: 'undo' });
      // The dead run had written a.txt, and was writing b.txt and dir/c.txt (whole copies in temporaries).
      writeFileSync(join(repo, 'a.txt'), 'a\n');
      writeFileSync(join(repo, '.b.txt.keel-undo-0badc0de'), 'b\n');
      writeFileSync(join(repo, 'dir/.c.txt.keel-undo-12345678'), 'c');
      const journal: UndoJournal = { version: 1, session_id: 'session-1', task: 1, target: before.id, rollback: rollback.id, paths, started_at: new Date().toISOString() };
      writeFileSync(join(store.storeDir, 'undo-journal.json'), JSON.stringify(journal));
      return journal;
    };
    const journal = await dead();
    expect(unfinishedUndo(store)).toEqual(journal);
    expect(await settleUndo(store, journal, 'finish')).toEqual({ restored: ['a.txt', 'b.txt', 'dir/c.txt'], removed: ['dir/new.txt'] });
    expect(treeState(repo)).toEqual(beforeState);
    expect(unfinishedUndo(store)).toBeNull();

    writeFiles(repo, { 'a.txt': 'A\n', 'b.txt': 'B\n', 'dir/c.txt': 'C\n', 'dir/new.txt': 'new\n' });
    const second = await dead();
    await settleUndo(store, second, 'rollback');
    expect(treeState(repo)).toEqual(afterState);
    expect(unfinishedUndo(store)).toBeNull();
    expect((await store.read(after.id)).tree).toBe((await store.currentTree()).tree);
  });

  it('ignores a journal that is not one (torn or foreign)', async () => {
    const repo = repository();
    const store = await SnapshotStore.open(home(), repo, LIMITS);
    writeFileSync(join(store.storeDir, 'undo-journal.json'), '{"version":1,"paths":');
    expect(unfinishedUndo(store)).toBeNull();
    writeFileSync(join(store.storeDir, 'undo-journal.json'), '{"version":2,"paths":[]}');
    expect(unfinishedUndo(store)).toBeNull();
  });
});

describe('an undo killed with SIGKILL', () => {
  const FILES = 200;
  const SIZE = 8 * 1024;
  const content = (what: string, index: number) => `${what} ${index}\n`.repeat(SIZE / 10);

  /** 200 files under files/: 160 the task changed, 20 it deleted, 20 it created; the undo of that task started in a child. */
  async function killedUndo(killAfter: number) {
    const repo = places.dir('crash');
    userGit(repo, 'init', '-q', '-b', 'main');
    mkdirSync(join(repo, 'files'));
    for (let i = 0; i < 180; i++) writeFileSync(join(repo, `files/f-${i}`), content('old', i));
    userGit(repo, 'add', '-A');
    userGit(repo, 'commit', '-q', '-m', 'files');
    const { keelHome, store, before, after, beforeState, afterState } = await taskDone(repo, () => {
      for (let i = 0; i < 160; i++) writeFileSync(join(repo, `files/f-${i}`), content('new', i));
      for (let i = 160; i < 180; i++) rmSync(join(repo, `files/f-${i}`));
      for (let i = 180; i < FILES; i++) writeFileSync(join(repo, `files/created-${i}`), content('created', i));
    });
    const journalFile = join(store.storeDir, 'undo-journal.json');
    const written = new Set<string>();
    const watchers = [watch(store.storeDir), watch(join(repo, 'files'))];
    const child = startStoreChild('../snapshots/testing/undo-child.ts', [keelHome, repo, before.id, after.id]);
    // Killed once the journal exists and `killAfter` files have been put in place (or removed): synchronized on the
    // file system's own events, never on time.
    await new Promise<void>((resolve) => {
      let journalSeen = false;
      const check = (): void => {
        journalSeen ||= existsSync(journalFile);
        if (journalSeen && written.size >= killAfter) {
          child.process.kill('SIGKILL');
          resolve();
        }
      };
      watchers[0]!.on('change', check);
      watchers[1]!.on('change', (_event, name) => {
        if (typeof name === 'string' && !name.includes('.keel-undo-')) written.add(name);
        check();
      });
      void child.exited.then(() => resolve());
    });
    for (const watcher of watchers) watcher.close();
    const exit = await child.exited;
    return { repo, store, before, after, beforeState, afterState, killed: exit.signal === 'SIGKILL' && existsSync(journalFile), stderr: child.stderr() };
  }

  /** A run killed part-way; a run that finished before the kill landed is tried again, killed earlier. */
  async function killedPartWay() {
    for (let killAfter = Math.floor(Math.random() * 120); ; killAfter = Math.floor(killAfter / 2)) {
      const run = await killedUndo(killAfter);
      if (run.killed) return run;
      expect(run.stderr).toBe('');
      if (killAfter === 0) throw new Error('the undo finished before it could be killed');
    }
  }

  function paths(): string[] {
    const out: string[] = [];
    for (let i = 0; i < 180; i++) out.push(`files/f-${i}`);
    for (let i = 180; i < FILES; i++) out.push(`files/created-${i}`);
    return out;
  }

  function expectWholeFiles(run: Awaited<ReturnType<typeof killedUndo>>): void {
    for (const path of paths()) {
      const now = describePath(run.repo, path);
      expect([run.beforeState.get(path) ?? null, run.afterState.get(path) ?? null], path).toContain(now);
    }
  }

  it.each(['finish', 'rollback'] as const)('leaves every file whole, and %s brings them all to one side', async (how) => {
    for (let round = 0; round < 2; round++) {
      const run = await killedPartWay();
      expectWholeFiles(run);
      const journal = unfinishedUndo(run.store)!;
      expect(journal).toMatchObject({ session_id: 'crash-test', task: 1, target: run.before.id });
      expect(journal.paths.sort()).toEqual(paths().sort());
      await settleUndo(run.store, journal, how);
      expect(treeState(run.repo)).toEqual(how === 'finish' ? run.beforeState : run.afterState);
      expect(undoTemporaries(run.repo)).toEqual([]);
      expect(unfinishedUndo(run.store)).toBeNull();
    }
  }, 120_000);
});
