import { describe, expect, it } from 'vitest';
import { classifyHttpError } from './model-error.ts';
import { parseDurationMs, quotaResetsAt } from './quota-reset.ts';

function headers(values: Record<string, string> = {}): { get(name: string): string | null } {
  const lower = new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  return { get: (name) => lower.get(name.toLowerCase()) ?? null };
}

const now = (): number => Date.parse('2025-06-01T12:00:00Z');
const quotaBody = (extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ error: { message: 'You exceeded your current quota.', type: 'insufficient_quota', param: null, code: 'insufficient_quota', ...extra } });

describe('quotaResetsAt', () => {
  const resets = (values: Record<string, string>, body: string, retryAfterMs?: number) => quotaResetsAt({ headers: headers(values), body, retryAfterMs }, now);

  it('reads resets_at from the error body, in epoch seconds, epoch milliseconds or as a date', () => {
    expect(resets({}, quotaBody({ resets_at: 1_748_782_800 }))).toBe('2025-06-01T13:00:00Z');
    expect(resets({}, quotaBody({ resets_at: 1_748_782_800_000 }))).toBe('2025-06-01T13:00:00Z');
    expect(resets({}, quotaBody({ resets_at: '2025-06-02T00:00:00Z' }))).toBe('2025-06-02T00:00:00Z');
    expect(resets({}, JSON.stringify({ resets_at: '1748782800' }))).toBe('2025-06-01T13:00:00Z');
  });

  it('reads resets_in_seconds relative to the clock', () => {
    expect(resets({}, quotaBody({ resets_in_seconds: 90 }))).toBe('2025-06-01T12:01:30Z');
  });

  it('prefers the body to the headers, and Retry-After to the rate-limit headers', () => {
    expect(resets({ 'x-ratelimit-reset-tokens': '1m' }, quotaBody({ resets_in_seconds: 5 }), 10_000)).toBe('2025-06-01T12:00:05Z');
    expect(resets({ 'x-ratelimit-reset-tokens': '1m' }, quotaBody(), 10_000)).toBe('2025-06-01T12:00:10Z');
  });

  it('takes the later of the two rate-limit windows, rounded up to the second', () => {
    expect(resets({ 'x-ratelimit-reset-requests': '20ms', 'x-ratelimit-reset-tokens': '6m0s' }, quotaBody())).toBe('2025-06-01T12:06:00Z');
    expect(resets({ 'x-ratelimit-reset-requests': '1.2s' }, '<html>')).toBe('2025-06-01T12:00:02Z');
  });

  it('says nothing when the server said nothing usable', () => {
    expect(resets({}, quotaBody())).toBeUndefined();
    expect(resets({ 'x-ratelimit-reset-tokens': 'soon' }, quotaBody({ resets_at: 'someday', resets_in_seconds: -1 }))).toBeUndefined();
  });
});

describe('parseDurationMs', () => {
  it('reads the durations OpenAI sends', () => {
    expect(parseDurationMs('1h2m3.5s')).toBe(3_723_500);
    expect(parseDurationMs('20ms')).toBe(20);
    expect(parseDurationMs('7')).toBe(7000);
    expect(parseDurationMs('1x')).toBeUndefined();
    expect(parseDurationMs(null)).toBeUndefined();
  });
});

describe('classifyHttpError for an exhausted quota', () => {
  it('carries the reset instant, in the error and in its message', () => {
    const error = classifyHttpError({ status: 429, headers: headers(), body: quotaBody({ resets_at: 1_748_782_800 }) }, now);
    expect(error).toMatchObject({ kind: 'quota', resetsAt: '2025-06-01T13:00:00Z' });
    expect(error.message).toBe('HTTP 429: You exceeded your current quota. (the quota resets at 2025-06-01T13:00:00Z)');
  });

  it('adds nothing when no reset was sent, and reads no reset for other kinds', () => {
    expect(classifyHttpError({ status: 429, headers: headers(), body: quotaBody() }, now)).not.toHaveProperty('resetsAt');
    const limited = classifyHttpError({ status: 429, headers: headers({ 'x-ratelimit-reset-tokens': '1s' }), body: '' }, now);
    expect(limited).not.toHaveProperty('resetsAt');
  });
});
