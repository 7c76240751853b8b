/**
 * What a task does to the files: the snapshot before its first tool call that may write, the snapshot after it,
 * and the task's diff (`turn_diff`) between the first and the tree as it is now — every change by any tool, shell
 * commands included. Without a snapshot store (none can be made here, or none was given) the diff falls back to what
 * apply_patch reports it wrote. One per task.
 */
import type { EventMsg, SkippedPath } from '../protocol/index.ts';
import type { FileWrite } from '../tools/tool.ts';
import { TurnDiffTracker } from './turn-diff-tracker.ts';

/** A snapshot taken, as the log records it. */
export interface TakenSnapshot {
  snapshotId: string;
  root: string;
  skipped: SkippedPath[];
}

export type SnapshotAttempt = { type: 'taken'; snapshot: TakenSnapshot } | { type: 'unavailable'; reason: string; firstTime: boolean };

/** The snapshot store as the engine sees it (core/snapshot-service.ts implements it over store/snapshots). */
export interface TaskSnapshots {
  /** The number of the task starting now (as the log's `turn`); called once at each task's start. */
  beginTask(): number;
  take(task: number, phase: 'before' | 'after'): Promise<SnapshotAttempt>;
  /** The diff from a snapshot to the tree as it is now ('' when nothing changed). */
  diffSince(snapshot: TakenSnapshot): Promise<string>;
}

const MAX_SKIPPED_LISTED = 100;

export class TaskFiles {
  private before: Promise<TakenSnapshot | null> | null = null;
  private readonly tracker = new TurnDiffTracker();
  /** A tool that may write ran since the last `after` snapshot. */
  private dirty = false;
  private lastDiff = '';

  constructor(
    private readonly snapshots: TaskSnapshots | null,
    private readonly task: number,
    private readonly emit: (msg: EventMsg) => void,
  ) {}

  /** Awaited before each tool call that may write: the first one records the tree as the task found it. */
  async beforeWrite(): Promise<void> {
    this.dirty = true;
    if (this.snapshots === null) return;
    this.before ??= this.take('before');
    await this.before;
  }

  /** What apply_patch reports it wrote: the diff when no snapshot can be made. */
  record(writes: readonly FileWrite[]): void {
    this.tracker.record(writes);
  }

  /** The task's diff when it changed since last asked (null: the same as before, or no tool could have written). */
  async diffIfChanged(cwd: string): Promise<string | null> {
    if (!this.dirty) return null;
    const before = this.before === null ? null : await this.before;
    let diff: string;
    try {
      diff = before === null ? this.tracker.diff(cwd) : await this.snapshots!.diffSince(before);
    } catch (error) {
      this.emit({ type: 'warning', message: `could not compute the task's diff: ${(error as Error).message}` });
      diff = this.tracker.diff(cwd);
    }
    if (diff === this.lastDiff) return null;
    this.lastDiff = diff;
    return diff;
  }

  /** After the task's tools are done (however it ended): the `after` snapshot, when a `before` was taken. */
  async finish(): Promise<void> {
    if (!this.dirty || this.before === null || (await this.before) === null) return;
    this.dirty = false;
    await this.take('after');
  }

  private async take(phase: 'before' | 'after'): Promise<TakenSnapshot | null> {
    const attempt = await this.snapshots!.take(this.task, phase);
    if (attempt.type === 'unavailable') {
      if (attempt.firstTime) this.emit({ type: 'warning', message: `files are not snapshotted in this session (${attempt.reason}): undo and diffs of shell edits are off` });
      return null;
    }
    const { snapshotId, root, skipped } = attempt.snapshot;
    this.emit({
      type: 'task_snapshot',
      phase,
      snapshot_id: snapshotId,
      root,
      skipped: skipped.slice(0, MAX_SKIPPED_LISTED),
      ...(skipped.length > MAX_SKIPPED_LISTED ? { skipped_more: skipped.length - MAX_SKIPPED_LISTED } : {}),
    });
    return attempt.snapshot;
  }
}
