import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { plainText } from '../util/text/styled.ts';
import { lineWidth } from '../util/text/wrap.ts';
import { begin, body, CWD, end, liveText, output, texts, viewWith } from './transcript-fixture.ts';

describe('TranscriptView: commands', () => {
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
    // How fast: bench/tui-render.bench.ts.
    for (let index = 0; index < 1000; index++) view.apply(output('c1', chunk));
    // One enormous line with no newline, growing in small pieces.
    for (let index = 0; index < 5000; index++) view.apply(output('c1', `${index % 10}`.repeat(1000)));
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
