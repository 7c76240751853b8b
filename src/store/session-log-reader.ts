/**
 * Reads a whole session log back: the header, the conversation items in order (the history to resume), the kept
 * events (to show the session again), and an honest account of damage.
 *
 * Damage policy: a torn last line (no final newline, not parseable: the process died mid-write) is expected after
 * a crash and only flagged (`tornTail`). Every other line that cannot be used is skipped and reported in `problems`
 * with its 1-based line number, never dropped in silence. A file that is not a session log, or is in a newer
 * format, is refused with a `StoreError`.
 *
 * Compactions: a `compacted` record replaces the history read so far. A resume needs nothing before the last one,
 * so `from: 'last_compaction'` reads the file from its end, in growing chunks, until it meets that record, and reads
 * and parses only the header, that record and what follows: resuming a long session costs what its last stretch
 * costs, not what the whole file does. Its events then begin inside the task that compacted (a compaction always
 * happens in a task), and damage before the record is not looked at. Damage after it is reported with its line
 * number, which takes reading the rest of the file: that read happens only then.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { EventMsg, ResponseItem } from '../protocol/index.ts';
import { parseHeaderLine } from './session-header.ts';
import {
  describeIssues,
  FORMAT_VERSION,
  isRecordType,
  RECORD_SCHEMAS,
  type EndReason,
  type SessionMetaRecord,
  type SessionRecord,
} from './session-record.ts';
import { ioError, StoreError } from './store-error.ts';

export interface LoggedEvent {
  ts: string;
  event: EventMsg;
  /** The task the event belongs to (see the format notes in session-record.ts); absent only in hand-made logs. */
  turn?: number;
}

export interface LogProblem {
  /** 1-based line number in the file. */
  line: number;
  message: string;
}

export interface SessionLog {
  meta: SessionMetaRecord;
  /** The history: the last compaction's replacement history and every item after it (or all items, if none). */
  items: ResponseItem[];
  /** The kept events, from the start or, read from the last compaction, from there on. */
  events: LoggedEvent[];
  /** The last compaction read; null when the log has none (or none was read). */
  compaction: LoggedCompaction | null;
  /** Where `events` begin: the start of the session, or its last compaction (inside a task). */
  eventsFrom: 'start' | 'last_compaction';
  /** Tasks started over the session's whole life. */
  turns: number;
  /** How the last run ended; null when it did not end cleanly or was resumed after its end. */
  ended: { reason: EndReason; detail?: string } | null;
  resumedCount: number;
  tornTail: boolean;
  problems: LogProblem[];
}

export interface LoggedCompaction {
  ts: string;
  /** Compactions over the session's life, this one included. */
  number: number;
  turn?: number;
  /** 1-based line of the record; null when the reader did not count the lines before it. */
  line: number | null;
}

export interface ReadOptions {
  /** `last_compaction`: skip everything before the last compaction (a resume). Default `start`. */
  from?: 'start' | 'last_compaction';
  /** The newest format version understood (tests lower or raise it to check the version rules). */
  supported?: number;
  /** The fast read's first read from the start and first read from the end, in bytes (tests make them tiny). */
  chunks?: { head: number; tail: number };
}

export async function readSessionLog(path: string, options: ReadOptions = {}): Promise<SessionLog> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (cause) {
    throw ioError(path, 'read the session log', cause);
  }
  try {
    const { size } = await handle.stat();
    // Not zeroed, and for a large file mapped lazily: the pages a fast read never fills are never touched.
    const bytes = Buffer.allocUnsafe(size);
    if (options.from === 'last_compaction') {
      const fast = await readFromLastCompaction(handle, bytes, path, options);
      if (fast !== null) return fast;
    } else {
      await fill(handle, bytes, 0, size);
    }
    return parseSessionLog(bytes, path, options);
  } catch (cause) {
    throw cause instanceof StoreError ? cause : ioError(path, 'read the session log', cause);
  } finally {
    await handle.close();
  }
}

const NEWLINE = 0x0a;
/** Damaged lines are quoted in problems; a megabyte of garbage must not be. */
const MAX_QUOTED = 80;
/** Read first by the fast read: the header line is in it. */
const HEAD_BYTES = 64 * 1024;
/** The fast read's first read from the end; each later one reads twice as far back as the one before. */
const TAIL_CHUNK = 1024 * 1024;

/**
 * The fast read: fills `bytes` (the whole file's size) from the end backwards until the last sound compaction is in
 * it, and parses from there. Null, with all of `bytes` filled, when the whole file must be parsed: there is no
 * compaction, the header line is not where it should be, or a line after the compaction is damaged (its problem
 * needs a line number, which takes counting every line before it).
 */
