/**
 * One snapshot or restore at a time per store: keel processes in the same repository share its store (and its
 * index, whose stat cache is what makes a snapshot fast). A lock left by a process that died is taken over; git's
 * own `index.lock` left by a git that died with it is removed under this lock, where no git of ours can be running.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLockFile, readLockFile, releaseLockFile, removeStaleLock } from '../lock-file.ts';
import { isProcessAlive, processStartTime } from '../process-liveness.ts';

const POLL_MS = 25;
const WAIT_MS = 30_000;

export async function withStoreLock<T>(storeDir: string, indexFile: string, work: () => Promise<T>): Promise<T> {
  const path = join(storeDir, 'keel.lock');
  const body = JSON.stringify({ pid: process.pid, start: processStartTime() });
  const deadline = Date.now() + WAIT_MS;
  while (!createLockFile(path, body)) {
    const held = readLockFile(path);
    if (held !== null && !holderAlive(held.text)) {
      removeStaleLock(path, held.text);
      continue;
    }
    if (Date.now() > deadline) throw new Error(`the snapshot store ${storeDir} is busy (another keel holds ${path}); if no keel is running, remove that file`);
    await sleep(POLL_MS);
  }
  try {
    rmSync(`${indexFile}.lock`, { force: true });
    return await work();
  } finally {
    releaseLockFile(path, body);
  }
}

function holderAlive(text: string): boolean {
  try {
    const { pid, start } = JSON.parse(text) as { pid?: unknown; start?: unknown };
    if (typeof pid !== 'number') return false;
    return isProcessAlive(pid, typeof start === 'string' ? start : null);
  } catch {
    // A body that is not ours (or torn by a crash mid-write, which lock-file.ts rules out) holds nothing.
    return false;
  }
}
