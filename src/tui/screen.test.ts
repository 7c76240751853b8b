/** The differential renderer against a real terminal emulator: what ends up on the screen and in the scrollback. */
import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { Screen } from './screen.ts';
import { line, span, type Line } from '../util/text/styled.ts';

const { Terminal } = xterm;

class Harness {
  readonly term: InstanceType<typeof Terminal>;
  written = '';
  private parsed = Promise.resolve();

  constructor(
    public cols: number,
    public rowCount: number,
  ) {
    this.term = new Terminal({ cols, rows: rowCount, scrollback: 1000, allowProposedApi: true });
  }

  readonly output = {
    write: (data: string): void => {
      this.written += data;
      this.parsed = this.parsed.then(() => new Promise<void>((resolve) => this.term.write(data, resolve)));
    },
    columns: (): number => this.cols,
    rows: (): number => this.rowCount,
  };

  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rowCount = rows;
    this.term.resize(cols, rows);
  }

  async screen(): Promise<string[]> {
    await this.parsed;
    const buffer = this.term.buffer.active;
    const rows: string[] = [];
    for (let y = 0; y < this.rowCount; y++) rows.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true).trimEnd() ?? '');
    return rows;
  }

  async all(): Promise<string[]> {
    await this.parsed;
    const buffer = this.term.buffer.active;
    const rows: string[] = [];
    for (let y = 0; y < buffer.length; y++) rows.push(buffer.getLine(y)?.translateToString(true).trimEnd() ?? '');
    while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
    return rows;
  }

  async cursor(): Promise<{ x: number; y: number }> {
    await this.parsed;
    return { x: this.term.buffer.active.cursorX, y: this.term.buffer.active.cursorY };
  }
}

const rows = (...texts: string[]): Line[] => texts.map((text) => line(text));

