/**
 * Writes a plan's effects so that the patch lands whole or not at all, and no file is ever seen half-written.
 *
 * 1. Check that every file is still what planning read (someone may have edited it while an approval was pending).
 * 2. Prepare, all undoable: move files to delete aside to a hidden name, create missing folders, write each new
 *    content to a hidden temporary file beside its target (flushed to disk, with the target's mode).
 * 3. Swap: rename each temporary file over its target. A rename within a folder is atomic, and with everything
 *    written already it is the step least likely to fail; only a failure here can leave part of a patch applied,
 *    and the result then says exactly which files were replaced.
 * 4. Drop the files moved aside.
 */
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { PatchFs } from './patch-fs.ts';
import { sameBytes, type FileEffect } from './plan-hunks.ts';

export type CommitResult =
  | { type: 'committed' }
  /** Files changed since planning; nothing was written. */
  | { type: 'stale'; paths: string[] }
  /**
   * An I/O error. `replaced` lists the paths already replaced when it struck during the swap (step 3): empty means
   * the workspace is exactly as before.
   */
  | { type: 'failed'; path: string; action: string; cause: unknown; replaced: string[] };

interface Prepared {
  createdDirectories: string[];
  temporaries: { temporary: string; target: string }[];
  setAside: { original: string; aside: string }[];
}

export async function commitEffects(effects: readonly FileEffect[], fs: PatchFs): Promise<CommitResult> {
  const stale = await findStale(effects, fs);
  if (stale.type !== 'fresh') return stale;

  const prepared: Prepared = { createdDirectories: [], temporaries: [], setAside: [] };
  let step = { path: '', action: '' };
  try {
    // Removals first: a file may be deleted to make room for a folder of the same name.
    for (const effect of effects) {
      if (effect.after.type !== 'remove') continue;
      step = { path: effect.path, action: 'delete' };
      const aside = hiddenSibling(effect.path, 'deleted');
      await fs.rename(effect.path, aside);
      prepared.setAside.push({ original: effect.path, aside });
    }
    for (const effect of effects) {
      if (effect.after.type !== 'write') continue;
      step = { path: effect.path, action: 'write' };
      // Write through a symbolic link rather than replacing the link with a plain file.
      const target = effect.before.type === 'file' ? await fs.realpath(effect.path) : effect.path;
      step = { path: dirname(target), action: 'create the folder' };
      await createFolders(dirname(target), fs, prepared.createdDirectories);
      step = { path: effect.path, action: 'write' };
      const temporary = hiddenSibling(target, 'new');
      await fs.writeNew(temporary, effect.after.bytes, effect.after.mode);
      prepared.temporaries.push({ temporary, target });
    }
  } catch (cause) {
    await undo(prepared, fs);
    return { type: 'failed', ...step, cause, replaced: [] };
  }

  const replaced: string[] = [];
  for (const [index, { temporary, target }] of prepared.temporaries.entries()) {
    try {
      await fs.rename(temporary, target);
      replaced.push(target);
    } catch (cause) {
      // Deletions have not happened yet, so they can still be taken back; replaced files cannot.
      await undo({ createdDirectories: [], temporaries: prepared.temporaries.slice(index), setAside: prepared.setAside }, fs);
      return { type: 'failed', path: target, action: 'replace', cause, replaced };
    }
  }

  for (const { aside } of prepared.setAside) {
    try {
      await fs.unlink(aside);
    } catch {
      // The file is already gone from its name, which is what the patch asked; a leftover hidden copy harms nothing.
    }
  }
  return { type: 'committed' };
}

async function findStale(effects: readonly FileEffect[], fs: PatchFs): Promise<{ type: 'fresh' } | CommitResult> {
  const stale: string[] = [];
  for (const effect of effects) {
    try {
      const info = await fs.stat(effect.path);
      if (effect.before.type === 'absent') {
        if (info !== null) stale.push(effect.path);
      } else if (info?.kind !== 'file' || !sameBytes(await fs.readFile(effect.path), effect.before.bytes)) {
        stale.push(effect.path);
      }
    } catch (cause) {
      return { type: 'failed', path: effect.path, action: 'read', cause, replaced: [] };
    }
  }
  return stale.length > 0 ? { type: 'stale', paths: stale } : { type: 'fresh' };
}

/** Creates `folder` and any missing parents, recording each created one (outermost first) so it can be undone. */
async function createFolders(folder: string, fs: PatchFs, created: string[]): Promise<void> {
  const missing: string[] = [];
  let current = folder;
  while ((await fs.stat(current)) === null) {
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const directory of missing) {
    await fs.mkdir(directory);
    created.push(directory);
  }
}

/** A name beside `path` that no one else uses: same folder, so a rename is atomic and never crosses devices. */
function hiddenSibling(path: string, purpose: string): string {
  const name = basename(path).slice(0, 100);
  return join(dirname(path), `.${name}.${randomBytes(6).toString('hex')}.keel-${purpose}`);
}

async function undo(prepared: Prepared, fs: PatchFs): Promise<void> {
  for (const { temporary } of prepared.temporaries) await attempt(() => fs.unlink(temporary));
  for (const { original, aside } of prepared.setAside) await attempt(() => fs.rename(aside, original));
  for (const directory of [...prepared.createdDirectories].reverse()) await attempt(() => fs.rmdir(directory));
}

async function attempt(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch {
    // Undo is best effort: the original error is what gets reported, and each step is independent of the others.
  }
}
