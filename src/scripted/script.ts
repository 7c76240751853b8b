/**
 * A script: the ordered answers of the scripted model server. Each step answers the next request that passes the
 * API's rules, whichever endpoint it arrives at; the wire format follows the endpoint (Responses SSE or Chat SSE).
 *
 * Steps are plain JSON data except for the optional `expect` hook, so the same shape is what a script file holds
 * (see parse-script-json.ts). Build them with script-builders.ts for readable tests.
 */
import type { ReceivedRequest } from './captured-request.ts';

/** One thing the model says in a response, in the order it is streamed. */
export type ScriptOutput =
  | { type: 'text'; text: string }
  /** Summary paragraphs; each becomes one `summary_text` part, streamed as deltas. */
  | { type: 'reasoning'; summary: string[] }
  /** `arguments` is sent verbatim, so a test can script malformed JSON. `call_id` defaults to a generated `call_N`. */
  | { type: 'function_call'; name: string; arguments: string; call_id?: string }
  | { type: 'custom_tool_call'; name: string; input: string; call_id?: string };

/** Token counts reported for a response; the server renders them in each endpoint's own usage shape. */
export interface ScriptUsage {
  input_tokens: number;
  output_tokens: number;
  cached_tokens?: number;
  reasoning_tokens?: number;
}

/**
 * Misbehaviour of a stream. "Events" counts SSE frames as sent (Responses events, or Chat chunks including the
 * usage chunk and `[DONE]`). `dropAfterEvents` and `stallAfterEvents` exclude each other.
 */
export interface StreamFaults {
  /** Destroy the socket once this many events have been flushed (0: right after the headers). */
  dropAfterEvents?: number;
  /** Send this many events, then keep the connection open and silent until the client leaves or the server closes. */
  stallAfterEvents?: number;
  /** After this many events, send one `data:` line that is not JSON, then carry on normally. */
  malformedAfterEvents?: number;
  /** Pause before every event after the first. */
  delayMs?: number;
  /**
   * Send events at this steady rate rather than all at once: event N goes out when N / rate seconds have passed
   * since the first. Rates above a timer tick's worth (~1,000/s) send the events that are due in small batches.
   */
  eventsPerSecond?: number;
}

export type ChatReasoningPlace = 'reasoning_content' | 'reasoning' | 'think_tags' | 'think_close_only';

/** How Chat Completions chunks are shaped; the defaults follow OpenAI, the options imitate local servers. */
export interface ChatFlavor {
  /** false: tool call deltas carry no `id` (some local servers). Default true. */
  toolCallIds?: boolean;
  /** false: never send a usage chunk, even when `stream_options.include_usage` asks. Default true. */
  usage?: boolean;
  /**
   * Where reasoning text goes. A delta field: `reasoning_content` (the default: DeepSeek, llama.cpp) or `reasoning`
   * (vLLM, Ollama, OpenRouter). Or inside `content`: `think_tags` wraps it in `<think>…</think>` (a server without a
   * reasoning parser), `think_close_only` writes only the closing tag on its own line (the chat template opened it);
   * both cut the tags across chunks.
   */
  reasoningField?: ChatReasoningPlace;
}

/**
 * Runs on a request the step is about to answer, after the API rules passed. Throwing fails the request: it is
 * answered with HTTP 500, recorded as a violation, and the step is not consumed (a retry meets the same check).
 * Must not mutate the request.
 */
export type ExpectHook = (request: ReceivedRequest) => void;

export interface ResponseStep {
  type: 'response';
  outputs: ScriptOutput[];
  /** The Responses id; default a generated `resp_N`. Chat chunks use it as their `id` too. */
  id?: string;
  usage?: ScriptUsage;
  faults?: StreamFaults;
  /** Extra HTTP response headers (e.g. rate-limit headers). */
  headers?: Record<string, string>;
  chat?: ChatFlavor;
  expect?: ExpectHook;
}

export interface HttpErrorStep {
  type: 'http_error';
  status: number;
  headers?: Record<string, string>;
  /** Sent as JSON. Default: an OpenAI-shaped `{"error":{message,type,param,code}}` suited to the status. */
  body?: unknown;
  expect?: ExpectHook;
}

/**
 * A stream that starts and then fails: `response.failed` on Responses; on Chat (which has no such event) an
 * `{"error":{...}}` chunk, the way OpenAI-compatible servers report mid-stream errors, and no `[DONE]`.
 */
export interface FailedStep {
  type: 'failed';
  code: string;
  message: string;
  id?: string;
  faults?: StreamFaults;
  expect?: ExpectHook;
}

export type ScriptStep = ResponseStep | HttpErrorStep | FailedStep;
