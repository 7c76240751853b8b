/**
 * How long to wait before re-sending a failed model request. Pure: the caller supplies the attempt number and
 * the random source, and does the sleeping.
 */
import type { ModelError } from './model-event.ts';

const BASE_DELAY_MS = 200;
/** Exponential growth stops here; later attempts keep waiting about this long (plus jitter). */
export const MAX_BACKOFF_MS = 30_000;
/** A server asking for more than this is believed only up to here, so a typo'd header cannot park a session. */
export const MAX_SERVER_DELAY_MS = 10 * 60_000;

/**
 * 200 ms × 2^(attempt−1), capped at 30 s, times a jitter uniform in [0.9, 1.1) so that many clients failing
 * together do not retry in lockstep. `attempt` counts from 1; `random` returns values in [0, 1).
 */
export function backoffMs(attempt: number, random: () => number): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // 2^exponent overflows to Infinity for absurd attempts; min() still yields the cap.
  const base = Math.min(BASE_DELAY_MS * 2 ** exponent, MAX_BACKOFF_MS);
  const jitter = 0.9 + 0.2 * clampUnit(random());
  return Math.round(base * jitter);
}

/** The server's own delay (`Retry-After`, `retry-after-ms`, a "try again in" hint) when it gave one, else backoff. */
export function retryDelayMs(error: ModelError, attempt: number, random: () => number): number {
  if (error.retryAfterMs !== undefined && Number.isFinite(error.retryAfterMs)) {
    return Math.min(Math.max(0, error.retryAfterMs), MAX_SERVER_DELAY_MS);
  }
  return backoffMs(attempt, random);
}

/** A random source that strays outside [0, 1) must not push the jitter outside its band. */
function clampUnit(value: number): number {
  if (!(value >= 0)) return 0;
  return value >= 1 ? 0.999_999 : value;
}
