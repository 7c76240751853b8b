/**
 * How a process group is stopped: a polite signal first, then firmer ones, each followed by a short wait for the
 * whole group to be gone. The default schedule ends within about 1.5 s even for a command that ignores SIGINT and
 * SIGTERM (after SIGKILL only processes stuck in the kernel can remain, and those are reported, not waited on forever).
 */

export interface StopStep {
  signal: NodeJS.Signals;
  /** How long to wait for the group to be gone after sending `signal`. */
  graceMs: number;
}

export const DEFAULT_STOP_STEPS: readonly StopStep[] = [
  // SIGINT first: what Ctrl+C sends, so tools that clean up on an interrupt get to (e.g. remove lock files).
  { signal: 'SIGINT', graceMs: 250 },
  { signal: 'SIGTERM', graceMs: 750 },
  { signal: 'SIGKILL', graceMs: 5_000 },
];

/** The group as seen by the stopper; real groups and test fakes implement it. */
export interface StoppableGroup {
  /** Sends `signal` to every member. Must not throw when the group is already gone. */
  signal(signal: NodeJS.Signals): void;
  /** Resolves true once no member is alive, false if one still is after `timeoutMs` (0 = just look). */
  waitGone(timeoutMs: number): Promise<boolean>;
}

export type StopReport =
  | { type: 'already_gone' }
  /** `lastSignal` is the last signal sent before the group was seen gone. */
  | { type: 'stopped'; lastSignal: NodeJS.Signals }
  | { type: 'survived'; lastSignal: NodeJS.Signals };

export async function stopGroup(group: StoppableGroup, steps: readonly StopStep[] = DEFAULT_STOP_STEPS): Promise<StopReport> {
  // Signalling a group that is already gone could hit an unrelated group that reused the id.
  if (await group.waitGone(0)) return { type: 'already_gone' };
  let lastSignal: NodeJS.Signals = 'SIGKILL';
  for (const step of steps) {
    lastSignal = step.signal;
    group.signal(step.signal);
    if (await group.waitGone(step.graceMs)) return { type: 'stopped', lastSignal };
  }
  return { type: 'survived', lastSignal };
}
