/**
 * A session's snapshots over keel's snapshot store (store/snapshots): taking them for each task, the task's diff,
 * and undo — which task's changes, against which snapshots, with what result. The store is opened on first use, so
 * a session whose tools never write never runs git for it.
 */
import type { EventOf } from '../protocol/index.ts';
import { applyRestore, planRestore, SnapshotStore, SnapshotUnavailable, unfinishedUndo, type SnapshotLimits } from '../store/snapshots/index.ts';
import type { SnapshotAttempt, TakenSnapshot, TaskSnapshots } from './task-files.ts';

/** A `task_snapshot` or `undo_result` a log recorded, with the task it belongs to (the record's `turn`). */
export type RecordedSnapshotEvent = { task: number; event: EventOf<'task_snapshot'> | EventOf<'undo_result'> };

export interface SnapshotServiceOptions {
  home: string;
  cwd: string;
  sessionId: string;
  /** Tasks the session had before this process (a resumed session's count). */
  tasksSoFar: number;
  /** The snapshots and undos its log holds (a resumed or forked session). */
  recorded?: readonly RecordedSnapshotEvent[];
  limits?: SnapshotLimits;
}

export interface UndoRequest {
  task?: number;
  /** Undo `task` and every task after it: the files go back to how they were before `task` (a fork's restore). */
  andLater?: boolean;
  preview: boolean;
  force: boolean;
}

export type UndoOutcome = { type: 'result'; result: EventOf<'undo_result'> } | { type: 'refused'; message: string };

interface TaskRecord {
  before?: string;
  after?: string;
}

export class SnapshotService implements TaskSnapshots {
  private store: Promise<SnapshotStore | SnapshotUnavailable> | null = null;
  private unavailableSaid = false;
  private tasks: number;
  private readonly byTask = new Map<number, TaskRecord>();
  private readonly undone = new Set<number>();

  constructor(private readonly options: SnapshotServiceOptions) {
    this.tasks = options.tasksSoFar;
    for (const { task, event } of options.recorded ?? []) this.note(task, event);
  }

  beginTask(): number {
    return ++this.tasks;
  }

  async take(task: number, phase: 'before' | 'after'): Promise<SnapshotAttempt> {
    const store = await this.open();
    if (store instanceof SnapshotUnavailable) return this.unavailable(store.message);
    try {
      const snapshot = await store.take({ sessionId: this.options.sessionId, task, phase });
      const record = this.byTask.get(task) ?? {};
      record[phase] = snapshot.id;
      this.byTask.set(task, record);
      return { type: 'taken', snapshot: { snapshotId: snapshot.id, root: store.root, skipped: snapshot.skipped } };
    } catch (error) {
      return this.unavailable((error as Error).message);
    }
  }

  async diffSince(snapshot: TakenSnapshot): Promise<string> {
    const store = await this.open();
    if (store instanceof SnapshotUnavailable) throw store;
    const now = await store.currentTree();
    const exclude = [...snapshot.skipped, ...now.skipped].map((skip) => skip.path);
    return store.diff(snapshot.snapshotId, now.tree, { exclude });
  }

  /** Plans or does the undo of a task's changes: `task`, or the last one not yet undone that changed files. */
  async undo(request: UndoRequest): Promise<UndoOutcome> {
    const store = await this.open();
    if (store instanceof SnapshotUnavailable) return { type: 'refused', message: `nothing can be undone: ${store.message}` };
    const journal = unfinishedUndo(store);
    if (journal !== null) {
      return {
        type: 'refused',
        message: `an undo of task ${journal.task} (session ${journal.session_id}) was cut off before it finished; finish it with "keel undo --finish" or roll it back with "keel undo --rollback" first`,
      };
    }
    const task = request.task ?? (await this.lastUndoable(store));
    if (task === null) return { type: 'refused', message: 'no task of this session changed files that can be undone' };
    const record = this.byTask.get(task);
    if (record?.before === undefined) return { type: 'refused', message: `task ${task} has no snapshot: it ran no tool that could change files, or snapshots were off` };
    // A task cut off before its `after` snapshot: everything changed since its `before` counts as its doing.
    const last = request.andLater === true ? this.lastAfter(task) : record.after;
    const expected = last ?? (await store.take({ sessionId: this.options.sessionId, task, phase: 'after' })).id;
    const plan = await planRestore(store, record.before, expected);
    const base = { type: 'undo_result' as const, task, ...(request.andLater === true ? { and_later: true } : {}), unified_diff: plan.diff, skipped: plan.skipped, root: store.root };
    if (request.preview) return { type: 'result', result: { ...base, done: false, restored: plan.restore, deleted: plan.remove, conflicts: plan.conflicts } };
    const done = await applyRestore(store, plan, { force: request.force, sessionId: this.options.sessionId, task });
    this.markUndone(task, request.andLater === true);
    return { type: 'result', result: { ...base, done: true, restored: done.restored, deleted: done.removed, conflicts: done.conflicts } };
  }

