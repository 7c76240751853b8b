/**
 * The prompt editor checked against the plain definition of its layout and cursor moves (every logical line segmented
 * whole), on random edits of random text and on texts too big or too odd to list by hand.
 */
import { describe, expect, it } from 'vitest';
import { textWidth } from '../../util/text/width.ts';
import { Composer, type ComposerLayout } from './composer.ts';

/**
 * The layout and cursor moves as plainly defined: every logical line segmented whole. Used to check the composer,
 * which segments only what it must and keeps its layout between calls, on texts too big or too odd to list by hand.
 */
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function referenceLayout(text: string, cursor: number, width: number): { rows: string[]; cursorRow: number; cursorCol: number } {
  const rows: string[] = [];
  let at = { row: 0, col: 0 };
  let lineStart = 0;
  for (const line of text.split('\n')) {
    let row = '';
    let used = 0;
    for (const { segment, index } of graphemes.segment(line)) {
      const columns = textWidth(segment);
      if (row !== '' && (used + columns > width || used >= width)) {
        rows.push(row);
        row = '';
        used = 0;
      }
      // A cursor inside a cluster (set there with setText) shows after the part of the cluster before it.
      const inside = cursor - lineStart - index;
      if (inside >= 0 && inside < segment.length) at = { row: rows.length, col: used + textWidth(segment.slice(0, inside)) };
      row += segment;
      used += columns;
    }
    if (lineStart + line.length === cursor) {
      if (used >= width) {
        rows.push(row);
        row = '';
        used = 0;
      }
      at = { row: rows.length, col: used };
    }
    rows.push(row);
    lineStart += line.length + 1;
  }
  return { rows, cursorRow: at.row, cursorCol: at.col };
}

/** Where Left and Right go from `cursor`, as plainly defined (`containing` keeps this linear on long lines). */
function referenceMoves(text: string, cursor: number): { left: number; right: number } {
  const start = cursor === 0 ? 0 : text.lastIndexOf('\n', cursor - 1) + 1;
  const newline = text.indexOf('\n', cursor);
  const end = newline === -1 ? text.length : newline;
  const left =
    cursor === start ? Math.max(0, start - 1) : start + graphemes.segment(text.slice(start, cursor)).containing(cursor - start - 1)!.index;
  const right =
    cursor === end ? Math.min(text.length, end + 1) : cursor + graphemes.segment(text.slice(cursor, end)).containing(0)!.segment.length;
  return { left, right };
}

/** A small deterministic generator of pseudo-random numbers (mulberry32), so failures can be replayed. */
function random(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return Math.floor((((value ^ (value >>> 14)) >>> 0) / 4294967296) * below);
  };
}

/** Pieces that exercise clusters: accents, emoji sequences, flags, Indic conjuncts, Thai, Hangul jamo, prepends. */
const PIECES = [
  'a', 'b', 'z', ' ', 'word ', '.', 'é', 'e\u0301', '中', '文', 'あ', '😀', '👍🏽', '👍', '🏽', '⚠️', '❤️', '\ufe0f',
  '🇫🇷', '🇩🇪', '🇫', '\u200d', '👨‍👩‍👧', 'नमस्ते', 'क्', '\u094d', 'กำ', '\u0e33', '\u0600', '1', '한', '\u1100\u1161\u11a8',
  '\u11a8', '1️⃣', 'x\u0301\u0302\u0303', '가', '\u{16d63}', '\u{16d67}', '\n', '\n',
];

function randomText(next: (below: number) => number, pieces: number): string {
  let text = '';
  for (let index = 0; index < pieces; index += 1) text += PIECES[next(PIECES.length)];
  return text;
}

/** Big texts as pasted: source code of thousands of lines, and one long line of minified text. */
const CODE_LINE = 'const value = someFunction(argument, another) + 42; // a comment that makes it longer';
const BIG_PASTE = Array.from({ length: 4000 }, (_, index) =>
  index % 100 === 7 ? `  // ${index}: naïve café, 中文注释, ⚠️ emoji 👍🏽 🇫🇷` : `${' '.repeat(index % 8)}${index} ${CODE_LINE}`,
).join('\n');
const LONG_LINE = Array.from({ length: 6000 }, (_, index) => `{"key${index}":"value ${index}","n":${index * 7}},`).join('').slice(0, 200_000);

