/**
 * What keel does with one model: the request knobs it sends and the facts front ends show. Resolved from the model
 * catalogue and the user's overrides (config/model-settings.ts); the engine asks for it per request, because
 * /model can change the model in the middle of a session.
 */
import type { ReasoningRequest, Verbosity } from './reasoning-options.ts';

export interface ModelProfile {
  /** The usable context window in tokens, what "context left" counts against; null when unknown. */
  contextWindow: number | null;
  /** null: the model does not reason as far as keel knows, and nothing about reasoning is sent. */
  reasoning: ReasoningRequest | null;
  /** Sent as `text.verbosity`; null: not sent. */
  verbosity: Verbosity | null;
  /** false: known not to take images; null: unknown, so images are sent and the server decides. */
  acceptsImages: boolean | null;
  /**
   * Compact the context before the next request once the usage the server last reported reaches this many tokens;
   * null: never on usage (only when a request does not fit).
   */
  autoCompactTokenLimit: number | null;
}

/** A model nothing is known about: nothing optional is sent. */
export const UNKNOWN_MODEL_PROFILE: ModelProfile = { contextWindow: null, reasoning: null, verbosity: null, acceptsImages: null, autoCompactTokenLimit: null };
