/**
 * Where the engine writes what a resume needs. The store layer implements it with the session log; tests and
 * front ends that record nothing use `nullRecorder`.
 *
 * Contract: `recordItem` is called for every history item as it enters the history (a tool call before its tool
 * starts, a synthetic output before the request that carries it); `flush` makes everything recorded so far durable
 * and is awaited at turn boundaries, before a request that follows tool work, on interrupt and on shutdown.
 * Neither may throw: a recorder that cannot write reports it through its own channel.
 */
import type { EventMsg, ResponseItem } from '../protocol/index.ts';
import type { NewCompaction } from '../store/index.ts';

/** A compaction as the log keeps it: the whole history that replaces everything recorded before. */
export type CompactionRecord = NewCompaction;

export interface SessionRecorder {
  recordItem(item: ResponseItem): void;
  recordEvent(msg: EventMsg): void;
  /**
   * The history was replaced: a reader rebuilds it from this record on, in one piece (a log cut anywhere holds the
   * old history or the new one, never a mix).
   */
  recordCompaction(compaction: CompactionRecord): void;
  flush(): Promise<void>;
  /** The log's path, shown to the user; null when nothing is recorded. */
  readonly path: string | null;
}

export const nullRecorder: SessionRecorder = {
  recordItem() {},
  recordEvent() {},
  recordCompaction() {},
  flush: () => Promise.resolve(),
  path: null,
};
