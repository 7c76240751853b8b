/**
 * Places a known-safe reader must not read unsandboxed: `/proc` (keel's own environment, with the API key the command
 * environment filter hides, is one `cat /proc/<pid>/environ` away) and keel's own files (`$KEEL_HOME`: sessions,
 * prompt history, config). A command that names one runs sandboxed — where keel's process is not visible and its
 * home is not mounted — or is asked about.
 *
 * Judged from the words as written (resolved against the command's directory, `~` expanded, `cd` followed), and,
 * where the word names a file that exists, from where its symlinks lead: a link made by an earlier command must not
 * reach those places either.
 */
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, normalize, resolve } from 'node:path';

const privateDirs = new Set<string>();

/** keel's home (and any other directory of keel's own) is private to keel. Called once by the front end's wiring. */
export function registerPrivateDir(path: string): void {
  privateDirs.add(normalize(path));
}

const ALWAYS_PRIVATE = ['/proc', '/dev/fd'];

/**
 * Why reading `word` (an argument as the program gets it, or a glob pattern) is not known-safe, or null. `cwd` is
 * the directory the command runs in; null when it is not known (after a `cd` keel could not follow): then a relative
 * path could be anywhere, and only a plain one without `..` passes. `realpaths` memoizes where paths lead: one per
 * verdict, so a long command line asks the file system once per distinct directory.
 */
export function privateReadConcern(word: string, cwd: string | null, realpaths: Map<string, string | null> = new Map()): string | null {
  for (const candidate of pathCandidates(word)) {
    const path = absolute(candidate, cwd);
    if (path === null) return `${word} is a relative path after a directory change keel could not follow`;
    const reached = [path, realOrNull(path, realpaths)].filter((each): each is string => each !== null);
    for (const place of reached) {
      const dir = [...ALWAYS_PRIVATE, ...privateDirs].find((private_) => place === private_ || place.startsWith(`${private_}/`));
      if (dir !== undefined) return dir === '/proc' || dir === '/dev/fd' ? `${word} reads process information under ${dir}` : `${word} reads keel's own files (${dir})`;
    }
  }
  return null;
}

/** The directory after `cd WORDS` from `cwd` (null: not known). */
export function changedDirectory(cwd: string | null, args: readonly string[]): string | null {
  const target = args.find((arg) => !arg.startsWith('-') || arg === '-');
  if (target === undefined) return process.env.HOME ?? homedir();
  if (target === '-') return null;
  return absolute(target, cwd);
}

/** The word itself and the value of an option written with it (`--file=PATH`, `-fPATH`). */
function pathCandidates(word: string): string[] {
  const candidates = [word];
  const equals = word.indexOf('=');
  if (word.startsWith('-') && equals > 0) candidates.push(word.slice(equals + 1));
  if (/^-[^-]/.test(word)) {
    const start = word.search(/[/~.]/);
    if (start > 0) candidates.push(word.slice(start));
  }
  return candidates.filter((candidate) => candidate !== '' && candidate !== '-');
}

function absolute(path: string, cwd: string | null): string | null {
  const home = process.env.HOME ?? homedir();
  if (path === '~' || path.startsWith('~/')) return normalize(join(home, path.slice(1)));
  if (isAbsolute(path)) return normalize(path);
  if (cwd === null) return path.split('/').includes('..') ? null : path;
  return resolve(cwd, path);
}

/** Where `path` really leads: its longest existing beginning with symlinks resolved, and the rest as written. */
function realOrNull(path: string, realpaths: Map<string, string | null>): string | null {
  // A relative path left as it is (cwd unknown) names no file keel can look at.
  if (!isAbsolute(path)) return null;
  const known = realpaths.get(path);
  if (known !== undefined) return known;
  let real: string | null;
  try {
    real = realpathSync(path);
  } catch {
    const parent = dirname(path);
    const realParent = parent === path ? null : realOrNull(parent, realpaths);
    real = realParent === null ? null : join(realParent, basename(path));
  }
  realpaths.set(path, real);
  return real;
}
