/**
 * Whether the process that wrote a lock file is still running. A pid alone is not enough: after a reboot or a long
 * time pids are reused, and a lock must not stay "held" by whatever unrelated process got the number. Where /proc
 * exists, the process's start time (clock ticks since boot) pins the pid to one process.
 */
import { readFileSync } from 'node:fs';
import { errnoCode } from './store-error.ts';

interface ProcStat {
  state: string;
  startTime: string;
}

function readProcStat(pid: number): ProcStat | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // No /proc (macOS), or the process is gone: the caller falls back to the signal check.
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses; fields are counted from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = fields[19];
  return state === undefined || startTime === undefined ? null : { state, startTime };
}

/** An identifier of this process's start, to store beside its pid; null where it cannot be known. */
export function processStartTime(pid: number = process.pid): string | null {
  return readProcStat(pid)?.startTime ?? null;
}

/**
 * True if `pid` runs on this host and, when `startTime` is known, is the same process that recorded it. A zombie
 * (killed, not yet reaped by its parent) counts as dead: it will never release anything.
 */
export function isProcessAlive(pid: number, startTime: string | null = null): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if (errnoCode(error) !== 'EPERM') return false;
  }
  const stat = readProcStat(pid);
  if (stat === null) return true;
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return startTime === null || stat.startTime === startTime;
}
