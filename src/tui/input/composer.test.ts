import { describe, expect, it } from 'vitest';
import { textWidth } from '../text/width.ts';
import { Composer } from './composer.ts';

/**
 * A composer holding `marked` with the cursor where `|` is, and a way to read it back the same way, so tests can show
 * text and cursor together.
 */
function composer(marked: string): Composer {
  const editor = new Composer();
  editor.setText(marked.replace('|', ''), marked.indexOf('|'));
  return editor;
}

function show(editor: Composer): string {
  return `${editor.text.slice(0, editor.cursor)}|${editor.text.slice(editor.cursor)}`;
}

describe('Composer: text and insertion', () => {
  it('starts empty and puts the cursor at the end by default', () => {
    const editor = new Composer();
    expect(editor.isEmpty()).toBe(true);
    expect(show(editor)).toBe('|');
    editor.setText('abc');
    expect(show(editor)).toBe('abc|');
    expect(editor.isEmpty()).toBe(false);
    editor.clear();
    expect(show(editor)).toBe('|');
  });

  it('inserts at the cursor', () => {
    const editor = composer('ab|cd');
    editor.insert('XY');
    expect(show(editor)).toBe('abXY|cd');
    editor.newline();
    expect(show(editor)).toBe('abXY\n|cd');
  });

  it('normalises inserted line ends and tabs and drops other control chars', () => {
    const editor = composer('|');
    editor.insert('a\r\nb\rc\td\u0007\u001b[31me\u0085');
    expect(show(editor)).toBe('a\nb\nc    d[31me|');
  });

  it('normalises text given to setText and keeps the cursor at the same place in it', () => {
    const editor = new Composer();
    editor.setText('a\tb\r\nc', 4);
    expect(show(editor)).toBe('a    b\n|c');
    editor.setText('abc', 99);
    expect(show(editor)).toBe('abc|');
  });

  it('moves a cursor given in the middle of a surrogate pair to its start', () => {
    const editor = new Composer();
    editor.setText('a😀b', 2);
    expect(editor.cursor).toBe(1);
  });
});

describe('Composer: deleting and moving by character', () => {
  it('deletes and moves one character at a time, across line breaks', () => {
    const editor = composer('ab\n|cd');
    editor.backspace();
    expect(show(editor)).toBe('ab|cd');
    editor.deleteForward();
    expect(show(editor)).toBe('ab|d');
    editor.left();
    editor.left();
    editor.left();
    expect(show(editor)).toBe('|abd');
    editor.backspace();
    expect(show(editor)).toBe('|abd');
    editor.setText('a\nb', 1);
    editor.right();
    expect(show(editor)).toBe('a\n|b');
    editor.lineEnd();
    editor.deleteForward();
    editor.right();
    expect(show(editor)).toBe('a\nb|');
  });

  it('treats an emoji surrogate pair as one character', () => {
    const editor = composer('a😀|b');
    editor.backspace();
    expect(show(editor)).toBe('a|b');
    editor.setText('a😀b', 1);
    editor.deleteForward();
    expect(show(editor)).toBe('a|b');
    editor.setText('😀😀');
    editor.left();
    expect(editor.cursor).toBe(2);
    editor.right();
    expect(editor.cursor).toBe(4);
  });

  it('treats a whole grapheme cluster (combining accent, emoji sequence) as one character', () => {
    const family = '👨‍👩‍👧';
    const editor = composer(`xe\u0301${family}|y`);
    editor.backspace();
    expect(show(editor)).toBe('xe\u0301|y');
    editor.backspace();
    expect(show(editor)).toBe('x|y');
    editor.setText(`${family}z`, 0);
    editor.right();
    expect(editor.cursor).toBe(family.length);
  });
});

