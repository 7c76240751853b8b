/** The `undo` op between tasks: the snapshot service's answer as events, and the note the model reads next. */
import type { EventMsg, OpOf } from '../protocol/index.ts';
import { undoNote, type SnapshotService } from './snapshot-service.ts';

export interface UndoOutlet {
  emit(msg: EventMsg): void;
  /** Records a message for the model, sent with the next request. */
  tell(text: string): void;
  flush(): Promise<void>;
}

export async function runUndo(snapshots: SnapshotService | undefined, op: OpOf<'undo'>, out: UndoOutlet): Promise<void> {
  if (snapshots === undefined) {
    out.emit({ type: 'warning', message: 'undo is not available: this session keeps no snapshots of the files' });
    return;
  }
  try {
    const outcome = await snapshots.undo({ task: op.task, andLater: op.and_later === true, preview: op.preview === true, force: op.force === true });
    if (outcome.type === 'refused') {
      out.emit({ type: 'warning', message: outcome.message });
      return;
    }
    const result = outcome.result;
    out.emit(result);
    if (result.done && result.restored.length + result.deleted.length > 0) out.tell(undoNote(result));
    await out.flush();
  } catch (error) {
    out.emit({
      type: 'error',
      message: `the undo failed: ${(error as Error).message}. If some files were already put back, "keel undo --finish" completes the undo and "keel undo --rollback" reverts it.`,
      kind: null,
    });
  }
}
