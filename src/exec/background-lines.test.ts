import { describe, expect, it } from 'vitest';
import type { BackgroundProcess, Event, EventMsg } from '../protocol/index.ts';
import { formatDuration } from '../util/format-duration.ts';
import { HumanRenderer } from './human-renderer.ts';
import { jsonlEvent } from './jsonl-renderer.ts';
import { sessionMarkdown } from './session-transcript.ts';
import { createStyle } from './style.ts';

const T0 = Date.UTC(2026, 11, 2, 9, 0, 0);

/** Renders without colour; `clock` is read as each event is rendered (a message sets it to a later time). */
function render(messages: Array<EventMsg | { at: number }>): { stdout: string; stderr: string } {
  const out = { stdout: '', stderr: '' };
  let now = T0;
  const renderer = new HumanRenderer({
    stdout: (text) => (out.stdout += text),
    stderr: (text) => (out.stderr += text),
    style: createStyle(false),
    version: '0.0.0',
    now: () => now,
  });
  let seq = 0;
  for (const msg of messages) {
    if ('at' in msg) now = msg.at;
    else renderer.render({ id: '1', seq: seq++, msg });
  }
  return out;
}

const bash = (script: string) => ['/bin/bash', '-lc', script];

function started(callId: string, id: number, script: string, output = ''): EventMsg[] {
  return [
    { type: 'exec_command_begin', call_id: callId, command: bash(script), cwd: '/w', process_id: id },
    { type: 'exec_command_end', call_id: callId, exit_code: null, duration_ms: 500, aggregated_output: output, status: 'backgrounded', process_id: id },
  ];
}

function interaction(callId: string, id: number, script: string, input: string, end: { status: 'backgrounded' | 'completed' | 'failed' | 'aborted'; output?: string; exit?: number }): EventMsg[] {
  return [
    { type: 'exec_command_begin', call_id: callId, command: bash(script), cwd: '/w', process_id: id, interaction_input: input },
    { type: 'exec_command_end', call_id: callId, exit_code: end.exit ?? null, duration_ms: 250, aggregated_output: end.output ?? '', status: end.status, process_id: id },
  ];
}

function listed(id: number, command: string, status: BackgroundProcess['status'], startedAt = T0): BackgroundProcess {
  return { id, command, cwd: '/w', started_at: startedAt, status, exit_code: status === 'running' ? null : 143 };
}

