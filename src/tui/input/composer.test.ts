import { describe, expect, it } from 'vitest';
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
