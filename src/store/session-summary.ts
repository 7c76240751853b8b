/**
 * One line of the session list, from the head and the tail of a log only: the header and first prompt are at the
 * start, the task count and how the session ended are at the end (see the format notes in session-record.ts). The
 * middle of a file, however large, is never read, so listing thousands of sessions stays fast.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { charBoundaryAtOrBefore } from '../util/truncate.ts';
import { parseHeaderLine, readFirstLine } from './session-header.ts';
import { sessionLockHolder } from './session-lock.ts';
import { readSessionTail, type SessionTail } from './session-tail.ts';

export type SessionStatus = 'completed' | 'interrupted' | 'killed' | 'crashed' | 'running';

export interface SessionSummary {
  id: string;
  path: string;
  /** ISO-8601 UTC. */
  startedAt: string;
  cwd: string;
  model: string;
  /** The first prompt, ending in `…` when it was longer than the part of the file a listing reads. */
  firstPrompt: string | null;
  /** Tasks started over the session's whole life. */
  turns: number;
  status: SessionStatus;
  /** ISO-8601 UTC time of the last record. */
  lastActivity: string;
  /** The session this one was forked from and the prompt it was forked at; null when it is no fork. */
  forkedFrom: { sessionId: string; prompt: number } | null;
}

export interface SummaryReadLimits {
  /** Bytes read from the start to find the first prompt (default 16 KiB)... */
  headBytes: number;
  /** ...and how far that may grow when the first prompt is not in it (default 256 KiB). */
  headBytesMax: number;
  /** Bytes the tail may read back from the end looking for the task count (default 1 MiB; a few KiB is usual). */
  tailBytesMax: number;
}

export const DEFAULT_SUMMARY_LIMITS: SummaryReadLimits = { headBytes: 16 * 1024, headBytesMax: 256 * 1024, tailBytesMax: 1024 * 1024 };

export interface SummarizeOptions {
  /** Sessions whose cwd this rejects are skipped after reading the header alone. */
  acceptCwd?: (cwd: string) => boolean;
  limits?: SummaryReadLimits;
  /** This machine's name, to check lock holders (default: os.hostname()). */
  hostname?: string;
}

/**
 * The summary of the log at `path`; null when `acceptCwd` rejects it. Throws `StoreError` (`not_a_session`,
 * `newer_format`) for files that are not readable sessions, and system errors for files that cannot be read.
 */
export function summarizeSession(path: string, options: SummarizeOptions = {}): SessionSummary | null {
  const limits = options.limits ?? DEFAULT_SUMMARY_LIMITS;
  const fd = openSync(path, 'r');
  try {
    const { size, mtime } = fstatSync(fd);
    let head = readHead(fd, size, limits.headBytes);
    const meta = parseHeaderLine(head.lines[0] ?? readFirstLine(fd), path);
    if (options.acceptCwd && !options.acceptCwd(meta.cwd)) return null;
    let firstPrompt = findFirstPrompt(head);
    if (firstPrompt.cut && head.bytes < size && limits.headBytesMax > limits.headBytes) {
      head = readHead(fd, size, limits.headBytesMax);
      firstPrompt = findFirstPrompt(head);
    }
    const tail = readSessionTail(fd, size, { maxBytes: limits.tailBytesMax });
    return {
      id: meta.session_id,
      path,
      startedAt: meta.started_at,
      cwd: meta.cwd,
      model: meta.model,
      firstPrompt: firstPrompt.text,
      turns: tail.turns ?? 0,
      status: statusOf(tail, () => sessionLockHolder(path, options.hostname) !== null),
      lastActivity: tail.lastActivity ?? mtime.toISOString(),
      forkedFrom: meta.forked_from === undefined ? null : { sessionId: meta.forked_from.session_id, prompt: meta.forked_from.prompt },
    };
  } finally {
    closeSync(fd);
  }
}

/**
 * How a session ended, by its last records. Only a session with an end record can be `completed` or `interrupted`;
 * one without is `running` while a live process holds its lock and `killed` otherwise (SIGKILL, power cut).
 */
