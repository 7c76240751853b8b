/**
 * The words every front end uses for a call that did not run (`tool_call_blocked`), so the UI and `keel exec` say
 * the same thing: `✗ refused: rm -rf build — would need a question, and this run asks none`. And the count a task
 * ends with.
 */
import type { BlockedCalls, EventOf } from '../protocol/index.ts';

export function blockedNote(msg: EventOf<'tool_call_blocked'>): string {
  return `✗ ${msg.outcome}: ${msg.summary} — ${msg.reason}`;
}

/** `2 calls did not run (1 refused, 1 denied)`; null when every call ran. */
export function blockedCount(counts: BlockedCalls | undefined): string | null {
  if (counts === undefined) return null;
  const parts = (['refused', 'denied', 'aborted'] as const).filter((outcome) => counts[outcome] > 0).map((outcome) => `${counts[outcome]} ${outcome}`);
  const total = counts.refused + counts.denied + counts.aborted;
  if (total === 0) return null;
  return `${total} ${total === 1 ? 'call' : 'calls'} did not run (${parts.join(', ')})`;
}