  /** Keeps up with what the session records (an undo done by `keel undo` in another process is read from the log). */
  note(task: number, event: EventOf<'task_snapshot'> | EventOf<'undo_result'>): void {
    if (event.type === 'undo_result') {
      if (event.done) this.markUndone(event.task, event.and_later === true);
      return;
    }
    const record = this.byTask.get(task) ?? {};
    record[event.phase] = event.snapshot_id;
    this.byTask.set(task, record);
    this.tasks = Math.max(this.tasks, task);
  }

  /** An undone task is not offered again; `andLater`: nor are the tasks after it. */
  private markUndone(task: number, andLater: boolean): void {
    this.undone.add(task);
    if (andLater) for (const number of this.byTask.keys()) if (number > task) this.undone.add(number);
  }

  /** The `after` snapshot of the newest task from `task` on, or undefined when the newest one with snapshots has none. */
  private lastAfter(task: number): string | undefined {
    const later = [...this.byTask].filter(([number, record]) => number >= task && record.before !== undefined).sort((a, b) => b[0] - a[0]);
    return later[0]?.[1].after;
  }

  private async lastUndoable(store: SnapshotStore): Promise<number | null> {
    const tasks = [...this.byTask.keys()].sort((a, b) => b - a);
    for (const task of tasks) {
      const record = this.byTask.get(task)!;
      if (this.undone.has(task) || record.before === undefined) continue;
      if (record.after === undefined || (await store.changes(record.before, record.after)).length > 0) return task;
    }
    return null;
  }

  private open(): Promise<SnapshotStore | SnapshotUnavailable> {
    this.store ??= SnapshotStore.open(this.options.home, this.options.cwd, this.options.limits).catch((error: unknown) =>
      error instanceof SnapshotUnavailable ? error : new SnapshotUnavailable((error as Error).message),
    );
    return this.store;
  }

  private unavailable(reason: string): SnapshotAttempt {
    const firstTime = !this.unavailableSaid;
    this.unavailableSaid = true;
    return { type: 'unavailable', reason, firstTime };
  }
}

/** What the model is told after an undo, so it does not assume its edits are still there. */
export function undoNote(result: EventOf<'undo_result'>): string {
  const which = result.and_later === true ? `task ${result.task} and of every task after it` : `task ${result.task}`;
  const parts = [`The user undid the changes of ${which}: the files below are back as they were before that task, so do not assume those edits are still there.`];
  if (result.restored.length > 0) parts.push(`Restored: ${list(result.restored)}.`);
  if (result.deleted.length > 0) parts.push(`Deleted (the task created them): ${list(result.deleted)}.`);
  if (result.conflicts.length > 0) parts.push(`Left as they are (changed again after that task): ${list(result.conflicts)}.`);
  if (result.skipped.length > 0) parts.push(`Not recorded, so not restored: ${list(result.skipped.map((skip) => skip.path))}.`);
  return parts.join('\n');
}

function list(paths: readonly string[]): string {
  const shown = paths.slice(0, 30).join(', ');
  return paths.length > 30 ? `${shown} and ${paths.length - 30} more` : shown;
}
