/**
 * Lock files: a file whose existence means "held", with a body naming the holder. Node has no portable advisory
 * locks (flock), but exclusive creation is atomic on every local file system, and the body lets others decide
 * whether a holder that died left the lock behind.
 *
 * Two races are closed here rather than in each lock:
 * - A lock is never seen empty: the body is written to a private file first and linked into place, so the name
 *   appears with its content already there.
 * - Two processes taking over the same stale lock: removal goes through a second, short-lived lock
 *   (`<path>.takeover`) and re-reads the body under it, so a fresh lock created meanwhile is never removed.
 */
import { closeSync, linkSync, openSync, readFileSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { errnoCode } from './store-error.ts';

export interface LockFileContent {
  text: string;
  /** Last modification time, for locks judged stale by age. */
  mtimeMs: number;
}

/** A takeover lock older than this was left by a process that died in the middle of a removal. */
const TAKEOVER_STALE_MS = 10_000;

/** Creates `path` holding `body` if it does not exist yet. False when it exists. Other failures throw. */
export function createLockFile(path: string, body: string): boolean {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writePrivateFile(temporary, body);
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'EEXIST') return false;
    // File systems without hard links: exclusive creation, then the body (a reader may glimpse it empty).
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') return createByOpen(path, body);
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

function writePrivateFile(path: string, body: string): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, body);
  } finally {
    closeSync(fd);
  }
}

function createByOpen(path: string, body: string): boolean {
  try {
    writePrivateFile(path, body);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw error;
  }
}

/** The lock's body and age, or null when there is no lock. */
export function readLockFile(path: string): LockFileContent | null {
  try {
    const text = readFileSync(path, 'utf8');
    return { text, mtimeMs: statSync(path).mtimeMs };
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Removes the lock at `path` if its body is still `expected` (the stale holder the caller judged). False when
 * another process is removing it right now or it changed; the caller then looks again.
 */
export function removeStaleLock(path: string, expected: string): boolean {
  const takeover = `${path}.takeover`;
  if (!createLockFile(takeover, String(process.pid))) {
    const left = readLockFile(takeover);
    if (left !== null && Date.now() - left.mtimeMs > TAKEOVER_STALE_MS) rmSync(takeover, { force: true });
    return false;
  }
  try {
    const current = readLockFile(path);
    if (current === null) return true;
    if (current.text !== expected) return false;
    unlinkSync(path);
    return true;
  } finally {
    rmSync(takeover, { force: true });
  }
}

/** Removes the lock if it still holds `body` (ours). Safe when it is already gone. */
export function releaseLockFile(path: string, body: string): void {
  const current = readLockFile(path);
  if (current?.text === body) rmSync(path, { force: true });
}
