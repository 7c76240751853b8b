import { describe, expect, it } from 'vitest';
import type { EventMsg } from '../protocol/index.ts';
import { ProgressNarrator } from './progress-narrator.ts';

const begin = (callId: string, command: string[], extra: Partial<Extract<EventMsg, { type: 'exec_command_begin' }>> = {}): EventMsg => ({
  type: 'exec_command_begin',
  call_id: callId,
  command,
  cwd: '/w',
  ...extra,
});
const end = (callId: string, extra: Partial<Extract<EventMsg, { type: 'exec_command_end' }>> = {}): EventMsg => ({
  type: 'exec_command_end',
  call_id: callId,
  exit_code: 0,
  duration_ms: 1500,
  aggregated_output: '',
  status: 'completed',
  ...extra,
});

function narrate(events: EventMsg[]): Array<string | null> {
  const narrator = new ProgressNarrator();
  return events.map((event) => narrator.narrate(event));
}

describe('ProgressNarrator', () => {
  it('tells a command as typed when it starts, and how it ended', () => {
    expect(narrate([begin('c1', ['bash', '-lc', 'npm test']), end('c1', { exit_code: 1, status: 'failed', duration_ms: 65_000 })])).toEqual([
      'running: npm test',
      'exit 1 after 1m 05s: npm test',
    ]);
  });

  it('says when a command timed out, was stopped, or went on in the background', () => {
    const lines = narrate([
      begin('a', ['sleep', '99']),
      end('a', { status: 'timed_out', exit_code: 124 }),
      begin('b', ['make']),
      end('b', { status: 'aborted', exit_code: 130 }),
      begin('c', ['npm', 'run', 'dev']),
      end('c', { status: 'backgrounded', exit_code: null, process_id: 3 }),
    ]);
    expect(lines.filter((line) => line !== null)).toEqual([
      'running: sleep 99',
      'timed out after 1s: sleep 99',
      'running: make',
      'stopped after 1s: make',
      'running: npm run dev',
      'still running as background process 3: npm run dev',
    ]);
  });

  it('leaves out polls of a background process, at both ends', () => {
    expect(narrate([begin('p', ['npm', 'run', 'dev'], { process_id: 3, interaction_input: '' }), end('p')])).toEqual([null, null]);
  });

  it('tells patches, MCP tool calls, messages (on one line, shortened) and retries', () => {
    const long = `${'word '.repeat(60)}\nend`;
    const lines = narrate([
      { type: 'patch_apply_end', call_id: 'p', stdout: 'Success', stderr: '', success: true },
      { type: 'patch_apply_end', call_id: 'q', stdout: '', stderr: 'context not found\nin a.txt', success: false },
      { type: 'mcp_tool_call_begin', call_id: 'm', invocation: { server: 'docs', tool: 'search', arguments: {} } },
      { type: 'agent_message', message: 'Done.\nAll tests pass.' },
      { type: 'agent_message', message: long },
      { type: 'stream_error', message: 'busy', kind: 'rate_limited', attempt: 2, max_attempts: 5, delay_ms: 1000 },
    ]);
    expect(lines.slice(0, 4)).toEqual(['patch applied', 'patch not applied: context not found in a.txt', 'calling docs/search', 'Done. All tests pass.']);
    expect(lines[4]).toHaveLength(200);
    expect(lines[4]!.endsWith('…')).toBe(true);
    expect(lines[5]).toBe('model request failed (rate_limited); retry 2 of 5');
  });

  it('says nothing about deltas, token counts and the like', () => {
    expect(
      narrate([
        { type: 'agent_message_delta', delta: 'Do' },
        { type: 'exec_command_output_delta', call_id: 'c', stream: 'stdout', chunk: 'x' },
        { type: 'token_count', info: null },
        { type: 'task_started', model_context_window: null },
      ]),
    ).toEqual([null, null, null, null]);
  });
});
