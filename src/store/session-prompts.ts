/**
 * The prompts of a session log, for forking it: each `user_message` event in the order of the whole log (across
 * resumes and compactions), numbered from 1, with where the history stood just before it. The engine records a
 * prompt as its user message item and, right after it, the `user_message` event, so the history before a prompt is
 * every record before that item.
 *
 * The log is read in record order (the reader's `SessionLog` keeps items and events apart, and a fork needs them
 * interleaved as they were written), judging each line as the reader does.
 */
import { readFile } from 'node:fs/promises';
import type { EventMsg, MessageItem } from '../protocol/index.ts';
import { recordOfLine, type LogProblem } from './session-log-reader.ts';
import { parseHeaderLine } from './session-header.ts';
import type { SessionMetaRecord, SessionRecord } from './session-record.ts';
import { ioError } from './store-error.ts';

export interface LoggedPrompt {
  /** 1-based, in the order of the whole log. */
  number: number;
  text: string;
  /** The images' names, as the event gives them (their data is in the history's item). */
  images: string[];
  /** The task the prompt started (or, sent while a task ran, was queued into): the `turn` of its event. */
  task: number;
  /** Sent while its task ran (queued into it), so the task began with an earlier prompt. */
  queued: boolean;
  ts: string;
}

/** A body record and the task it belongs to (its `turn`, or counted for a hand-made log without one). */
export interface ScannedRecord {
  record: Exclude<SessionRecord, SessionMetaRecord>;
  task: number;
}

export interface ScannedPrompt extends LoggedPrompt {
  /** Index in `records` of the prompt's user message item (of the event itself when no item precedes it): the cut. */
  cut: number;
  /** The prompt's user message item, when found: it holds the images' data. */
  item: MessageItem | null;
}

export interface ScannedLog {
  meta: SessionMetaRecord;
  records: ScannedRecord[];
  prompts: ScannedPrompt[];
  /** Lines that could not be used (a torn last line is not one): left out, as a resume leaves them out. */
  problems: LogProblem[];
}

/** Reads the log at `path` (opened read-only) in record order. Throws `StoreError` for a file that is not a session log. */
export async function scanSessionLog(path: string): Promise<ScannedLog> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw ioError(path, 'read the session log', cause);
  }
  return scanSessionBytes(bytes, path);
}

export function scanSessionBytes(bytes: Buffer, path: string): ScannedLog {
  const lines = bytes.toString('utf8').split('\n');
  const endsClean = lines.at(-1) === '';
  if (endsClean) lines.pop();
  const meta = parseHeaderLine(lines[0] ?? null, path);
  const log: ScannedLog = { meta, records: [], prompts: [], problems: [] };
  let tasksSeen = 0;
  for (let index = 1; index < lines.length; index++) {
    const judged = recordOfLine(lines[index]!);
    if (judged.type === 'skip') continue;
    if (judged.type === 'problem') {
      // The last line cut short by a crash is expected, as the reader expects it.
      const torn = index === lines.length - 1 && !endsClean && judged.message.startsWith('not valid JSON');
      if (!torn) log.problems.push({ line: index + 1, message: judged.message });
      continue;
    }
    const { record } = judged;
    if (record.type === 'session_meta') continue; // The reader refuses a second header; here for the type only.
    if (record.type === 'event' && record.event.type === 'task_started') tasksSeen += 1;
    const task = record.type === 'event' || record.type === 'compacted' ? (record.turn ?? tasksSeen) : tasksSeen;
    log.records.push({ record, task });
    if (record.type === 'event' && record.event.type === 'user_message') log.prompts.push(promptAt(log, record.event, record.ts, task));
  }
  return log;
}

/** The prompts of the log at `path`, oldest first. */
export async function listPrompts(path: string): Promise<LoggedPrompt[]> {
  const { prompts } = await scanSessionLog(path);
  return prompts.map(({ number, text, images, task, queued, ts }) => ({ number, text, images, task, queued, ts }));
}

/** The prompt whose event was just scanned (the last record), and its item: the nearest user message before it. */
function promptAt(log: ScannedLog, event: Extract<EventMsg, { type: 'user_message' }>, ts: string, task: number): ScannedPrompt {
  const eventAt = log.records.length - 1;
  let cut = eventAt;
  let item: MessageItem | null = null;
  for (let index = eventAt - 1; index >= 0; index--) {
    const { record } = log.records[index]!;
    // The previous prompt's event bounds the search: its item is not this prompt's.
    if (record.type === 'event' && record.event.type === 'user_message') break;
    if (record.type === 'item' && record.item.type === 'message' && record.item.role === 'user') {
      cut = index;
      item = record.item;
      break;
    }
  }
  const queued = log.prompts.at(-1)?.task === task;
  return { number: log.prompts.length + 1, text: event.message, images: event.images ?? [], task, queued, ts, cut, item };
}
