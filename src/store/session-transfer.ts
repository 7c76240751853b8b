/**
 * Moving a session between machines: `export` is the log file gzipped as it is (the log never holds an API key: the
 * writer redacts it, so nothing more is to be removed), `import` checks a log with the store's own reader, moves the
 * working directory it records when asked, and writes it into this home's sessions tree under its start date, the
 * place its header names. Resuming it is then an ordinary resume.
 *
 * Import writes a private temporary file next to the final name and links it into place: the log appears whole or
 * not at all, and a log already at that name is never overwritten.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, createReadStream, fsyncSync, linkSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, gunzipSync } from 'node:zlib';
import type { Writable } from 'node:stream';
import { directoriesCreated, syncDirectorySync } from './directory-sync.ts';
import { findSessionById } from './session-catalogue.ts';
import { parseSessionLog } from './session-log-reader.ts';
import { isSessionId, sessionLogPath } from './session-paths.ts';
import { errnoCode, ioError } from './store-error.ts';

export type TransferErrorDetail =
  /** The file is not a gzip stream or a session log, or the log is damaged; `problems` says where and how. */
  | { kind: 'damaged'; file: string; problems: string[] }
  /** A session with the same id is already in this home. */
  | { kind: 'exists'; sessionId: string; path: string };

export class TransferError extends Error {
  readonly kind: TransferErrorDetail['kind'];

  constructor(
    readonly detail: TransferErrorDetail,
    message: string,
  ) {
    super(message);
    this.name = 'TransferError';
    this.kind = detail.kind;
  }
}

/** Writes the gzipped log at `path` to `out`. The log is read as it is now: a running session's recorded prefix. */
export async function exportSessionLog(path: string, out: Writable): Promise<void> {
  try {
    await pipeline(createReadStream(path), createGzip(), out);
  } catch (cause) {
    throw ioError(path, 'export', cause);
  }
}

export interface ImportOptions {
  home: string;
  /** The file's bytes: a gzipped log (as `exportSessionLog` writes it) or a plain one. */
  bytes: Buffer;
  /** Named in messages. */
  file: string;
  /** The directory the session works in from now on (absolute); default: the one it recorded. */
  cwd?: string;
}

export interface ImportedSession {
  sessionId: string;
  path: string;
  /** The recorded working directory, and the one it has now. */
  cwdBefore: string;
  cwd: string;
  /** The last line was cut short (the session was killed while writing it); a resume drops it, as after any kill. */
  tornTail: boolean;
}

/** Problems listed in a refusal; the rest are counted. */
const SHOWN_PROBLEMS = 5;

export async function importSessionLog(options: ImportOptions): Promise<ImportedSession> {
  const bytes = decompress(options.bytes, options.file);
  const log = (() => {
    try {
      return parseSessionLog(bytes, options.file, { from: 'start' });
    } catch (error) {
      // Not a session, or a newer format: the reader's words say which.
      throw new TransferError({ kind: 'damaged', file: options.file, problems: [(error as Error).message] }, (error as Error).message);
    }
  })();
  const problems = log.problems.map((problem) => `line ${problem.line}: ${problem.message}`);
  const sessionId = log.meta.session_id.toLowerCase();
  if (!isSessionId(sessionId)) problems.unshift(`line 1: the header's session_id ${JSON.stringify(log.meta.session_id)} is not a UUID`);
  const startedAt = new Date(log.meta.started_at);
  if (Number.isNaN(startedAt.getTime())) problems.unshift(`line 1: the header's started_at ${JSON.stringify(log.meta.started_at)} is not a date`);
  if (problems.length > 0) {
    const more = problems.length > SHOWN_PROBLEMS ? `\n  … and ${problems.length - SHOWN_PROBLEMS} more` : '';
    throw new TransferError(
      { kind: 'damaged', file: options.file, problems },
      `${options.file} is a damaged session log; nothing was imported:\n  ${problems.slice(0, SHOWN_PROBLEMS).join('\n  ')}${more}`,
    );
  }
  const existing = findSessionById(options.home, sessionId);
  if (existing !== null) {
    throw new TransferError({ kind: 'exists', sessionId, path: existing }, `session ${sessionId} is already here (${existing}); nothing was imported`);
  }
  const cwdBefore = log.meta.cwd;
  const cwd = options.cwd ?? cwdBefore;
  const content = cwd === cwdBefore ? bytes : remapCwd(bytes, cwdBefore, cwd);
  const path = sessionLogPath(options.home, sessionId, startedAt);
  writeNewLog(path, content, sessionId);
  return { sessionId, path, cwdBefore, cwd, tornTail: log.tornTail };
}

