import { describe, expect, it } from 'vitest';
import { liveFrame } from './live-frame.ts';
import type { Pane } from './panes/pane.ts';
import { plainText, span, type Line } from '../util/text/styled.ts';

/** A pane of `rows` rows with the cursor on its last one; it records the area it was given. */
function fixedPane(rows: number): Pane & { areas: unknown[] } {
  const areas: unknown[] = [];
  return {
    kind: 'prompt',
    areas,
    handleKey: () => ({ type: 'handled' }),
    render: (area) => {
      areas.push(area);
      return { rows: Array.from({ length: rows }, (_, index) => ({ spans: [span(`pane ${index}`)] })), cursor: { row: rows - 1, col: 4 } };
    },
  };
}

const line = (text: string): Line => ({ spans: [span(text)] });

describe('liveFrame', () => {
  it('stacks the live transcript, a gap, the pane, the hint and the status line, with the cursor in the pane', () => {
    const pane = fixedPane(2);
    const asked: number[] = [];
    const frame = liveFrame({
      width: 30,
      height: 12,
      pane,
      queued: [],
      hint: line('hint'),
      status: line('status'),
      live: (maxRows) => {
        asked.push(maxRows);
        return [line('streaming')];
      },
    });
    expect(frame.rows.map(plainText)).toEqual(['streaming', '', 'pane 0', 'pane 1', 'hint', 'status']);
    expect(frame.cursor).toEqual({ row: 3, col: 4 });
    // 12 rows less the free one and the footer: 9 for the rest, of which the pane takes 2 and the gap 1.
    expect(pane.areas).toEqual([{ width: 30, height: 12, room: 9 }]);
    expect(asked).toEqual([6]);
  });

  it('lists queued prompts between blank rows, on one line each, and cuts a long hint', () => {
    const frame = liveFrame({
      width: 30,
      height: 12,
      pane: fixedPane(1),
      queued: ['first\nprompt', 'second'],
      hint: line('a hint far longer than the thirty columns'),
      status: line('status'),
      live: () => [],
    });
    expect(frame.rows.map(plainText)).toEqual(['', '↳ queued: first prompt', '↳ queued: second', '', 'pane 0', 'a hint far longer than the th…', 'status']);
    expect(frame.cursor).toEqual({ row: 4, col: 4 });
  });
});
