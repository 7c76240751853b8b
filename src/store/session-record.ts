/**
 * The session log format, version 1: one JSON object per line, `{"ts": "<ISO-8601 UTC ms>", "type": <kind>, …}`.
 *
 * - `session_meta` is always the first line and the only place the format version is written.
 * - `item`: a conversation item, in the order the engine recorded it; replaying items rebuilds the history.
 * - `event`: an event worth keeping to show and judge the session (every event but deltas and history lookups).
 *   Every event record carries `turn`: the number of tasks started so far in the session's whole life, across
 *   resumes. On `task_started` it is that task's number; on the others, the task they belong to. Because any event
 *   near the end of a file says how many tasks there were, a listing reads the count from the tail alone.
 * - `compacted`: the history was replaced (compaction): `replacement_history` is the whole history from here on,
 *   and the items before it no longer count. It carries `turn` like an event, `number` (compactions over the
 *   session's life) and the token counts before and after. Marked `"skippable": true`: a keel that does not know it
 *   rebuilds the uncompacted history from the items, which is longer but just as valid.
 * - `resumed`: a later keel process appends to the same file from here on.
 * - `session_end`: a clean shutdown, or a crash handler's last word. Killed sessions have none.
 *
 * Growing the format: a later keel that adds a record type older readers may ignore marks those records
 * `"skippable": true`; an unknown type without that mark is reported as a problem, never dropped in silence.
 * Anything an older reader cannot safely ignore needs a new `format_version`.
 */
import * as z from 'zod/mini';
import { CompactionReason, EventMsg, ResponseItem } from '../protocol/index.ts';

export const FORMAT_VERSION = 1;

export const GitInfo = z.object({ branch: z.nullable(z.string()), commit: z.nullable(z.string()) });
export type GitInfo = z.infer<typeof GitInfo>;

export const SessionSource = z.enum(['exec', 'tui']);
export type SessionSource = z.infer<typeof SessionSource>;

const timestamp = z.string().check(z.minLength(1));

export const ForkOrigin = z.object({ session_id: z.string().check(z.minLength(1)), prompt: z.int().check(z.positive()) });
export type ForkOrigin = z.infer<typeof ForkOrigin>;

export const SessionMetaRecord = z.object({
  ts: timestamp,
  type: z.literal('session_meta'),
  format_version: z.int().check(z.positive()),
  session_id: z.string().check(z.minLength(1)),
  keel_version: z.string(),
  cwd: z.string(),
  model: z.string(),
  model_provider: z.string(),
  git: z.nullable(GitInfo),
  /** ISO-8601 UTC; also the stamp in the file name. */
  started_at: timestamp,
  source: SessionSource,
  /**
   * Set when the session is a fork (`keel fork`, /fork): the session it was copied from and the prompt (1-based, over
   * that session's whole log) it was forked at; its history is the other session's up to just before that prompt.
   */
  forked_from: z.optional(ForkOrigin),
});
export type SessionMetaRecord = z.infer<typeof SessionMetaRecord>;

/** What the caller knows about a new session; the writer adds `ts`, `type` and `format_version`. */
export type NewSessionMeta = Omit<SessionMetaRecord, 'ts' | 'type' | 'format_version' | 'started_at'> & {
  /** Defaults to the writer's clock. */
  started_at?: string;
};

export const ItemRecord = z.object({ ts: timestamp, type: z.literal('item'), item: ResponseItem });
export type ItemRecord = z.infer<typeof ItemRecord>;

export const EventRecord = z.object({
  ts: timestamp,
  type: z.literal('event'),
  turn: z.optional(z.int().check(z.nonnegative())),
  event: EventMsg,
});
export type EventRecord = z.infer<typeof EventRecord>;

export const CompactedRecord = z.object({
  ts: timestamp,
  type: z.literal('compacted'),
  skippable: z.optional(z.literal(true)),
  turn: z.optional(z.int().check(z.nonnegative())),
  number: z.int().check(z.positive()),
  reason: CompactionReason,
  tokens_before: z.number(),
  tokens_after: z.number(),
  replacement_history: z.array(ResponseItem),
});
export type CompactedRecord = z.infer<typeof CompactedRecord>;

/** What the engine knows about a compaction when it records one; the writer adds the rest. */
export interface NewCompaction {
  history: readonly ResponseItem[];
  reason: CompactionReason;
  tokensBefore: number;
  tokensAfter: number;
  /** Compactions over the session's whole life, this one included. */
  number: number;
}

export const ResumedRecord = z.object({
  ts: timestamp,
  type: z.literal('resumed'),
  keel_version: z.string(),
  pid: z.int(),
  /**
   * The bytes of a line torn by the previous process's death, moved here so that appending after them does not
   * turn a tolerated torn tail into damage in the middle of the file.
   */
  torn_tail: z.optional(z.string()),
});
export type ResumedRecord = z.infer<typeof ResumedRecord>;

export const EndReason = z.enum(['shutdown', 'crashed']);
export type EndReason = z.infer<typeof EndReason>;

export const SessionEndRecord = z.object({
  ts: timestamp,
  type: z.literal('session_end'),
  reason: EndReason,
  detail: z.optional(z.string()),
});
export type SessionEndRecord = z.infer<typeof SessionEndRecord>;

export type SessionRecord = SessionMetaRecord | ItemRecord | EventRecord | CompactedRecord | ResumedRecord | SessionEndRecord;
export type RecordType = SessionRecord['type'];

/** The schema of each record type this reader knows. */
export const RECORD_SCHEMAS: { readonly [T in RecordType]: z.ZodMiniType<Extract<SessionRecord, { type: T }>> } = {
  session_meta: SessionMetaRecord,
  item: ItemRecord,
  event: EventRecord,
  compacted: CompactedRecord,
  resumed: ResumedRecord,
  session_end: SessionEndRecord,
};

export function isRecordType(type: string): type is RecordType {
  return Object.hasOwn(RECORD_SCHEMAS, type);
}

/** Deltas repeat what the final event carries whole: they do not help to show or judge a session, and would multiply the log's size. */
export function keepsEvent(msg: EventMsg): boolean {
  return !msg.type.endsWith('_delta');
}

/** Events that start or end a task; the last one says how the session's last task went. */
export type TaskBoundary = 'task_started' | 'task_complete' | 'turn_aborted';

export function isTaskBoundary(type: string): type is TaskBoundary {
  return type === 'task_started' || type === 'task_complete' || type === 'turn_aborted';
}

/** `path: message` for the first few issues of a failed validation, for problem reports. */
export function describeIssues(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  const shown = error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'record';
    return `${where}: ${issue.message}`;
  });
  const more = error.issues.length > shown.length ? ` (and ${error.issues.length - shown.length} more)` : '';
  return shown.join('; ') + more;
}
