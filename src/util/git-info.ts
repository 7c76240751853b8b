/**
 * The repository around a directory, read straight from `.git` (no `git` process: this runs at every start).
 * Handles a `.git` file (worktrees, submodules), detached HEADs and packed refs; anything unusual gives nulls.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export interface GitInfo {
  branch: string | null;
  commit: string | null;
}

/** The nearest directory at or above `dir` that holds `.git`, or null outside a repository. */
export function findRepoRoot(dir: string): string | null {
  let current = resolve(dir);
  for (;;) {
    if (existsSync(join(current, '.git'))) return current;
    const parent = dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}

export function readGitInfo(dir: string): GitInfo | null {
  const root = findRepoRoot(dir);
  if (root === null) return null;
  try {
    const gitDir = resolveGitDir(join(root, '.git'));
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return { branch: null, commit: /^[0-9a-f]{40,64}$/.test(head) ? head : null };
    const ref = head.slice(5);
    const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
    return { branch, commit: readRef(gitDir, ref) };
  } catch {
    // An unreadable or half-written .git is not worth failing a session over.
    return { branch: null, commit: null };
  }
}

function resolveGitDir(dotGit: string): string {
  if (statSync(dotGit).isDirectory()) return dotGit;
  const pointer = readFileSync(dotGit, 'utf8').trim().replace(/^gitdir:\s*/, '');
  return isAbsolute(pointer) ? pointer : resolve(dirname(dotGit), pointer);
}

function readRef(gitDir: string, ref: string): string | null {
  const loose = join(gitDir, ref);
  if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
  // Worktrees keep shared refs in the common directory.
  const common = existsSync(join(gitDir, 'commondir')) ? resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim()) : gitDir;
  for (const dir of common === gitDir ? [gitDir] : [common, gitDir]) {
    const direct = join(dir, ref);
    if (existsSync(direct)) return readFileSync(direct, 'utf8').trim();
    const packed = join(dir, 'packed-refs');
    if (!existsSync(packed)) continue;
    for (const line of readFileSync(packed, 'utf8').split('\n')) {
      const [hash, name] = line.split(' ');
      if (name === ref && hash) return hash;
    }
  }
  return null;
}
