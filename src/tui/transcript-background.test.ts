import { describe, expect, it } from 'vitest';
import type { BackgroundProcess, EventMsg } from '../protocol/index.ts';
import { scriptOf } from '../util/command-line.ts';
import { visibleInput } from './process-cells.ts';
import { body, CWD, end, HEADER, liveText, output, texts, viewWith } from './transcript-fixture.ts';

const DEV = ['/bin/bash', '-lc', 'npm run dev'];

/** The begin of an `exec_command` that runs as process `id`, or (with `input`) of a `write_stdin` to it. */
function beginProcess(callId: string, id: number, input?: string, command = DEV): EventMsg {
  return { type: 'exec_command_begin', call_id: callId, command, cwd: CWD, process_id: id, ...(input === undefined ? {} : { interaction_input: input }) };
}

function listed(id: number, status: BackgroundProcess['status'], exitCode: number | null = null): BackgroundProcess {
  return { id, command: 'npm run dev', cwd: CWD, started_at: 0, status, exit_code: exitCode };
}

describe('TranscriptView: background processes', () => {
  it('shows a command that outlasted its wait as running in the background, with its output so far, not as failed', () => {
    const view = viewWith(beginProcess('c1', 3), output('c1', 'ready on :5173\n'));
    expect(liveText(view, 80, 50, 0)).toEqual(['', '$ npm run dev', '  ready on :5173', '  running 0s · Ctrl+C to stop']);
    view.apply(end('c1', { status: 'backgrounded', exit_code: null, process_id: 3, aggregated_output: 'ready on :5173\n' }));
    expect(body(view)).toEqual(['• Running in background (session 3): npm run dev', '  ready on :5173', '  /ps lists it · /stop 3 stops it']);
    expect(liveText(view)).toEqual([]);
  });

  it('shows the script of an exec_command that ended, not the shell keel wrapped it in', () => {
    const view = viewWith(beginProcess('c1', 4, undefined, ['/bin/bash', '-lc', 'npm test']), end('c1', { process_id: 4, aggregated_output: 'ok\n' }));
    expect(body(view)).toEqual(['$ npm test', '  ok', '  ✓ exit 0 · 1.2s']);
  });

  it('shows a write_stdin as one line of what was sent, the new output, and that the process still runs', () => {
    const view = viewWith(beginProcess('c2', 3, 'q\n'), output('c2', 'bye\n'));
    expect(liveText(view, 80, 50, 0)).toEqual(['', '↳ sent to 3: q⏎', '  bye', '  waiting for output 0s · Esc stops waiting']);
    view.apply(end('c2', { status: 'backgrounded', exit_code: null, process_id: 3, aggregated_output: 'bye\n' }));
    expect(body(view)).toEqual(['↳ sent to 3: q⏎', '  bye', '  ● still running']);
  });

  it('shows a poll with the command it polled, says when there was nothing new, and how the process ended', () => {
    const view = viewWith(
      beginProcess('c2', 3, ''),
      end('c2', { status: 'backgrounded', exit_code: null, process_id: 3 }),
      beginProcess('c3', 3, ''),
      end('c3', { status: 'failed', exit_code: 1, process_id: 3, aggregated_output: 'crashed\n' }),
    );
    expect(body(view)).toEqual([
      '↳ polled 3 (npm run dev)',
      '  (no new output)',
      '  ● still running',
      '',
      '↳ polled 3 (npm run dev)',
      '  crashed',
      '  ✗ exited with code 1',
    ]);
  });

  it('says an interrupted wait was only a wait: the process goes on', () => {
    const aborted = viewWith(beginProcess('c2', 3, ''), end('c2', { status: 'aborted', exit_code: null, process_id: 3 }));
    expect(body(aborted).at(-1)).toBe('  ⏹ stopped waiting; the process still runs');
    const cut = viewWith(beginProcess('c2', 3, ''), { type: 'turn_aborted', reason: 'interrupted' });
    expect(body(cut)).toEqual(['↳ polled 3 (npm run dev)', '  ⏹ stopped waiting', '', '⏹ Interrupted — running commands were stopped; tell keel what to do next.']);
  });

  it('notes when a background process that was running ends, and only then', () => {
    const view = viewWith({ type: 'background_processes', processes: [listed(1, 'running'), listed(2, 'running')] });
    expect(texts(view.takeCommitted())).toEqual(HEADER);
    view.apply({ type: 'background_processes', processes: [listed(1, 'exited', 0), listed(2, 'running')] });
    view.apply({ type: 'background_processes', processes: [listed(1, 'exited', 0), listed(2, 'stopped', 143)] });
    // Listed again as ended (after a compaction, say): nothing new to say.
    view.apply({ type: 'background_processes', processes: [listed(2, 'stopped', 143)] });
    expect(texts(view.takeCommitted())).toEqual([
      '',
      '• background session 1 exited with code 0: npm run dev',
      '',
      '⏹ background session 2 stopped: npm run dev',
    ]);
  });
});

describe('TranscriptView: an interruption while background processes run', () => {
  it('says they still run, since only the task was stopped', () => {
    const view = viewWith({ type: 'background_processes', processes: [listed(1, 'running'), listed(2, 'running')] }, { type: 'turn_aborted', reason: 'interrupted' });
    expect(body(view)).toEqual(['⏹ Interrupted — tell keel what to do next.', '  2 background processes still run: /ps lists them, /stop stops one']);
    const none = viewWith({ type: 'background_processes', processes: [listed(1, 'exited', 0)] }, { type: 'turn_aborted', reason: 'interrupted' });
    expect(body(none)).toEqual(['⏹ Interrupted — tell keel what to do next.']);
  });
});

describe('process cells', () => {
  it('takes the script out of a shell call, and quotes any other argv', () => {
    expect(scriptOf(['/bin/bash', '-lc', 'npm run dev'])).toBe('npm run dev');
    expect(scriptOf(['sh', '-c', 'echo hi'])).toBe('echo hi');
    expect(scriptOf(['/usr/bin/zsh', '-ec', 'make'])).toBe('make');
    expect(scriptOf(['bash', '-lc', 'a', 'extra'])).toBe('bash -lc a extra');
    expect(scriptOf(['python3', '-c', 'print(1)'])).toBe("python3 -c 'print(1)'");
  });

  it('shows sent input with its line ends and control keys visible', () => {
    expect(visibleInput('q\n')).toBe('q⏎');
    expect(visibleInput('\u0003')).toBe('^C');
    expect(visibleInput('a\tb\r\n\u001b[A')).toBe('a⇥b⏎^[[A');
  });
});
