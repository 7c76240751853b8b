/** The model layer's public surface: what other layers may use without reaching into adapter folders. */
export type { ModelClient, ModelError, ModelEvent, Prompt, ToolSpec } from './model-event.ts';
export { createModelClient, type ModelClientConfig, type WireApi } from './create-model-client.ts';
export type { ClientOptions } from './client-options.ts';
export { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS } from './client-options.ts';
export { isRetryable } from './model-error.ts';
export { backoffMs, retryDelayMs, MAX_BACKOFF_MS, MAX_SERVER_DELAY_MS } from './retry-schedule.ts';
