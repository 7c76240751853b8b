/**
 * Real repositories and trees for the snapshot tests: a user's repository with history, a stash entry and a staged
 * change, the state of that repository as the user's git reports it, and the state of a tree file by file.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A fresh directory, its real path (tmpdir may be reached through a symbolic link). */
export function tempDir(prefix: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), `keel-${prefix}-`)));
}

/** The environment the user's git runs in here: none of the caller's GIT_* settings, no global config, no locks taken. */
function userGitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('GIT_')) env[name] = value;
  return {
    ...env,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_AUTHOR_NAME: 'User',
    GIT_AUTHOR_EMAIL: 'user@example.com',
    GIT_COMMITTER_NAME: 'User',
    GIT_COMMITTER_EMAIL: 'user@example.com',
    GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
    LC_ALL: 'C',
  };
}

/** The user's git in `cwd`; its standard output. */
export function userGit(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: userGitEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/**
 * A repository with two commits, a stash entry, a staged change and an unstaged one, an untracked file, and ignored
 * files (`*.log`, `build/`) — a user's repository in the middle of their work.
 */
export function userRepository(files: Record<string, string | Buffer> = {}): string {
  const repo = tempDir('user');
  userGit(repo, 'init', '-q', '-b', 'main');
  writeFiles(repo, { '.gitignore': '*.log\nbuild/\n', 'README.md': 'hello world\n', 'src/app.ts': 'export const app = 1;\n', ...files });
  userGit(repo, 'add', '-A');
  userGit(repo, 'commit', '-q', '-m', 'first');
  writeFiles(repo, { 'src/util.ts': 'export const util = 1;\n' });
  userGit(repo, 'add', '-A');
  userGit(repo, 'commit', '-q', '-m', 'second');
  writeFiles(repo, { 'README.md': 'hello stash\n' });
  userGit(repo, 'stash', '-q');
  writeFiles(repo, { 'src/util.ts': 'export const util = 2; // staged\n' });
  userGit(repo, 'add', 'src/util.ts');
  writeFiles(repo, { 'src/app.ts': 'export const app = 2; // not staged\n', 'notes.txt': 'untracked notes\n', 'debug.log': 'ignored log\n', 'build/out.js': 'ignored build\n' });
  return repo;
}

/** What the user's repository says about itself, and the bytes of its index and config. */
export function userRepositoryState(repo: string): Record<string, string> {
  return {
    status: userGit(repo, 'status', '--porcelain', '--untracked-files=all'),
    log: userGit(repo, 'log', '--all', '--oneline'),
    stash: userGit(repo, 'stash', 'list'),
    staged: userGit(repo, 'diff', '--cached'),
    config: readFileSync(join(repo, '.git', 'config'), 'utf8'),
    index: sha(readFileSync(join(repo, '.git', 'index'))),
  };
}

/** Every file under `.git` with its size and modification time: nothing there may be written. */
export function gitDirListing(repo: string): string[] {
  return walk(join(repo, '.git')).map(({ path, stat }) => `${path} ${stat.isDirectory() ? 'dir' : stat.size} ${stat.mtimeMs}`);
}

/**
 * The tree as the user sees it: each path (`.git` and `skip` left out) with what it is — a directory, a file with
 * its permission bits and content hash, or a symbolic link with its target.
 */
export function treeState(root: string, skip: readonly string[] = []): Map<string, string> {
  const state = new Map<string, string>();
  for (const { path, full, stat } of walk(root, ['.git', ...skip])) state.set(path, describe(full, stat));
  return state;
}

export function describePath(root: string, path: string): string | null {
  try {
    return describe(join(root, path), lstatSync(join(root, path)));
  } catch {
    return null;
  }
}

function describe(full: string, stat: Stats): string {
  if (stat.isSymbolicLink()) return `link -> ${readlinkSync(full)}`;
  if (stat.isDirectory()) return 'dir';
  return `file ${(stat.mode & 0o777).toString(8)} ${sha(readFileSync(full))}`;
}

function walk(root: string, skip: readonly string[] = []): Array<{ path: string; full: string; stat: Stats }> {
  const out: Array<{ path: string; full: string; stat: Stats }> = [];
  const visit = (relative: string): void => {
    for (const name of readdirSync(join(root, relative)).sort()) {
      const path = relative === '' ? name : `${relative}/${name}`;
      if (skip.includes(path)) continue;
      const full = join(root, path);
      const stat = lstatSync(full);
      out.push({ path, full, stat });
      if (stat.isDirectory()) visit(path);
    }
  };
  visit('');
  return out;
}

export function sha(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 16);
}