export function statusOf(tail: Pick<SessionTail, 'ended' | 'lastBoundary'>, isLocked: () => boolean): SessionStatus {
  switch (tail.ended?.reason) {
    case 'crashed':
      return 'crashed';
    case 'shutdown':
      // Shut down in the middle of a task (a `task_started` with no end) also left that task unfinished.
      return tail.lastBoundary === 'turn_aborted' || tail.lastBoundary === 'task_started' ? 'interrupted' : 'completed';
    case undefined:
      return isLocked() ? 'running' : 'killed';
  }
}

interface Head {
  /** Complete lines, the header first. */
  lines: string[];
  /** The cut-off line after them, if the read stopped inside one. */
  partial: string | null;
  bytes: number;
}

function readHead(fd: number, size: number, maxBytes: number): Head {
  const buffer = Buffer.allocUnsafe(Math.min(size, maxBytes));
  let filled = 0;
  while (filled < buffer.length) {
    const read = readSync(fd, buffer, filled, buffer.length - filled, filled);
    if (read === 0) break;
    filled += read;
  }
  // A head cut inside a character would end the first prompt's preview in a replacement character.
  const text = buffer.toString('utf8', 0, filled < size ? charBoundaryAtOrBefore(buffer, filled) : filled);
  const lines = text.split('\n');
  const rest = lines.pop() ?? '';
  return { lines, partial: rest.length > 0 ? rest : null, bytes: filled };
}

/** Written by JSON.stringify of a `user_message` event; the prompt's text starts right after it. */
const USER_MESSAGE_START = '"event":{"type":"user_message","message":"';
/**
 * The engine records a prompt as a user message item just before its `user_message` event, so a prompt too long
 * for the head is cut inside that item. (The environment message, also a user item, comes first and is short: a
 * user item cut at the end of the head is the prompt.)
 */
const USER_ITEM_START = '"item":{"type":"message","role":"user","content":[{"type":"input_text","text":"';

/**
 * The first prompt in the head. `cut` says a longer head might show more: the prompt was not found whole (it may
 * start further on, or `text` is a prefix ending in `…`).
 */
function findFirstPrompt(head: Head): { text: string | null; cut: boolean } {
  for (const line of head.lines.slice(1)) {
    if (!line.includes(USER_MESSAGE_START)) continue;
    try {
      const record = JSON.parse(line) as { type?: unknown; event?: { type?: unknown; message?: unknown } };
      if (record.type === 'event' && record.event?.type === 'user_message' && typeof record.event.message === 'string') {
        return { text: record.event.message, cut: false };
      }
    } catch {
      // A damaged line in the head: the next user message, if any, still names the session.
    }
  }
  for (const marker of [USER_MESSAGE_START, USER_ITEM_START]) {
    const at = head.partial?.indexOf(marker) ?? -1;
    if (at < 0) continue;
    const body = head.partial!.slice(at + marker.length);
    // A prompt sent with images: its text is whole, and the line runs on with the images' data.
    const whole = closedJsonString(body);
    if (whole !== null) return { text: whole, cut: false };
    const prefix = decodePartialJsonString(body);
    if (prefix !== null) return { text: `${prefix}…`, cut: true };
  }
  return { text: null, cut: true };
}

/** The text of the JSON string literal `body` starts with (after its opening quote), when it ends in `body`. */
function closedJsonString(body: string): string | null {
  for (let at = 0; at < body.length; at++) {
    if (body[at] === '\\') at++;
    else if (body[at] === '"') {
      try {
        const decoded: unknown = JSON.parse(`"${body.slice(0, at)}"`);
        return typeof decoded === 'string' ? decoded : null;
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** The text of a JSON string literal cut off somewhere in its body (without its opening quote). */
function decodePartialJsonString(body: string): string | null {
  // Dropping up to 6 characters removes any escape sequence the cut split (`\uXXXX` is the longest).
  for (let drop = 0; drop <= 6 && drop <= body.length; drop++) {
    try {
      const decoded: unknown = JSON.parse(`"${body.slice(0, body.length - drop)}"`);
      if (typeof decoded === 'string') return decoded;
    } catch {
      // Still inside an escape sequence: drop one more character.
    }
  }
  return null;
}
