import { describe, expect, it } from 'vitest';
import { KeyParser, type Key } from './keys.ts';

const ESC = '\u001b';

/** All keys from feeding `chunks` one after another to a fresh parser. */
function parse(...chunks: string[]): Key[] {
  const parser = new KeyParser();
  return chunks.flatMap((chunk) => parser.feed(chunk));
}

function named(name: string, mods: { ctrl?: boolean; alt?: boolean; shift?: boolean } = {}): Key {
  return { kind: 'key', name, ctrl: mods.ctrl ?? false, alt: mods.alt ?? false, shift: mods.shift ?? false };
}

function text(value: string): Key {
  return { kind: 'text', text: value };
}

describe('KeyParser: single bytes', () => {
  it('maps the control bytes of raw mode', () => {
    expect(parse('\r')).toEqual([named('enter')]);
    expect(parse('\n')).toEqual([named('j', { ctrl: true })]);
    expect(parse('\t')).toEqual([named('tab')]);
    expect(parse('\u007f')).toEqual([named('backspace')]);
    expect(parse('\b')).toEqual([named('backspace')]);
    expect(parse('\u0000')).toEqual([named('space', { ctrl: true })]);
    expect(parse('\u0001\u0004\u0005\u0017\u001a')).toEqual(['a', 'd', 'e', 'w', 'z'].map((name) => named(name, { ctrl: true })));
  });

  it('reads Ctrl+C as a key, also in the middle of typed text', () => {
    expect(parse('\u0003')).toEqual([named('c', { ctrl: true })]);
    expect(parse('ab\u0003cd')).toEqual([text('ab'), named('c', { ctrl: true }), text('cd')]);
  });

  it('ignores 0x1c–0x1f and C1 controls', () => {
    expect(parse('a\u001c\u001d\u001e\u001fb\u0085c')).toEqual([text('abc')]);
  });

  it('coalesces printable characters, including non-ASCII and surrogate pairs, into one text key', () => {
    expect(parse('héllo 世界 😀!')).toEqual([text('héllo 世界 😀!')]);
  });

  it('splits text around keys and never merges text across feeds', () => {
    expect(parse('ab', 'cd')).toEqual([text('ab'), text('cd')]);
    expect(parse('a\rb')).toEqual([text('a'), named('enter'), text('b')]);
  });
});

describe('KeyParser: Alt and ESC', () => {
  it('reads ESC + printable char as Alt + that char, uppercase as shifted', () => {
    expect(parse(`${ESC}b`)).toEqual([named('b', { alt: true })]);
    expect(parse(`${ESC}B`)).toEqual([named('b', { alt: true, shift: true })]);
    expect(parse(`${ESC}.`)).toEqual([named('.', { alt: true })]);
    expect(parse(`${ESC} `)).toEqual([named('space', { alt: true })]);
    expect(parse(`${ESC}é`)).toEqual([named('é', { alt: true })]);
  });

  it('reads ESC + Enter / Backspace / control byte as that key with Alt', () => {
    expect(parse(`${ESC}\r`)).toEqual([named('enter', { alt: true })]);
    expect(parse(`${ESC}\u007f`)).toEqual([named('backspace', { alt: true })]);
    expect(parse(`${ESC}\b`)).toEqual([named('backspace', { alt: true })]);
    expect(parse(`${ESC}\u0004`)).toEqual([named('d', { ctrl: true, alt: true })]);
  });

  it('holds a lone ESC at the end of a feed until flush() makes it the escape key', () => {
    const parser = new KeyParser();
    expect(parser.feed(`x${ESC}`)).toEqual([text('x')]);
    expect(parser.pending).toBe(true);
    expect(parser.flush()).toEqual([named('escape')]);
    expect(parser.pending).toBe(false);
    expect(parser.flush()).toEqual([]);
  });

  it('joins a held ESC with the next feed when more input comes before flush()', () => {
    const parser = new KeyParser();
    expect(parser.feed(ESC)).toEqual([]);
    expect(parser.feed('f')).toEqual([named('f', { alt: true })]);
    expect(parser.pending).toBe(false);
  });

  it('reads ESC ESC as escape and then reads the second ESC again', () => {
    expect(parse(`${ESC}${ESC}[A`)).toEqual([named('escape'), named('up')]);
    expect(parse(`${ESC}${ESC}b`)).toEqual([named('escape'), named('b', { alt: true })]);
    const parser = new KeyParser();
    expect(parser.feed(`${ESC}${ESC}`)).toEqual([named('escape')]);
    expect(parser.pending).toBe(true);
    expect(parser.flush()).toEqual([named('escape')]);
  });

  it('is not pending after complete input', () => {
    const parser = new KeyParser();
    parser.feed(`ab${ESC}[A`);
    expect(parser.pending).toBe(false);
    expect(parser.flush()).toEqual([]);
  });
});

