/**
 * The error a Responses stream reports in-band (`response.failed`, or a bare `error` event) as a `ModelError`,
 * decided by the structured `code` through the shared table (error-codes.ts).
 */
import { kindForErrorCode } from '../error-codes.ts';
import { isRecord } from '../is-record.ts';
import type { ModelError } from '../model-event.ts';

const QUOTA_MESSAGE = 'Quota exceeded. Check your plan and billing details.';

/** `error` is the `{code, message}` object of the event (anything else counts as absent). */
export function responseFailure(error: unknown): ModelError {
  const code = isRecord(error) && typeof error['code'] === 'string' ? error['code'] : undefined;
  const serverMessage = isRecord(error) && typeof error['message'] === 'string' ? error['message'] : undefined;
  const message = serverMessage ?? (code !== undefined ? `the model failed (${code})` : 'the model failed without saying why');
  // Unknown codes are most often overload and similar transient trouble; a retry is the useful answer. Only
  // `code` is read: on a bare `error` event `type` is the event's own name, not an error category.
  const kind = kindForErrorCode(code) ?? 'server';
  switch (kind) {
    case 'quota':
      return { kind, message: serverMessage ? `${QUOTA_MESSAGE} ${serverMessage}` : QUOTA_MESSAGE };
    case 'rate_limited': {
      const failure: ModelError = { kind, message };
      const delay = serverMessage === undefined ? undefined : parseTryAgainMs(serverMessage);
      if (delay !== undefined) failure.retryAfterMs = delay;
      return failure;
    }
    default:
      return { kind, message };
  }
}

/**
 * The delay in a rate-limit message such as "Please try again in 1.5s", "… in 28ms", "… in 35 seconds". The
 * API sends the delay only in prose here, so this one fact is read from the text; the kind never is.
 */
export function parseTryAgainMs(message: string): number | undefined {
  const match = /try again in\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?)\b/i.exec(message);
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = (match[2] ?? '').toLowerCase();
  return Math.round(unit === 'ms' || unit.startsWith('milli') ? value : value * 1000);
}
