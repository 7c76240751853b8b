/**
 * Reads a whole session log back: the header, the conversation items in order (the history to resume), the kept
 * events (to show the session again), and an honest account of damage.
 *
 * Damage policy: a torn last line (no final newline, not parseable: the process died mid-write) is expected after
 * a crash and only flagged (`tornTail`). Every other line that cannot be used is skipped and reported in `problems`
 * with its 1-based line number, never dropped in silence. A file that is not a session log, or is in a newer
 * format, is refused with a `StoreError`.
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
  items: ResponseItem[];
  events: LoggedEvent[];
  /** Tasks started over the session's whole life. */
  turns: number;
  /** How the last run ended; null when it did not end cleanly or was resumed after its end. */
  ended: { reason: EndReason; detail?: string } | null;
  resumedCount: number;
  tornTail: boolean;
  problems: LogProblem[];
}

export async function readSessionLog(path: string): Promise<SessionLog> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw ioError(path, 'read the session log', cause);
  }
  return parseSessionLog(bytes, path);
}

const NEWLINE = 0x0a;
/** Damaged lines are quoted in problems; a megabyte of garbage must not be. */
const MAX_QUOTED = 80;

/**
 * The reader over bytes already in memory. `supported` is the newest format version understood (tests lower or
 * raise it to check the version rules).
 */
export function parseSessionLog(bytes: Buffer, path: string, supported = FORMAT_VERSION): SessionLog {
  // One pass over the buffer, decoding each line on its own: no whole-file string, no string building per line.
  const firstEnd = bytes.indexOf(NEWLINE);
  const headerText = bytes.toString('utf8', 0, firstEnd < 0 ? bytes.length : firstEnd);
  const meta = parseHeaderLine(headerText, path, supported);
  const log: SessionLog = { meta, items: [], events: [], turns: 0, ended: null, resumedCount: 0, tornTail: false, problems: [] };
  let tasksSeen = 0;
  let lineNumber = 1;
  for (let start = firstEnd < 0 ? bytes.length : firstEnd + 1; start < bytes.length; ) {
    lineNumber += 1;
    const newline = bytes.indexOf(NEWLINE, start);
    const end = newline < 0 ? bytes.length : newline;
    const text = bytes.toString('utf8', start, end);
    start = end + 1;
    const problem = (message: string): void => void log.problems.push({ line: lineNumber, message });
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
