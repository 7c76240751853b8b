/**
 * Where workspace-write lets commands and edits write (reference 7.5): the cwd, the configured extra roots, `/tmp`
 * and `$TMPDIR`, each resolved through symbolic links. Inside them some paths stay read-only: `.git` (a directory,
 * or a `gitdir:` file and the directory it points to), since a writable `.git` lets a command plant hooks or a
 * config that runs programs the next time a person (or a known-safe `git status`) uses the repository; the
 * project's `.keel` and `$KEEL_HOME`, since they hold the settings that decide what may run.
 * Only paths that exist are listed: the sandbox can only bind what is there.
 */
import { posix } from 'node:path';
import type { SandboxPolicy } from '../protocol/index.ts';
import { isInside, resolvePath, type PathProbe } from './resolve-path.ts';

export interface WritablePaths {
  /** Resolved directories that may be written. Empty under read-only, and under danger-full-access (all is writable). */
  roots: string[];
  /** Resolved paths inside the roots that stay read-only. */
  readOnlySubpaths: string[];
}

export interface RootsProbe extends PathProbe {
  kind(path: string): 'dir' | 'file' | 'missing';
  readFile(path: string): string | null;
}

export interface WritableRootsEnv {
  TMPDIR?: string;
  KEEL_HOME?: string;
  HOME?: string;
}

export interface WritableRootsOptions {
  excludeSlashTmp?: boolean;
  excludeTmpdirEnvVar?: boolean;
}

export function writableRoots(
  policy: SandboxPolicy,
  cwd: string,
  env: WritableRootsEnv,
  probe: RootsProbe,
  options: WritableRootsOptions = {},
): WritablePaths {
  if (policy.type !== 'workspace-write') return { roots: [], readOnlySubpaths: [] };
  const candidates = [cwd, ...policy.writable_roots.map((root) => posix.resolve(cwd, root))];
  if (!options.excludeSlashTmp) candidates.push('/tmp');
  if (!options.excludeTmpdirEnvVar && env.TMPDIR) candidates.push(env.TMPDIR);

  const roots: string[] = [];
  for (const candidate of candidates) {
    const resolved = existing(candidate, probe, 'dir');
    if (resolved !== null && !roots.includes(resolved)) roots.push(resolved);
  }

  const readOnly: string[] = [];
  const protect = (path: string | null) => {
    if (path !== null && !readOnly.includes(path) && roots.some((root) => isInside(path, root))) readOnly.push(path);
  };
  for (const root of roots) {
    const dotGit = posix.join(root, '.git');
    const kind = probe.kind(dotGit);
    protect(existing(dotGit, probe, kind === 'missing' ? 'dir' : kind));
    if (kind === 'file') protect(gitdirTarget(dotGit, probe));
    protect(existing(posix.join(root, '.keel'), probe, 'dir'));
  }
  protect(existing(keelHome(env), probe, 'dir'));
  return { roots, readOnlySubpaths: readOnly };
}

/** The same default as the session store's: `$KEEL_HOME`, else `~/.keel`. */
function keelHome(env: WritableRootsEnv): string {
  if (env.KEEL_HOME) return env.KEEL_HOME;
  return posix.join(env.HOME ?? '/', '.keel');
}

function existing(path: string, probe: RootsProbe, kind: 'dir' | 'file'): string | null {
  const resolved = resolvePath(path, probe);
  if (resolved.type !== 'resolved' || probe.kind(resolved.path) !== kind) return null;
  return resolved.path;
}

/** A `.git` file (worktree, submodule) says `gitdir: <path>`, relative to the file's directory. */
function gitdirTarget(dotGit: string, probe: RootsProbe): string | null {
  const match = /^gitdir:\s*(.+?)\s*$/m.exec(probe.readFile(dotGit) ?? '');
  if (!match) return null;
  return existing(posix.resolve(posix.dirname(dotGit), match[1]!), probe, 'dir');
}
