import { describe, expect, it } from 'vitest';
import type { ModelErrorKind } from '../protocol/index.ts';
import { classifyHttpError, describeCause, isRetryable, networkError, parseRetryAfterMs } from './model-error.ts';

function headers(values: Record<string, string> = {}): { get(name: string): string | null } {
  const lower = new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  return { get: (name) => lower.get(name.toLowerCase()) ?? null };
}

function openAiBody(code: string | null, type: string, message = 'server says no'): string {
  return JSON.stringify({ error: { message, type, param: null, code } });
}

describe('classifyHttpError', () => {
  const table: Array<[string, number, string, ModelErrorKind]> = [
    ['plain rate limit', 429, openAiBody('rate_limit_exceeded', 'requests'), 'rate_limited'],
    ['quota by code', 429, openAiBody('insufficient_quota', 'insufficient_quota'), 'quota'],
    ['quota by type only', 429, openAiBody(null, 'insufficient_quota'), 'quota'],
    ['usage limit reached', 429, openAiBody(null, 'usage_limit_reached'), 'quota'],
    ['usage not included', 429, openAiBody('usage_not_included', 'invalid_request_error'), 'quota'],
    ['429 without a body', 429, '', 'rate_limited'],
    ['internal error', 500, openAiBody(null, 'server_error'), 'server'],
    ['bad gateway html', 502, '<html>Bad Gateway</html>', 'server'],
    ['overloaded', 503, '', 'server'],
    ['unauthorized', 401, openAiBody('invalid_api_key', 'invalid_request_error'), 'auth'],
    ['forbidden', 403, '', 'auth'],
    ['bad request', 400, openAiBody(null, 'invalid_request_error'), 'bad_request'],
    ['context window', 400, openAiBody('context_length_exceeded', 'invalid_request_error'), 'context_window_exceeded'],
    ['not found', 404, openAiBody('model_not_found', 'invalid_request_error'), 'bad_request'],
    ['payload too large', 413, '', 'bad_request'],
    ['unprocessable', 422, '{"detail":"bad field"}', 'bad_request'],
    ['request timeout', 408, '', 'server'],
  ];
  for (const [name, status, body, kind] of table) {
    it(`${name}: HTTP ${status} → ${kind}`, () => {
      const error = classifyHttpError({ status, headers: headers(), body });
      expect(error.kind).toBe(kind);
      expect(error.status).toBe(status);
    });
  }

  it('never reads the kind from message wording', () => {
    const body = openAiBody(null, 'invalid_request_error', 'context_length_exceeded insufficient_quota');
    expect(classifyHttpError({ status: 400, headers: headers(), body }).kind).toBe('bad_request');
    expect(classifyHttpError({ status: 429, headers: headers(), body }).kind).toBe('rate_limited');
  });

  it("surfaces the server's own message, prefixed with the status", () => {
    const body = openAiBody(null, 'invalid_request_error', 'No tool output found for function call call_1.');
    expect(classifyHttpError({ status: 400, headers: headers(), body }).message).toBe(
      'HTTP 400: No tool output found for function call call_1.',
    );
  });

  it('reads the message from the shapes local servers use', () => {
    const message = (body: string): string => classifyHttpError({ status: 400, headers: headers(), body }).message;
    expect(message('{"error":"model not loaded"}')).toBe('HTTP 400: model not loaded');
    expect(message('{"message":"bad input"}')).toBe('HTTP 400: bad input');
    expect(message('{"detail":"nope"}')).toBe('HTTP 400: nope');
    expect(message('{"error":{"code":400,"message":"numeric code"}}')).toBe('HTTP 400: numeric code');
  });

  it('falls back to the raw body, bounded, or says the body was empty', () => {
    const long = 'x'.repeat(5000);
    const error = classifyHttpError({ status: 502, headers: headers(), body: long });
    expect(error.message.startsWith('HTTP 502: xxx')).toBe(true);
    expect(error.message.length).toBeLessThan(1100);
    expect(classifyHttpError({ status: 503, headers: headers(), body: '  ' }).message).toBe('HTTP 503: (empty body)');
  });

  it('carries the retry delay from the headers', () => {
    const error = classifyHttpError({ status: 429, headers: headers({ 'Retry-After': '3' }), body: '' });
    expect(error.retryAfterMs).toBe(3000);
    expect(classifyHttpError({ status: 500, headers: headers(), body: '' }).retryAfterMs).toBeUndefined();
  });
});

describe('parseRetryAfterMs', () => {
  const now = (): number => Date.parse('2025-06-01T12:00:00Z');

  it('reads retry-after-ms in milliseconds, preferred over Retry-After', () => {
    expect(parseRetryAfterMs(headers({ 'retry-after-ms': '1500', 'retry-after': '9' }), now)).toBe(1500);
    expect(parseRetryAfterMs(headers({ 'retry-after-ms': '12.5' }), now)).toBe(12.5);
  });

  it('reads Retry-After as integer or decimal seconds', () => {
    expect(parseRetryAfterMs(headers({ 'Retry-After': '20' }), now)).toBe(20_000);
    expect(parseRetryAfterMs(headers({ 'Retry-After': '0.25' }), now)).toBe(250);
    expect(parseRetryAfterMs(headers({ 'Retry-After': '0' }), now)).toBe(0);
  });

  it('reads Retry-After as an HTTP date relative to the injected clock', () => {
    expect(parseRetryAfterMs(headers({ 'Retry-After': 'Sun, 01 Jun 2025 12:00:30 GMT' }), now)).toBe(30_000);
    // A date already past means "now", not a negative wait.
    expect(parseRetryAfterMs(headers({ 'Retry-After': 'Sun, 01 Jun 2025 11:00:00 GMT' }), now)).toBe(0);
  });

  it('ignores absent and unusable values', () => {
    expect(parseRetryAfterMs(headers(), now)).toBeUndefined();
    expect(parseRetryAfterMs(headers({ 'Retry-After': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfterMs(headers({ 'Retry-After': '-5' }), now)).toBeUndefined();
    expect(parseRetryAfterMs(headers({ 'retry-after-ms': 'abc', 'Retry-After': '2' }), now)).toBe(2000);
  });
});

describe('isRetryable', () => {
  it('retries transient kinds only', () => {
    const retryable: ModelErrorKind[] = ['rate_limited', 'server', 'network', 'idle_timeout', 'stream_incomplete'];
    const fatal: ModelErrorKind[] = ['context_window_exceeded', 'quota', 'auth', 'bad_request'];
    for (const kind of retryable) expect(isRetryable(kind), kind).toBe(true);
    for (const kind of fatal) expect(isRetryable(kind), kind).toBe(false);
  });
});

describe('networkError', () => {
  it('names the underlying cause fetch wraps', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const error = networkError(new TypeError('fetch failed', { cause }));
    expect(error).toEqual({ kind: 'network', message: 'cannot reach the model: connect ECONNREFUSED 127.0.0.1:9' });
    expect(describeCause('plain')).toBe('plain');
  });
});