describe('Screen', () => {
  it('prints committed lines once, above the live area, and keeps the live area at the bottom of the output', async () => {
    const h = new Harness(40, 10);
    const screen = new Screen(h.output, false);
    screen.setLive(rows('› hello', 'status'), { row: 0, col: 7 });
    screen.render();
    screen.commit(rows('first answer'));
    screen.setLive(rows('› ', 'status'), { row: 0, col: 2 });
    screen.render();
    screen.commit(rows('second answer'));
    screen.render();
    expect(await h.all()).toEqual(['first answer', 'second answer', '›', 'status']);
    expect(await h.cursor()).toEqual({ x: 2, y: 2 });
  });

  it('rewrites only the rows that changed', async () => {
    const h = new Harness(40, 10);
    const screen = new Screen(h.output, false);
    screen.setLive(rows('streaming…', '› ', 'model · cwd'), { row: 1, col: 2 });
    screen.render();
    const before = h.written.length;
    screen.setLive(rows('streaming…', '› a', 'model · cwd'), { row: 1, col: 3 });
    screen.render();
    const frame = h.written.slice(before);
    expect(frame).toContain('› a');
    expect(frame).not.toContain('streaming');
    expect(frame).not.toContain('model · cwd');
    expect(await h.all()).toEqual(['streaming…', '› a', 'model · cwd']);
  });

  it('shrinks and grows the live area without leaving old rows behind', async () => {
    const h = new Harness(40, 10);
    const screen = new Screen(h.output, false);
    screen.setLive(rows('a', 'b', 'c', 'd', 'prompt'), { row: 4, col: 0 });
    screen.render();
    screen.setLive(rows('x', 'prompt'), { row: 1, col: 0 });
    screen.render();
    expect(await h.all()).toEqual(['x', 'prompt']);
    screen.setLive(rows('x', 'y', 'z', 'prompt'), { row: 3, col: 0 });
    screen.render();
    expect(await h.all()).toEqual(['x', 'y', 'z', 'prompt']);
    screen.setLive([], null);
    screen.render();
    expect(await h.all()).toEqual([]);
  });

  it('wraps committed lines to the width and sends long transcripts into the scrollback', async () => {
    const h = new Harness(10, 5);
    const screen = new Screen(h.output, false);
    for (let index = 0; index < 20; index++) screen.commit(rows(`line ${index} of the transcript`));
    screen.setLive(rows('› '), { row: 0, col: 2 });
    screen.render();
    const all = await h.all();
    expect(all[0]).toBe('line 0 of');
    expect(all.at(-1)).toBe('›');
    expect(all.filter((row) => row.startsWith('line 19'))).toHaveLength(1);
    expect((await h.screen()).at(-1)).toBe('›');
  });

  it('never lets the live area outgrow the screen: the last rows win and the cursor follows', async () => {
    const h = new Harness(20, 5);
    const screen = new Screen(h.output, false);
    screen.setLive(rows('1', '2', '3', '4', '5', '6', '› typed'), { row: 6, col: 7 });
    screen.render();
    expect(await h.screen()).toEqual(['4', '5', '6', '› typed', '']);
    expect(await h.cursor()).toEqual({ x: 7, y: 3 });
    screen.setLive(rows('1', '2', '› typed!'), { row: 2, col: 8 });
    screen.render();
    const screenRows = await h.screen();
    expect(screenRows.filter((row) => row.startsWith('›'))).toEqual(['› typed!']);
  });

  it('redraws the visible part of the transcript at the new width after a resize', async () => {
    const h = new Harness(40, 8);
    const screen = new Screen(h.output, false);
    screen.commit(rows('a sentence that is long enough to wrap when narrow'));
    screen.setLive(rows('› ', 'status line'), { row: 0, col: 2 });
    screen.render();
    h.resize(20, 8);
    screen.resize();
    screen.render();
    const shown = await h.screen();
    expect(shown.slice(0, 3)).toEqual(['a sentence that is', 'long enough to wrap', 'when narrow']);
    expect(shown.filter((row) => row === 'status line')).toHaveLength(1);
    expect(shown.every((row) => row.length <= 20)).toBe(true);
  });

  it('does not reprint the transcript into the scrollback when a resize leaves no room for it', async () => {
    const h = new Harness(30, 10);
    const screen = new Screen(h.output, false);
    for (let index = 0; index < 250; index++) screen.commit(rows(`old line ${index}`));
    screen.setLive(rows('1', '2', '3', '4', '5', '6', '7', '8', '› '), { row: 8, col: 2 });
    screen.render();
    h.resize(30, 5);
    screen.resize();
    screen.setLive(rows('1', '2', '3', '4', '5', '6', '7', '8', '› '), { row: 8, col: 2 });
    screen.render();
    const all = await h.all();
    expect(all.filter((row) => row === 'old line 0')).toHaveLength(1);
    expect(all.filter((row) => row === 'old line 249')).toHaveLength(1);
    expect(await h.screen()).toEqual(['6', '7', '8', '›', '']);
  });

  it('writes colour only when asked to', () => {
    const plain = new Harness(20, 5);
    const noColor = new Screen(plain.output, false);
    noColor.setLive([line(span('red', { color: 'red', bold: true }))], null);
    noColor.render();
    expect(plain.written).not.toMatch(/\u001b\[[0-9;]*31m/);
    expect(plain.written).toContain('\u001b[1m');
    const colored = new Harness(20, 5);
    const withColor = new Screen(colored.output, true);
    withColor.setLive([line(span('red', { color: 'red' }))], null);
    withColor.render();
    expect(colored.written).toContain('\u001b[31m');
  });

  it('clears the live area on exit so what follows comes right after the transcript', async () => {
    const h = new Harness(30, 8);
    const screen = new Screen(h.output, false);
    screen.commit(rows('answer'));
    screen.setLive(rows('› draft', 'hint', 'status'), { row: 0, col: 7 });
    screen.render();
    screen.clearLive();
    h.output.write('bye\r\n');
    expect(await h.all()).toEqual(['answer', 'bye']);
  });
});
