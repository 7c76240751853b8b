/** How an undo is shown: what it would do (the question before it) and what it did. */
import type { EventOf } from '../protocol/index.ts';
import { diffLines } from './diff-lines.ts';
import { notice } from './notice.ts';
import type { Line } from '../util/text/styled.ts';

type UndoResult = EventOf<'undo_result'>;

function files(count: number): string {
  return count === 1 ? '1 file' : `${count} files`;
}

function listed(paths: readonly string[], max = 8): string {
  const shown = paths.slice(0, max).join(', ');
  return paths.length > max ? `${shown} and ${paths.length - max} more` : shown;
}

/** The parts both views share: conflicts and what the snapshots did not record. */
function caveats(result: UndoResult, done: boolean): Line[] {
  const lines: Line[] = [];
  if (result.conflicts.length > 0) {
    const left = done ? 'left alone' : 'left alone unless you choose to overwrite';
    lines.push(notice(`${files(result.conflicts.length)} changed again since task ${result.task}, ${left}: ${listed(result.conflicts)}`, 'yellow'));
  }
  if (result.skipped.length > 0) {
    const why = (reason: string): string => (reason === 'too_large' ? 'too large' : reason === 'nested_repository' ? 'a repository of its own' : reason);
    lines.push(notice(`not recorded, so not restored: ${listed(result.skipped.map((skip) => `${skip.path} (${why(skip.reason)})`))}`, 'yellow'));
  }
  return lines;
}

/** Which tasks an undo is about: one, or one and every later one (a fork's restore, `--back-to`). */
export function undoneTasks(result: Pick<UndoResult, 'task' | 'and_later'>): string {
  return result.and_later === true ? `task ${result.task} and the tasks after it` : `task ${result.task}`;
}

/** The preview: the diff the undo applies, then its caveats. */
export function undoPreviewLines(result: UndoResult): Line[] {
  const count = result.restored.length + result.deleted.length;
  if (count === 0 && result.conflicts.length === 0) return [notice(`${undoneTasks(result)} left nothing to undo: the files are already as they were`, null)];
  const created = result.and_later === true ? 'the tasks created' : 'the task created';
  return [
    notice(`undo ${undoneTasks(result)}: ${files(result.restored.length)} put back, ${files(result.deleted.length)} ${created} deleted`, 'cyan'),
    // As many lines as /diff shows: the question under it asks about all of it.
    ...diffLines(result.unified_diff, 2000),
    ...caveats(result, false),
  ];
}

/** What an undo did; a fork's restore (`forFork`) tells no model: the fork's history is from before those changes. */
export function undoResultLines(result: UndoResult, forFork = false): Line[] {
  return [
    notice(`↺ undid ${undoneTasks(result)}: ${files(result.restored.length)} put back, ${files(result.deleted.length)} deleted${forFork ? '' : '; the model is told'}`, 'green'),
    ...caveats(result, true),
  ];
}
