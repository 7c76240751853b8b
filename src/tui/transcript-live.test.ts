import { describe, expect, it } from 'vitest';
import type { EventMsg } from '../protocol/index.ts';
import { renderMarkdown } from './markdown.ts';
import { lineWidth, wrapLines } from '../util/text/wrap.ts';
import type { TranscriptView } from './transcript.ts';
import { begin, liveText, texts, viewWith } from './transcript-fixture.ts';

describe('TranscriptView: the live part', () => {
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

  // How fast: bench/tui-render.bench.ts.
  it('keeps the live part to its rows while a long answer streams in', () => {
    const view = viewWith({ type: 'task_started', model_context_window: null });
    for (let index = 0; index < 100_000; index++) {
      view.apply({ type: 'agent_message_delta', delta: index % 12 === 11 ? 'end of line.\n' : `token${index} ` });
      if (index % 80 === 0) view.live(100, 30, 0);
    }
    expect(view.live(100, 30, 0)).toHaveLength(30);
  });
});

describe('TranscriptView: a streamed answer as Markdown', () => {
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
