/**
 * The session catalogue: everything is derived from the log files themselves (their names, heads and tails), so
 * there is no index to go stale or lose. Newest first means by start time, which is the order of the file names.
 */
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { isSessionId, parseSessionFileName, sessionsRoot } from './session-paths.ts';
import { summarizeSession, type SessionSummary, type SummaryReadLimits } from './session-summary.ts';
import { errnoCode, StoreError, type SessionCandidate } from './store-error.ts';

export interface ListSessionsOptions {
  home: string;
  /** Only sessions whose cwd is this directory or inside it (callers pass the repository root). */
  cwd?: string;
  limit?: number;
  /** Told about each file that looks like a session log but cannot be read as one; the listing goes on. */
  onUnreadable?: (path: string, error: unknown) => void;
  limits?: SummaryReadLimits;
  hostname?: string;
}

/** Files summarized between yields to the event loop, so a TUI stays responsive while a picker fills. */
const BATCH = 64;

export async function listSessions(options: ListSessionsOptions): Promise<SessionSummary[]> {
  const limit = options.limit ?? Infinity;
  const acceptCwd = options.cwd === undefined ? undefined : insideDirectory(options.cwd);
  const summaries: SessionSummary[] = [];
  let sinceYield = 0;
  for (const file of sessionFiles(options.home)) {
    if (summaries.length >= limit) break;
    if (++sinceYield >= BATCH) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    try {
      const summary = summarizeSession(file.path, {
        ...(acceptCwd ? { acceptCwd } : {}),
        ...(options.limits ? { limits: options.limits } : {}),
        ...(options.hostname ? { hostname: options.hostname } : {}),
      });
      if (summary) summaries.push(summary);
    } catch (error) {
      // A file deleted while we listed is simply not there any more.
      if (errnoCode(error) !== 'ENOENT') options.onUnreadable?.(file.path, error);
    }
  }
  return summaries;
}

export async function latestSession(options: Pick<ListSessionsOptions, 'home' | 'cwd' | 'onUnreadable'>): Promise<SessionSummary | null> {
  const [latest] = await listSessions({ ...options, limit: 1 });
  return latest ?? null;
}

/**
 * The log of the session with this id, or with the only id starting with this prefix (case-insensitive). A path to
 * a log file is accepted as it is. Works from any directory: ids are looked up by file name under `home`.
 */
export async function findSession(options: { home: string; idOrPrefix: string }): Promise<string> {
  const wanted = options.idOrPrefix.trim().toLowerCase();
  if (looksLikePath(options.idOrPrefix) && existsSync(options.idOrPrefix)) return resolve(options.idOrPrefix);
  const matches: SessionCandidate[] = [];
  if (/^[0-9a-f-]+$/.test(wanted)) {
    for (const file of sessionFiles(options.home)) {
      if (file.sessionId.startsWith(wanted)) matches.push({ id: file.sessionId, path: file.path });
    }
  }
  const [only] = matches;
  if (only && matches.length === 1) return only.path;
  if (matches.length === 0) {
    throw new StoreError(
      { kind: 'not_found', idOrPrefix: options.idOrPrefix },
      `no session matches "${options.idOrPrefix}" in ${sessionsRoot(options.home)}`,
    );
  }
  const shown = matches.slice(0, 10).map((match) => `  ${match.id}  ${match.path}`);
  const more = matches.length > shown.length ? `\n  … and ${matches.length - shown.length} more` : '';
  throw new StoreError(
    { kind: 'ambiguous', idOrPrefix: options.idOrPrefix, candidates: matches },
    `"${options.idOrPrefix}" matches ${matches.length} sessions; give more of the id:\n${shown.join('\n')}${more}`,
  );
}

/**
 * The log of the session with exactly this id (a UUID, any case), or null when there is none under `home`. Unlike
 * `findSession` no prefix is accepted: a job that names its session must never land in another one.
 */
export function findSessionById(home: string, sessionId: string): string | null {
  if (!isSessionId(sessionId)) throw new TypeError(`session id must be a UUID, got ${JSON.stringify(sessionId)}`);
  const wanted = sessionId.toLowerCase();
  for (const file of sessionFiles(home)) if (file.sessionId === wanted) return file.path;
  return null;
}

export interface SessionFile {
  path: string;
  /** `YYYY-MM-DDTHH-MM-SS` (UTC start). */
  stamp: string;
  sessionId: string;
}

/** Every session log under `home`, newest first, by walking `sessions/YYYY/MM/DD/` in reverse name order. */
export function* sessionFiles(home: string): Generator<SessionFile> {
  const root = sessionsRoot(home);
  for (const year of childNames(root, /^\d{4}$/)) {
    for (const month of childNames(join(root, year), /^\d{2}$/)) {
      for (const day of childNames(join(root, year, month), /^\d{2}$/)) {
        const directory = join(root, year, month, day);
        const files: SessionFile[] = [];
        for (const name of childNames(directory, /\.jsonl$/)) {
          const parsed = parseSessionFileName(name);
          if (parsed) files.push({ path: join(directory, name), ...parsed });
        }
        // Names sort by start time; the id breaks ties, as it did when they were created in the same second.
        yield* files;
      }
    }
  }
}

/** Names in `directory` matching `pattern`, in reverse order; none when the directory does not exist. */
function childNames(directory: string, pattern: RegExp): string[] {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return [];
    throw error;
  }
  return names.filter((name) => pattern.test(name)).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
}

/**
 * Accepts a session cwd equal to `directory` or inside it, comparing both the path as given and its real path
 * (sessions record the cwd they were started in, which may have been reached through a symlink or not).
 */
export function insideDirectory(directory: string): (cwd: string) => boolean {
  const roots = new Set([resolve(directory)]);
  try {
    roots.add(realpathSync(directory));
  } catch {
    // A directory that no longer exists can still match the sessions recorded in it, by its path as given.
  }
  const prefixes = [...roots].map((root) => (root.endsWith(sep) ? root : root + sep));
  return (cwd) => {
    const candidate = resolve(cwd);
    return roots.has(candidate) || prefixes.some((prefix) => candidate.startsWith(prefix));
  };
}

function looksLikePath(text: string): boolean {
  return text.includes('/') || text.includes(sep) || text.endsWith('.jsonl');
}
