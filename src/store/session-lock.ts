/**
 * One writer per session: `<log>.lock` names the keel process that writes the log. A second process is refused
 * with a message naming the holder; a lock left by a process that died (SIGKILL, power cut) is taken over. The
 * catalogue reads the same file to tell a running session from a killed one.
 */
import { hostname as osHostname } from 'node:os';
import { basename } from 'node:path';
import { createLockFile, readLockFile, releaseLockFile, removeStaleLock } from './lock-file.ts';
import { isProcessAlive, processStartTime } from './process-liveness.ts';
import { lockPathFor, parseSessionFileName } from './session-paths.ts';
import { ioError, StoreError, type LockHolder } from './store-error.ts';

export interface SessionLock {
  /** The lock file. */
  readonly path: string;
  readonly holder: LockHolder;
  /** Removes the lock if it is still ours. Synchronous so exit handlers can call it; safe to call twice. */
  release(): void;
}

interface LockBody extends LockHolder {
  /** Pins `pid` to one process where the OS tells process start times (see process-liveness.ts). */
  process_start?: string;
}

export interface SessionLockOptions {
  hostname?: string;
  pid?: number;
  clock?: () => Date;
}

/** How often a vanishing or half-visible lock is looked at again before giving up. */
const ATTEMPTS = 20;

/**
 * Takes the lock of the session whose log is at `logPath`. Throws `StoreError`: `locked` when a live process holds
 * it, `io` when the lock file cannot be created (a missing or read-only directory).
 */
export async function acquireSessionLock(logPath: string, options: SessionLockOptions = {}): Promise<SessionLock> {
  try {
    return await tryAcquire(logPath, options);
  } catch (error) {
    throw error instanceof StoreError ? error : ioError(lockPathFor(logPath), 'create the session lock', error);
  }
}

async function tryAcquire(logPath: string, options: SessionLockOptions): Promise<SessionLock> {
  const lockPath = lockPathFor(logPath);
  const host = options.hostname ?? osHostname();
  const pid = options.pid ?? process.pid;
  const start = processStartTime(pid);
  const holder: LockHolder = { pid, hostname: host, started_at: (options.clock?.() ?? new Date()).toISOString() };
  const body = JSON.stringify({ ...holder, ...(start === null ? {} : { process_start: start }) } satisfies LockBody);
  let lastSeen: LockBody | null = null;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (createLockFile(lockPath, body)) {
      let released = false;
      return {
        path: lockPath,
        holder,
        release() {
          if (released) return;
          released = true;
          releaseLockFile(lockPath, body);
        },
      };
    }
    const existing = readLockFile(lockPath);
    if (existing === null) continue; // Released between our attempt and our look: try again at once.
    const other = parseLockBody(existing.text);
    if (other !== null && isHeld(other, host)) throw lockedError(logPath, other, host);
    lastSeen = other;
    // Dead holder or unreadable body (a lock cannot be honoured if it does not say whose it is): take it over.
    if (!removeStaleLock(lockPath, existing.text)) await pause(10 + attempt * 5);
  }
  throw lockedError(logPath, lastSeen ?? { pid: 0, hostname: 'unknown', started_at: 'unknown' }, host);
}

/** The live holder of a session's lock, or null if nobody holds it (no lock file, or its holder died). */
export function sessionLockHolder(logPath: string, host: string = osHostname()): LockHolder | null {
  let existing;
  try {
    existing = readLockFile(lockPathFor(logPath));
  } catch {
    // An unreadable lock file says nothing about a holder; the listing shows the session by its log alone.
    return null;
  }
  if (existing === null) return null;
  const holder = parseLockBody(existing.text);
  return holder !== null && isHeld(holder, host) ? holder : null;
}

/** A holder on another host cannot be checked from here; it is honoured until a person removes the lock. */
function isHeld(holder: LockBody, host: string): boolean {
  return holder.hostname !== host || isProcessAlive(holder.pid, holder.process_start ?? null);
}

function parseLockBody(text: string): LockBody | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { pid, hostname, started_at, process_start } = value as Record<string, unknown>;
  if (typeof pid !== 'number' || typeof hostname !== 'string' || typeof started_at !== 'string') return null;
  return { pid, hostname, started_at, ...(typeof process_start === 'string' ? { process_start } : {}) };
}

function lockedError(logPath: string, holder: LockHolder, host: string): StoreError {
  const id = parseSessionFileName(basename(logPath))?.sessionId ?? logPath;
  const { pid, hostname, started_at } = holder;
  // Only a holder on another machine cannot be checked; there a person has to say it is gone.
  const hint = hostname === host ? '' : ` If that process is gone, remove ${lockPathFor(logPath)}.`;
  return new StoreError(
    { kind: 'locked', path: logPath, holder: { pid, hostname, started_at } },
    `session ${id} is in use by keel process ${pid} on host ${hostname}, started ${started_at}.${hint}`,
  );
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
