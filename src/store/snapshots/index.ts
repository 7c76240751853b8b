export { SnapshotStore, SnapshotUnavailable, DEFAULT_SNAPSHOT_LIMITS, blobId } from './snapshot-store.ts';
export type { Snapshot, SnapshotLabel, SnapshotLimits, TreeChange, TreeEntry } from './snapshot-store.ts';
export { planRestore, applyRestore, unfinishedUndo, settleUndo } from './restore.ts';
export type { RestorePlan, RestoreDone, RestoreOptions, UndoJournal } from './restore.ts';
export { pendingUndo } from './pending-undo.ts';