describe('Composer: words', () => {
  it('moves by words of letters, digits and underscores, in any script', () => {
    const editor = composer('foo.bar_baz  héllo9 |');
    editor.wordLeft();
    expect(show(editor)).toBe('foo.bar_baz  |héllo9 ');
    editor.wordLeft();
    expect(show(editor)).toBe('foo.|bar_baz  héllo9 ');
    editor.wordLeft();
    expect(show(editor)).toBe('|foo.bar_baz  héllo9 ');
    editor.wordRight();
    expect(show(editor)).toBe('foo|.bar_baz  héllo9 ');
    editor.wordRight();
    editor.wordRight();
    expect(show(editor)).toBe('foo.bar_baz  héllo9| ');
  });

  it('crosses line breaks when moving by words', () => {
    const editor = composer('one\n|two');
    editor.wordLeft();
    expect(show(editor)).toBe('|one\ntwo');
    editor.wordRight();
    editor.wordRight();
    expect(show(editor)).toBe('one\ntwo|');
  });

  it('kills spaces and the word before the cursor, or a run of punctuation', () => {
    const editor = composer('call(foo_bar,  baz   |)');
    editor.killWordBefore();
    expect(show(editor)).toBe('call(foo_bar,  |)');
    editor.killWordBefore();
    expect(show(editor)).toBe('call(foo_bar|)');
    editor.killWordBefore();
    expect(show(editor)).toBe('call(|)');
    editor.killWordBefore();
    expect(show(editor)).toBe('call|)');
  });

  it('deletes spaces and the word after the cursor', () => {
    const editor = composer('go|  to 世界.');
    editor.deleteWordAfter();
    expect(show(editor)).toBe('go| 世界.');
    editor.deleteWordAfter();
    expect(show(editor)).toBe('go|.');
    editor.deleteWordAfter();
    expect(show(editor)).toBe('go|');
    editor.deleteWordAfter();
    expect(show(editor)).toBe('go|');
  });
});

describe('Composer: lines and kills', () => {
  it('goes to the start and end of the current logical line', () => {
    const editor = composer('one\ntw|o\nthree');
    editor.lineStart();
    expect(show(editor)).toBe('one\n|two\nthree');
    editor.lineEnd();
    expect(show(editor)).toBe('one\ntwo|\nthree');
  });

  it('kills to the line start, joining with the line above when already there', () => {
    const editor = composer('one\ntw|o');
    editor.killToLineStart();
    expect(show(editor)).toBe('one\n|o');
    editor.killToLineStart();
    expect(show(editor)).toBe('one|o');
    editor.killToLineStart();
    expect(show(editor)).toBe('|o');
    editor.killToLineStart();
    expect(show(editor)).toBe('|o');
  });

  it('kills to the line end, joining with the line below when already there', () => {
    const editor = composer('o|ne\ntwo');
    editor.killToLineEnd();
    expect(show(editor)).toBe('o|\ntwo');
    editor.killToLineEnd();
    expect(show(editor)).toBe('o|two');
    editor.killToLineEnd();
    editor.killToLineEnd();
    expect(show(editor)).toBe('o|');
  });

  it('yanks the text of the last kill that deleted something', () => {
    const editor = composer('hello wor|ld');
    editor.killToLineEnd();
    editor.killWordBefore();
    expect(show(editor)).toBe('hello |');
    editor.killToLineEnd(); // nothing to kill: the last kill stays
    editor.yank();
    editor.yank();
    expect(show(editor)).toBe('hello worwor|');
    const fresh = new Composer();
    fresh.yank();
    expect(fresh.isEmpty()).toBe(true);
  });
});

describe('Composer: up and down', () => {
  it('reports the first and last line', () => {
    const editor = composer('a\nb|\nc');
    expect(editor.onFirstLine()).toBe(false);
    expect(editor.onLastLine()).toBe(false);
    editor.setText('a\nb', 0);
    expect(editor.onFirstLine()).toBe(true);
    expect(editor.onLastLine()).toBe(false);
    editor.setText('a\nb');
    expect(editor.onLastLine()).toBe(true);
  });

  it('moves to the same column, or the end of a shorter line, and not past the first or last line', () => {
    const editor = composer('abcdef\nxy\nlonger li|ne');
    expect(editor.up()).toBe(true);
    expect(show(editor)).toBe('abcdef\nxy|\nlonger line');
    expect(editor.up()).toBe(true);
    // The column from before the short line is kept while only moving up and down.
    expect(show(editor)).toBe('abcdef|\nxy\nlonger line');
    expect(editor.up()).toBe(false);
    expect(show(editor)).toBe('abcdef|\nxy\nlonger line');
    editor.down();
    editor.down();
    expect(show(editor)).toBe('abcdef\nxy\nlonger li|ne');
    expect(editor.down()).toBe(false);
  });

  it('forgets the kept column once the cursor moves sideways', () => {
    const editor = composer('abcdef\nx\nabcd|ef');
    editor.up();
    editor.left();
    editor.up();
    expect(show(editor)).toBe('|abcdef\nx\nabcdef');
  });

  it('measures the column in display width, so wide characters line up', () => {
    const editor = composer('中文字符\nabc|de');
    editor.up();
    // Column 3 falls in the middle of 文 (columns 2–3): the cursor stops before it.
    expect(show(editor)).toBe('中|文字符\nabcde');
    editor.right();
    editor.down();
    expect(show(editor)).toBe('中文字符\nabcd|e');
  });
});

