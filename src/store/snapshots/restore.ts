/**
 * Undo: putting files back as a snapshot recorded them. Planned first (which files, what diff, which ones someone
 * else changed since), then applied: each file is written to a temporary file beside it and synced (a few dozen at
 * a time, their syncs overlapping), then renamed into place, in order, so a kill at any moment leaves every file
 * either as it was or as it is to be — never half-written. Temporaries a kill leaves behind are removed by settling.
 *
 * A journal (`undo-journal.json` in the store) names the paths and two snapshots: the target, and the tree as it
 * was just before the undo began. It is written before the first file and removed after the last, so a run that
 * finds it knows an undo was cut off, and can finish it (target) or roll it back (the tree before the undo).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, symlinkSync, unlinkSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { SkippedPath } from '../../protocol/index.ts';
import { directoriesCreated, syncDirectory, syncDirectorySync } from '../directory-sync.ts';
import type { SnapshotStore, TreeEntry } from './snapshot-store.ts';

export interface RestorePlan {
  /** The snapshot the files go back to. */
  target: string;
  /** The snapshot the files are expected to match now (the task's `after`). */
  expected: string;
  /** Paths written back from the target (they exist there). */
  restore: string[];
  /** Paths removed (the target has none: the task created them). */
  remove: string[];
  /** Paths that no longer match `expected`: someone changed them since. */
  conflicts: string[];
  /** What the snapshots did not record: large files, nested repositories, ignored paths the task created. */
  skipped: SkippedPath[];
  /** The diff the restore applies (from the files as `expected` has them, to the target). */
  diff: string;
}

export interface RestoreOptions {
  /** Restore the conflicting paths too (their later changes are lost, though kept in the pre-undo snapshot). */
  force: boolean;
  sessionId: string;
  task: number;
}

export interface RestoreDone {
  restored: string[];
  removed: string[];
  /** Left alone. */
  conflicts: string[];
  /** The snapshot of the tree just before the undo (a way back). */
  before: string;
}

export interface UndoJournal {
  version: 1;
  session_id: string;
  task: number;
  target: string;
  /** The tree just before the undo began: what a rollback restores. */
  rollback: string;
  paths: string[];
  started_at: string;
}

export async function planRestore(store: SnapshotStore, target: string, expected: string): Promise<RestorePlan> {
  const [changes, targetSnapshot, expectedSnapshot] = await Promise.all([store.changes(target, expected), store.read(target), store.read(expected)]);
  const restore: string[] = [];
  const remove: string[] = [];
  const conflicts: string[] = [];
  const skipped = skippedBetween(targetSnapshot, expectedSnapshot);
  const notRecorded = new Set(skipped.map((skip) => skip.path));
  for (const change of changes) {
    // A file one of the snapshots did not record looks deleted in the other: it is reported, never touched.
    if (notRecorded.has(change.path)) continue;
    // A nested repository's state is its own: it is never rewritten from here.
    if (change.from?.mode === '160000' || change.to?.mode === '160000') continue;
    const now = entryNow(store, change.path);
    if (same(now, change.from)) continue;
    if (!same(now, change.to)) conflicts.push(change.path);
    else if (change.from === null) remove.push(change.path);
    else restore.push(change.path);
  }
  for (const path of blocked(store.root, restore, remove, conflicts)) {
    restore.splice(restore.indexOf(path), 1);
    conflicts.push(path);
  }
  const clean = [...restore, ...remove];
  const diff = clean.length > 0 ? await store.diff(expected, target, { paths: clean }) : '';
  return { target, expected, restore, remove, conflicts, skipped, diff };
}

/** Applies a plan; the conflicting paths only with `force`. */
export async function applyRestore(store: SnapshotStore, plan: RestorePlan, options: RestoreOptions): Promise<RestoreDone> {
  const forced = options.force ? plan.conflicts : [];
  const paths = [...plan.restore, ...plan.remove, ...forced];
  // The target's files are read from the store while the tree is recorded as it is before the undo.
  const [before, loaded] = await Promise.all([store.take({ sessionId: options.sessionId, task: options.task, phase: 'undo' }), load(store, plan.target, paths)]);
  if (paths.length === 0) return { restored: [], removed: [], conflicts: options.force ? [] : plan.conflicts, before: before.id };
  const journal: UndoJournal = {
    version: 1,
    session_id: options.sessionId,
    task: options.task,
    target: plan.target,
    rollback: before.id,
    paths,
    started_at: new Date().toISOString(),
  };
  // Under the store's lock: one journal per tree, so two undos in it never interleave.
  const done = await store.locked(async () => {
    if (unfinishedUndo(store) !== null) throw new Error('another undo of this tree is under way or was cut off: "keel undo --finish" or "keel undo --rollback" settles it');
    writeJournal(store, journal);
    const written = await writeTree(store, loaded);
    clearJournal(store);
    return written;
  });
  return { ...done, conflicts: options.force ? [] : plan.conflicts, before: before.id };
}