describe('KeyParser: CSI and SS3', () => {
  it('reads arrows in both the CSI and the SS3 form', () => {
    expect(parse(`${ESC}[A${ESC}[B${ESC}[C${ESC}[D`)).toEqual([named('up'), named('down'), named('right'), named('left')]);
    expect(parse(`${ESC}OA${ESC}OB${ESC}OC${ESC}OD`)).toEqual([named('up'), named('down'), named('right'), named('left')]);
  });

  it('decodes the modifier parameter as a bitmask, with meta folded into alt', () => {
    expect(parse(`${ESC}[1;2A`)).toEqual([named('up', { shift: true })]);
    expect(parse(`${ESC}[1;3D`)).toEqual([named('left', { alt: true })]);
    expect(parse(`${ESC}[1;5C`)).toEqual([named('right', { ctrl: true })]);
    expect(parse(`${ESC}[1;8B`)).toEqual([named('down', { shift: true, alt: true, ctrl: true })]);
    expect(parse(`${ESC}[1;9D`)).toEqual([named('left', { alt: true })]);
  });

  it('reads Home, End, Insert, Delete, PageUp and PageDown in all their forms', () => {
    for (const home of ['[H', 'OH', '[1~', '[7~']) expect(parse(ESC + home)).toEqual([named('home')]);
    for (const end of ['[F', 'OF', '[4~', '[8~']) expect(parse(ESC + end)).toEqual([named('end')]);
    expect(parse(`${ESC}[2~`)).toEqual([named('insert')]);
    expect(parse(`${ESC}[3~`)).toEqual([named('delete')]);
    expect(parse(`${ESC}[3;5~`)).toEqual([named('delete', { ctrl: true })]);
    expect(parse(`${ESC}[5~${ESC}[6~`)).toEqual([named('pageup'), named('pagedown')]);
    expect(parse(`${ESC}[1;5H`)).toEqual([named('home', { ctrl: true })]);
  });

  it('reads Shift+Tab', () => {
    expect(parse(`${ESC}[Z`)).toEqual([named('tab', { shift: true })]);
  });

  it('drops focus reports, F-keys, mouse reports, query replies and unknown sequences without leaking text', () => {
    const junk = [
      '[I',
      '[O',
      '[15~',
      '[24;2~',
      'OP',
      '[[A',
      '[<0;12;5M',
      '[?1u',
      '[?62;22c',
      '[12;40R',
      '[201~',
      '[1 q',
      '[99X',
      ']11;rgb:0000/0000/0000\u0007',
      `]11;rgb:ffff/ffff/ffff${ESC}\\`,
      `P>|xterm(390)${ESC}\\`,
      '_Gi=1;OK\u0007',
    ];
    for (const sequence of junk) expect(parse(`a${ESC}${sequence}b`), JSON.stringify(sequence)).toEqual([text('ab')]);
  });

  it('drops a malformed CSI up to the byte that breaks it, then reads on', () => {
    expect(parse(`${ESC}[1;\rx`)).toEqual([named('enter'), text('x')]);
    expect(parse(`${ESC}[12é`)).toEqual([text('é')]);
  });

  it('drops a held partial sequence on flush() instead of inserting it', () => {
    const parser = new KeyParser();
    expect(parser.feed(`a${ESC}[1;5`)).toEqual([text('a')]);
    expect(parser.pending).toBe(true);
    expect(parser.flush()).toEqual([]);
    expect(parser.pending).toBe(false);
    expect(parser.feed('C')).toEqual([text('C')]);
  });

  it('drops an unterminated sequence that grows too long to be real', () => {
    const parser = new KeyParser();
    expect(parser.feed(`${ESC}[${'1'.repeat(5000)}`)).toEqual([]);
    expect(parser.pending).toBe(false);
    expect(parser.feed('x')).toEqual([text('x')]);
  });
});

