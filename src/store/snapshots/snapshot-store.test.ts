import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { blobId, SnapshotStore, SnapshotUnavailable, type SnapshotLimits } from './snapshot-store.ts';
import { gitDirListing, TASK_CHANGED, TASK_FILES, TempPlaces, taskLikeEdits, userGit, userRepositoryState, writeFiles } from './testing/fixture.ts';

const LIMITS: SnapshotLimits = { maxFileBytes: 64 * 1024, maxFiles: 1_000 };
const places = new TempPlaces();
const home = (): string => places.home();
const repository = (files: Record<string, string | Buffer> = {}): string => places.repository(files);
const plainDirectory = (files: Record<string, string | Buffer>): string => places.dir('plain', files);

afterEach(() => places.removeAll());

const label = (task: number, phase: 'before' | 'after') => ({ sessionId: 'session-1', task, phase });

/** The paths a git patch names (both sides of a rename). */
function pathsInDiff(diff: string): string[] {
  const paths = new Set<string>();
  for (const match of diff.matchAll(/^diff --git a\/(.+) b\/(.+)$/gm)) {
    paths.add(match[1]!);
    paths.add(match[2]!);
  }
  return [...paths].sort();
}

/** A path's entry in a snapshot, its bytes read back from the store. */
async function recorded(store: SnapshotStore, snapshot: string, path: string): Promise<{ mode: string; content: Buffer } | null> {
  const entry = (await store.entries(snapshot, [path])).get(path) ?? null;
  if (entry === null) return null;
  return { mode: entry.mode, content: (await store.blobs([entry.blob])).get(entry.blob)! };
}