/** An undo a previous run did not finish, or null. */
export function unfinishedUndo(store: SnapshotStore): UndoJournal | null {
  try {
    const journal = JSON.parse(readFileSync(journalPath(store), 'utf8')) as UndoJournal;
    return journal.version === 1 && Array.isArray(journal.paths) ? journal : null;
  } catch {
    return null;
  }
}

/** Finishes a cut-off undo (`finish`: the files go to its target) or undoes what it did (`rollback`). */
export async function settleUndo(store: SnapshotStore, journal: UndoJournal, how: 'finish' | 'rollback'): Promise<{ restored: string[]; removed: string[] }> {
  removeTemporaries(store.root, journal.paths);
  const done = await writeTree(store, await load(store, how === 'finish' ? journal.target : journal.rollback, journal.paths));
  clearJournal(store);
  return done;
}

/** Paths as a snapshot has them: their entries (null: it has none) and the contents of those. */
interface Loaded {
  entries: Map<string, TreeEntry | null>;
  blobs: Map<string, Buffer>;
}

async function load(store: SnapshotStore, snapshot: string, paths: readonly string[]): Promise<Loaded> {
  const entries = await store.entries(snapshot, paths);
  const blobs = await store.blobs([...entries.values()].filter((found): found is TreeEntry => found !== null).map((found) => found.blob));
  return { entries, blobs };
}

/** Files written at once: their syncs overlap (a disk takes many at once far faster than one after another). */
const BATCH = 32;

/** Puts each path as the snapshot `loaded` came from has it: written from it, or removed where it has none. */
async function writeTree(store: SnapshotStore, { entries, blobs }: Loaded): Promise<{ restored: string[]; removed: string[] }> {
  const wanted = [...entries].filter((pair): pair is [string, TreeEntry] => pair[1] !== null);
  const removed: string[] = [];
  const touched = new Set<string>();
  // Removals first, deepest first: a directory the task made where the target has a file must be gone before it.
  for (const [path] of [...entries].filter(([, found]) => found === null).sort((a, b) => b[0].length - a[0].length)) {
    const full = join(store.root, path);
    if (removeFile(full)) removed.push(path);
    pruneEmptyParents(store.root, dirname(full), touched);
  }
  // Already so (a settle after a cut-off undo, whose first files were written): not written again.
  const toWrite = wanted.filter(([path, found]) => !same(store.currentEntry(path), found));
  for (let start = 0; start < toWrite.length; start += BATCH) {
    const batch = toWrite.slice(start, start + BATCH);
    const prepared = await Promise.allSettled(batch.map(([path, found]) => prepare(join(store.root, path), found, blobs.get(found.blob)!)));
    // Renamed into place in order; a file that could not be prepared stops the undo there, as if written one by one.
    const failed = prepared.findIndex((result) => result.status === 'rejected');
    try {
      for (const result of failed === -1 ? prepared : prepared.slice(0, failed)) {
        const ready = (result as PromiseFulfilledResult<Prepared>).value;
        // A directory where the file goes (the task replaced a file with a directory) cannot be renamed over.
        if (isDirectory(ready.full)) rmSync(ready.full, { recursive: true, force: true });
        renameSync(ready.temporary, ready.full);
        for (const directory of ready.directories) touched.add(directory);
      }
    } finally {
      for (const result of prepared) if (result.status === 'fulfilled') rmSync(result.value.temporary, { force: true });
    }
    if (failed !== -1) throw (prepared[failed] as PromiseRejectedResult).reason;
  }
  const restored = wanted.map(([path]) => path);
  const directories = [...touched];
  for (let start = 0; start < directories.length; start += BATCH) await Promise.all(directories.slice(start, start + BATCH).map((directory) => syncDirectory(directory)));
  return { restored, removed };
}

interface Prepared {
  full: string;
  /** A whole copy of the file's content, synced, beside it. */
  temporary: string;
  /** The directories whose entries change when it is renamed into place (and those created on the way). */
  directories: string[];
}

