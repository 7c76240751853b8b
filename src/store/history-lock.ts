/**
 * The short exclusive lock around each change of the prompt history file. Holders keep it for one append (and a
 * trim, at most a megabyte rewritten), so waiting is brief: short, growing, jittered retries until a deadline. A lock
 * older than a few seconds, or whose holder on this host is dead, was left by a process that died holding it.
 */
import { randomBytes } from 'node:crypto';
import { hostname as osHostname } from 'node:os';
import { createLockFile, readLockFile, releaseLockFile, removeStaleLock } from './lock-file.ts';
import { isProcessAlive, processStartTime } from './process-liveness.ts';
import { StoreError } from './store-error.ts';

export interface HistoryLockTiming {
  /** A lock older than this is stale whoever holds it (default 5 s). */
  staleMs: number;
  /** Give up after waiting this long (default 10 s). */
  deadlineMs: number;
}

const DEFAULT_TIMING: HistoryLockTiming = { staleMs: 5_000, deadlineMs: 10_000 };

interface HistoryLockBody {
  pid: number;
  hostname: string;
  process_start: string | null;
  /** Makes each acquisition's body unique, so releasing never removes a successor's lock. */
  token: string;
}

/** Runs `work` while holding the lock at `lockPath`; the lock is released however `work` ends. */
export async function withHistoryLock<T>(lockPath: string, work: () => T, timing: HistoryLockTiming = DEFAULT_TIMING): Promise<T> {
  const host = osHostname();
  const body = JSON.stringify({
    pid: process.pid,
    hostname: host,
    process_start: processStartTime(),
    token: randomBytes(8).toString('hex'),
  } satisfies HistoryLockBody);
  const deadline = Date.now() + timing.deadlineMs;
  for (let attempt = 0; !createLockFile(lockPath, body); attempt++) {
    const existing = readLockFile(lockPath);
    if (existing !== null && isStale(existing.text, existing.mtimeMs, host, timing.staleMs)) {
      if (removeStaleLock(lockPath, existing.text)) continue;
    }
    if (Date.now() > deadline) {
      throw new StoreError({ kind: 'history_busy', path: lockPath }, `the prompt history stayed locked for ${timing.deadlineMs} ms (${lockPath})`);
    }
    // Waits of about 1 ms growing to about 32 ms, jittered so that twenty waiting processes do not retry in step.
    const ceiling = 2 ** Math.min(attempt, 5);
    await new Promise((resolve) => setTimeout(resolve, ceiling / 2 + Math.random() * ceiling));
  }
  try {
    return work();
  } finally {
    releaseLockFile(lockPath, body);
  }
}

function isStale(text: string, mtimeMs: number, host: string, staleMs: number): boolean {
  if (Date.now() - mtimeMs > staleMs) return true;
  let holder: Partial<HistoryLockBody>;
  try {
    holder = JSON.parse(text) as Partial<HistoryLockBody>;
  } catch {
    // Bodies are linked into place whole, so an unreadable one is damage, not a write in progress: age decides.
    return false;
  }
  return holder.hostname === host && typeof holder.pid === 'number' && !isProcessAlive(holder.pid, holder.process_start ?? null);
}
