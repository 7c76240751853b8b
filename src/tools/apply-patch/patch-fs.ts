/**
 * The file system as apply_patch needs it, and nothing more: planning reads through `PatchReader` only, so it can run
 * against an in-memory fake; committing uses the few write primitives an atomic commit is built from.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, readFile, realpath, rename, rmdir, stat, unlink } from 'node:fs/promises';

export type EntryKind = 'file' | 'directory' | 'other';

export interface EntryInfo {
  kind: EntryKind;
  /** Permission bits (`mode & 0o7777`). */
  mode: number;
}

export interface PatchReader {
  /** Follows symbolic links. Resolves null when nothing is there; rejects on other errors (e.g. permission). */
  stat(path: string): Promise<EntryInfo | null>;
  readFile(path: string): Promise<Uint8Array>;
}

export interface PatchFs extends PatchReader {
  /** Resolves symbolic links, so an update writes through a link instead of replacing the link with a file. */
  realpath(path: string): Promise<string>;
  /** Creates one directory whose parent exists. */
  mkdir(path: string): Promise<void>;
  /**
   * Creates `path`, which must not exist yet, holding `data`, with exactly `mode` when given (else the default for
   * new files), and flushes it to disk before resolving: a rename over the real file must never expose a half-written
   * or empty file after a crash.
   */
  writeNew(path: string, data: Uint8Array, mode: number | null): Promise<void>;
  /** Atomically replaces `to` (a file) with `from`. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file or a symbolic link (never what the link points to). */
  unlink(path: string): Promise<void>;
  /** Removes an empty directory. */
  rmdir(path: string): Promise<void>;
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function kindOf(info: { isFile(): boolean; isDirectory(): boolean }): EntryKind {
  return info.isFile() ? 'file' : info.isDirectory() ? 'directory' : 'other';
}

/** The real file system. */
export const nodePatchFs: PatchFs = {
  async stat(path) {
    try {
      const info = await stat(path);
      return { kind: kindOf(info), mode: info.mode & 0o7777 };
    } catch (error) {
      if (!isMissing(error)) throw error;
      // A dangling symbolic link is still something there: report it as neither file nor directory.
      try {
        const link = await lstat(path);
        return { kind: 'other', mode: link.mode & 0o7777 };
      } catch (linkError) {
        if (isMissing(linkError)) return null;
        throw linkError;
      }
    }
  },
  readFile: (path) => readFile(path),
  realpath: (path) => realpath(path),
  async mkdir(path) {
    await mkdir(path);
  },
  async writeNew(path, data, mode) {
    const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode ?? 0o666);
    try {
      await handle.writeFile(data);
      // The creation mode is filtered by the umask; an existing file's mode must come back exactly.
      if (mode !== null) await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => rename(from, to),
  unlink: (path) => unlink(path),
  rmdir: (path) => rmdir(path),
};
