/**
 * keel's snapshot store: the state of a working tree recorded as git trees in an object store of keel's own
 * (`$KEEL_HOME/snapshots/<tree hash>/git`, a bare repository with its own index), using the user's tree as work
 * tree. The user's repository is only read: its `.gitignore` files and `info/exclude` say what is left out, and
 * nothing is ever written to its index, refs, stash, config or objects.
 *
 * Bounded: files over `maxFileBytes`, nested repositories and files that cannot be read are left out and listed as
 * skipped; ignored files are never recorded unless the repository tracks them (a snapshot lists the ignored paths it
 * saw, collapsed to directories, so an undo can say which ones a task created). Outside a git repository the working directory is recorded the same
 * way, up to `maxFiles` files.
 *
 * Fast: the store's index keeps git's stat cache, so a snapshot hashes only the files that changed since the last
 * one (the first snapshot of a tree hashes everything once).
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { SkippedPath } from '../../protocol/index.ts';
import { GitError, nulList, runGit, type GitPaths } from './git-runner.ts';
import { storeDirFor } from './store-dir.ts';
import { withStoreLock } from './store-lock.ts';

export interface SnapshotLimits {
  /** Files larger than this are not recorded (skipped, `too_large`). */
  maxFileBytes: number;
  /** Outside a git repository: more files than this and no snapshot is taken. */
  maxFiles: number;
}

export const DEFAULT_SNAPSHOT_LIMITS: SnapshotLimits = { maxFileBytes: 10 * 1024 * 1024, maxFiles: 20_000 };

export interface SnapshotLabel {
  sessionId: string;
  task: number;
  phase: 'before' | 'after' | 'undo';
}

/** A recorded state of the tree: a commit in keel's store whose message holds what was skipped. */
export interface Snapshot {
  id: string;
  tree: string;
  skipped: SkippedPath[];
  /** Ignored paths present when it was taken (directories collapsed): not recorded, named so undo can report them. */
  ignored: string[];
}

/** Why no snapshot can be taken of a directory. */
export class SnapshotUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotUnavailable';
  }
}

const ATTRIBUTES = '# keel: record bytes as they are (no line-ending or filter conversion)\n* -text -filter -ident -working-tree-encoding\n';
const LISTING_TIMEOUT_MS = 10_000;

export class SnapshotStore {
  private constructor(
    readonly root: string,
    /** The repository's own git directory (for its info/exclude); null outside a repository. */
    private readonly userGitDir: string | null,
    readonly storeDir: string,
    private readonly paths: GitPaths,
    private readonly limits: SnapshotLimits,
  ) {}

  /** The store for the tree `cwd` belongs to, created on first use. Throws SnapshotUnavailable when there can be none. */
  static async open(home: string, cwd: string, limits: SnapshotLimits = DEFAULT_SNAPSHOT_LIMITS): Promise<SnapshotStore> {
    const found = await findRoot(cwd);
    const root = found?.root ?? realpathSync(cwd);
    if (root === '/') throw new SnapshotUnavailable('the working directory is / (too much to snapshot)');
    const storeDir = storeDirFor(home, root);
    const gitDir = join(storeDir, 'git');
    const paths: GitPaths = { gitDir, workTree: root, indexFile: join(storeDir, 'index') };
    if (!existsSync(join(gitDir, 'HEAD'))) {
      mkdirSync(storeDir, { recursive: true, mode: 0o700 });
      await runGit({ gitDir: '', workTree: storeDir, indexFile: '', plain: true }, ['init', '-q', '--bare', gitDir]);
      writeFileSync(join(storeDir, 'root'), `${root}\n`);
    }
    mkdirSync(join(gitDir, 'info'), { recursive: true });
    writeIfChanged(join(gitDir, 'info', 'attributes'), ATTRIBUTES);
    return new SnapshotStore(root, found?.gitDir ?? null, storeDir, paths, limits);
  }

  get inRepository(): boolean {
    return this.userGitDir !== null;
  }

  /** Records the tree now as a commit of the store (kept reachable from a ref per session). */
  take(label: SnapshotLabel): Promise<Snapshot> {
    return this.locked(async () => {
      const ref = `refs/keel/sessions/${label.sessionId}`;
      const [{ tree, skipped, ignored: listed }, parent] = await Promise.all([this.stage(true), this.resolve(ref)]);
      // keel's own exclusions (large files, nested repositories) are listed as skipped, not as ignored.
      const left = new Set(skipped.map((skip) => skip.path));
      const ignored = listed.filter((path) => !left.has(path) && !left.has(path.replace(/\/$/, '')));
      const message = `keel snapshot: task ${label.task} ${label.phase}\n\n${JSON.stringify({ session: label.sessionId, task: label.task, phase: label.phase, skipped, ignored })}\n`;
      const { stdout } = await runGit(this.paths, ['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-F', '-'], { stdin: message });
      const id = stdout.toString('utf8').trim();
      await runGit(this.paths, ['update-ref', ref, id]);
      return { id, tree, skipped, ignored };
    });
  }

