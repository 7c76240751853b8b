/**
 * Turns a recorded history into one the API accepts before a resumed session sends anything. A call left open by
 * the end of the log gets an output that says what is known: whether its command had started (keel stopped while
 * it ran, so it was stopped too and its output is lost) or never started.
 */
import { callIdOf, type ResponseItem, type ToolOutputItem } from '../protocol/index.ts';
import { ConversationHistory, outputFor } from './history.ts';

export const STARTED_THEN_LOST =
  'aborted: keel stopped while this command was running (the command was stopped with it; its output is lost)';

/**
 * Returns the outputs to record (in this order) so every call of `items` is answered. `startedCalls` holds the ids
 * of calls whose tool was recorded as started and never as finished.
 */
export function outputsForOpenCalls(items: readonly ResponseItem[], startedCalls: ReadonlySet<string>): ToolOutputItem[] {
  const history = new ConversationHistory(items);
  return history.openCalls().map((call) => {
    const id = callIdOf(call)!;
    return outputFor(call, startedCalls.has(id) ? STARTED_THEN_LOST : 'aborted');
  });
}

/** Whether the history ends in the middle of a task: the model still owes an answer to the last input. */
export function endsMidTask(items: readonly ResponseItem[]): boolean {
  const last = items.at(-1);
  if (last === undefined) return false;
  if (last.type === 'message') return last.role !== 'assistant';
  // A reasoning item, a call or an output last: the model was still working.
  return true;
}
