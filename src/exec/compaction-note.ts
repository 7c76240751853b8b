/**
 * The words every front end uses for a compaction, so that the UI, `keel exec` and `keel sessions show` say the same
 * thing: `context compacted: 182k → 9k tokens`.
 */
import type { CompactionReason, EventOf } from '../protocol/index.ts';
import { formatTokens } from '../util/format-tokens.ts';

const REASONS: Readonly<Record<CompactionReason, string>> = {
  auto: 'automatic',
  overflow: 'the request did not fit',
  manual: 'asked for',
};

/**
 * One line. Why is said when `why` asks for it, and always for a compaction forced by a request that did not fit
 * (an automatic one needs no word as it happens, and one asked for was just asked for).
 */
export function compactionNote(msg: EventOf<'context_compacted'>, why: 'always' | 'when_unexpected' = 'when_unexpected'): string {
  const sizes = `context compacted: ${formatTokens(msg.tokens_before)} → ${formatTokens(msg.tokens_after)} tokens`;
  return why === 'always' || msg.reason === 'overflow' ? `${sizes} (${REASONS[msg.reason]})` : sizes;
}
