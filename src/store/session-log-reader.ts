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
 * so `from: 'last_compaction'` finds it by scanning line starts from the end and parses only from there (the
 * header, that record and what follows): resuming a long session costs what its last stretch costs. Its events
 * then begin inside the task that compacted (a compaction always happens in a task), and damage before the
 * record is not looked at.
 */
import { readFile } from 'node:fs/promises';
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
import { ioError } from './store-error.ts';

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
}

export async function readSessionLog(path: string, options: ReadOptions = {}): Promise<SessionLog> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw ioError(path, 'read the session log', cause);
  }
  return parseSessionLog(bytes, path, options);
}

const NEWLINE = 0x0a;
/** Damaged lines are quoted in problems; a megabyte of garbage must not be. */
const MAX_QUOTED = 80;

/** The reader over bytes already in memory. */
export function parseSessionLog(bytes: Buffer, path: string, options: ReadOptions = {}): SessionLog {
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
    const last = findLastCompaction(bytes, bodyStart);
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
    // Read from a compaction, lines before it were never counted: count them now, once, for the report.
    if (!Number.isNaN(line)) return line;
    counted = { offset: bodyStart, line: 2 };
    return lineAt(offset);
  }
}

/** `"type":"compacted"` as the writer puts it near the start of the line (after `ts`). */
const COMPACTED_MARK = Buffer.from('"type":"compacted"');
/** How far into a line the mark may start: `{"ts":"<24-character ISO stamp>",` comes first. */
const MARK_WINDOW = 64;

/**
 * The offset of the last line that is a sound `compacted` record, or null. Only line starts are looked at until a
 * candidate is found, so this costs one backward pass over the newlines after it; a damaged candidate is passed
 * over for the one before it.
 */
function findLastCompaction(bytes: Buffer, bodyStart: number): number | null {
  let end = bytes.length;
  while (end > bodyStart) {
    const newline = end - 2 >= bodyStart ? bytes.lastIndexOf(NEWLINE, end - 2) : -1;
    const start = newline < bodyStart ? bodyStart : newline + 1;
    const window = bytes.subarray(start, Math.min(end, start + MARK_WINDOW));
    if (window.indexOf(COMPACTED_MARK) >= 0) {
      const lineEnd = bytes.indexOf(NEWLINE, start);
      const text = bytes.toString('utf8', start, lineEnd < 0 ? bytes.length : lineEnd);
      const record = parseLine(text);
      if (record !== null && typeof record !== 'string' && record.type === 'compacted') return start;
    }
    end = start;
  }
  return null;
}

function parseLine(text: string): SessionRecord | string | null {
  try {
    return checkRecord(JSON.parse(text));
  } catch {
    return null;
  }
}

const SKIP = '';

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
