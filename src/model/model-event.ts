/**
 * The normalized stream every model adapter produces, whatever the wire API. The engine consumes only this.
 */
import type { ModelErrorKind, ResponseItem, TokenUsage } from '../protocol/index.ts';
import type { ReasoningRequest, Verbosity } from './reasoning-options.ts';

/** A tool as offered to the model. Adapters convert it to their wire shape (chat drops `custom` tools). */
export type ToolSpec =
  | { type: 'function'; name: string; description: string; strict: boolean; parameters: Record<string, unknown> }
  | { type: 'custom'; name: string; description: string; format?: Record<string, unknown> };

/**
 * A JSON Schema the model's answers must follow (`keel exec --output-schema`): sent as the response format,
 * `text.format` (Responses) or `response_format` (Chat). `name` is what the API calls the format; `strict` asks the
 * server to enforce the schema (OpenAI then requires every property listed in `required` and
 * `additionalProperties: false`).
 */
export interface OutputSchema {
  name: string;
  schema: Record<string, unknown>;
  strict: boolean;
}

export interface Prompt {
  model: string;
  instructions: string;
  /** Already normalized by the engine: every call has its output. */
  input: ResponseItem[];
  tools: ToolSpec[];
  parallelToolCalls: boolean;
  /** Stateful mode: `store: true` and the id of the response `input` continues. */
  store: boolean;
  previousResponseId?: string;
  promptCacheKey?: string;
  /**
   * Present exactly when the model reasons (the catalogue or the config says so): what the request says about it.
   * With `store: false` the Responses request then also asks for the encrypted reasoning to hand back next time.
   */
  reasoning?: ReasoningRequest;
  /** Sent as `text.verbosity` (Responses); only for models that take it. */
  verbosity?: Verbosity;
  /** The format answers must take; absent: free text. Never on a compaction's summary request. */
  outputSchema?: OutputSchema;
}

export interface ModelError {
  kind: ModelErrorKind;
  /** The server's own message where it sent one, else a description of what went wrong. */
  message: string;
  status?: number;
  /** A delay the server asked for (`Retry-After`, `retry-after-ms`, or a "try again in" hint). */
  retryAfterMs?: number;
  /** `quota` only: when the server said the quota resets (ISO 8601, UTC); absent when it did not say. */
  resetsAt?: string;
}

export type ModelEvent =
  | { type: 'created'; responseId: string | null }
  | { type: 'output_item_added'; item: ResponseItem }
  /** The authoritative item. Tool calls arrive here and must be recorded as they come. */
  | { type: 'output_item_done'; item: ResponseItem }
  | { type: 'text_delta'; delta: string }
  | { type: 'reasoning_summary_delta'; delta: string; summaryIndex: number }
  | { type: 'reasoning_content_delta'; delta: string }
  | { type: 'completed'; responseId: string | null; usage: TokenUsage | null; endTurn: boolean | null }
  | { type: 'failed'; error: ModelError };

/**
 * Contract: `stream` never throws and never rejects once called. The iterable yields any number of non-terminal
 * events and then exactly one `completed` or `failed`, and ends. When `signal` aborts, iteration simply ends
 * (cancellation is not an error) and the connection is closed.
 */
export interface ModelClient {
  stream(prompt: Prompt, signal: AbortSignal): AsyncIterable<ModelEvent>;
}
