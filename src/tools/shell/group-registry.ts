/**
 * Every process group keel has started and not yet seen gone, process-wide, so that keel's exit handlers can kill
 * them all synchronously (an `exit` handler cannot wait for anything).
 */

import { unwatchGroup, watchGroup } from './orphan-watchdog.ts';

const liveGroups = new Set<number>();

export function registerGroup(pgid: number): void {
  liveGroups.add(pgid);
  watchGroup(pgid);
}

/** Call once the group is known gone: after that its id may be reused by an unrelated group. */
export function unregisterGroup(pgid: number): void {
  if (liveGroups.delete(pgid)) unwatchGroup(pgid);
}

export function registeredGroups(): number[] {
  return [...liveGroups];
}

/** SIGKILL to every registered group, now. Returns how many groups were signalled. Safe in `process.on('exit')`. */
export function killAllGroupsNow(): number {
  let signalled = 0;
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
      signalled++;
    } catch {
      // Already gone (ESRCH) or not ours any more (EPERM): nothing left to do for this group.
    }
  }
  liveGroups.clear();
  return signalled;
}
