/**
 * The knobs a request can turn on how a model reasons and how much it writes, spelled as the Responses API spells
 * them (`reasoning.effort`, `reasoning.summary`, `text.verbosity`). Config keys use the same words, plus `none`,
 * which keel reads as "send nothing" rather than passing it on.
 */

export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

export const REASONING_SUMMARIES = ['auto', 'concise', 'detailed'] as const;
export type ReasoningSummary = (typeof REASONING_SUMMARIES)[number];

export const VERBOSITIES = ['low', 'medium', 'high'] as const;
export type Verbosity = (typeof VERBOSITIES)[number];

/**
 * What a request says about reasoning, for a model that reasons. Either field may be absent: the server's default
 * applies. An empty object still means "this model reasons" (stateless requests then ask for its encrypted
 * reasoning, so the next request can hand it back).
 */
export interface ReasoningRequest {
  effort?: ReasoningEffort;
  summary?: ReasoningSummary;
}
