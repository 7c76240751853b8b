import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { findRepoRoot, readGitInfo } from './git-info.ts';

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keel-git-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'trunk');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'one');
  return dir;
}

it('reads the branch and commit the way git reports them, loose or packed', () => {
  const dir = repo();
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
  mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
  expect(findRepoRoot(join(dir, 'sub', 'deeper'))).toBe(dir);
  expect(readGitInfo(join(dir, 'sub'))).toEqual({ branch: 'trunk', commit: head });
  execFileSync('git', ['pack-refs', '--all'], { cwd: dir });
  expect(readGitInfo(dir)).toEqual({ branch: 'trunk', commit: head });
});

it('gives null outside a repository', () => {
  expect(readGitInfo(mkdtempSync(join(tmpdir(), 'keel-nogit-')))).toBeNull();
});
