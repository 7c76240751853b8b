import { describe, expect, it } from 'vitest';
import { contextLeftPercent, formatTokens, relativeTime, shortPath, statusLine } from './status-line.ts';
import { plainText } from '../util/text/styled.ts';

describe('status line', () => {
  const info = {
    model: 'gpt-5-codex',
    reasoningEffort: null,
    cwd: '/home/ada/project',
    approval: 'on-request' as const,
    sandbox: { type: 'read-only' as const },
    totalUsage: null,
    contextUsed: null,
    contextWindow: null,
  };

  it('shows model, directory under ~, approvals and sandbox; tokens and context only once known', () => {
    expect(plainText(statusLine(info, 200, '/home/ada'))).toBe('gpt-5-codex · on-request · read-only · ~/project');
    const usage = { input_tokens: 9000, cached_input_tokens: 0, output_tokens: 3400, reasoning_output_tokens: 0, total_tokens: 12_400 };
    const known = { ...info, totalUsage: usage, contextUsed: 62_000, contextWindow: 112_000 };
    expect(plainText(statusLine(known, 200, '/home/ada'))).toBe('gpt-5-codex · on-request · read-only · 50% context left · 12k tokens · ~/project');
  });

  it('shows the reasoning effort next to the model when one is sent', () => {
    const usage = { input_tokens: 9000, cached_input_tokens: 0, output_tokens: 3400, reasoning_output_tokens: 0, total_tokens: 12_400 };
    const high = { ...info, reasoningEffort: 'high', totalUsage: usage, contextUsed: 62_000, contextWindow: 112_000 };
    expect(plainText(statusLine(high, 200, '/home/ada'))).toBe(
      'gpt-5-codex · reasoning high · on-request · read-only · 50% context left · 12k tokens · ~/project',
    );
    // At 80 columns the directory is cut, the context left is not.
    const narrow = plainText(statusLine(high, 80, '/home/ada'));
    expect(narrow).toHaveLength(80);
    expect(narrow).toContain('50% context left');
    expect(narrow.endsWith('…')).toBe(true);
  });

  it('counts the background processes running, only when there are some', () => {
    expect(plainText(statusLine(info, 200, '/home/ada', 2))).toBe('gpt-5-codex · on-request · read-only · 2 background · ~/project');
    expect(plainText(statusLine(info, 200, '/home/ada', 0))).not.toContain('background');
  });

  it('fits the width', () => {
    const line = plainText(statusLine(info, 20, undefined));
    expect(line).toHaveLength(20);
    expect(line.endsWith('…')).toBe(true);
  });

  it('leaves the fixed part of every context out of the percentage', () => {
    expect(contextLeftPercent(12_000, 112_000)).toBe(100);
    expect(contextLeftPercent(112_000, 112_000)).toBe(0);
    expect(contextLeftPercent(500_000, 112_000)).toBe(0);
    expect(contextLeftPercent(1000, 8000)).toBe(0);
  });

  it('formats counts, paths and ages compactly', () => {
    expect([formatTokens(999), formatTokens(1234), formatTokens(56_789), formatTokens(2_500_000)]).toEqual(['999', '1.2k', '57k', '2.5M']);
    expect(shortPath('/home/ada', '/home/ada')).toBe('~');
    expect(shortPath('/home/adam/x', '/home/ada')).toBe('/home/adam/x');
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(relativeTime(new Date(now - 30_000), now)).toBe('30s ago');
    expect(relativeTime(new Date(now - 3 * 3600_000), now)).toBe('3h ago');
    expect(relativeTime(new Date(now - 2 * 86_400_000), now)).toBe('2d ago');
  });
});