  /** The tree as it is now, recorded but not kept (for diffs), and what it left out. */
  currentTree(): Promise<{ tree: string; skipped: SkippedPath[] }> {
    return this.locked(async () => {
      const { tree, skipped } = await this.stage(false);
      return { tree, skipped };
    });
  }

  /** What a snapshot recorded; throws when the store has no such snapshot. */
  async read(id: string): Promise<Snapshot> {
    const { stdout } = await runGit(this.paths, ['cat-file', 'commit', id]);
    const text = stdout.toString('utf8');
    const tree = /^tree ([0-9a-f]+)$/m.exec(text)?.[1];
    if (tree === undefined) throw new SnapshotUnavailable(`snapshot ${id} is damaged (no tree)`);
    const body = text.slice(text.indexOf('\n\n') + 2).split('\n').find((line) => line.startsWith('{'));
    let skipped: SkippedPath[] = [];
    let ignored: string[] = [];
    if (body !== undefined) {
      const parsed = JSON.parse(body) as { skipped?: SkippedPath[]; ignored?: string[] };
      skipped = parsed.skipped ?? [];
      ignored = parsed.ignored ?? [];
    }
    return { id, tree, skipped, ignored };
  }

  /**
   * A git-style diff between two trees (snapshot trees or ids), paths relative to the root, renames detected;
   * only `paths` when given, never the `exclude`d ones (paths a snapshot skipped, which would show as deleted).
   */
  async diff(from: string, to: string, select: { paths?: readonly string[]; exclude?: readonly string[] } = {}): Promise<string> {
    const args = ['diff-tree', '-r', '-p', '-M', '--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/', `${from}^{tree}`, `${to}^{tree}`];
    const include = select.paths ?? [];
    const exclude = select.exclude ?? [];
    if (include.length > 0 || exclude.length > 0) {
      args.push('--', ...(include.length > 0 ? include.map((path) => `:(literal)${path}`) : ['.']), ...exclude.map((path) => `:(exclude,literal)${path}`));
    }
    const { stdout } = await runGit(this.paths, args);
    return stdout.toString('utf8');
  }

  /** Every path that differs between two snapshots, with both sides' mode and blob ('' where absent). */
  async changes(from: string, to: string): Promise<TreeChange[]> {
    const { stdout } = await runGit(this.paths, ['diff-tree', '-r', '-z', '--no-renames', `${from}^{tree}`, `${to}^{tree}`]);
    const parts = nulList(stdout);
    const changes: TreeChange[] = [];
    for (let index = 0; index + 1 < parts.length; index += 2) {
      const [modeA, modeB, blobA, blobB] = parts[index]!.slice(1).split(' ');
      changes.push({ path: parts[index + 1]!, from: entry(modeA!, blobA!), to: entry(modeB!, blobB!) });
    }
    return changes;
  }

  /** The entries of `paths` in a snapshot (absent: null). */
  async entries(snapshot: string, paths: readonly string[]): Promise<Map<string, TreeEntry | null>> {
    const found = new Map<string, TreeEntry | null>(paths.map((path) => [path, null]));
    if (paths.length === 0) return found;
    const { stdout } = await runGit(this.literal(), ['ls-tree', '-r', '-z', '--full-tree', `${snapshot}^{tree}`, '--', ...paths]);
    for (const line of nulList(stdout)) {
      const tab = line.indexOf('\t');
      const [mode, , blob] = line.slice(0, tab).split(' ');
      found.set(line.slice(tab + 1), { mode: mode!, blob: blob! });
    }
    return found;
  }

  /** The contents of blobs, read in one git process. */
  async blobs(ids: readonly string[]): Promise<Map<string, Buffer>> {
    const unique = [...new Set(ids)];
    const out = new Map<string, Buffer>();
    if (unique.length === 0) return out;
    const { stdout } = await runGit(this.paths, ['cat-file', '--batch'], { stdin: unique.map((id) => `${id}\n`).join('') });
    let offset = 0;
    for (const id of unique) {
      const newline = stdout.indexOf(0x0a, offset);
      const header = stdout.subarray(offset, newline).toString('utf8').split(' ');
      if (header[1] !== 'blob') throw new SnapshotUnavailable(`the snapshot store has lost object ${id}`);
      const size = Number(header[2]);
      out.set(id, stdout.subarray(newline + 1, newline + 1 + size));
      offset = newline + 1 + size + 1;
    }
    return out;
  }

