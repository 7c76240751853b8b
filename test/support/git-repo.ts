/**
 * Real git repositories for tests: git run with a fixed identity (and no optional locks, so looking at a
 * repository never rewrites its index), a repository made with files committed, and the working tree's files.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=u', '-c', 'user.email=u@x', ...args], { cwd, encoding: 'utf8', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
}

/** A new repository (branch main) holding `files`, committed. */
export function committedRepo(files: Record<string, string>, prefix = 'keel-repo-'): string {
  const cwd = mkdtempSync(join(tmpdir(), prefix));
  git(cwd, 'init', '-q', '-b', 'main');
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(cwd, file)), { recursive: true });
    writeFileSync(join(cwd, file), content);
  }
  git(cwd, 'add', '-A');
  git(cwd, 'commit', '-q', '-m', 'start');
  return cwd;
}

/** The working tree's files (tracked and untracked, not ignored) and their bytes, as latin1 text. */
export function workingFiles(cwd: string): Record<string, string> {
  const files = git(cwd, 'ls-files', '--cached', '--others', '--exclude-standard').split('\n').filter((file) => file !== '' && existsSync(join(cwd, file)));
  return Object.fromEntries(files.sort().map((file) => [file, readFileSync(join(cwd, file)).toString('latin1')]));
}