/** Temporary files of an undo (`.<name>.keel-undo-<random>`) anywhere under `root`. */
export function undoTemporaries(root: string): string[] {
  return walk(root, ['.git']).filter(({ path }) => /(^|\/)\.[^/]*\.keel-undo-[^/]*$/.test(path)).map(({ path }) => path);
}

/**
 * Makes a directory refuse new entries, so writing a file into it fails — for root too, whom permissions do not
 * stop: root gets the immutable attribute (`chattr +i`). Null where neither works (root without chattr support).
 */
export function makeUnwritable(directory: string): (() => void) | null {
  if (process.getuid?.() !== 0) {
    execFileSync('chmod', ['0555', directory]);
    return () => execFileSync('chmod', ['0755', directory]);
  }
  try {
    execFileSync('chattr', ['+i', directory], { stdio: 'ignore' });
  } catch {
    return null;
  }
  return () => execFileSync('chattr', ['-i', directory], { stdio: 'ignore' });
}

export function removeAll(...paths: string[]): void {
  for (const path of paths) rmSync(path, { recursive: true, force: true });
}

/** Files a task-like sequence works on, beside those of `userRepository`. */
export const TASK_FILES: Record<string, string> = {
  'doomed.txt': 'to be deleted\n',
  'old-name.txt': 'a file that moves\nwith a few lines\nso that git sees a rename\n',
  'script.sh': '#!/bin/sh\necho hi\n',
  'linkme.txt': 'becomes a link\n',
  'docs/guide.md': '# Guide\n\nRead me.\n',
};

/**
 * What a task does to the tree, the way tools do it: `sed -i`, writes in place, new files in new nested
 * directories, a deletion, a rename, `chmod +x`, a file replaced by a symbolic link, and ignored files written.
 */
export function taskLikeEdits(repo: string): void {
  execFileSync('sed', ['-i', 's/world/there/', join(repo, 'README.md')]);
  writeFileSync(join(repo, 'src/app.ts'), 'export const app = 3; // the task\n');
  writeFiles(repo, {
    'src/new.ts': 'export const created = true;\n',
    'new/deep/dir/file.txt': 'deep\n',
    'new/deep/other.txt': 'other\n',
    'out.log': 'a log the task wrote (ignored)\n',
    'build/new.js': 'built by the task (ignored)\n',
  });
  writeFileSync(join(repo, 'debug.log'), 'ignored log, rewritten by the task\n');
  rmSync(join(repo, 'doomed.txt'));
  execFileSync('mv', [join(repo, 'old-name.txt'), join(repo, 'renamed.txt')]);
  execFileSync('chmod', ['+x', join(repo, 'script.sh')]);
  rmSync(join(repo, 'linkme.txt'));
  execFileSync('ln', ['-s', 'README.md', join(repo, 'linkme.txt')]);
}

/** Every path `taskLikeEdits` changes that a snapshot records. */
export const TASK_CHANGED = ['README.md', 'doomed.txt', 'linkme.txt', 'new/deep/dir/file.txt', 'new/deep/other.txt', 'old-name.txt', 'renamed.txt', 'script.sh', 'src/app.ts', 'src/new.ts'];

/** The temporary homes, repositories and directories of a test file, each made here and removed by `removeAll`. */
export class TempPlaces {
  private readonly made: string[] = [];

  /** A directory removed with the others (`prefix` names it). */
  dir(prefix: string, files: Record<string, string | Buffer> = {}): string {
    const dir = tempDir(prefix);
    this.made.push(dir);
    writeFiles(dir, files);
    return dir;
  }

  home(): string {
    return this.dir('home');
  }

  /** A user repository (see userRepository). */
  repository(files: Record<string, string | Buffer> = {}): string {
    const repo = userRepository(files);
    this.made.push(repo);
    return repo;
  }

  removeAll(): void {
    removeAll(...this.made.splice(0));
  }
}