  /** How a file of the working tree stands now, as a tree entry (null: absent). */
  currentEntry(path: string): TreeEntry | null {
    const full = join(this.root, path);
    let stat;
    try {
      stat = lstatSync(full);
    } catch {
      return null;
    }
    if (stat.isSymbolicLink()) return { mode: '120000', blob: blobId(readlinkSync(full, { encoding: 'buffer' })) };
    if (!stat.isFile()) return { mode: 'other', blob: '' };
    // git's rule: executable when its owner may run it (a group or other x bit alone is 100644).
    return { mode: stat.mode & 0o100 ? '100755' : '100644', blob: blobId(readFileSync(full)) };
  }

  /** Runs `work` while holding the store (no snapshot of another keel runs meanwhile). */
  locked<T>(work: () => Promise<T>): Promise<T> {
    return withStoreLock(this.storeDir, this.paths.indexFile, work);
  }

  /**
   * Brings the store's index to the tree as it is and writes it as a tree. Changed and new files are looked at
   * first: the large ones and nested repositories are excluded before git hashes anything. With `listIgnored`, also
   * the ignored paths (as `ignoredPaths`).
   */
  private async stage(listIgnored: boolean): Promise<{ tree: string; skipped: SkippedPath[]; ignored: string[] }> {
    const [candidates, trackedIgnored] = await Promise.all([this.listing(['ls-files', '-z', '-m', '-o', '--exclude-standard']), this.trackedIgnored()]);
    if (!this.inRepository && candidates.length > this.limits.maxFiles) {
      throw new SnapshotUnavailable(`${this.root} is not a git repository and has over ${this.limits.maxFiles} files to record`);
    }
    const skipped: SkippedPath[] = [];
    const excluded = new Set<string>();
    for (const path of [...new Set([...candidates, ...this.excludedBefore(), ...trackedIgnored])]) {
      if (path.endsWith('/')) {
        // An untracked directory git lists whole is a repository of its own: its files belong to it.
        skipped.push({ path: path.slice(0, -1), reason: 'nested_repository' });
        excluded.add(path.slice(0, -1));
        continue;
      }
      let size: number;
      try {
        const stat = lstatSync(join(this.root, path));
        if (stat.isDirectory() && existsSync(join(this.root, path, '.git'))) {
          skipped.push({ path, reason: 'nested_repository' });
          excluded.add(path);
          continue;
        }
        size = stat.isFile() ? stat.size : 0;
      } catch {
        continue;
      }
      if (size > this.limits.maxFileBytes) {
        skipped.push({ path, reason: 'too_large' });
        excluded.add(path);
      }
    }
    this.writeExcludes(excluded);
    if (excluded.size > 0) {
      await runGit(this.paths, ['update-index', '--force-remove', '-z', '--stdin'], {
        stdin: [...excluded].map((path) => `${path}\0`).join(''),
      });
    }
    const added = await runGit(this.paths, ['add', '-A', '--ignore-errors'], { okCodes: [1, 128] });
    if (added.exitCode !== 0) {
      const unreadable = [...added.stderr.matchAll(/^error: open\("(.+)"\): /gm)].map((match) => match[1]!);
      if (unreadable.length === 0) throw new GitError(['add', '-A'], added.exitCode, added.stderr);
      for (const path of unreadable) skipped.push({ path, reason: 'unreadable' });
    }
    // Ignore rules do not apply to what the repository tracks: the store records those files too (once in its
    // index, `add -A` keeps them up to date; forced again after a deletion and re-creation).
    const forced = trackedIgnored.filter((path) => !excluded.has(path) && isFileOrLink(join(this.root, path)));
    if (forced.length > 0) {
      await runGit(this.literal(), ['add', '-f', '--ignore-errors', '--pathspec-from-file=-', '--pathspec-file-nul'], { stdin: forced.map((path) => `${path}\0`).join(''), okCodes: [1] });
    }
    // The index is final here (write-tree only adds its cache of trees): the ignored paths are listed meanwhile.
    const [{ stdout }, ignored] = await Promise.all([runGit(this.paths, ['write-tree']), listIgnored ? this.ignoredPaths() : []]);
    return { tree: stdout.toString('utf8').trim(), skipped, ignored };
  }

