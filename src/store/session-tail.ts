/**
 * What the end of a session log says, read backwards a few lines at a time: the last record (and so whether and how
 * the session ended), the task count, how the last task ended, and whether the last line was torn. Shared by the
 * catalogue (bounded, to stay fast over thousands of files) and by the writer of a resumed session (unbounded, since
 * its task count must be right).
 */
import { BackwardLineReader, type TrailingBytes } from './backward-line-reader.ts';
import { isTaskBoundary, type EndReason, type TaskBoundary } from './session-record.ts';

export interface SessionTail {
  /** `ts` of the last complete record; null when none was found within reach. */
  lastActivity: string | null;
  /** Type of the last complete record. */
  lastType: string | null;
  /** Set when the last complete record is a `session_end`. */
  ended: { reason: EndReason; detail?: string } | null;
  /** Tasks started over the session's life, from the newest record carrying `turn`; null if none within reach. */
  turns: number | null;
  /** The newest task boundary event, when the last record is a `session_end` (how the last task went). */
  lastBoundary: TaskBoundary | null;
  /** The unterminated last line when it does not parse (a write cut short); null when the file ends cleanly. */
  torn: TrailingBytes | null;
  bytesRead: number;
}

interface TailFields {
  type: string;
  ts: string;
  turn?: number;
  eventType?: string;
  reason?: string;
  detail?: string;
}

/** Only the fields the tail needs, checked by hand: the tail is read for every file of a listing. */
function tailFields(line: string): TailFields | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  if (typeof record.type !== 'string' || typeof record.ts !== 'string') return null;
  const fields: TailFields = { type: record.type, ts: record.ts };
  if (typeof record.turn === 'number') fields.turn = record.turn;
  const event = record.event as Record<string, unknown> | undefined;
  if (typeof event === 'object' && event !== null && typeof event.type === 'string') fields.eventType = event.type;
  if (typeof record.reason === 'string') fields.reason = record.reason;
  if (typeof record.detail === 'string') fields.detail = record.detail;
  return fields;
}

export function readSessionTail(fd: number, size: number, options: { maxBytes?: number } = {}): SessionTail {
  const reader = new BackwardLineReader(fd, size, options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes });
  const tail: SessionTail = { lastActivity: null, lastType: null, ended: null, turns: null, lastBoundary: null, torn: null, bytesRead: 0 };
  let seenLast = false;
  const take = (fields: TailFields): void => {
    if (!seenLast) {
      seenLast = true;
      tail.lastActivity = fields.ts;
      tail.lastType = fields.type;
      if (fields.type === 'session_end' && (fields.reason === 'shutdown' || fields.reason === 'crashed')) {
        tail.ended = fields.detail === undefined ? { reason: fields.reason } : { reason: fields.reason, detail: fields.detail };
      }
    }
    if (tail.turns === null && fields.turn !== undefined) tail.turns = fields.turn;
    if (tail.lastBoundary === null && fields.eventType !== undefined && isTaskBoundary(fields.eventType)) tail.lastBoundary = fields.eventType;
  };
  const done = (): boolean => seenLast && tail.turns !== null && (tail.lastType !== 'session_end' || tail.lastBoundary !== null);

  const trailing = reader.trailing;
  if (trailing !== null && trailing.text.length > 0) {
    // A last line that parses lost only its newline; one that does not is torn.
    const fields = tailFields(trailing.text);
    if (fields) take(fields);
    else tail.torn = trailing;
  }
  while (!done()) {
    const line = reader.next();
    if (line === null) break;
    const fields = tailFields(line);
    if (fields) take(fields);
  }
  // Read back to the header without meeting an event: no task was ever started.
  if (tail.turns === null && reader.reachedStart) tail.turns = 0;
  tail.bytesRead = reader.bytesRead;
  return tail;
}
