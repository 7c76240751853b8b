import { describe, expect, it } from 'vitest';
import type { EventMsg } from '../protocol/index.ts';
import { sessionMarkdown } from './session-transcript.ts';

function markdown(events: EventMsg[]): string {
  return sessionMarkdown({
    id: 's-1',
    cwd: '/repo',
    model: 'gpt-5-codex',
    startedAt: '2026-12-02T09:00:00Z',
    events: events.map((event) => ({ ts: '2026-12-02T09:00:00Z', event })),
    problems: [],
  });
}

describe('keel sessions show', () => {
  it('marks every compaction where it happened, with the sizes and why', () => {
    const shown = markdown([
      { type: 'user_message', message: 'Rename the loader.' },
      { type: 'agent_message', message: 'Read it.' },
      { type: 'compaction_started', reason: 'auto' },
      { type: 'context_compacted', reason: 'auto', tokens_before: 182_000, tokens_after: 9_000, compactions: 1 },
      { type: 'agent_message', message: 'Renamed.' },
      { type: 'context_compacted', reason: 'manual', tokens_before: 12_000, tokens_after: 2_500, compactions: 2 },
      { type: 'context_compacted', reason: 'overflow', tokens_before: 300_000, tokens_after: 8_000, compactions: 3 },
    ]);
    const body = shown.slice(shown.indexOf('## User'));
    expect(body).toBe(
      [
        '## User',
        '',
        'Rename the loader.',
        '',
        '## keel',
        '',
        'Read it.',
        '',
        '_— context compacted: 182k → 9.0k tokens (automatic) —_',
        '',
        '## keel',
        '',
        'Renamed.',
        '',
        '_— context compacted: 12k → 2.5k tokens (asked for) —_',
        '',
        '_— context compacted: 300k → 8.0k tokens (the request did not fit) —_',
        '',
      ].join('\n'),
    );
  });
});

it('shows an MCP tool call with its arguments, its output and how it ended', () => {
  const shown = markdown([
    { type: 'mcp_tool_call_begin', call_id: 'm1', invocation: { server: 'docs', tool: 'search', arguments: { q: 'retry' } } },
    { type: 'mcp_tool_call_end', call_id: 'm1', invocation: { server: 'docs', tool: 'search', arguments: { q: 'retry' } }, duration_ms: 1234, status: 'completed', output: 'found 2 pages' },
  ]);
  expect(shown).toContain(['```text', 'docs.search {"q":"retry"}', 'found 2 pages', '```', '_MCP tool call completed, 1.2s_'].join('\n'));
});
