/**
 * The processes a process has started, read from /proc (Linux), for tests that check nothing outlives keel. Take the
 * snapshot before killing the parent: once it is gone, its children are re-parented and no longer say whose they were.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Every live descendant of `pid` (children, their children, …), found through /proc/PID/task/TID/children. */
export function descendantsOf(pid: number): number[] {
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const child of childrenOf(parent)) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return children; // The process is gone: it has no children left to list.
  }
  for (const tid of threads) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text !== '') children.push(...text.split(/\s+/).map(Number));
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return children;
}

/** The pid exists at all, a zombie included: for "keel reaped what it started", stricter than `isAlive`. */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Alive and not a zombie (some containers never reap, and a zombie runs nothing). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The command line of a process, for messages; empty when it is gone. */
export function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}