describe('SnapshotStore in a git repository', () => {
  it('names every change of a task-like sequence in the diff between its before and after snapshots', async () => {
    const repo = repository(TASK_FILES);
    const store = await SnapshotStore.open(home(), repo, LIMITS);
    expect(store.root).toBe(repo);
    expect(store.inRepository).toBe(true);
    const before = await store.take(label(1, 'before'));
    taskLikeEdits(repo);
    const after = await store.take(label(1, 'after'));

    const diff = await store.diff(before.id, after.id);
    expect(pathsInDiff(diff)).toEqual(TASK_CHANGED);
    expect(diff).toContain('-hello world\n+hello there\n');
    expect(diff).toContain('rename from old-name.txt\nrename to renamed.txt\n');
    expect(diff).toContain('diff --git a/script.sh b/script.sh\nold mode 100644\nnew mode 100755\n');
    expect(diff).toContain('diff --git a/doomed.txt b/doomed.txt\ndeleted file mode 100644\n');
    expect(diff).toContain('new file mode 120000');
    expect(diff).not.toMatch(/\.log|build\//);

    const changes = await store.changes(before.id, after.id);
    expect(changes.map((change) => change.path).sort()).toEqual(TASK_CHANGED);
    const byPath = new Map(changes.map((change) => [change.path, change]));
    expect(byPath.get('doomed.txt')!.to).toBeNull();
    expect(byPath.get('src/new.ts')!.from).toBeNull();
    expect(byPath.get('script.sh')!.to!.mode).toBe('100755');
    expect(byPath.get('linkme.txt')!.to).toEqual({ mode: '120000', blob: blobId(Buffer.from('README.md')) });
    // The ignored files the task wrote are named (not recorded) so an undo can report them.
    expect(after.ignored).toEqual(expect.arrayContaining(['build/', 'debug.log', 'out.log']));
    expect(before.ignored).not.toContain('out.log');
  });

  it('records the working tree byte for byte, as currentEntry sees it, not what the user staged', async () => {
    const repo = repository({ 'tool.sh': '#!/bin/sh\n', 'group-x.txt': 'only the group may run it\n' });
    chmodSync(join(repo, 'tool.sh'), 0o744);
    // git records a file as executable by its owner's bit alone.
    chmodSync(join(repo, 'group-x.txt'), 0o654);
    const store = await SnapshotStore.open(home(), repo, LIMITS);
    const snapshot = await store.take(label(1, 'before'));
    for (const path of ['src/util.ts', 'src/app.ts', 'notes.txt', 'tool.sh', 'group-x.txt']) {
      const entry = (await store.entries(snapshot.id, [path])).get(path)!;
      expect(entry, path).toEqual(store.currentEntry(path));
      expect((await store.blobs([entry.blob])).get(entry.blob)).toEqual(readFileSync(join(repo, path)));
    }
    expect((await recorded(store, snapshot.id, 'tool.sh'))!.mode).toBe('100755');
    expect((await recorded(store, snapshot.id, 'group-x.txt'))!.mode).toBe('100644');
    expect(store.currentEntry('group-x.txt')!.mode).toBe('100644');
    expect(store.currentEntry('no-such-file')).toBeNull();
    expect(store.currentEntry('src')).toEqual({ mode: 'other', blob: '' });
    expect((await recorded(store, snapshot.id, 'src/util.ts'))!.content.toString()).toBe('export const util = 2; // staged\n');
    expect(await store.read(snapshot.id)).toEqual(snapshot);
  });

  it('never writes the user\'s repository: status, history, stash, index, config and every file under .git stay as they were', async () => {
    const repo = repository(TASK_FILES);
    const state = userRepositoryState(repo);
    const listing = gitDirListing(repo);
    const store = await SnapshotStore.open(home(), repo, LIMITS);
    const before = await store.take(label(1, 'before'));
    writeFiles(repo, { 'src/app.ts': 'changed by a task\n' });
    await store.currentTree();
    const after = await store.take(label(1, 'after'));
    await store.diff(before.id, after.id);
    writeFiles(repo, { 'src/app.ts': 'export const app = 2; // not staged\n' });
    expect(userRepositoryState(repo)).toEqual(state);
    expect(gitDirListing(repo)).toEqual(listing);
    // The store is keel's own, outside the repository.
    expect(store.storeDir.startsWith(repo)).toBe(false);
    expect(userGit(repo, 'for-each-ref')).not.toContain('keel');
  });

  it('skips files over maxFileBytes (too_large), nested repositories, and never records ignored files', async () => {
    const big = Buffer.alloc(LIMITS.maxFileBytes + 1, 0x61);
    const repo = repository({ 'small.bin': Buffer.alloc(LIMITS.maxFileBytes, 0x62) });
    writeFiles(repo, { 'big.bin': big, 'deep/er/big.dat': big, 'vendor/lib/file.c': 'int x;\n', 'node_modules/pkg/index.js': 'ignored\n', '.gitignore': '*.log\nbuild/\nnode_modules/\n' });
    userGit(join(repo, 'vendor/lib'), 'init', '-q');
    const store = await SnapshotStore.open(home(), repo, LIMITS);
    const snapshot = await store.take(label(1, 'before'));
    expect(snapshot.skipped).toEqual(
      expect.arrayContaining([
        { path: 'big.bin', reason: 'too_large' },
        { path: 'deep/er/big.dat', reason: 'too_large' },
        { path: 'vendor/lib', reason: 'nested_repository' },
      ]),
    );
    expect(snapshot.skipped).toHaveLength(3);
    expect(snapshot.ignored).toEqual(expect.arrayContaining(['build/', 'debug.log', 'node_modules/']));
    const entries = await store.entries(snapshot.id, ['big.bin', 'deep/er/big.dat', 'vendor/lib', 'vendor/lib/file.c', 'debug.log', 'build/out.js', 'node_modules/pkg/index.js', 'small.bin']);
    expect([...entries].filter(([, entry]) => entry !== null).map(([path]) => path)).toEqual(['small.bin']);
    expect((await store.read(snapshot.id)).skipped).toEqual(snapshot.skipped);

    // Still skipped the next time (git would hash them otherwise); recorded again once small.
    writeFileSync(join(repo, 'big.bin'), 'small now\n');
    const next = await store.take(label(2, 'before'));
    expect(next.skipped.map((skip) => skip.path).sort()).toEqual(['deep/er/big.dat', 'vendor/lib']);
    expect((await recorded(store, next.id, 'big.bin'))!.content.toString()).toBe('small now\n');
    writeFileSync(join(repo, 'big.bin'), big);
    const grown = await store.take(label(3, 'before'));
    expect(grown.skipped).toContainEqual({ path: 'big.bin', reason: 'too_large' });
    expect(await recorded(store, grown.id, 'big.bin')).toBeNull();
  });

  it('is not redirected by the GIT_DIR, GIT_INDEX_FILE and GIT_WORK_TREE of keel\'s environment', async () => {
    const repo = repository();
    const state = userRepositoryState(repo);
    const saved = { GIT_DIR: process.env.GIT_DIR, GIT_INDEX_FILE: process.env.GIT_INDEX_FILE, GIT_WORK_TREE: process.env.GIT_WORK_TREE };
    const other = places.dir('elsewhere');
    Object.assign(process.env, { GIT_DIR: join(repo, '.git'), GIT_INDEX_FILE: join(repo, '.git', 'index'), GIT_WORK_TREE: other });
    try {
      const store = await SnapshotStore.open(home(), join(repo, 'src'), LIMITS);
      expect(store.root).toBe(repo);
      const before = await store.take(label(1, 'before'));
      writeFiles(repo, { 'src/new.ts': 'new\n' });
      const after = await store.take(label(1, 'after'));
      expect((await store.changes(before.id, after.id)).map((change) => change.path)).toEqual(['src/new.ts']);
      expect((await recorded(store, before.id, 'notes.txt'))!.content.toString()).toBe('untracked notes\n');
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    execFileSync('rm', [join(repo, 'src/new.ts')]);
    expect(userRepositoryState(repo)).toEqual(state);
  });

  it('records CRLF files and files under eol=crlf or filter attributes byte for byte, whatever the user\'s global config says', async () => {
    const fakeHome = places.dir('user-home');
    // A global config that would convert line endings and run a filter on the way in.
    writeFileSync(join(fakeHome, '.gitconfig'), '[core]\n\tautocrlf = true\n\tsafecrlf = true\n[filter "upper"]\n\tclean = tr a-z A-Z\n\tsmudge = cat\n\trequired = true\n');
    const crlf = 'line one\r\nline two\r\n';
    const mixed = 'unix\nwindows\r\nold mac\r';
    const repo = repository({ '.gitattributes': '* text=auto eol=crlf\n*.up filter=upper\n*.id ident\n', 'crlf.txt': crlf, 'mixed.txt': mixed, 'lf.txt': 'only lf\n', 'shout.up': 'lower case\n', 'tag.id': '$Id$\n' });
    const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
    process.env.HOME = fakeHome;
    process.env.XDG_CONFIG_HOME = join(fakeHome, '.config');
    try {
      const store = await SnapshotStore.open(home(), repo, LIMITS);
      const snapshot = await store.take(label(1, 'before'));
      for (const path of ['crlf.txt', 'mixed.txt', 'lf.txt', 'shout.up', 'tag.id', '.gitattributes']) {
        expect((await recorded(store, snapshot.id, path))!.content, path).toEqual(readFileSync(join(repo, path)));
        expect(store.currentEntry(path)).toEqual((await store.entries(snapshot.id, [path])).get(path));
      }
      // A second snapshot with nothing changed is the same tree (no file is seen as changed by a conversion).
      expect((await store.currentTree()).tree).toBe(snapshot.tree);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('serializes snapshots taken at the same time (one store, one index)', async () => {
    const repo = repository();
    const store = await SnapshotStore.open(home(), repo, LIMITS);
    const [a, b, c] = await Promise.all([store.take(label(1, 'before')), store.take(label(2, 'before')), store.currentTree()]);
    expect(new Set([a.tree, b.tree, c.tree]).size).toBe(1);
    expect(a.id).not.toBe(b.id);
    expect(existsSync(join(store.storeDir, 'keel.lock'))).toBe(false);
  });
});

describe('SnapshotStore outside a git repository', () => {
  it('records a plain directory the same way', async () => {
    const dir = plainDirectory({ 'a.txt': 'a\n', 'sub/b.txt': 'b\r\n', 'big.bin': Buffer.alloc(LIMITS.maxFileBytes + 1), '.gitignore': 'cache/\n', 'cache/x': 'ignored\n' });
    const store = await SnapshotStore.open(home(), join(dir, 'sub'), LIMITS);
    expect(store.root).toBe(join(dir, 'sub'));
    expect(store.inRepository).toBe(false);
    const top = await SnapshotStore.open(home(), dir, LIMITS);
    const before = await top.take(label(1, 'before'));
    expect(before.skipped).toEqual([{ path: 'big.bin', reason: 'too_large' }]);
    expect(before.ignored).toEqual(['cache/']);
    writeFiles(dir, { 'a.txt': 'A\n', 'sub/c.txt': 'c\n' });
    const after = await top.take(label(1, 'after'));
    expect(pathsInDiff(await top.diff(before.id, after.id))).toEqual(['a.txt', 'sub/c.txt']);
    expect((await recorded(top, before.id, 'sub/b.txt'))!.content.toString()).toBe('b\r\n');
  });

  it('refuses a directory with more than maxFiles files, saying why', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i <= 20; i++) files[`f${i}.txt`] = `${i}\n`;
    const dir = plainDirectory(files);
    const store = await SnapshotStore.open(home(), dir, { ...LIMITS, maxFiles: 20 });
    const taken = store.take(label(1, 'before'));
    await expect(taken).rejects.toBeInstanceOf(SnapshotUnavailable);
    await expect(taken).rejects.toThrow(`${dir} is not a git repository and has over 20 files to record`);
    await expect(store.currentTree()).rejects.toBeInstanceOf(SnapshotUnavailable);
  });

  it('refuses /', async () => {
    const keelHome = home();
    await expect(SnapshotStore.open(keelHome, '/', LIMITS)).rejects.toThrow(new SnapshotUnavailable('the working directory is / (too much to snapshot)'));
    expect(existsSync(join(keelHome, 'snapshots'))).toBe(false);
  });
});
