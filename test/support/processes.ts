/**
 * Finds live processes by a marker in their command line, reading /proc directly (zombies, which some containers
 * never reap, do not count as alive). Tests use an unusual argument, e.g. `sleep 30.417`, as the marker.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  state: string;
  cmdline: string;
}

export function liveProcessesMatching(marker: string): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      if (!cmdline.includes(marker)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '?';
      if (state !== 'Z') found.push({ pid: Number(entry), state, cmdline });
    } catch {
      // The process ended between listing and reading: it is not alive.
    }
  }
  return found;
}
