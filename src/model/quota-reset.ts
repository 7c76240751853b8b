/**
 * When an exhausted quota comes back, as far as the server said: read from an HTTP error response at the point it
 * is classified. The answer is an instant (ISO 8601, UTC, whole seconds), never a guess: nothing said, nothing
 * returned.
 *
 * Where servers put it, most specific first:
 * - the error body: `error.resets_at` (epoch seconds, as ChatGPT-plan usage limits send it; epoch milliseconds and
 *   date strings are read too) or `error.resets_in_seconds`; the same keys at the top level of the body;
 * - `Retry-After` / `retry-after-ms`;
 * - OpenAI's rate-limit headers `x-ratelimit-reset-requests` / `x-ratelimit-reset-tokens` (durations such as `1s`,
 *   `6m0s`, `20ms`): the later of the two, when both windows must have reopened.
 */
import { isRecord } from './is-record.ts';
import type { HeaderLookup } from './model-error.ts';

const RATE_LIMIT_RESET_HEADERS = ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens'];

/** Epoch values above this are milliseconds (1e12 ms is September 2001; in seconds it is the year 33658). */
const EPOCH_MS_THRESHOLD = 1e12;

/** `retryAfterMs`: the delay `Retry-After` / `retry-after-ms` asked for, already read by the caller. */
export function quotaResetsAt(failure: { headers: HeaderLookup; body: string; retryAfterMs: number | undefined }, now: () => number = Date.now): string | undefined {
  const at = fromBody(failure.body, now) ?? fromHeaders(failure.headers, failure.retryAfterMs, now);
  return at === undefined ? undefined : isoSeconds(at);
}

/** The words appended to a quota error's message, so that the instant survives as far as the person reads it. */
export function quotaResetNote(resetsAt: string): string {
  return ` (the quota resets at ${resetsAt})`;
}

function fromBody(body: string, now: () => number): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined; // not JSON: the headers may still say it
  }
  if (!isRecord(parsed)) return undefined;
  for (const holder of [parsed['error'], parsed]) {
    if (!isRecord(holder)) continue;
    const at = instant(holder['resets_at']);
    if (at !== undefined) return at;
    const inSeconds = holder['resets_in_seconds'];
    if (typeof inSeconds === 'number' && Number.isFinite(inSeconds) && inSeconds >= 0) return now() + inSeconds * 1000;
  }
  return undefined;
}

function instant(value: unknown): number | undefined {
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) return instant(Number(value));
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    return value >= EPOCH_MS_THRESHOLD ? value : value * 1000;
  }
  if (typeof value !== 'string') return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date;
}

function fromHeaders(headers: HeaderLookup, retryAfterMs: number | undefined, now: () => number): number | undefined {
  if (retryAfterMs !== undefined) return now() + retryAfterMs;
  const delays = RATE_LIMIT_RESET_HEADERS.map((name) => parseDurationMs(headers.get(name))).filter((ms) => ms !== undefined);
  return delays.length === 0 ? undefined : now() + Math.max(...delays);
}

const DURATION_UNITS_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** A Go-style duration as OpenAI sends it (`1h2m3.5s`, `6m0s`, `20ms`, `0.5s`); a bare number is seconds. */
export function parseDurationMs(raw: string | null): number | undefined {
  const text = raw?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  if (!/^(\d+(\.\d+)?(ms|h|m|s))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, value, , unit] of text.matchAll(/(\d+(\.\d+)?)(ms|h|m|s)/g)) total += Number(value) * DURATION_UNITS_MS[unit!]!;
  return total;
}

/** Rounded up to the second: a reset is never announced earlier than the server said. */
function isoSeconds(epochMs: number): string {
  return new Date(Math.ceil(epochMs / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}