  /** Files the user's repository tracks though its ignore rules match them (added with `git add -f`). */
  private async trackedIgnored(): Promise<string[]> {
    if (!this.inRepository) return [];
    try {
      const { stdout } = await runGit({ gitDir: '', workTree: this.root, indexFile: '', plain: true }, ['ls-files', '-z', '-c', '-i', '--exclude-standard'], { timeoutMs: LISTING_TIMEOUT_MS });
      return nulList(stdout);
    } catch {
      // The repository's index cannot be read (damaged, or refused as another user's): its ignore rules alone then
      // say what is left out; a snapshot is still worth more than none.
      return [];
    }
  }

  /** Ignored paths, directories collapsed (`node_modules/`). */
  private async ignoredPaths(): Promise<string[]> {
    return this.listing(['ls-files', '-z', '-o', '-i', '--exclude-standard', '--directory']);
  }

  private async listing(args: string[]): Promise<string[]> {
    const { stdout } = await runGit(this.paths, args, { timeoutMs: LISTING_TIMEOUT_MS }).catch((error: unknown) => {
      if (error instanceof GitError && error.exitCode === null) {
        throw new SnapshotUnavailable(`listing the files of ${this.root} took over ${LISTING_TIMEOUT_MS / 1000} s`);
      }
      throw error;
    });
    return nulList(stdout);
  }

  /** Paths left out last time: still left out while they stay large (git would hash them otherwise). */
  private excludedBefore(): string[] {
    try {
      return JSON.parse(readFileSync(join(this.storeDir, 'excluded.json'), 'utf8')) as string[];
    } catch {
      return [];
    }
  }

  /** The repository's own excludes, then keel's: the paths over the size limit and nested repositories. */
  private writeExcludes(excluded: ReadonlySet<string>): void {
    let own = '';
    if (this.userGitDir !== null) {
      try {
        own = readFileSync(join(this.userGitDir, 'info', 'exclude'), 'utf8');
      } catch {
        // No info/exclude in the repository: nothing of its own to honour.
      }
    }
    const keel = [...excluded].sort().map((path) => `/${escapePattern(path)}`);
    writeIfChanged(join(this.paths.gitDir, 'info', 'exclude'), `${own}\n# keel: not recorded (too large, or a repository of its own)\n${keel.join('\n')}\n`);
    writeIfChanged(join(this.storeDir, 'excluded.json'), JSON.stringify([...excluded].sort()));
  }

  private async resolve(ref: string): Promise<string | null> {
    const { stdout, exitCode } = await runGit(this.paths, ['rev-parse', '-q', '--verify', ref], { okCodes: [1] });
    return exitCode === 0 ? stdout.toString('utf8').trim() : null;
  }

  /** Git paths for commands that take path arguments: every path is a path, never a pattern. */
  private literal(): GitPaths {
    return { ...this.paths, literal: true };
  }
}

export interface TreeEntry {
  /** '100644', '100755', '120000' (a symbolic link), '160000' (a nested repository); 'other' for what git does not record. */
  mode: string;
  blob: string;
}

export interface TreeChange {
  path: string;
  from: TreeEntry | null;
  to: TreeEntry | null;
}

function entry(mode: string, blob: string): TreeEntry | null {
  return mode === '000000' ? null : { mode, blob };
}

/** git's id of a blob with these bytes (the store uses SHA-1 object names). */
export function blobId(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

function isFileOrLink(path: string): boolean {
  try {
    const stat = lstatSync(path);
    return stat.isFile() || stat.isSymbolicLink();
  } catch {
    return false;
  }
}

/** The repository `cwd` is in: its top level and its (common) git directory; null outside one. */
async function findRoot(cwd: string): Promise<{ root: string; gitDir: string } | null> {
  try {
    const { stdout } = await runGit({ gitDir: '', workTree: cwd, indexFile: '', plain: true }, ['rev-parse', '--show-toplevel', '--git-common-dir']);
    const [top, common] = stdout.toString('utf8').trim().split('\n');
    if (!top || !common) return null;
    return { root: realpathSync(top), gitDir: isAbsolute(common) ? common : resolve(cwd, common) };
  } catch {
    return null;
  }
}


function escapePattern(path: string): string {
  return path.replace(/[\\*?[\]!#]/g, (char) => `\\${char}`).replace(/ $/, '\\ ');
}

function writeIfChanged(path: string, text: string): void {
  try {
    if (readFileSync(path, 'utf8') === text) return;
  } catch {
    // Not there yet: written below.
  }
  writeFileSync(path, text);
}
