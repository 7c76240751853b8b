import { describe, expect, it } from 'vitest';
import type { EventMsg } from '../protocol/index.ts';
import { begin, body, configured, CWD, end, HEADER, liveText, output, stateAfter, texts, viewWith } from './transcript-fixture.ts';
import { TranscriptView } from './transcript.ts';
import { isRunning } from './view-state.ts';

const turn: EventMsg[] = [
  { type: 'task_started', model_context_window: 200_000 },
  { type: 'user_message', message: 'list the files' },
  { type: 'agent_reasoning', text: 'Looking at the directory.' },
  begin('c1', ['ls', '-1']),
  end('c1', { aggregated_output: 'a.txt\nb.txt\n', duration_ms: 210 }),
  { type: 'agent_message', message: 'There are two files.' },
  { type: 'task_complete', last_agent_message: 'There are two files.' },
];

const TURN_TEXT = [
  '› list the files',
  '',
  'thinking Looking at the directory.',
  '',
  '$ ls -1',
  '  a.txt',
  '  b.txt',
  '  ✓ exit 0 · 0.2s',
  '',
  'There are two files.',
];

describe('TranscriptView', () => {
  it('shows a header, then the blocks of a turn separated by single blank lines', () => {
    const view = viewWith(...turn);
    expect(body(view)).toEqual(TURN_TEXT);
    expect(liveText(view)).toEqual([]);
    expect(view.cwd).toBe(CWD);
  });

  it('streams an answer live and commits it whole, once, when it is final', () => {
    const started: EventMsg[] = [{ type: 'task_started', model_context_window: null }, { type: 'user_message', message: 'hi' }];
    const view = viewWith(...started);
    // Whether the task runs is the view state's to say; the transcript only shows it.
    expect(isRunning(stateAfter(...started))).toBe(true);
    expect(body(view)).toEqual(['› hi']);
    for (const delta of ['Hel', 'lo\nsecond', ' line']) view.apply({ type: 'agent_message_delta', delta });
    // A blank row first: the live part sits below committed lines as it will once committed.
    expect(liveText(view)).toEqual(['', 'Hello', 'second line']);
    expect(view.takeCommitted()).toEqual([]);
    view.apply({ type: 'agent_message', message: 'Hello\nsecond line' });
    expect(liveText(view)).toEqual([]);
    expect(texts(view.takeCommitted())).toEqual(['', 'Hello', 'second line']);
    const complete: EventMsg = { type: 'task_complete', last_agent_message: null };
    view.apply(complete);
    expect(isRunning(stateAfter(...started, complete))).toBe(false);
    expect(view.takeCommitted()).toEqual([]);
  });

  it('commits the same lines when a recorded session is replayed without deltas', () => {
    const streamed = viewWith(
      ...turn.flatMap((msg): EventMsg[] => {
        if (msg.type === 'agent_message') return [...msg.message.split(' ').map((word) => ({ type: 'agent_message_delta' as const, delta: `${word} ` })), msg];
        if (msg.type === 'agent_reasoning') return [{ type: 'agent_reasoning_delta', delta: msg.text }, msg];
        return [msg];
      }),
    );
    expect(body(streamed)).toEqual(TURN_TEXT);
    expect(body(viewWith(...turn))).toEqual(TURN_TEXT);
  });

  it('keeps the lines of a multi-line user message, indented under the prompt', () => {
    const lines = viewWith({ type: 'user_message', message: 'first\nsecond\n' }).takeCommitted().slice(3);
    expect(texts(lines)).toEqual(['› first', '  second']);
    expect(lines[0]?.spans[0]?.style).toEqual({ bold: true, color: 'cyan' });
  });

  it('lists the images sent with a prompt under it, also for a prompt of images alone', () => {
    const lines = viewWith({ type: 'user_message', message: 'what changed?', images: ['before.png', 'after.png'] }).takeCommitted().slice(3);
    expect(texts(lines)).toEqual(['› what changed?', '  [image: before.png]', '  [image: after.png]']);
    expect(lines[1]?.spans[1]?.style).toEqual({ color: 'cyan' });
    const alone = viewWith({ type: 'user_message', message: '', images: ['shot.png'] }).takeCommitted().slice(3);
    expect(texts(alone)).toEqual(['› [image: shot.png]']);
    // A name from a log cannot draw escape codes.
    expect(texts(viewWith({ type: 'user_message', message: 'x', images: ['\u001b[31mred.png'] }).takeCommitted().slice(3))).toEqual(['› x', '  [image: red.png]']);
  });

  it('shows messages queued during a task where the engine takes them', () => {
    const view = viewWith(
      { type: 'task_started', model_context_window: null },
      { type: 'user_message', message: 'build it' },
      begin('c1', ['make']),
      end('c1', { duration_ms: 3000 }),
      { type: 'user_message', message: 'and run the tests' },
      { type: 'agent_message', message: 'Built; running the tests.' },
      { type: 'task_complete', last_agent_message: null },
      { type: 'task_started', model_context_window: null },
      { type: 'user_message', message: 'thanks' },
    );
    expect(body(view)).toEqual([
      '› build it',
      '',
      '$ make',
      '  ✓ exit 0 · 3.0s',
      '',
      '› and run the tests',
      '',
      'Built; running the tests.',
      '',
      '› thanks',
    ]);
  });

  it('keeps a thought summary short', () => {
    const text = Array.from({ length: 10 }, (_, index) => `step ${index}`).join('\n\n');
    const lines = viewWith({ type: 'agent_reasoning', text }).takeCommitted().slice(3);
    expect(texts(lines)).toEqual(['thinking step 0', 'step 1', 'step 2', 'step 3', 'step 4', 'step 5', '…']);
    expect(lines[1]?.spans.every((part) => part.style?.dim === true && part.style.italic === true)).toBe(true);
  });

  it('commits streamed thoughts that got no summary once the answer starts', () => {
    const view = viewWith({ type: 'agent_reasoning_delta', delta: 'raw\nthoughts' }, { type: 'agent_message_delta', delta: 'The answer' });
    expect(body(view)).toEqual(['thinking raw', 'thoughts']);
    expect(liveText(view)).toEqual(['', 'The answer']);
  });

  it('says commands were stopped only when one was', () => {
    const waiting = viewWith({ type: 'task_started', model_context_window: null }, { type: 'turn_aborted', reason: 'interrupted' });
    expect(body(waiting)).toEqual(['⏹ Interrupted — tell keel what to do next.']);
    const stopped = viewWith(
      { type: 'task_started', model_context_window: null },
      begin('c9', ['sleep', '9']),
      end('c9', { status: 'aborted', exit_code: 130 }),
      { type: 'turn_aborted', reason: 'interrupted' },
    );
    expect(body(stopped).at(-1)).toBe('⏹ Interrupted — running commands were stopped; tell keel what to do next.');
  });

  it('commits streamed thoughts before an approval request, which the app prints right after', () => {
    const view = viewWith(
      { type: 'agent_reasoning_delta', delta: 'I need to list files' },
      { type: 'exec_approval_request', call_id: 'c1', command: ['ls'], cwd: CWD, reason: null },
    );
    expect(body(view)).toEqual(['thinking I need to list files']);
    expect(liveText(view)).toEqual([]);
  });

  it('shows streamed thoughts live, dim and italic', () => {
    const view = viewWith({ type: 'agent_reasoning_delta', delta: 'Pondering the tests' });
    const rows = view.live(80, 10, 0);
    expect(texts(rows)).toEqual(['', 'Pondering the tests']);
    expect(rows[1]?.spans[0]?.style).toEqual({ dim: true, italic: true });
  });

  describe('interrupts and failures', () => {
    it('commits what was live, a running command as stopped, then says what happened', () => {
      const running: EventMsg[] = [
        { type: 'task_started', model_context_window: null },
        { type: 'user_message', message: 'run the server' },
        { type: 'agent_message_delta', delta: 'Starting it now' },
        begin('c1', ['npm', 'start']),
        output('c1', 'listening on :3000\n'),
      ];
      const view = viewWith(...running);
      expect(liveText(view, 80, 50, 0)).toEqual(['', 'Starting it now', '', '$ npm start', '  listening on :3000', '  running 0s · Ctrl+C to stop']);
      view.apply({ type: 'turn_aborted', reason: 'interrupted' });
      expect(body(view)).toEqual([
        '› run the server',
        '',
        'Starting it now',
        '',
        '$ npm start',
        '  ⏹ stopped',
        '',
        '⏹ Interrupted — running commands were stopped; tell keel what to do next.',
      ]);
      expect(liveText(view)).toEqual([]);
      expect(isRunning(stateAfter(...running, { type: 'turn_aborted', reason: 'interrupted' }))).toBe(false);
      expect(view.ticking).toBe(false);
    });

    it('shows an interrupted command as the engine ended it', () => {
      const view = viewWith(
        { type: 'task_started', model_context_window: null },
        begin('c1', ['sleep', '60']),
        end('c1', { exit_code: 130, status: 'aborted', duration_ms: 2100 }),
        { type: 'turn_aborted', reason: 'interrupted' },
      );
      expect(body(view)).toEqual(['$ sleep 60', '  ⏹ stopped after 2.1s', '', '⏹ Interrupted — running commands were stopped; tell keel what to do next.']);
    });

    it('says when a task was replaced', () => {
      expect(body(viewWith({ type: 'task_started', model_context_window: null }, { type: 'turn_aborted', reason: 'replaced' }))).toEqual(['⏹ Task replaced']);
    });

    it('keeps a streamed answer that an error cut short', () => {
      const view = viewWith(
        { type: 'task_started', model_context_window: null },
        { type: 'agent_message_delta', delta: 'Half an ans' },
        { type: 'error', message: 'stream closed\nby the server', kind: 'stream_incomplete' },
        { type: 'task_complete', last_agent_message: null },
      );
      const lines = view.takeCommitted().slice(3);
      expect(texts(lines)).toEqual(['Half an ans', '', 'error: stream closed', 'by the server']);
      expect(lines[2]?.spans[0]?.style).toEqual({ color: 'red', bold: true });
    });

    it('lists retries together, and drops what the failed attempt streamed since the retry streams it again', () => {
      // The engine's message, as core/model-turn.ts writes it.
      const retry = (attempt: number): EventMsg => ({
        type: 'stream_error',
        message: `retrying ${attempt}/5 in ${attempt}.0s: server error (502)`,
        kind: 'server',
        attempt,
        max_attempts: 5,
        delay_ms: 1000 * attempt,
      });
      const view = viewWith(
        { type: 'user_message', message: 'go' },
        { type: 'agent_message_delta', delta: 'Hel' },
        retry(1),
        retry(2),
        { type: 'agent_message_delta', delta: 'Hello' },
      );
      expect(liveText(view)).toEqual(['', 'Hello']);
      view.apply({ type: 'warning', message: 'context is nearly full' });
      expect(body(view)).toEqual([
        '› go',
        '',
        '⟳ retrying 1/5 in 1.0s: server error (502)',
        '⟳ retrying 2/5 in 2.0s: server error (502)',
        '',
        'warning: context is nearly full',
      ]);
    });
  });

  describe('patches and plans', () => {
    const changes = {
      [`${CWD}/src/a.ts`]: { type: 'update' as const, unified_diff: '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1 +1 @@\n-old\n+new\n', move_path: null },
      [`${CWD}/notes.md`]: { type: 'add' as const, content: 'hello\n' },
    };

    it('shows the files of a patch relative to the session directory, then its result', () => {
      const view = viewWith({ type: 'patch_apply_begin', call_id: 'p1', auto_approved: true, changes });
      view.apply({ type: 'patch_apply_end', call_id: 'p1', stdout: 'Done', stderr: '', success: true });
      const lines = body(view);
      expect(lines[0]).toBe('✎ apply_patch');
      expect(lines.some((text) => text.includes('src/a.ts') && !text.includes(CWD))).toBe(true);
      expect(lines.some((text) => text.includes('notes.md'))).toBe(true);
      expect(lines.some((text) => text.includes(CWD))).toBe(false);
      expect(lines.at(-1)).toBe('  ✓ patch applied');
      expect(lines.at(-2)).not.toBe('');
    });

    it('shows only the changed files of a patch the person approved (its diff was shown with the question)', () => {
      const approved = body(viewWith({ type: 'patch_apply_begin', call_id: 'p2', auto_approved: false, changes }));
      expect(approved).toEqual(['✎ apply_patch', 'M src/a.ts (+1 -1)', 'A notes.md (+1)']);
      const automatic = body(viewWith({ type: 'patch_apply_begin', call_id: 'p3', auto_approved: true, changes }));
      expect(automatic).toContain('  +new');
    });

    it('explains a failed patch briefly', () => {
      const stderr = ['context not found in src/a.ts', '', ...Array.from({ length: 12 }, (_, index) => `detail ${index}`)].join('\n');
      const view = viewWith({ type: 'patch_apply_begin', call_id: 'p1', auto_approved: false, changes });
      view.apply({ type: 'patch_apply_end', call_id: 'p1', stdout: '', stderr, success: false });
      const lines = body(view);
      const failure = lines.indexOf('  ✗ patch failed: context not found in src/a.ts');
      expect(failure).toBeGreaterThan(0);
      expect(lines.slice(failure + 1)).toEqual([...Array.from({ length: 8 }, (_, index) => `    detail ${index}`), '    … (4 more lines)']);
    });

    it('shows a plan with a mark for each step (committed when its task ends; see transcript-plan.test.ts)', () => {
      const view = viewWith({
        type: 'plan_update',
        explanation: null,
        plan: [
          { step: 'read the code', status: 'completed' },
          { step: 'fix the bug', status: 'in_progress' },
          { step: 'run the tests', status: 'pending' },
        ],
      });
      view.apply({ type: 'task_complete', last_agent_message: null });
      expect(body(view)).toEqual(['Plan', '  ✓ read the code', '  → fix the bug', '  · run the tests']);
    });
  });

  it('adds the UI’s own lines as blocks in order with the events', () => {
    const view = new TranscriptView({ version: '1.2.3' });
    view.commitLines([{ spans: [{ text: 'Resumed.' }] }, { spans: [] }]);
    view.apply(configured);
    view.commitLines([{ spans: [] }, { spans: [{ text: '/help' }] }]);
    expect(texts(view.takeCommitted())).toEqual(['Resumed.', '', ...HEADER, '', '/help']);
  });
});
