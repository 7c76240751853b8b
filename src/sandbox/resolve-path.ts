/**
 * Where a write to a path really lands. Resolved component by component the way the kernel does: a symbolic link
 * is followed where it occurs, and `..` goes up from where the link led, not from where it was written
 * (`/work/link/../etc` with link → `/` is `/etc`, although `/work/etc` is what the text suggests). Dangling links
 * are followed too, since writing through one creates its target. Components that do not exist are taken as
 * written: apply_patch would create them as directories.
 */
import { posix } from 'node:path';

export interface PathProbe {
  /** The target of `path` when it is a symbolic link; null when it is not a link or does not exist. */
  readlink(path: string): string | null;
}

export type ResolvedPath = { type: 'resolved'; path: string } | { type: 'unresolvable'; reason: string };

// Linux gives up after 40 links (ELOOP); so do we.
const MAX_LINKS = 40;

export function resolvePath(path: string, probe: PathProbe): ResolvedPath {
  if (!posix.isAbsolute(path)) return { type: 'unresolvable', reason: `${path} is not an absolute path` };
  const pending = components(path);
  let resolved = '/';
  let links = 0;
  while (pending.length > 0) {
    const name = pending.shift()!;
    if (name === '.') continue;
    if (name === '..') {
      resolved = posix.dirname(resolved);
      continue;
    }
    const candidate = posix.join(resolved, name);
    const target = probe.readlink(candidate);
    if (target === null) {
      resolved = candidate;
      continue;
    }
    links += 1;
    if (links > MAX_LINKS) return { type: 'unresolvable', reason: `${path} goes through too many symbolic links` };
    if (posix.isAbsolute(target)) resolved = '/';
    pending.unshift(...components(target));
  }
  return { type: 'resolved', path: resolved };
}

/** True when `path` is `root` or inside it (both already resolved). */
export function isInside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`);
}

function components(path: string): string[] {
  return path.split('/').filter((part) => part !== '');
}
