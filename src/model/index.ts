/** The model layer's public surface: what other layers may use without reaching into adapter folders. */
export type { ModelClient, ModelError, ModelEvent, Prompt, ToolSpec } from './model-event.ts';
export { createModelClient, type ModelClientConfig, type WireApi } from './create-model-client.ts';
export type { ClientOptions } from './client-options.ts';
export { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS } from './client-options.ts';
export { isRetryable } from './model-error.ts';
export { backoffMs, retryDelayMs, MAX_BACKOFF_MS, MAX_SERVER_DELAY_MS } from './retry-schedule.ts';
export { findModelFamily, isKnownModel, knownModelNames, normalizeModelName, MODEL_CATALOGUE } from './model-catalogue.ts';
export type { ModelFamily, ModelReasoning } from './model-catalogue.ts';
export { UNKNOWN_MODEL_PROFILE, type ModelProfile } from './model-profile.ts';
export { REASONING_EFFORTS, REASONING_SUMMARIES, VERBOSITIES } from './reasoning-options.ts';
export type { ReasoningEffort, ReasoningRequest, ReasoningSummary, Verbosity } from './reasoning-options.ts';
