/**
 * Turning what went wrong on the wire into a `ModelError`. Classification reads the HTTP status and the structured
 * JSON error body (`{"error": {"message", "type", "code"}}`); it never guesses from the wording of a message.
 */
import type { ModelErrorKind } from '../protocol/index.ts';
import { kindForErrorCode } from './error-codes.ts';
import { isRecord } from './is-record.ts';
import type { ModelError } from './model-event.ts';
import { quotaResetNote, quotaResetsAt } from './quota-reset.ts';

/** The slice of a response's headers classification needs (a fetch `Headers` fits). */
export interface HeaderLookup {
  get(name: string): string | null;
}

export interface HttpFailure {
  status: number;
  headers: HeaderLookup;
  /** The response body as text, already bounded by the caller. */
  body: string;
}

/** Kinds worth re-sending the same request for; the others need a person (or a different request). */
const RETRYABLE: ReadonlySet<ModelErrorKind> = new Set<ModelErrorKind>([
  'rate_limited',
  'server',
  'network',
  'idle_timeout',
  'stream_incomplete',
]);
// `malformed` is not retried: a server that sends events keel cannot read will most likely send them again, and
// the person is better served by a clear error at once than by five identical failures.

export function isRetryable(kind: ModelErrorKind): boolean {
  return RETRYABLE.has(kind);
}

/** Bodies are quoted in messages; an HTML error page from a proxy must not flood the terminal. */
const MAX_QUOTED_BODY = 1000;

export function classifyHttpError(failure: HttpFailure, now: () => number = Date.now): ModelError {
  const { status } = failure;
  const details = readErrorBody(failure.body);
  const error: ModelError = {
    // A known code says more than the status (a 429 may be throttling or an empty account); the status decides
    // only when the body names no code keel knows.
    kind: kindForErrorCode(...details.codes) ?? kindForStatus(status),
    message: `HTTP ${status}: ${details.message ?? quoteBody(failure.body)}`,
    status,
  };
  const retryAfterMs = parseRetryAfterMs(failure.headers, now);
  if (retryAfterMs !== undefined) error.retryAfterMs = retryAfterMs;
  if (error.kind === 'quota') {
    const resetsAt = quotaResetsAt({ headers: failure.headers, body: failure.body, retryAfterMs }, now);
    if (resetsAt !== undefined) {
      error.resetsAt = resetsAt;
      // The error event carries only the message and the kind: the instant goes into the words too.
      error.message += quotaResetNote(resetsAt);
    }
  }
  return error;
}

function kindForStatus(status: number): ModelErrorKind {
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  if (status === 401 || status === 403) return 'auth';
  // A request timeout says nothing about the request itself; sending it again may well work.
  if (status === 408) return 'server';
  if (status >= 400) return 'bad_request';
  // 1xx/3xx that fetch did not resolve on its own: odd proxies; treat like a server hiccup.
  return 'server';
}

interface ErrorBody {
  message: string | undefined;
  /** `error.code` and `error.type` when they are strings, in that order (the code is the more specific). */
  codes: string[];
}

/**
 * Reads the OpenAI error shape and the near variants local servers send (`{"error": "text"}`,
 * `{"message": "text"}`, `{"detail": "text"}`). Anything else leaves the message to the raw body.
 */
function readErrorBody(body: string): ErrorBody {
  const result: ErrorBody = { message: undefined, codes: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return result; // not JSON (an HTML page, plain text): the raw body is quoted instead
  }
  if (!isRecord(parsed)) return result;
  const error = parsed['error'];
  if (isRecord(error)) {
    if (typeof error['message'] === 'string' && error['message'].length > 0) result.message = error['message'];
    for (const key of ['code', 'type']) {
      const value = error[key];
      if (typeof value === 'string') result.codes.push(value);
    }
  } else if (typeof error === 'string' && error.length > 0) {
    result.message = error;
  }
  for (const key of ['message', 'detail']) {
    const value = parsed[key];
    if (result.message === undefined && typeof value === 'string' && value.length > 0) result.message = value;
  }
  return result;
}

function quoteBody(body: string): string {
  const trimmed = body.trim();
  if (trimmed.length === 0) return '(empty body)';
  return trimmed.length > MAX_QUOTED_BODY ? `${trimmed.slice(0, MAX_QUOTED_BODY)}…` : trimmed;
}

/**
 * The delay the server asked for: `retry-after-ms` (milliseconds, an OpenAI extension) wins over the standard
 * `Retry-After` (seconds, possibly fractional, or an HTTP date taken relative to `now`).
 */
export function parseRetryAfterMs(headers: HeaderLookup, now: () => number = Date.now): number | undefined {
  const ms = parseNonNegativeNumber(headers.get('retry-after-ms'));
  if (ms !== undefined) return ms;
  const raw = headers.get('retry-after')?.trim();
  if (raw === undefined || raw.length === 0) return undefined;
  const seconds = parseNonNegativeNumber(raw);
  if (seconds !== undefined) return Math.round(seconds * 1000);
  // Every HTTP date format names the month; without letters this is a malformed number, which Date.parse would
  // happily read as a year.
  if (!/[a-z]/i.test(raw)) return undefined;
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now());
}

function parseNonNegativeNumber(raw: string | null): number | undefined {
  if (raw === null) return undefined;
  const text = raw.trim();
  if (!/^\d+(\.\d+)?$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** A failure below HTTP: DNS, refused or reset connection, TLS. */
export function networkError(cause: unknown): ModelError {
  return { kind: 'network', message: `cannot reach the model: ${describeCause(cause)}` };
}

/**
 * fetch reports transport failures as `TypeError("fetch failed")` with the useful part in `cause`
 * (`connect ECONNREFUSED 127.0.0.1:1`); dig it out.
 */
export function describeCause(cause: unknown): string {
  const parts: string[] = [];
  let current: unknown = cause;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      // fetch's own "fetch failed" wrapper adds nothing when a cause says what failed.
      const wrapper = current.message === 'fetch failed' && current.cause !== undefined;
      if (!wrapper && current.message && !parts.includes(current.message)) parts.push(current.message);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.length > 0 ? parts.join(': ') : 'unknown error';
}