async function readFromLastCompaction(handle: FileHandle, bytes: Buffer, path: string, options: ReadOptions): Promise<SessionLog | null> {
  const size = bytes.length;
  const head = Math.min(size, options.chunks?.head ?? HEAD_BYTES);
  await fill(handle, bytes, 0, head);
  const headerEnd = bytes.subarray(0, head).indexOf(NEWLINE);
  let tailStart = size;
  if (headerEnd >= 0) {
    const bodyStart = headerEnd + 1;
    let end = size;
    for (let chunk = options.chunks?.tail ?? TAIL_CHUNK; tailStart > head; chunk *= 2) {
      const from = Math.max(head, tailStart - chunk);
      await fill(handle, bytes, from, tailStart);
      tailStart = from;
      // Once the tail meets the head, every byte of the body is in memory.
      const scan = findLastCompaction(bytes, bodyStart, end, tailStart <= head ? bodyStart : tailStart);
      if (scan.at !== null) {
        const log = parseFrom(bytes, path, options, { at: scan.at, partial: tailStart > head });
        if (log.problems.length === 0) return log;
        break;
      }
      end = scan.end;
    }
  }
  await fill(handle, bytes, head, tailStart);
  return null;
}

/** Reads the file's bytes `from`..`to` into the same place of `bytes`. */
async function fill(handle: FileHandle, bytes: Buffer, from: number, to: number): Promise<void> {
  for (let at = from; at < to; ) {
    const { bytesRead } = await handle.read(bytes, at, to - at, at);
    // Logs only grow at the end; bytes missing before it mean the file was replaced or truncated under the reader.
    if (bytesRead === 0) throw new Error(`the file shrank while it was read (offset ${at})`);
    at += bytesRead;
  }
}

/** The reader over bytes already in memory. */
export function parseSessionLog(bytes: Buffer, path: string, options: ReadOptions = {}): SessionLog {
  return parseFrom(bytes, path, options, null);
}

/**
 * The one pass over the buffer. `known`: where the last compaction was found, and whether only the bytes from it to
 * the end (and the header) are in memory; null: look for it here when the options ask for it.
 */
function parseFrom(bytes: Buffer, path: string, options: ReadOptions, known: { at: number; partial: boolean } | null): SessionLog {
  // One pass over the buffer, decoding each line on its own: no whole-file string, no string building per line.
  const firstEnd = bytes.indexOf(NEWLINE);
  const headerText = bytes.toString('utf8', 0, firstEnd < 0 ? bytes.length : firstEnd);
  const meta = parseHeaderLine(headerText, path, options.supported ?? FORMAT_VERSION);
  const log: SessionLog = {
    meta,
    items: [],
    events: [],
    compaction: null,
    eventsFrom: 'start',
    turns: 0,
    ended: null,
    resumedCount: 0,
    tornTail: false,
    problems: [],
  };
  const bodyStart = firstEnd < 0 ? bytes.length : firstEnd + 1;
  let from = bodyStart;
  // Line numbers are counted only when something needs one (a problem, a compaction's place), from a known point.
  let counted = { offset: bodyStart, line: 2 };
  if (options.from === 'last_compaction') {
    const last = known !== null ? known.at : findLastCompaction(bytes, bodyStart, bytes.length, bodyStart).at;
    if (last !== null) {
      from = last;
      log.eventsFrom = 'last_compaction';
      counted = { offset: last, line: Number.NaN };
    }
  }
  const lineAt = (offset: number): number => {
    if (Number.isNaN(counted.line)) return Number.NaN;
    let line = counted.line;
    for (let at = bytes.indexOf(NEWLINE, counted.offset); at >= 0 && at < offset; at = bytes.indexOf(NEWLINE, at + 1)) line++;
    counted = { offset, line };
    return line;
  };
  let tasksSeen = 0;
  for (let start = from; start < bytes.length; ) {
    const lineStart = start;
    const newline = bytes.indexOf(NEWLINE, start);
    const end = newline < 0 ? bytes.length : newline;
    const text = bytes.toString('utf8', start, end);
    start = end + 1;
    const problem = (message: string): void => void log.problems.push({ line: lineNumber(lineStart), message });
    if (text.length === 0) {
      problem('empty line');
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      if (newline < 0) log.tornTail = true;
      else problem(`not valid JSON (${error instanceof Error ? error.message : String(error)}): ${quote(text)}`);
      continue;
    }
    const record = checkRecord(value);
    if (typeof record === 'string') {
      if (record !== SKIP) problem(record);
      continue;
    }
    switch (record.type) {
      case 'session_meta':
        break; // Refused by checkRecord; here only for the exhaustive switch.
      case 'item':
        log.items.push(record.item);
        break;
      case 'compacted': {
        log.items = [...record.replacement_history];
        const line = lineAt(lineStart);
        log.compaction = { ts: record.ts, number: record.number, line: Number.isNaN(line) ? null : line };
        if (record.turn !== undefined) {
          log.compaction.turn = record.turn;
          log.turns = Math.max(log.turns, record.turn);
        }
        break;
      }
      case 'event': {
        const entry: LoggedEvent = { ts: record.ts, event: record.event };
        if (record.turn !== undefined) {
          entry.turn = record.turn;
          log.turns = Math.max(log.turns, record.turn);
        }
        if (record.event.type === 'task_started') tasksSeen += 1;
        log.events.push(entry);
        break;
      }
      case 'resumed':
        log.resumedCount += 1;
        log.ended = null;
        break;
      case 'session_end':
        log.ended = record.detail === undefined ? { reason: record.reason } : { reason: record.reason, detail: record.detail };
        break;
      default: {
        const unknown: never = record;
        problem(`unhandled record ${quote(JSON.stringify(unknown))}`);
      }
    }
  }
  // A damaged task_started line loses its event but not the count, which later records carry; and a hand-made log
  // without `turn` fields still counts its tasks.
  log.turns = Math.max(log.turns, tasksSeen);
  return log;

  function lineNumber(offset: number): number {
    const line = lineAt(offset);
    // Read from a compaction, lines before it were never counted: count them now, once, for the report (unless
    // they were not even read: the caller then reads them and parses again).
    if (!Number.isNaN(line) || known?.partial === true) return line;
    counted = { offset: bodyStart, line: 2 };
    return lineAt(offset);
  }
}

