/**
 * `$KEEL_HOME/history.jsonl`: every submitted prompt, one `{"session_id", "ts", "text"}` line each (`ts` in unix
 * seconds), for Up/Down recall across sessions. Many keel processes append at once; each change happens under
 * `history.jsonl.lock` and writes its whole line with one write, so lines never interleave or tear. The file is
 * capped: past `maxBytes` the oldest lines go, down to 80 % of the cap, always keeping the newest.
 *
 * Positions: front ends recall by (log id, offset), the log id being the file's inode. Trimming rewrites the file
 * under a new inode, which is what tells a front end that its offsets no longer point where they did.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { withHistoryLock, type HistoryLockTiming } from './history-lock.ts';
import { createLineSerializer } from './redact-secrets.ts';
import { errnoCode, ioError, isStoreError } from './store-error.ts';

export interface HistoryEntry {
  session_id: string;
  /** Unix seconds. */
  ts: number;
  text: string;
}

export const DEFAULT_HISTORY_MAX_BYTES = 1024 * 1024;
/** After a trim the file holds at most this share of the cap, so trims are rare rather than on every append. */
const SOFT_CAP_RATIO = 0.8;

export function historyPath(home: string): string {
  return join(home, 'history.jsonl');
}

export interface AppendPromptOptions {
  home: string;
  sessionId: string;
  text: string;
  /** The file's cap in bytes (default 1 MiB). */
  maxBytes?: number;
  /** Exact strings replaced by `[redacted]`, as in the session log. */
  secrets?: readonly string[];
  /** Milliseconds since the epoch. */
  now?: () => number;
  lockTiming?: HistoryLockTiming;
}

/** Appends one prompt. Throws `StoreError` (`io`, `history_busy`); callers warn and go on, a prompt is not lost by it. */
export async function appendPrompt(options: AppendPromptOptions): Promise<void> {
  const path = historyPath(options.home);
  const entry: HistoryEntry = { session_id: options.sessionId, ts: Math.floor((options.now ?? Date.now)() / 1000), text: options.text };
  const line = Buffer.from(`${createLineSerializer(options.secrets)(entry)}\n`, 'utf8');
  const maxBytes = options.maxBytes ?? DEFAULT_HISTORY_MAX_BYTES;
  try {
    mkdirSync(options.home, { recursive: true, mode: 0o700 });
    await withHistoryLock(`${path}.lock`, () => {
      const size = appendLine(path, line);
      if (size > maxBytes) trimHistory(path, Math.floor(maxBytes * SOFT_CAP_RATIO));
    }, options.lockTiming);
  } catch (error) {
    throw isStoreError(error) ? error : ioError(path, 'append to', error);
  }
}

/** Appends under the lock; returns the file's size after. */
function appendLine(path: string, line: Buffer): number {
  const fd = openSync(path, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT, 0o600);
  try {
    // Enforced on every append: a file created by an older tool or copied in with wider rights is narrowed.
    fchmodSync(fd, 0o600);
    const before = fstatSync(fd).size;
    // A line cut short by a power loss would swallow the start of ours; end it first so ours stays whole.
    const bytes = before > 0 && lastByte(fd, before) !== 0x0a ? Buffer.concat([Buffer.from('\n'), line]) : line;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

function lastByte(fd: number, size: number): number | undefined {
  const byte = Buffer.alloc(1);
  return readSync(fd, byte, 0, 1, size - 1) === 1 ? byte[0] : undefined;
}

/** Keeps the newest lines that fit in `target` bytes (the newest always, whatever its size). Runs under the lock. */
function trimHistory(path: string, target: number): void {
  const bytes = readFileSync(path);
  // `bytes` ends with the newline of the line just appended; find the start of that line, then walk back.
  let keepFrom = startOfLineEndingAt(bytes, bytes.length - 1);
  while (keepFrom > 0) {
    const previousStart = startOfLineEndingAt(bytes, keepFrom - 1);
    if (bytes.length - previousStart > target) break;
    keepFrom = previousStart;
  }
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, bytes.subarray(keepFrom), { mode: 0o600, flag: 'wx' });
    const fd = openSync(temporary, 'r');
    try {
      // The rename must not land before the data: a power cut in between would leave an empty history.
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** The offset where the line whose newline is at `newlineAt` begins. */
function startOfLineEndingAt(bytes: Buffer, newlineAt: number): number {
  // A negative offset would make lastIndexOf search from the end of the buffer.
  return newlineAt === 0 ? 0 : bytes.lastIndexOf(0x0a, newlineAt - 1) + 1;
}

export interface HistoryMetadata {
  /** The file's inode; 0 when there is no history yet. */
  logId: number;
  /** Complete lines in the file. */
  count: number;
}

export async function historyMetadata(home: string): Promise<HistoryMetadata> {
  const opened = readHistory(historyPath(home));
  if (opened === null) return { logId: 0, count: 0 };
  let count = 0;
  for (let at = opened.bytes.indexOf(0x0a); at >= 0; at = opened.bytes.indexOf(0x0a, at + 1)) count += 1;
  return { logId: opened.logId, count };
}

/** The entry at 0-based `offset`, or null when there is none or the file is no longer the one `logId` names. */
export async function lookupPrompt(home: string, logId: number, offset: number): Promise<HistoryEntry | null> {
  const opened = readHistory(historyPath(home));
  if (opened === null || opened.logId !== logId || !Number.isInteger(offset) || offset < 0) return null;
  let start = 0;
  for (let line = 0; line < offset; line++) {
    const newline = opened.bytes.indexOf(0x0a, start);
    if (newline < 0) return null;
    start = newline + 1;
  }
  const end = opened.bytes.indexOf(0x0a, start);
  // Only whole lines: bytes after the last newline may be an append still in progress.
  if (end < 0) return null;
  return parseEntry(opened.bytes.toString('utf8', start, end));
}

/** The file's bytes and inode, read through one descriptor so both describe the same file. */
function readHistory(path: string): { bytes: Buffer; logId: number } | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null;
    throw ioError(path, 'read', error);
  }
  try {
    const logId = Number(fstatSync(fd, { bigint: true }).ino);
    return { bytes: readFileSync(fd), logId };
  } finally {
    closeSync(fd);
  }
}

function parseEntry(line: string): HistoryEntry | null {
  try {
    const value = JSON.parse(line) as Partial<HistoryEntry>;
    if (typeof value.session_id === 'string' && typeof value.ts === 'number' && typeof value.text === 'string') {
      return { session_id: value.session_id, ts: value.ts, text: value.text };
    }
  } catch {
    // A damaged line recalls nothing; the lines around it still do.
  }
  return null;
}