describe('Composer: layout', () => {
  it('lays out empty text as one empty row', () => {
    expect(new Composer().layout(10)).toEqual({ rows: [''], cursorRow: 0, cursorCol: 0 });
  });

  it('wraps long lines by character and starts a row for each logical line', () => {
    const editor = composer('abcdefg\n\nhi|');
    expect(editor.layout(3)).toEqual({ rows: ['abc', 'def', 'g', '', 'hi'], cursorRow: 4, cursorCol: 2 });
    editor.setText('abcdefg\n\nhi', 5);
    expect(editor.layout(3)).toMatchObject({ cursorRow: 1, cursorCol: 2 });
    editor.setText('abcdefg\n\nhi', 8);
    expect(editor.layout(3)).toMatchObject({ cursorRow: 3, cursorCol: 0 });
  });

  it('shows a cursor at the end of a full row at column 0 of the next row', () => {
    const editor = composer('abc|def');
    expect(editor.layout(3)).toEqual({ rows: ['abc', 'def'], cursorRow: 1, cursorCol: 0 });
    editor.setText('abcdef');
    expect(editor.layout(3)).toEqual({ rows: ['abc', 'def', ''], cursorRow: 2, cursorCol: 0 });
    editor.setText('abc\nx', 3);
    expect(editor.layout(3)).toEqual({ rows: ['abc', '', 'x'], cursorRow: 1, cursorCol: 0 });
  });

  it('never splits a wide character across rows and counts it as two columns', () => {
    const editor = composer('ab中文|字');
    expect(editor.layout(5)).toEqual({ rows: ['ab中', '文字'], cursorRow: 1, cursorCol: 2 });
    editor.setText('ab中文字', 3);
    expect(editor.layout(5)).toEqual({ rows: ['ab中', '文字'], cursorRow: 1, cursorCol: 0 });
    editor.setText('ab中文字', 2);
    expect(editor.layout(5)).toMatchObject({ cursorRow: 0, cursorCol: 2 });
  });

  it('keeps combining marks and emoji sequences with their character', () => {
    const editor = composer('ae\u0301b|');
    expect(editor.layout(2)).toEqual({ rows: ['ae\u0301', 'b'], cursorRow: 1, cursorCol: 1 });
    editor.setText('a😀b');
    expect(editor.layout(2)).toEqual({ rows: ['a', '😀', 'b'], cursorRow: 2, cursorCol: 1 });
  });

  it('shows a cursor set inside a cluster after the part of it before the cursor', () => {
    const editor = composer('ab|\u0301c');
    expect(editor.layout(10)).toEqual({ rows: ['ab\u0301c'], cursorRow: 0, cursorCol: 2 });
    editor.setText('abcd\u0301', 4);
    expect(editor.layout(3)).toEqual({ rows: ['abc', 'd\u0301'], cursorRow: 1, cursorCol: 1 });
  });

  it('counts emoji with VS16 or a skin tone, and flags, as two columns, and keeps them whole', () => {
    const editor = composer('⚠️👍🏽🇫🇷x|');
    expect(editor.layout(3)).toEqual({ rows: ['⚠️', '👍🏽', '🇫🇷x', ''], cursorRow: 3, cursorCol: 0 });
    expect(editor.layout(4)).toEqual({ rows: ['⚠️👍🏽', '🇫🇷x'], cursorRow: 1, cursorCol: 3 });
  });

  it('gives a character wider than the whole row a row of its own', () => {
    const editor = composer('a中|b');
    expect(editor.layout(1)).toEqual({ rows: ['a', '中', 'b'], cursorRow: 2, cursorCol: 0 });
  });
});

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

  it('keeps a keystroke and its layout quick on a big paste (a generous bound, not a benchmark)', () => {
    const editor = new Composer();
    for (const text of [BIG_PASTE, LONG_LINE]) {
      editor.setText(text);
      editor.layout(80);
      const started = performance.now();
      for (let key = 0; key < 50; key += 1) {
        if (key % 5 === 4) editor.backspace();
        else editor.insert('a');
        editor.layout(80);
      }
      expect(performance.now() - started).toBeLessThan(200);
    }
  });
});
