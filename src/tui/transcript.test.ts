import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { EventMsg, EventOf } from '../protocol/index.ts';
import { plainText, type Line } from './text/styled.ts';
import { renderMarkdown } from './markdown.ts';
import { lineWidth, wrapLines } from './text/wrap.ts';
import { TranscriptView } from './transcript.ts';

const CWD = '/home/ada/repo';

const configured: EventOf<'session_configured'> = {
  type: 'session_configured',
  session_id: 's-1',
  model: 'gpt-test',
  model_provider_id: 'openai',
  cwd: CWD,
  approval_policy: 'on-request',
  sandbox_policy: { type: 'read-only' },
  rollout_path: null,
};

const HEADER = ['keel 1.2.3 · gpt-test · session s-1', `workdir ${CWD}`];

function begin(callId: string, command: string[], cwd = CWD): EventMsg {
  return { type: 'exec_command_begin', call_id: callId, command, cwd };
}

function output(callId: string, chunk: string): EventMsg {
  return { type: 'exec_command_output_delta', call_id: callId, stream: 'stdout', chunk };
}

function end(callId: string, fields: Partial<EventOf<'exec_command_end'>> = {}): EventMsg {
  return { type: 'exec_command_end', call_id: callId, exit_code: 0, duration_ms: 1234, aggregated_output: '', status: 'completed', ...fields };
}

/** A view that has seen `events`, after the session header. */
function viewWith(...events: EventMsg[]): TranscriptView {
  const view = new TranscriptView({ version: '1.2.3' });
  for (const msg of [configured, ...events]) view.apply(msg);
  return view;
}

function texts(lines: Line[]): string[] {
  return lines.map(plainText);
}

/** Committed text after the session header and the blank line that follows it, checking the blank-line rules. */
function body(view: TranscriptView): string[] {
  const all = texts(view.takeCommitted());
  expectTidy(all);
  expect(all.slice(0, 3)).toEqual([...HEADER, '']);
  return all.slice(3);
}

function expectTidy(lines: string[]): void {
  expect(lines[0]).not.toBe('');
  expect(lines.at(-1)).not.toBe('');
  lines.forEach((text, index) => {
    if (index > 0 && text.trim() === '') expect(lines[index - 1]?.trim(), `blank lines in a row at ${index}`).not.toBe('');
  });
}

