import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveGroupMembers, parseStat } from './group-liveness.ts';
import { killAllGroupsNow, registeredGroups } from './group-registry.ts';
import { exitCodeOf, spawnProcessGroup } from './process-group.ts';
import { findLiveProcesses, uniqueSleepArg } from './shell-call-harness.ts';

describe('spawnProcessGroup', () => {
  it('makes the command the leader of a new group and registers it until it is seen gone', async () => {
    const outcome = await spawnProcessGroup(['sleep', uniqueSleepArg()], { cwd: process.cwd(), env: process.env });
    if (outcome.type !== 'spawned') throw new Error(outcome.message);
    const { group } = outcome;
    expect(await liveGroupMembers(group.pgid)).toEqual([group.pgid]);
    expect(registeredGroups()).toContain(group.pgid);
    expect(await group.stop()).toEqual({ type: 'stopped', lastSignal: 'SIGINT' });
    expect(await group.leaderExit).toEqual({ type: 'signaled', signal: 'SIGINT' });
    expect(registeredGroups()).not.toContain(group.pgid);
  });

  it('reports a program that is not executable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-shell-'));
    const script = join(dir, 'script');
    writeFileSync(script, '#!/bin/sh\necho hi\n');
    chmodSync(script, 0o644);
    const outcome = await spawnProcessGroup([script], { cwd: dir, env: process.env });
    expect(outcome).toMatchObject({ type: 'failed', errno: 'EACCES', exitCode: 126 });
  });
});

describe('killAllGroupsNow', () => {
  it('kills every registered group synchronously', async () => {
    const [first, second] = [uniqueSleepArg(), uniqueSleepArg()];
    const spawned = await Promise.all(
      [first, second].map((arg) => spawnProcessGroup(['bash', '-c', `sleep ${arg} & wait`], { cwd: '/', env: process.env })),
    );
    const groups = spawned.map((outcome) => {
      if (outcome.type !== 'spawned') throw new Error(outcome.message);
      return outcome.group;
    });
    expect(killAllGroupsNow()).toBeGreaterThanOrEqual(2);
    expect(registeredGroups()).toEqual([]);
    for (const group of groups) {
      expect(exitCodeOf(await group.leaderExit)).toBe(137);
      expect(await group.isAlive()).toBe(false);
    }
    expect(await findLiveProcesses(first)).toEqual([]);
    expect(await findLiveProcesses(second)).toEqual([]);
  });
});

describe('parseStat', () => {
  it('counts fields from the last parenthesis, whatever the command name holds', () => {
    expect(parseStat('42 (we (ird) name) S 1 42 42 0 -1')).toEqual({ state: 'S', ppid: 1, pgrp: 42 });
    expect(parseStat('garbage')).toBeNull();
  });
});