describe('KeyParser: kitty keyboard protocol and modifyOtherKeys', () => {
  it('reads Shift+Enter in both encodings', () => {
    expect(parse(`${ESC}[13;2u`)).toEqual([named('enter', { shift: true })]);
    expect(parse(`${ESC}[27;2;13~`)).toEqual([named('enter', { shift: true })]);
  });

  it('names the special key codes', () => {
    expect(parse(`${ESC}[27u`)).toEqual([named('escape')]);
    expect(parse(`${ESC}[13u`)).toEqual([named('enter')]);
    expect(parse(`${ESC}[9;2u`)).toEqual([named('tab', { shift: true })]);
    expect(parse(`${ESC}[127;3u`)).toEqual([named('backspace', { alt: true })]);
    expect(parse(`${ESC}[32;5u`)).toEqual([named('space', { ctrl: true })]);
    expect(parse(`${ESC}[27;5;13~`)).toEqual([named('enter', { ctrl: true })]);
  });

  it('reads Ctrl/Alt + character as a named key, the same as the legacy bytes', () => {
    expect(parse(`${ESC}[99;5u`)).toEqual(parse('\u0003'));
    expect(parse(`${ESC}[98;3u`)).toEqual(parse(`${ESC}b`));
    expect(parse(`${ESC}[97;6u`)).toEqual([named('a', { ctrl: true, shift: true })]);
    expect(parse(`${ESC}[27;5;99~`)).toEqual([named('c', { ctrl: true })]);
    expect(parse(`${ESC}[27;6;65~`)).toEqual([named('a', { ctrl: true, shift: true })]);
  });

  it('reads a printable key with no modifier or only shift as text, merged with typed text around it', () => {
    expect(parse(`x${ESC}[97u${ESC}[97;2uy`)).toEqual([text('xaAy')]);
    expect(parse(`${ESC}[49:33;2u`)).toEqual([text('!')]);
    expect(parse(`${ESC}[27;2;33~`)).toEqual([text('!')]);
    expect(parse(`${ESC}[97;2;65u`)).toEqual([text('A')]);
  });

  it('ignores key release events, kitty functional codes and invalid codes', () => {
    expect(parse(`${ESC}[13;1:3u`)).toEqual([]);
    expect(parse(`${ESC}[1;1:3A`)).toEqual([]);
    expect(parse(`${ESC}[97;5:2u`)).toEqual([named('a', { ctrl: true })]); // a repeat is a press
    expect(parse(`${ESC}[57441;2u`)).toEqual([]);
    expect(parse(`${ESC}[3u${ESC}[1114112u${ESC}[27;5~`)).toEqual([]);
  });
});

describe('KeyParser: split input', () => {
  const sequences: Array<[string, Key[]]> = [
    [`${ESC}[1;5A`, [named('up', { ctrl: true })]],
    [`${ESC}[13;2u`, [named('enter', { shift: true })]],
    [`${ESC}[27;2;13~`, [named('enter', { shift: true })]],
    [`${ESC}OH`, [named('home')]],
    [`${ESC}[3~`, [named('delete')]],
    [`${ESC}]11;rgb:0/0/0${ESC}\\`, []],
  ];

  it.each(sequences)('reads %j the same when split at every position', (sequence, expected) => {
    for (let cut = 0; cut <= sequence.length; cut++) {
      const parser = new KeyParser();
      const keys = [...parser.feed(sequence.slice(0, cut)), ...parser.feed(sequence.slice(cut))];
      expect(keys, `cut at ${cut}`).toEqual(expected);
      expect(parser.pending).toBe(false);
    }
  });

  it('reads a sequence fed one char at a time, reporting pending until it completes', () => {
    const parser = new KeyParser();
    const sequence = `${ESC}[1;3C`;
    for (const char of sequence.slice(0, -1)) {
      expect(parser.feed(char)).toEqual([]);
      expect(parser.pending).toBe(true);
    }
    expect(parser.feed('C')).toEqual([named('right', { alt: true })]);
  });
});

describe('KeyParser: bracketed paste', () => {
  const start = `${ESC}[200~`;
  const end = `${ESC}[201~`;

  it('delivers the content as one paste key, normalising line ends and keeping tabs', () => {
    expect(parse(`a${start}one\r\ntwo\rthree\n\tfour${end}b`)).toEqual([text('a'), { kind: 'paste', text: 'one\ntwo\nthree\n\tfour' }, text('b')]);
  });

  it('removes escape sequences and control bytes from the content', () => {
    const content = `${ESC}[31mred${ESC}[0m ${ESC}]0;title\u0007x\u0003y${ESC}[A z\u0000${ESC}`;
    expect(parse(start + content + end)).toEqual([{ kind: 'paste', text: 'red xy z' }]);
  });

  it('does not read keys inside a paste', () => {
    expect(parse(`${start}\u0003${ESC}[13;2u\r${end}`)).toEqual([{ kind: 'paste', text: '\n' }]);
  });

  it('assembles a paste split across many feeds, with ESC bytes and \\r\\n split between them', () => {
    const whole = `${start}line one\r\n${ESC}[1mbold${ESC}[22m\r\nend${end}`;
    for (let cut = 0; cut <= whole.length; cut++) {
      for (const second of [cut, Math.min(whole.length, cut + 3)]) {
        const keys = parse(whole.slice(0, cut), whole.slice(cut, second), whole.slice(second));
        expect(keys, `cuts at ${cut}, ${second}`).toEqual([{ kind: 'paste', text: 'line one\nbold\nend' }]);
      }
    }
  });

  it('keeps a paste open across flush() and reports pending until its end arrives', () => {
    const parser = new KeyParser();
    expect(parser.feed(`${start}half ${ESC}`)).toEqual([]);
    expect(parser.pending).toBe(true);
    expect(parser.flush()).toEqual([]);
    expect(parser.feed('[201')).toEqual([]);
    expect(parser.flush()).toEqual([]);
    expect(parser.feed('~x')).toEqual([{ kind: 'paste', text: 'half ' }, text('x')]);
    expect(parser.pending).toBe(false);
  });

  it('delivers an empty paste as an empty paste key', () => {
    expect(parse(start + end)).toEqual([{ kind: 'paste', text: '' }]);
  });
});
