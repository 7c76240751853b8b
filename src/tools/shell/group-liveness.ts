/**
 * Whether a process group still has a living member. `kill(-pgid, 0)` alone is not enough on Linux: a member that
 * has exited but was never reaped (an orphan in a container whose PID 1 does not reap) still answers, and would
 * keep every stop waiting for nothing. So on Linux a group is alive while /proc lists a member that is not a zombie.
 */
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

/** Pids of the group's members that are not zombies. Empty when /proc cannot be read. */
export async function liveGroupMembers(pgid: number): Promise<number[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    // No /proc (not Linux, or hidden): the caller falls back to kill(-pgid, 0).
    return [];
  }
  const members = await Promise.all(
    entries.filter((name) => /^\d+$/.test(name)).map(async (name) => ((await isLiveMember(name, pgid)) ? Number(name) : -1)),
  );
  return members.filter((pid) => pid !== -1);
}

async function isLiveMember(pid: string, pgid: number): Promise<boolean> {
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // The process ended between readdir and now.
    return false;
  }
  const parsed = parseStat(stat);
  return parsed !== null && parsed.pgrp === pgid && parsed.state !== 'Z' && parsed.state !== 'X';
}

/**
 * `/proc/<pid>/stat` is "pid (comm) state ppid pgrp ...", where comm may itself contain spaces and parentheses, so
 * fields are counted from the last ')'.
 */
export function parseStat(stat: string): { state: string; ppid: number; pgrp: number } | null {
  const close = stat.lastIndexOf(')');
  if (close === -1) return null;
  const fields = stat.slice(close + 2).split(' ');
  const [state, ppid, pgrp] = fields;
  if (state === undefined || ppid === undefined || pgrp === undefined) return null;
  return { state, ppid: Number(ppid), pgrp: Number(pgrp) };
}

/** What `kill(-pgid, 0)` says: no process at all (not even a zombie), or some process (maybe only zombies). */
function probeGroup(pgid: number): 'none' | 'some' {
  try {
    process.kill(-pgid, 0);
    return 'some';
  } catch (error) {
    // EPERM means members exist that we may not signal; they still count.
    return (error as NodeJS.ErrnoException).code === 'ESRCH' ? 'none' : 'some';
  }
}

const procAvailable = process.platform === 'linux';

export async function isGroupAlive(pgid: number): Promise<boolean> {
  if (probeGroup(pgid) === 'none') return false;
  if (!procAvailable) return true;
  if ((await liveGroupMembers(pgid)).length > 0) return true;
  // An empty scan is trusted only when /proc could be read at all (our own entry is always there).
  return !(await procReadable());
}

let procReadableCache: boolean | undefined;
async function procReadable(): Promise<boolean> {
  if (procReadableCache === undefined) {
    try {
      await readFile(`/proc/${process.pid}/stat`, 'utf8');
      procReadableCache = true;
    } catch {
      procReadableCache = false;
    }
  }
  return procReadableCache;
}

/** Polls until the group has no living member; false if it still has one after `timeoutMs`. */
export async function waitUntilGroupGone(pgid: number, timeoutMs: number, pollMs = 10): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (!(await isGroupAlive(pgid))) return true;
    const left = deadline - performance.now();
    if (left <= 0) return false;
    await delay(Math.min(pollMs, left));
  }
}
