/**
 * Which program a command word names. A bare name (found on PATH) or a path in a system directory names the
 * program the list means; any other path (`./cat`, `~/bin/ls`, `/tmp/x/git`) may be something the model just
 * wrote, so it is never taken for the read-only program of the same name.
 */

export type ProgramName =
  | { type: 'system'; name: string }
  | { type: 'other_path'; name: string; path: string };

const SYSTEM_DIRS = new Set(['/bin', '/usr/bin', '/usr/local/bin', '/sbin', '/usr/sbin', '/usr/local/sbin', '/opt/homebrew/bin']);

export function programName(word: string): ProgramName {
  const slash = word.lastIndexOf('/');
  if (slash < 0) return { type: 'system', name: word };
  const name = word.slice(slash + 1);
  const dir = word.slice(0, slash);
  return SYSTEM_DIRS.has(dir) ? { type: 'system', name } : { type: 'other_path', name, path: word };
}
