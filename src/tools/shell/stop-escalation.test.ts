import { describe, expect, it } from 'vitest';
import { stopGroup, type StoppableGroup } from './stop-escalation.ts';

/** A group that dies on the first signal in `diesOn`, recording what it was sent and how long each wait allowed. */
function fakeGroup(diesOn: NodeJS.Signals[], aliveAtStart = true): StoppableGroup & { log: string[] } {
  let alive = aliveAtStart;
  const log: string[] = [];
  return {
    log,
    signal(signal) {
      log.push(signal);
      if (diesOn.includes(signal)) alive = false;
    },
    async waitGone(timeoutMs) {
      log.push(`wait ${timeoutMs}`);
      return !alive;
    },
  };
}

describe('stopGroup', () => {
  it('stops at SIGINT when that is enough', async () => {
    const group = fakeGroup(['SIGINT']);
    expect(await stopGroup(group)).toEqual({ type: 'stopped', lastSignal: 'SIGINT' });
    expect(group.log).toEqual(['wait 0', 'SIGINT', 'wait 250']);
  });

  it('escalates to SIGTERM, then SIGKILL', async () => {
    const group = fakeGroup(['SIGKILL']);
    expect(await stopGroup(group)).toEqual({ type: 'stopped', lastSignal: 'SIGKILL' });
    expect(group.log).toEqual(['wait 0', 'SIGINT', 'wait 250', 'SIGTERM', 'wait 750', 'SIGKILL', 'wait 5000']);
  });

  it('sends nothing to a group that is already gone', async () => {
    const group = fakeGroup([], false);
    expect(await stopGroup(group)).toEqual({ type: 'already_gone' });
    expect(group.log).toEqual(['wait 0']);
  });

  it('reports a group that survives every signal', async () => {
    const group = fakeGroup([]);
    expect(await stopGroup(group, [{ signal: 'SIGKILL', graceMs: 10 }])).toEqual({ type: 'survived', lastSignal: 'SIGKILL' });
  });
});
