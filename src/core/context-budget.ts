/**
 * What the session knows about the size of its context between requests: the usage the server last reported, the
 * compactions so far, and the estimated size of the last compacted history. Decides when automatic compaction is
 * due; a resumed session starts from what its log says (core/resume.ts).
 */
import { formatTokens } from '../util/format-tokens.ts';

/** How much of the limit a history must grow by after a compaction before the next automatic one. */
const AUTO_COMPACT_REGROWTH = 0.1;

export interface ContextState {
  /** Compactions over the session's whole life. */
  compactions: number;
  /** Total tokens of the last response the server reported usage for; null: none since the last compaction. */
  lastReportedTokens: number | null;
  /**
   * The estimated size of the last compacted history (0: none). Auto compaction waits until the reported usage has
   * grown past it by a margin, so a history that stays big after compacting is not compacted before every request.
   */
  compactedFloor?: number;
}

export class ContextBudget {
  compactions: number;
  lastReportedTokens: number | null;
  private compactedFloor: number;

  constructor(initial?: ContextState) {
    this.compactions = initial?.compactions ?? 0;
    this.lastReportedTokens = initial?.lastReportedTokens ?? null;
    this.compactedFloor = initial?.compactedFloor ?? 0;
  }

  reported(totalTokens: number): void {
    this.lastReportedTokens = totalTokens;
  }

  /** Records a compaction; returns a warning when the result is still above `limit` (null: no limit). */
  compacted(number: number, tokensAfter: number, limit: number | null): string | null {
    this.compactions = number;
    this.lastReportedTokens = null;
    this.compactedFloor = tokensAfter;
    if (limit === null || tokensAfter < limit) return null;
    return (
      `the compacted conversation (about ${formatTokens(tokensAfter)} tokens) is still above the ` +
      `auto-compaction limit (${formatTokens(limit)}, model_auto_compact_token_limit); keel compacts again only once it has grown`
    );
  }

  /** Whether the usage the server last reported passed `limit` (and grew enough since the last compaction). */
  passedAutoLimit(limit: number | null): boolean {
    const used = this.lastReportedTokens;
    if (limit === null || used === null || used < limit) return false;
    return used - this.compactedFloor >= Math.max(1, Math.floor(limit * AUTO_COMPACT_REGROWTH));
  }
}