function decompress(bytes: Buffer, file: string): Buffer {
  // 1f 8b: the gzip magic. Anything else is taken as a plain log, and the reader judges it.
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (error) {
    const why = `${file} is not a whole gzip file (${(error as Error).message}); was the download or copy cut short?`;
    throw new TransferError({ kind: 'damaged', file, problems: [why] }, `${why} Nothing was imported.`);
  }
}

/**
 * The log with the working directory `from` (and every directory inside it) moved to `to`, wherever the session
 * recorded it as its place: the header (what a resume works in), each run's `session_configured`, and the
 * environment message keel wrote for the model (so the model is told where it works now, not where it used to).
 * Commands' own records (their cwd, their output) stay as they happened. Lines that do not mention `from` are kept
 * byte for byte.
 */
export function remapCwd(bytes: Buffer, from: string, to: string): Buffer {
  const mentioned = JSON.stringify(from).slice(1, -1);
  const move = (path: string): string => (path === from ? to : path.startsWith(from.endsWith(sep) ? from : from + sep) ? to + path.slice(from.length) : path);
  const lines = bytes.toString('utf8').split('\n');
  const moved = lines.map((line, index) => {
    if (!line.includes(mentioned)) return line;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return line; // Only a torn last line can fail here: the reader refused every other.
    }
    if (index === 0 && typeof record.cwd === 'string') record.cwd = move(record.cwd);
    else if (record.type === 'event') moveEventCwd(record.event, move);
    else if (record.type === 'item') record.item = moveEnvironmentCwd(record.item, move);
    else if (record.type === 'compacted' && Array.isArray(record.replacement_history)) {
      record.replacement_history = record.replacement_history.map((item: unknown) => moveEnvironmentCwd(item, move));
    }
    return JSON.stringify(record);
  });
  return Buffer.from(moved.join('\n'), 'utf8');
}

function moveEventCwd(event: unknown, move: (path: string) => string): void {
  const configured = event as { type?: unknown; cwd?: unknown } | null;
  if (configured?.type === 'session_configured' && typeof configured.cwd === 'string') configured.cwd = move(configured.cwd);
}

/** keel's environment message (core/base-instructions.ts): a user message whose text starts with this tag. */
const ENVIRONMENT_START = '<environment_context>';
const CWD_TAG = /<cwd>([^<]*)<\/cwd>/g;

function moveEnvironmentCwd(item: unknown, move: (path: string) => string): unknown {
  const message = item as { type?: unknown; role?: unknown; content?: unknown } | null;
  if (message?.type !== 'message' || message.role !== 'user' || !Array.isArray(message.content)) return item;
  const content = message.content.map((part: unknown) => {
    const text = (part as { type?: unknown; text?: unknown } | null)?.text;
    if (typeof text !== 'string' || !text.startsWith(ENVIRONMENT_START)) return part;
    return { ...(part as object), text: text.replace(CWD_TAG, (_tag, path: string) => `<cwd>${move(path)}</cwd>`) };
  });
  return { ...message, content };
}

/** Creates `path` (0600, its directories 0700) holding `content`, whole or not at all; never over another file. */
function writeNewLog(path: string, content: Buffer, sessionId: string): void {
  const directory = dirname(path);
  let firstCreated: string | undefined;
  try {
    firstCreated = mkdirSync(directory, { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw ioError(directory, 'create the session directory', cause);
  }
  // Not named like a log, so no listing takes it for one while it is written.
  const temporary = join(directory, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.import`);
  try {
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      for (let written = 0; written < content.length; ) written += writeSync(fd, content, written, content.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    placeExclusively(temporary, path, sessionId);
    for (const synced of directoriesCreated(firstCreated, directory)) syncDirectorySync(synced);
  } catch (cause) {
    if (cause instanceof TransferError) throw cause;
    throw ioError(path, 'write the imported session log', cause);
  } finally {
    rmSync(temporary, { force: true });
  }
}

function placeExclusively(temporary: string, path: string, sessionId: string): void {
  try {
    linkSync(temporary, path);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'EEXIST') throw new TransferError({ kind: 'exists', sessionId, path }, `session ${sessionId} is already here (${path}); nothing was imported`);
    // File systems without hard links: the id was looked up a moment ago, so a rename is what is left.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') renameSync(temporary, path);
    else throw error;
  }
}