describe('exec\'s human renderer, background processes', () => {
  it('shows a command that went on running as a background session, with the script the model wrote', () => {
    const { stderr, stdout } = render(started('c1', 3, 'npm run dev', 'listening on :3000\n'));
    expect(stderr).toBe('$ npm run dev (in /w)\n  listening on :3000\n  ▸ running in background as session 3: npm run dev\n');
    expect(stdout).toBe('');
  });

  it('shows a quick exec_command like any command, by its script', () => {
    const { stderr } = render([
      { type: 'exec_command_begin', call_id: 'c1', command: bash('echo hi'), cwd: '/w', process_id: 1 },
      { type: 'exec_command_end', call_id: 'c1', exit_code: 0, duration_ms: 40, aggregated_output: 'hi\n', status: 'completed', process_id: 1 },
    ]);
    expect(stderr).toBe('$ echo hi (in /w)\n  hi\n  ✓ exit 0 · 0.0s\n');
  });

  it('shows each write_stdin in one line, and a run of polls that found nothing as one', () => {
    const { stderr } = render([
      ...started('c1', 3, 'npm test -- --watch'),
      ...interaction('p1', 3, 'npm test -- --watch', '', { status: 'backgrounded', output: 'PASS a.test.ts\n' }),
      ...interaction('p2', 3, 'npm test -- --watch', '', { status: 'backgrounded' }),
      ...interaction('p3', 3, 'npm test -- --watch', '', { status: 'backgrounded' }),
      ...interaction('p4', 3, 'npm test -- --watch', '', { status: 'backgrounded' }),
      ...interaction('p5', 3, 'npm test -- --watch', 'q\n', { status: 'completed', exit: 0 }),
    ]);
    expect(stderr.split('\n').slice(2)).toEqual([
      '↳ session 3 (npm test -- --watch) · polled · still running',
      '  PASS a.test.ts',
      '↳ session 3 (npm test -- --watch) · polled · still running',
      '↳ session 3 (npm test -- --watch) · sent "q\\n" (after 2 more polls with no output) · ✓ exited with code 0',
      '',
    ]);
  });

  it('says when a process ended badly, and when an interrupt stopped only the wait', () => {
    const { stderr } = render([
      ...started('c1', 4, 'make'),
      ...interaction('p1', 4, 'make', '', { status: 'failed', exit: 2, output: 'make: *** [all] Error 1\n' }),
      ...started('c2', 5, 'sleep 100'),
      ...interaction('p2', 5, 'sleep 100', '\u0003', { status: 'aborted' }),
    ]);
    expect(stderr).toContain('↳ session 4 (make) · polled · ✗ exited with code 2\n  make: *** [all] Error 1\n');
    expect(stderr).toContain('↳ session 5 (sleep 100) · sent "\\u0003" · stopped waiting; it is still running\n');
  });

  it('lists at exit, on stderr, the background processes keel stopped and how long each had run', () => {
    const running = [listed(3, 'npm run dev', 'running'), listed(4, 'tail -f log', 'running', T0 + 60_000), listed(5, 'make', 'exited')];
    const { stderr, stdout } = render([
      { type: 'background_processes', processes: running },
      { type: 'agent_message', message: 'The server runs.' },
      { type: 'task_complete', last_agent_message: 'The server runs.' },
      { at: T0 + 62_000 },
      { type: 'background_processes', processes: [listed(3, 'npm run dev', 'stopped'), running[1]!, running[2]!] },
      { at: T0 + 64_400 },
      { type: 'background_processes', processes: [listed(3, 'npm run dev', 'stopped'), listed(4, 'tail -f log', 'stopped', T0 + 60_000), running[2]!] },
      { type: 'shutdown_complete' },
    ]);
    expect(stdout).toBe('The server runs.\n');
    expect(stderr).toBe('stopped 2 background processes at exit: 3 `npm run dev` (running 1m 02s), 4 `tail -f log` (running 4s)\n');
  });

  it('says nothing at exit when no background process was stopped', () => {
    expect(render([{ type: 'background_processes', processes: [listed(2, 'make', 'exited')] }, { type: 'shutdown_complete' }]).stderr).toBe('');
    expect(render([{ type: 'shutdown_complete' }]).stderr).toBe('');
  });

  it('keeps the final answer for stdout when a background process ends while it streams', () => {
    const { stdout, stderr } = render([
      { type: 'agent_message', message: 'Built.' },
      { type: 'background_processes', processes: [listed(1, 'make', 'exited')] },
      { type: 'task_complete', last_agent_message: 'Built.' },
    ]);
    expect(stdout).toBe('Built.\n');
    expect(stderr).toBe('');
  });

  it('formats how long a process ran', () => {
    expect([0, 4_400, 59_600, 62_000, 3_600_000 + 5 * 60_000 + 30_000].map(formatDuration)).toEqual(['0s', '4s', '59s', '1m 02s', '1h 05m']);
  });
});

describe('--json and keel sessions show, background processes', () => {
  it('--json passes the background events through as they are', () => {
    const event: Event = { id: 'background', seq: 7, msg: { type: 'background_processes', processes: [listed(3, 'npm run dev', 'stopped')] } };
    expect(JSON.parse(jsonlEvent(event))).toEqual(event);
  });

  it('the transcript shows a backgrounded command and each write_stdin by session', () => {
    const events = [...started('c1', 3, 'npm run dev', 'ready\n'), ...interaction('p1', 3, 'npm run dev', 'q\n', { status: 'completed', exit: 0 })];
    const shown = sessionMarkdown({ id: 's', cwd: '/w', model: 'm', startedAt: 'x', events: events.map((event) => ({ ts: 'x', event })), problems: [] });
    expect(shown).toContain('```console\n$ npm run dev\nready\n```\n_running in background as session 3, 0.5s_\n');
    expect(shown).toContain('```console\n↳ session 3: sent "q\\n"\n```\n_completed, exit 0, 0.3s_\n');
  });
});