function liveText(view: TranscriptView, width = 80, maxRows = 50, now = 0): string[] {
  return texts(view.live(width, maxRows, now));
}

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
    const view = viewWith({ type: 'task_started', model_context_window: null }, { type: 'user_message', message: 'hi' });
    expect(view.taskRunning).toBe(true);
    expect(body(view)).toEqual(['› hi']);
    for (const delta of ['Hel', 'lo\nsecond', ' line']) view.apply({ type: 'agent_message_delta', delta });
    // A blank row first: the live part sits below committed lines as it will once committed.
    expect(liveText(view)).toEqual(['', 'Hello', 'second line']);
    expect(view.takeCommitted()).toEqual([]);
    view.apply({ type: 'agent_message', message: 'Hello\nsecond line' });
    expect(liveText(view)).toEqual([]);
    expect(texts(view.takeCommitted())).toEqual(['', 'Hello', 'second line']);
    view.apply({ type: 'task_complete', last_agent_message: null });
    expect(view.taskRunning).toBe(false);
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

  describe('commands', () => {
    it('shows a running command live with its last output lines and a clock', () => {
      const view = viewWith(begin('c1', ['npm', 'test']));
      for (const chunk of ['one\ntw', 'o\nthree\nfour\nfive\nsix\nsev', 'en']) view.apply(output('c1', chunk));
      expect(liveText(view, 80, 50, 1000)).toEqual(['', '$ npm test', '  three', '  four', '  five', '  six', '  seven', '  running 0s · Ctrl+C to stop']);
      expect(liveText(view, 80, 50, 4500).at(-1)).toBe('  running 3s · Ctrl+C to stop');
      view.apply(end('c1', { aggregated_output: 'one\ntwo\nthree\nfour\nfive\nsix\nseven\n', duration_ms: 3500 }));
      expect(body(view)).toEqual(['$ npm test', '  one', '  two', '  three', '  four', '  five', '  six', '  seven', '  ✓ exit 0 · 3.5s']);
      expect(liveText(view)).toEqual([]);
    });

    it('ticks only while a command runs', () => {
      const view = viewWith({ type: 'task_started', model_context_window: null }, { type: 'agent_message_delta', delta: 'Let me look.' });
      expect(view.ticking).toBe(false);
      view.apply(begin('c1', ['sleep', '5']));
      view.apply(begin('c2', ['sleep', '6']));
      expect(view.ticking).toBe(true);
      view.apply(end('c1'));
      expect(view.ticking).toBe(true);
      view.apply(end('c2'));
      expect(view.ticking).toBe(false);
    });

    it('shows every command running at once, in the order they began', () => {
      const view = viewWith(begin('c1', ['sleep', '5']), begin('c2', ['echo', 'hi there']));
      view.apply(output('c2', 'hi there\n'));
      expect(liveText(view, 80, 50, 0)).toEqual([
        '',
        '$ sleep 5',
        '  running 0s · Ctrl+C to stop',
        '',
        "$ echo 'hi there'",
        '  hi there',
        '  running 0s · Ctrl+C to stop',
      ]);
    });

    it('commits only the last lines of a long output, after a …', () => {
      const aggregated = Array.from({ length: 20 }, (_, index) => `line ${index}`).join('\n');
      const view = viewWith(begin('c1', ['seq', '20']), end('c1', { aggregated_output: aggregated, duration_ms: 50 }));
      expect(body(view)).toEqual(['$ seq 20', '  …', ...Array.from({ length: 8 }, (_, index) => `  line ${index + 12}`), '  ✓ exit 0 · 0.1s']);
    });

    it.each([
      [{ exit_code: 2, status: 'failed' }, '  ✗ exit 2 · 1.2s', 'red'],
      [{ exit_code: 124, status: 'timed_out' }, '  ✗ timed out after 1.2s', 'red'],
      [{ exit_code: 130, status: 'aborted' }, '  ⏹ stopped after 1.2s', 'yellow'],
      [{ exit_code: 0, status: 'completed' }, '  ✓ exit 0 · 1.2s', 'green'],
    ] as const)('ends with a status line for %o', (fields, status, color) => {
      const lines = viewWith(begin('c1', ['false']), end('c1', fields)).takeCommitted();
      expect(plainText(lines.at(-1)!)).toBe(status);
      expect(lines.at(-1)?.spans[0]?.style?.color).toBe(color);
    });

    it('says where a command runs when it is not the session directory', () => {
      const view = viewWith(begin('c1', ['make'], `${CWD}/web`), end('c1'), begin('c2', ['ls'], '/tmp'), end('c2'));
      expect(body(view)).toEqual(['$ make (in web)', '  ✓ exit 0 · 1.2s', '', '$ ls (in /tmp)', '  ✓ exit 0 · 1.2s']);
    });

    it('shows the first lines of a script passed to a shell', () => {
      const script = 'set -e\ncd web\nnpm ci\nnpm run build\nnpm test';
      const lines = texts(viewWith(begin('c1', ['bash', '-lc', script]), end('c1')).takeCommitted().slice(3));
      expect(lines).toEqual(["$ bash -lc 'set -e", '  cd web', '  npm ci', '  … (2 more lines)', '  ✓ exit 0 · 1.2s']);
    });

    it('still commits the end of a command it never saw begin', () => {
      expect(body(viewWith(end('lost', { exit_code: 1, status: 'failed', aggregated_output: 'oops\n' })))).toEqual([
        '$ (command)',
        '  oops',
        '  ✗ exit 1 · 1.2s',
      ]);
    });

    it('keeps a bounded tail of a command that prints megabytes', () => {
      const view = viewWith(begin('c1', ['yes']));
      const chunk = `${'y'.repeat(999)}\n`.repeat(64);
      const started = performance.now();
      for (let index = 0; index < 1000; index++) view.apply(output('c1', chunk));
      // One enormous line with no newline, growing in small pieces.
      for (let index = 0; index < 5000; index++) view.apply(output('c1', `${index % 10}`.repeat(1000)));
      expect(performance.now() - started).toBeLessThan(5000);
      expect(serialize(view).length).toBeLessThan(64 * 1024);
      const rows = view.live(40, 50, 0);
      expect(rows).toHaveLength(8);
      expect(plainText(rows[2]!)).toBe(`  ${'y'.repeat(37)}…`);
      expect(rows.every((row) => lineWidth(row) <= 40)).toBe(true);
    });

    it('never lets escape codes through, and shows a progress bar as it ends up', () => {
      const view = viewWith(begin('c1', ['build']));
      view.apply(output('c1', '\u001b[31mred\u001b[0m text\n\u001b]0;evil title\u0007ok\n  10%\r  5'));
      view.apply(output('c1', '0%\r 100%'));
      expect(liveText(view).slice(2, 5)).toEqual(['  red text', '  ok', '   100%']);
      view.apply(end('c1', { aggregated_output: '\u001b[1mbold\u001b[0m\r\nbell\u0007\n' }));
      view.apply({ type: 'agent_message_delta', delta: 'clear \u001b[2J screen' });
      expect(liveText(view)).toEqual(['', 'clear  screen']);
      view.apply({ type: 'agent_message', message: 'done \u001b[2J' });
      view.apply({ type: 'user_message', message: 'me \u001b[H' });
      const lines = view.takeCommitted();
      expect(texts(lines).slice(3, 6)).toEqual(['$ build', '  bold', '  bell']);
      for (const row of lines) for (const part of row.spans) expect(part.text).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    });
  });

  describe('interrupts and failures', () => {
    it('commits what was live, a running command as stopped, then says what happened', () => {
      const view = viewWith(
        { type: 'task_started', model_context_window: null },
        { type: 'user_message', message: 'run the server' },
        { type: 'agent_message_delta', delta: 'Starting it now' },
        begin('c1', ['npm', 'start']),
        output('c1', 'listening on :3000\n'),
      );
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
      expect(view.taskRunning).toBe(false);
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

    it('shows a plan with a mark for each step', () => {
      const view = viewWith({
        type: 'plan_update',
        explanation: null,
        plan: [
          { step: 'read the code', status: 'completed' },
          { step: 'fix the bug', status: 'in_progress' },
          { step: 'run the tests', status: 'pending' },
        ],
      });
      expect(body(view)).toEqual(['Plan', '  ✓ read the code', '  → fix the bug', '  · run the tests']);
    });
  });

  describe('the live part', () => {
    it('wraps to the width and keeps the last rows', () => {
      const words = Array.from({ length: 30 }, (_, index) => `word${index}`);
      const view = viewWith({ type: 'agent_message_delta', delta: `${words.slice(0, 20).join(' ')}\n${words.slice(20).join(' ')}` });
      const rows = view.live(20, 3, 0);
      expect(texts(rows)).toEqual(['word23 word24 word25', 'word26 word27 word28', 'word29']);
      expect(rows.every((row) => lineWidth(row) <= 20)).toBe(true);
      expect(view.live(20, 0, 0)).toEqual([]);
    });

    it('keeps the commands and cuts the stream above them when rows are short', () => {
      const view = viewWith({ type: 'agent_message_delta', delta: 'a\nb\nc\nd' }, begin('c1', ['make']));
      expect(liveText(view, 80, 5, 0)).toEqual(['c', 'd', '', '$ make', '  running 0s · Ctrl+C to stop']);
      expect(liveText(view, 80, 2, 0)).toEqual(['$ make', '  running 0s · Ctrl+C to stop']);
    });

    it('stays fast while a long answer streams in', () => {
      const view = viewWith({ type: 'task_started', model_context_window: null });
      const started = performance.now();
      for (let index = 0; index < 100_000; index++) {
        view.apply({ type: 'agent_message_delta', delta: index % 12 === 11 ? 'end of line.\n' : `token${index} ` });
        if (index % 80 === 0) view.live(100, 30, 0);
      }
      expect(performance.now() - started).toBeLessThan(3000);
      expect(view.live(100, 30, 0)).toHaveLength(30);
    });
  });

  describe('a streamed answer as Markdown', () => {
    const streaming = (...deltas: string[]): TranscriptView =>
      viewWith(...deltas.map((delta): EventMsg => ({ type: 'agent_message_delta', delta })));

    it('renders finished lines and the line being written', () => {
      const view = streaming('Some **bo', 'ld** text\n- item with `co', 'de`\nand *ital', 'ic*');
      const rows = view.live(80, 10, 0);
      expect(texts(rows)).toEqual(['', 'Some bold text', '• item with code', 'and italic']);
      expect(rows[1]!.spans).toContainEqual({ text: 'bold', style: { bold: true } });
      expect(rows[2]!.spans).toContainEqual({ text: 'code', style: { color: 'cyan' } });
      expect(rows[3]!.spans).toContainEqual({ text: 'italic', style: { italic: true } });
    });

    it('shows code as code when the visible rows start inside a fence opened far above', () => {
      const code = Array.from({ length: 200 }, (_, index) => `let x${index} = **${index}**;\n`).join('');
      const view = streaming('Intro\n```ts\n', code);
      const rows = view.live(80, 4, 0);
      expect(texts(rows)).toEqual(['    let x196 = **196**;', '    let x197 = **197**;', '    let x198 = **198**;', '    let x199 = **199**;']);
      expect(rows[3]!.spans).toEqual([{ text: '    let x199 = **199**;', style: { color: 'cyan' } }]);
      // The line being written inside the fence is code too.
      view.apply({ type: 'agent_message_delta', delta: '# not a heading' });
      expect(texts(view.live(80, 2, 0)).at(-1)).toBe('    # not a heading');
      view.apply({ type: 'agent_message_delta', delta: '\n```\n**after**\n' });
      const after = view.live(80, 3, 0);
      expect(texts(after)).toEqual(['    let x199 = **199**;', '    # not a heading', 'after']);
      expect(after[2]!.spans).toEqual([{ text: 'after', style: { bold: true } }]);
    });

    it('knows a fence closed above the visible rows', () => {
      const view = streaming('```\ncode\n```\n', ...Array.from({ length: 100 }, (_, index) => `**line ${index}**\n`));
      const rows = view.live(80, 3, 0);
      expect(texts(rows)).toEqual(['line 97', 'line 98', 'line 99']);
      expect(rows.every((row) => row.spans[0]?.style?.bold === true)).toBe(true);
    });

    it('shows what it will commit, wrapped, for a message that ends with a line break', () => {
      const message = [
        '# Plan',
        '',
        'Some *intro* text that is long enough to wrap on a narrow screen, with `code` in it.',
        '',
        '> quoted',
        'lazily continued',
        '',
        '| file | lines |',
        '|:-----|------:|',
        '| a.ts | 12 |',
        '| b.ts | 1234 |',
        '',
        '```sh',
        'npm test',
        '```',
        '1. done',
        '',
      ].join('\n');
      const view = streaming(...message.match(/[^]{1,3}/g)!);
      const committed = wrapLines(renderMarkdown(message), 30);
      for (const rows of [3, 8, 12, 40]) {
        // With rows to spare, a blank row separates the answer from the header above it.
        const expected = committed.length < rows ? [{ spans: [] }, ...committed] : committed.slice(-rows);
        expect(view.live(30, rows, 0)).toEqual(expected);
      }
    });

    it('renders a table streamed row by row, taking in its header when the rows above are cut', () => {
      const view = streaming('| name | size |\n|---|---:|\n');
      for (let index = 0; index < 30; index++) view.apply({ type: 'agent_message_delta', delta: `| file${index} | ${index * 100} |\n` });
      expect(texts(view.live(80, 3, 0))).toEqual(['file27 │ 2700', 'file28 │ 2800', 'file29 │ 2900']);
      view.apply({ type: 'agent_message_delta', delta: '| half' });
      // The row being written is already one of the table's.
      expect(texts(view.live(80, 2, 0))).toEqual(['file29 │ 2900', 'half']);
    });

    it('commits an answer cut short as Markdown, as it was shown', () => {
      const view = viewWith(
        { type: 'agent_message_delta', delta: 'Half **an** ans' },
        { type: 'error', message: 'stream closed', kind: 'stream_incomplete' },
      );
      const lines = view.takeCommitted().slice(3);
      expect(texts(lines)).toEqual(['Half an ans', '', 'error: stream closed']);
      expect(lines[0]!.spans).toContainEqual({ text: 'an', style: { bold: true } });
    });

    it('stays fast while a long Markdown answer streams in', () => {
      const view = viewWith({ type: 'task_started', model_context_window: null });
      const pieces = ['Some ', '**bold** ', 'and `code` ', '| a | b |', '> quote ', '- item ', '\n', '```\n', 'x = 1;\n', '\n'];
      const started = performance.now();
      for (let index = 0; index < 100_000; index++) {
        view.apply({ type: 'agent_message_delta', delta: pieces[(index * 7) % pieces.length]! });
        if (index % 80 === 0) view.live(100, 30, 0);
      }
      expect(performance.now() - started).toBeLessThan(1000);
      expect(view.live(100, 30, 0)).toHaveLength(30);
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
