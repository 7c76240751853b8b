import { describe, expect, it } from 'vitest';
import { backoffMs, MAX_BACKOFF_MS, MAX_SERVER_DELAY_MS, retryDelayMs } from './retry-schedule.ts';

const low = (): number => 0;
const high = (): number => 0.999_999_999;
const mid = (): number => 0.5;

describe('backoffMs', () => {
  it('doubles from 200 ms per attempt', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffMs(attempt, mid))).toEqual([200, 400, 800, 1600, 3200]);
  });

  it('keeps the jitter within [0.9, 1.1)', () => {
    for (const attempt of [1, 2, 3, 6]) {
      const base = 200 * 2 ** (attempt - 1);
      expect(backoffMs(attempt, low)).toBe(base * 0.9);
      expect(backoffMs(attempt, high)).toBeLessThanOrEqual(base * 1.1);
      expect(backoffMs(attempt, high)).toBeGreaterThan(base * 1.09);
    }
  });

  it('stops growing at the cap, also for absurd attempts', () => {
    expect(backoffMs(20, mid)).toBe(MAX_BACKOFF_MS);
    expect(backoffMs(5000, mid)).toBe(MAX_BACKOFF_MS);
    expect(backoffMs(5000, high)).toBeLessThanOrEqual(MAX_BACKOFF_MS * 1.1);
  });

  it('tolerates odd inputs', () => {
    expect(backoffMs(0, mid)).toBe(200);
    expect(backoffMs(-3, mid)).toBe(200);
    expect(backoffMs(1, () => 7)).toBeLessThanOrEqual(220);
    expect(backoffMs(1, () => Number.NaN)).toBe(180);
  });
});

describe('retryDelayMs', () => {
  it("uses the server's delay when it gave one", () => {
    expect(retryDelayMs({ kind: 'rate_limited', message: '', retryAfterMs: 1234 }, 3, mid)).toBe(1234);
    expect(retryDelayMs({ kind: 'rate_limited', message: '', retryAfterMs: 0 }, 3, mid)).toBe(0);
  });

  it("caps the server's delay at 10 minutes", () => {
    expect(retryDelayMs({ kind: 'rate_limited', message: '', retryAfterMs: 86_400_000 }, 1, mid)).toBe(MAX_SERVER_DELAY_MS);
  });

  it('falls back to backoff', () => {
    expect(retryDelayMs({ kind: 'server', message: '' }, 3, mid)).toBe(800);
  });
});
