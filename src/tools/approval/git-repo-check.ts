/**
 * `git status` / `log` / `diff` / `show` / `branch` only read — unless the repository's own configuration names
 * programs for git to run (core.fsmonitor, a pager, a diff textconv or external command, a clean filter, hooks…).
 * Those files may have been written by an earlier command, so a git command is known-safe only when the repository
 * git would use is the workspace's own (when keel knows it), its configuration names no program, and no hook that a
 * read can trigger is installed. Anything else runs sandboxed or is asked about.
 *
 * Discovery follows git's: from the command's directory up, the first `.git` (a directory, or a file pointing to one)
 * or a directory that is itself a repository (a bare one: HEAD, objects/ and refs/).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export interface GitRepository {
  /** The directory the repository was found in (its work tree's top, or the bare repository itself). */
  root: string;
  gitDir: string;
  /** Where the shared files live (the main repository's .git, for a linked worktree). */
  commonDir: string;
}

/** The repository git would use when run in `dir`, or null when there is none (git then refuses, harmlessly). */
export function findGitRepository(dir: string): GitRepository | null {
  for (let current = resolve(dir); ; current = dirname(current)) {
    const dotGit = join(current, '.git');
    const gitDir = gitDirAt(dotGit);
    if (gitDir !== null) return { root: current, gitDir, commonDir: commonDirOf(gitDir) };
    if (looksLikeGitDir(current)) return { root: current, gitDir: current, commonDir: commonDirOf(current) };
    if (dirname(current) === current) return null;
  }
}

/** Why git in `dir` is not known to only read, or null. `workspace`: the session's directory, when known. */
export function gitRepoConcern(dir: string | null, workspace: string | null = null): string | null {
  if (dir === null) return 'git runs after a directory change keel could not follow, in a repository keel cannot check';
  const repo = findGitRepository(dir);
  if (repo === null) return null;
  if (workspace !== null) {
    const own = findGitRepository(workspace);
    if (own === null || own.gitDir !== repo.gitDir) {
      return `git in ${dir} reads the repository at ${repo.root}, not the workspace's own; its configuration can name programs git runs`;
    }
  }
  const configs = [join(repo.commonDir, 'config'), join(repo.gitDir, 'config.worktree')];
  for (const file of configs) {
    const key = programKey(file);
    if (key !== null) return `the repository's configuration (${file}) sets ${key}, which makes git run a program`;
  }
  for (const hook of READ_HOOKS) {
    if (existsSync(join(repo.commonDir, 'hooks', hook))) return `the repository has a ${hook} hook, which git status can run`;
  }
  return null;
}

/** Hooks a read-only command can trigger: a status that refreshes the index writes it, and runs this. */
const READ_HOOKS = ['post-index-change'];

/** Configuration keys (lowercase, without the section's subsection) that name a program or pull in other files. */
const PROGRAM_KEYS = /(command|program|cmd|textconv|pager|editor|helper|hookspath|fsmonitor|clean|smudge|process|external|askpass|proxy|difffilter)$/;

/** The first key of `file` that can make git run something (or read configuration from elsewhere), or null. */
function programKey(file: string): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*([^\]\s"]+)(?:\s+"[^"]*")?\s*\]/.exec(line);
    if (header) {
      section = header[1]!.toLowerCase();
      // [section.subsection] is an older spelling of [section "subsection"].
      section = section.split('.')[0]!;
      const rest = line.slice(header[0].length).trim();
      const inline = rest === '' || rest.startsWith('#') || rest.startsWith(';') ? null : keyConcern(section, rest);
      if (inline !== null) return inline;
      continue;
    }
    const concern = keyConcern(section, line);
    if (concern !== null) return concern;
  }
  return null;
}

function keyConcern(section: string, line: string): string | null {
  const name = /^([A-Za-z0-9-]+)/.exec(line)?.[1]?.toLowerCase();
  if (name === undefined) return null;
  const full = `${section}.${name}`;
  if (section === 'include' || section === 'includeif') return full;
  if (section === 'pager') return full;
  // Aliases name commands only for subcommands keel never takes for read-only.
  if (section === 'alias') return null;
  if (full === 'core.fsmonitor' && /=\s*false\s*$/i.test(line)) return null;
  return PROGRAM_KEYS.test(name) ? full : null;
}

function gitDirAt(dotGit: string): string | null {
  try {
    const info = statSync(dotGit);
    if (info.isDirectory()) return dotGit;
    if (!info.isFile()) return null;
  } catch {
    return null;
  }
  // A worktree's or submodule's .git file: "gitdir: PATH".
  const pointer = /^gitdir:\s*(.+?)\s*$/m.exec(readText(dotGit) ?? '');
  if (pointer === null) return null;
  const target = pointer[1]!;
  return isAbsolute(target) ? target : resolve(dirname(dotGit), target);
}

function commonDirOf(gitDir: string): string {
  const common = readText(join(gitDir, 'commondir'))?.trim();
  if (common === undefined || common === '') return gitDir;
  return isAbsolute(common) ? common : resolve(gitDir, common);
}

function looksLikeGitDir(dir: string): boolean {
  return isFile(join(dir, 'HEAD')) && isDir(join(dir, 'objects')) && isDir(join(dir, 'refs'));
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
