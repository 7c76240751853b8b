/**
 * The one table of provider error codes keel knows, and the kind each one means. Codes reach keel three ways: in
 * an HTTP error body (`error.code` / `error.type`), in a Responses `response.failed` or `error` event, and in a
 * Chat Completions error chunk. All three look the code up here, so a code means the same thing whichever way it
 * came; each path keeps its own fallback for codes that are not in the table.
 */
import type { ModelErrorKind } from '../protocol/index.ts';

export const ERROR_CODES = {
  context_length_exceeded: 'context_window_exceeded',
  // The account cannot be served until a person acts (pays, waits for the plan's window, changes plan), so none
  // of these is retried. `usage_limit_reached` and `usage_not_included` used to be retried `server` errors when
  // they came in a Chat error chunk; the HTTP and Responses paths already called them quota.
  insufficient_quota: 'quota',
  usage_limit_reached: 'quota',
  usage_not_included: 'quota',
  // Chat error chunks used to call this `server`; it is the same throttling as an HTTP 429 and is retried as such.
  rate_limit_exceeded: 'rate_limited',
  server_error: 'server',
  // A key the server rejects stays rejected. In-band this used to be a retried `server` error; HTTP said `auth`.
  invalid_api_key: 'auth',
  // The prompt itself was refused (e.g. flagged by a safety check): sending it again gets the same answer. Over HTTP
  // this arrives as a 400 (`bad_request`); in-band it used to be a retried `server` error.
  invalid_prompt: 'bad_request',
} as const satisfies Record<string, ModelErrorKind>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The kind of the first candidate that is a known code; `undefined` when none is, so the caller's own fallback
 * decides. Candidates are passed in precedence order (`error.code` before the coarser `error.type`); anything that
 * is not a string is skipped.
 */
export function kindForErrorCode(...candidates: readonly unknown[]): ModelErrorKind | undefined {
  for (const candidate of candidates) {
    // hasOwn, not `in`: a code such as "constructor" must not find Object.prototype.
    if (typeof candidate === 'string' && Object.hasOwn(ERROR_CODES, candidate)) return ERROR_CODES[candidate as ErrorCode];
  }
  return undefined;
}
