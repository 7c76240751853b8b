import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireSessionLock, sessionLockHolder } from './session-lock.ts';
import { startStoreChild } from './testing/run-store-child.ts';
import { tempHome } from './testing/temp-home.ts';

const ID = '3c9b1f0e-5a6d-4e7f-8a9b-0c1d2e3f4a5b';

function logPath(): string {
  return join(tempHome(), `2025-01-01T00-00-00-${ID}.jsonl`);
}

/** The pid of a process that has ended (and been reaped). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('acquireSessionLock', () => {
  it('creates <log>.lock naming this process, and removes it on release (twice is fine)', async () => {
    const path = logPath();
    const lock = await acquireSessionLock(path, { clock: () => new Date('2025-01-01T00:00:00.000Z') });
    expect(lock.path).toBe(`${path}.lock`);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, hostname: hostname(), started_at: '2025-01-01T00:00:00.000Z' });
    expect(sessionLockHolder(path)).toMatchObject({ pid: process.pid });
    lock.release();
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    expect(sessionLockHolder(path)).toBeNull();
  });

  it('refuses a second writer while a live process holds the lock, naming it; takes the lock over once it is killed', async () => {
    const path = logPath();
    const holder = startStoreChild('hold-session-lock.ts', [path]);
    try {
      await holder.line('locked ');
      const refused = acquireSessionLock(path);
      await expect(refused).rejects.toMatchObject({ kind: 'locked', detail: { holder: { pid: holder.pid, hostname: hostname() } } });
      await expect(refused).rejects.toThrow(
        new RegExp(`^session ${ID} is in use by keel process ${holder.pid} on host ${hostname()}, started \\d{4}-\\d\\d-\\d\\dT.*Z\\.$`),
      );
      holder.process.kill('SIGKILL');
      await holder.exited;
      const lock = await acquireSessionLock(path);
      expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid });
      lock.release();
    } finally {
      holder.process.kill('SIGKILL');
    }
  });

  it('lets a holder that exits cleanly hand the lock on', async () => {
    const path = logPath();
    const holder = startStoreChild('hold-session-lock.ts', [path]);
    await holder.line('locked ');
    holder.process.stdin!.end();
    expect(await holder.exited).toMatchObject({ code: 0 });
    expect(existsSync(`${path}.lock`)).toBe(false);
    (await acquireSessionLock(path)).release();
  });

  it('takes over a lock left by a dead process and one whose body says nothing', async () => {
    const path = logPath();
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: deadPid(), hostname: hostname(), started_at: '2020-01-01T00:00:00.000Z' }));
    expect(sessionLockHolder(path)).toBeNull();
    (await acquireSessionLock(path)).release();
    writeFileSync(`${path}.lock`, 'garbage');
    (await acquireSessionLock(path)).release();
  });

  it('does not trust a reused pid: a live pid with another start time is a dead holder', async () => {
    const path = logPath();
    const body = { pid: process.pid, hostname: hostname(), started_at: '2020-01-01T00:00:00.000Z', process_start: '1' };
    writeFileSync(`${path}.lock`, JSON.stringify(body));
    const lock = await acquireSessionLock(path);
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).process_start).not.toBe('1');
    lock.release();
  });

  it('honours a holder on another host, and says how to clear it', async () => {
    const path = logPath();
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: 1234, hostname: 'elsewhere', started_at: '2025-01-01T00:00:00.000Z' }));
    await expect(acquireSessionLock(path)).rejects.toThrow(
      `session ${ID} is in use by keel process 1234 on host elsewhere, started 2025-01-01T00:00:00.000Z. If that process is gone, remove ${path}.lock.`,
    );
  });

  it('releases only its own lock', async () => {
    const path = logPath();
    const lock = await acquireSessionLock(path);
    const successor = JSON.stringify({ pid: 1234, hostname: 'elsewhere', started_at: 'later' });
    writeFileSync(lock.path, successor);
    lock.release();
    expect(readFileSync(lock.path, 'utf8')).toBe(successor);
  });
});

describe('acquireSessionLock failures', () => {
  it('reports a lock that cannot be created as an io error', async () => {
    await expect(acquireSessionLock(join(tempHome(), 'missing-dir', `2025-01-01T00-00-00-${ID}.jsonl`))).rejects.toMatchObject({
      kind: 'io',
      message: expect.stringContaining('cannot create the session lock'),
    });
  });
});
