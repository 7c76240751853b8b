/**
 * Runs git for keel's snapshot store: always with keel's own object store, index and attributes, never the
 * user's. Whatever GIT_* variables the user's environment holds are dropped (a GIT_DIR or GIT_INDEX_FILE of the
 * user's would point the store at their repository), and the settings that could run programs or change bytes on
 * the way in or out are pinned (fsmonitor, autocrlf), so a snapshot is the working tree byte for byte.
 */
import { spawn } from 'node:child_process';

export interface GitPaths {
  /** keel's object store (a bare repository under $KEEL_HOME). */
  gitDir: string;
  /** The tree recorded: the user's repository top level, or the working directory outside one. */
  workTree: string;
  indexFile: string;
  /** Path arguments are paths, never patterns (`--literal-pathspecs`). */
  literal?: boolean;
  /** Not the store: git as the user's repository sees it (GIT_* still dropped), to find that repository. */
  plain?: boolean;
}

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.slice(0, 3).join(' ')} failed (${exitCode === null ? 'killed' : `exit ${exitCode}`}): ${stderr.trim().split('\n').slice(0, 3).join(' / ') || 'no message'}`);
    this.name = 'GitError';
  }
}

/** Settings that hold whatever the user's global config says: no program runs, no conversion of content. */
const PINNED = [
  'core.fsmonitor=false',
  'core.autocrlf=false',
  'core.safecrlf=false',
  'core.symlinks=true',
  'core.filemode=true',
  'core.quotepath=false',
  'core.hooksPath=/dev/null',
  'gc.auto=0',
  'maintenance.auto=false',
  'diff.external=',
  'advice.addEmbeddedRepo=false',
].flatMap((setting) => ['-c', setting]);

export function gitEnvironment(paths: GitPaths, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) if (!name.startsWith('GIT_')) env[name] = value;
  if (paths.plain === true) return { ...env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' };
  return {
    ...env,
    GIT_DIR: paths.gitDir,
    GIT_WORK_TREE: paths.workTree,
    GIT_INDEX_FILE: paths.indexFile,
    // Snapshot commits need an author; these are keel's, never the user's identity.
    GIT_AUTHOR_NAME: 'keel',
    GIT_AUTHOR_EMAIL: 'keel@localhost',
    GIT_COMMITTER_NAME: 'keel',
    GIT_COMMITTER_EMAIL: 'keel@localhost',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    LC_ALL: 'C',
  };
}

export interface GitRun {
  stdin?: string | Buffer;
  /** Exit codes that are answers, not failures (`diff --quiet` says 1 for "differs"). */
  okCodes?: readonly number[];
  /** Stops git after this long; the GitError then has a null exit code. */
  timeoutMs?: number;
}

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
}

/** One git command in the store; rejects with a GitError when it fails. */
export function runGit(paths: GitPaths, args: readonly string[], options: GitRun = {}): Promise<GitResult> {
  const fullArgs = [...PINNED, ...(paths.literal === true ? ['--literal-pathspecs'] : []), ...args];
  return new Promise((resolve, reject) => {
    const child = spawn('git', fullArgs, { cwd: paths.workTree, env: gitEnvironment(paths), stdio: ['pipe', 'pipe', 'pipe'], timeout: options.timeoutMs, killSignal: 'SIGKILL' });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new GitError(args, null, `could not run git: ${error.message}`)));
    child.on('close', (code, signal) => {
      const stderr = Buffer.concat(err).toString('utf8');
      if (signal !== null) return reject(new GitError(args, null, stderr));
      const exitCode = code ?? -1;
      if (exitCode === 0 || options.okCodes?.includes(exitCode) === true) resolve({ stdout: Buffer.concat(out), stderr, exitCode });
      else reject(new GitError(args, code, stderr));
    });
    // A git that exits before reading all of its input is reported by its exit code, not by EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}

/** NUL-separated output as strings (`-z` listings), without the empty tail. */
export function nulList(stdout: Buffer): string[] {
  const text = stdout.toString('utf8');
  if (text.length === 0) return [];
  const parts = text.split('\0');
  if (parts.at(-1) === '') parts.pop();
  return parts;
}