/** `"type":"compacted"` as the writer puts it near the start of the line (after `ts`). */
const COMPACTED_MARK = Buffer.from('"type":"compacted"');
/** How far into a line the mark may start: `{"ts":"<24-character ISO stamp>",` comes first. */
const MARK_WINDOW = 64;

/**
 * Looks backwards, from the line that ends at `end` (exclusive: the start of a line already looked at, or the end of
 * the file), for the last line that is a sound `compacted` record. Only bytes from `floor` on are in memory; a line
 * that begins before `floor` is left for a later call (`end` says where to resume). Only line starts are looked at
 * until a candidate is found, so this costs one backward pass over the newlines; a damaged candidate is passed over
 * for the one before it.
 */
function findLastCompaction(bytes: Buffer, bodyStart: number, end: number, floor: number): { at: number | null; end: number } {
  while (end > bodyStart) {
    // The newline before this line, searched only in what is in memory.
    const newline = end - 1 > floor ? bytes.subarray(floor, end - 1).lastIndexOf(NEWLINE) : -1;
    let start: number;
    if (newline >= 0) start = floor + newline + 1;
    else if (floor <= bodyStart) start = bodyStart;
    else return { at: null, end };
    const window = bytes.subarray(start, Math.min(end, start + MARK_WINDOW));
    if (window.indexOf(COMPACTED_MARK) >= 0) {
      const lineEnd = bytes.indexOf(NEWLINE, start);
      const text = bytes.toString('utf8', start, lineEnd < 0 ? bytes.length : lineEnd);
      const record = parseLine(text);
      if (record !== null && typeof record !== 'string' && record.type === 'compacted') return { at: start, end: start };
    }
    end = start;
  }
  return { at: null, end: bodyStart };
}

function parseLine(text: string): SessionRecord | string | null {
  try {
    return checkRecord(JSON.parse(text));
  } catch {
    return null;
  }
}

const SKIP = '';

/** One line of a log body as the reader judges it, for code that needs the records in their order (a fork). */
export type LineRecord = { type: 'record'; record: SessionRecord } | { type: 'skip' } | { type: 'problem'; message: string };

/**
 * A body line (not the header) read the way `parseSessionLog` reads it: the record; `skip` for a record a newer keel
 * marked as safe to ignore; or why the line cannot be used. A torn last line is the caller's to tell (it knows
 * whether the line ended in a newline).
 */
export function recordOfLine(text: string): LineRecord {
  if (text.length === 0) return { type: 'problem', message: 'empty line' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { type: 'problem', message: `not valid JSON (${error instanceof Error ? error.message : String(error)}): ${quote(text)}` };
  }
  const record = checkRecord(value);
  if (typeof record !== 'string') return { type: 'record', record };
  return record === SKIP ? { type: 'skip' } : { type: 'problem', message: record };
}

/**
 * The record, or why it cannot be used (`SKIP` for a record a newer keel marked as safe to ignore). The value is
 * returned as written, not as the schema's copy: the history must come back exactly as it was recorded.
 */
function checkRecord(value: unknown): SessionRecord | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') return 'a record without a "type"';
  // Only the first line may be a header; checked before the schema so a damaged one gets the same clear report.
  if (type === 'session_meta') return 'a second session header in the middle of the log';
  if (!isRecordType(type)) {
    if ((value as { skippable?: unknown }).skippable === true) return SKIP;
    return `unknown record type "${type}" (written by a newer keel?)`;
  }
  const checked = RECORD_SCHEMAS[type].safeParse(value);
  if (!checked.success) return `invalid ${type} record: ${describeIssues(checked.error)}`;
  return value as SessionRecord;
}

function quote(text: string): string {
  return JSON.stringify(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text);
}