/** Writes one file's content to a temporary beside it, synced, ready to be renamed over it. */
async function prepare(full: string, entry: TreeEntry, content: Buffer): Promise<Prepared> {
  const directory = dirname(full);
  clearWayTo(directory);
  const created = mkdirSync(directory, { recursive: true });
  const temporary = join(directory, `${temporaryPrefix(basename(full))}${randomBytes(4).toString('hex')}`);
  try {
    if (entry.mode === '120000') {
      symlinkSync(content, temporary);
    } else {
      const mode = permissions(full, entry.mode === '100755');
      const handle = await open(temporary, 'wx', mode ?? (entry.mode === '100755' ? 0o755 : 0o644));
      try {
        // The file's own permissions are kept (a private 0600 file stays private); the umask only applies to new files.
        if (mode !== null) await handle.chmod(mode);
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return { full, temporary, directories: directoriesCreated(created, directory) };
}

/** The permission bits a rewritten file keeps: the present file's, executable or not as the entry says; null when it is not a file. */
function permissions(full: string, executable: boolean): number | null {
  let bits: number;
  try {
    const stat = lstatSync(full);
    if (!stat.isFile()) return null;
    bits = stat.mode & 0o777;
  } catch {
    return null;
  }
  return executable ? bits | ((bits & 0o444) >> 2) : bits & ~0o111;
}

/**
 * `.<name>.keel-undo-`: what a temporary of `name` starts with. The name is cut so the whole stays within the 255
 * bytes a file name may have (a file with a long name must still be restorable).
 */
function temporaryPrefix(name: string): string {
  const bytes = Buffer.from(name, 'utf8');
  const cut = bytes.length > 200 ? bytes.subarray(0, 200).toString('utf8').replace(/\uFFFD+$/, '') : name;
  return `.${cut}.keel-undo-`;
}

/** Temporaries a killed undo left beside the journal's paths (each is a whole copy of a file, never the file itself). */
function removeTemporaries(root: string, paths: readonly string[]): void {
  const prefixes = new Map<string, Set<string>>();
  for (const path of paths) {
    const directory = dirname(join(root, path));
    const set = prefixes.get(directory) ?? new Set<string>();
    set.add(temporaryPrefix(basename(path)));
    prefixes.set(directory, set);
  }
  for (const [directory, set] of prefixes) {
    let names: string[];
    try {
      names = readdirSync(directory);
    } catch {
      // No such directory (any more): nothing was left in it.
      continue;
    }
    for (const name of names) {
      const prefix = [...set].find((candidate) => name.startsWith(candidate));
      if (prefix !== undefined && /^[0-9a-f]{8}$/.test(name.slice(prefix.length))) rmSync(join(directory, name), { force: true });
    }
  }
}

/** A file where a directory of the target must be (the task replaced a directory with a file) is removed. */
function clearWayTo(directory: string): void {
  for (let at = directory; at !== dirname(at); at = dirname(at)) {
    try {
      if (!lstatSync(at).isDirectory()) unlinkSync(at);
      else return;
    } catch {
      // Not there: its parent is looked at next, and mkdir creates the chain.
    }
  }
}

function removeFile(full: string): boolean {
  try {
    if (isDirectory(full)) return false;
    unlinkSync(full);
    return true;
  } catch {
    return false;
  }
}

/** Directories left empty by removing what the task created go too (the target did not have them, or they would not be empty). */
function pruneEmptyParents(root: string, directory: string, touched: Set<string>): void {
  let at = directory;
  for (; at.startsWith(`${root}/`); at = dirname(at)) {
    try {
      if (readdirSync(at).length > 0) break;
      rmdirSync(at);
      // Gone: its parent is the directory to sync (an earlier removal may have noted it).
      touched.delete(at);
    } catch {
      break;
    }
  }
  touched.add(at);
}

/** A directory is no entry of a tree (its files are entries of their own, each a change of its own). */
function entryNow(store: SnapshotStore, path: string): TreeEntry | null {
  const now = store.currentEntry(path);
  return now?.mode === 'other' && isDirectory(join(store.root, path)) ? null : now;
}

/**
 * Restores that cannot be written without deleting what the undo leaves alone: a path under a conflicting file (the
 * target has a directory there), or a path that is now a directory holding files the undo does not remove (a later
 * change, an ignored or too large file).
 */
function blocked(root: string, restore: readonly string[], remove: readonly string[], conflicts: readonly string[]): string[] {
  const removing = new Set(remove);
  const conflictFiles = conflicts.filter((path) => !isDirectory(join(root, path)));
  return restore.filter((path) => {
    if (conflictFiles.some((conflict) => path.startsWith(`${conflict}/`))) return true;
    return isDirectory(join(root, path)) && filesUnder(root, path).some((file) => !removing.has(file));
  });
}

/** Every non-directory under `path` (relative to the root), not following symbolic links. */
function filesUnder(root: string, path: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, path))) {
    const child = `${path}/${name}`;
    if (isDirectory(join(root, child))) out.push(...filesUnder(root, child));
    else out.push(child);
  }
  return out;
}

function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

function same(a: TreeEntry | null, b: TreeEntry | null): boolean {
  if (a === null || b === null) return a === b;
  return a.mode === b.mode && a.blob === b.blob;
}

/** Skipped in either snapshot, and the ignored paths that appeared between them (the task made them; undo cannot remove them). */
function skippedBetween(target: { skipped: SkippedPath[]; ignored: string[] }, expected: { skipped: SkippedPath[]; ignored: string[] }): SkippedPath[] {
  const out = new Map<string, SkippedPath>();
  for (const skip of [...target.skipped, ...expected.skipped]) out.set(skip.path, skip);
  const before = new Set(target.ignored);
  for (const path of expected.ignored) if (!before.has(path)) out.set(path, { path, reason: 'ignored' });
  return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
}

function journalPath(store: SnapshotStore): string {
  return join(store.storeDir, 'undo-journal.json');
}

function writeJournal(store: SnapshotStore, journal: UndoJournal): void {
  const path = journalPath(store);
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(journal));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  syncDirectorySync(store.storeDir);
}

function clearJournal(store: SnapshotStore): void {
  rmSync(journalPath(store), { force: true });
  syncDirectorySync(store.storeDir);
}