describe('Composer: the same as segmenting whole lines, on any text and after any edits', () => {
  it('lays out and moves like the plain definition after random edits, at random widths', () => {
    const next = random(7);
    const editor = new Composer();
    const edits: Array<() => unknown> = [
      () => editor.insert(PIECES[next(PIECES.length)]!),
      () => editor.insert(PIECES[next(PIECES.length)]!),
      () => editor.insert(randomText(next, 6)),
      () => editor.backspace(),
      () => editor.deleteForward(),
      () => editor.left(),
      () => editor.right(),
      () => editor.up(),
      () => editor.down(),
      () => editor.wordLeft(),
      () => editor.killWordBefore(),
      () => editor.killToLineEnd(),
      () => editor.killToLineStart(),
      () => editor.yank(),
      () => editor.lineStart(),
      () => editor.lineEnd(),
    ];
    for (let round = 0; round < 60; round += 1) {
      editor.setText(randomText(next, 30), next(60));
      // One width for most of a round, so that layouts build on the one before, as they do while typing.
      const roundWidth = [1, 2, 3, 5, 8, 13][round % 6]!;
      for (let step = 0; step < 60; step += 1) {
        edits[next(edits.length)]!();
        const width = next(10) === 0 ? roundWidth + 1 : roundWidth;
        const context = JSON.stringify({ text: editor.text, cursor: editor.cursor, width });
        expect(editor.layout(width), context).toEqual(referenceLayout(editor.text, editor.cursor, width));
        const moves = referenceMoves(editor.text, editor.cursor);
        const probe = new Composer();
        probe.setText(editor.text, editor.cursor);
        probe.left();
        expect(probe.cursor, context).toBe(moves.left);
        probe.setText(editor.text, editor.cursor);
        probe.right();
        expect(probe.cursor, context).toBe(moves.right);
      }
    }
  });

  it('finds clusters far longer than the stretch it segments at a time', () => {
    const cases = [
      `ab${'\u0301'.repeat(700)}c`, // one cluster of 701 units
      `x${'🇫🇷'.repeat(400)}y`, // flags: how they pair depends on the whole run
      `x${'🇫🇷'.repeat(400)}🇩y`,
      'नमस्ते'.repeat(300), // no place where a boundary is certain without segmenting
      `${'👍🏽\u200d'.repeat(200)}z`,
      `${'가\u{16d63}\u{16d67}x'.repeat(200)}`, // Kirat Rai vowels join a Hangul syllable, and each other
      `${'ab\u0e33'.repeat(300)}`, // Thai SARA AM, a letter that joins the one before it
    ];
    for (const text of cases) {
      const editor = new Composer();
      for (const cursor of [0, 1, 2, 3, 100, 301, 700, 701, 702, 803, text.length - 3, text.length - 1, text.length]) {
        if (cursor > text.length) continue;
        editor.setText(text, cursor);
        const at = editor.cursor;
        const moves = referenceMoves(text, at);
        editor.left();
        expect(editor.cursor, `${at} in ${text.length}`).toBe(moves.left);
        editor.setText(text, at);
        editor.right();
        expect(editor.cursor, `${at} in ${text.length}`).toBe(moves.right);
        for (const width of [1, 7, 80]) expect(editor.layout(width)).toEqual(referenceLayout(text, editor.cursor, width));
      }
    }
  });

  it('lays out a 4,000-line paste the same, and keeps doing so while it is edited', () => {
    const editor = new Composer();
    editor.setText(BIG_PASTE);
    expect(editor.layout(60)).toEqual(referenceLayout(BIG_PASTE, BIG_PASTE.length, 60));
    const next = random(11);
    for (let step = 0; step < 30; step += 1) {
      if (step % 10 === 0) editor.setText(editor.text, next(editor.text.length));
      [() => editor.insert('x'), () => editor.insert('中\n'), () => editor.backspace(), () => editor.left(), () => editor.down()][next(5)]!();
    }
    expect(editor.layout(60)).toEqual(referenceLayout(editor.text, editor.cursor, 60));
    expect(editor.layout(33)).toEqual(referenceLayout(editor.text, editor.cursor, 33));
  });

  it('handles a single 200 KB line: rows, cursor and moves anywhere in it', () => {
    const editor = new Composer();
    editor.setText(LONG_LINE);
    let layout = editor.layout(78);
    expect(layout.rows.join('')).toBe(LONG_LINE);
    expect(layout.rows.every((row) => row.length === 78 || row === layout.rows.at(-1))).toBe(true);
    expect(layout).toMatchObject({ cursorRow: layout.rows.length - 1, cursorCol: LONG_LINE.length % 78 });
    editor.setText(LONG_LINE, 100_000);
    editor.insert('中');
    editor.left();
    editor.left();
    expect(editor.cursor).toBe(99_999);
    layout = editor.layout(78);
    expect(layout.rows.join('')).toBe(editor.text);
    expect(layout).toMatchObject({ cursorRow: Math.floor(99_999 / 78), cursorCol: 99_999 % 78 });
    // Everything after the wide char moves by one column; rows that end before it stay as they were.
    expect(layout.rows[1281]).toBe(LONG_LINE.slice(99_918, 99_996));
    expect(layout.rows[1282]).toBe(`${LONG_LINE.slice(99_996, 100_000)}中${LONG_LINE.slice(100_000, 100_072)}`);
  });

  // How quick each key is, on these texts and others like them, is measured by bench/tui-composer.bench.ts.
  it('keeps laying out a big paste right while keys are typed and deleted at its end', () => {
    const editor = new Composer();
    const typeAtTheEnd = (text: string): ComposerLayout => {
      editor.setText(text);
      let layout = editor.layout(80);
      for (let key = 0; key < 50; key += 1) {
        if (key % 5 === 4) editor.backspace();
        else editor.insert('a');
        layout = editor.layout(80);
      }
      // Four letters then a Backspace, ten times over: thirty letters more.
      expect(editor.text).toBe(`${text}${'a'.repeat(30)}`);
      return layout;
    };
    expect(typeAtTheEnd(BIG_PASTE)).toEqual(referenceLayout(editor.text, editor.cursor, 80));
    // One line of ASCII: rows of 80 columns each, the cursor after the last letter.
    const long = typeAtTheEnd(LONG_LINE);
    expect(long.rows.join('')).toBe(editor.text);
    expect(long.rows.every((row, index) => row.length === 80 || index === long.rows.length - 1)).toBe(true);
    expect(long).toMatchObject({ cursorRow: Math.floor(editor.text.length / 80), cursorCol: editor.text.length % 80 });
  });
});
