import { describe, expect, it } from 'vitest';
import { sanitize, sanitizeLines } from './sanitize.ts';

const ESC = '\u001b';

describe('sanitize', () => {
  it('leaves ordinary text alone', () => {
    expect(sanitize('plain text, ünïcode 中文 😀')).toBe('plain text, ünïcode 中文 😀');
    expect(sanitize('')).toBe('');
  });

  it('removes CSI sequences: colours, cursor movement, private modes', () => {
    expect(sanitize(`${ESC}[1;31merror${ESC}[0m: bad`)).toBe('error: bad');
    expect(sanitize(`a${ESC}[2Jb${ESC}[10;20Hc${ESC}[?1049hd${ESC}[Ke`)).toBe('abcde');
    expect(sanitize(`x${ESC}[38;2;255;0;0mred`)).toBe('xred');
    expect(sanitize(`x${ESC}[>4;2m${ESC}[ q y`)).toBe('x y');
  });

  it('removes 8-bit CSI sequences', () => {
    expect(sanitize('a\u009b31mb\u009b2Jc')).toBe('abc');
  });

  it('removes OSC strings ended by BEL or ST, including hyperlinks and title changes', () => {
    expect(sanitize(`${ESC}]0;evil title\u0007text`)).toBe('text');
    expect(sanitize(`${ESC}]8;;https://example.com${ESC}\\link${ESC}]8;;${ESC}\\ after`)).toBe('link after');
    expect(sanitize(`${ESC}]52;c;aGVsbG8=\u0007ok`)).toBe('ok');
  });

  it('ends a control string at any escape, which is then removed as well', () => {
    expect(sanitize(`${ESC}]0;title${ESC}[31mred`)).toBe('red');
  });

  it('drops an unterminated control string to the end of the line', () => {
    expect(sanitize(`visible${ESC}]0;never ends`)).toBe('visible');
  });

  it('removes DCS, SOS, PM and APC strings', () => {
    expect(sanitize(`a${ESC}Pq#0;1;2${ESC}\\b`)).toBe('ab');
    expect(sanitize(`a${ESC}Xsos${ESC}\\b${ESC}^pm${ESC}\\c${ESC}_apc${ESC}\\d`)).toBe('abcd');
  });

  it('drops 8-bit control string introducers alone, leaving harmless text', () => {
    expect(sanitize('a\u009d0;title\u009cb')).toBe('a0;titleb');
    expect(sanitize('a\u0090dcs\u009cb')).toBe('adcsb');
  });

  it('removes two-byte escapes and escapes with intermediates', () => {
    expect(sanitize(`a${ESC}7b${ESC}8c${ESC}Md${ESC}(Be${ESC}#8f`)).toBe('abcdef');
    expect(sanitize(`a${ESC}cb`)).toBe('ab');
  });

  it('never lets an ESC through, however malformed the input', () => {
    const inputs = [ESC, `${ESC}${ESC}`, `a${ESC}`, `${ESC}[`, `${ESC}[12;`, `${ESC}[1\u00e9m`, `${ESC}\u00e9`, `${ESC}]`, `${ESC}\\`];
    for (const input of inputs) expect(sanitize(input), JSON.stringify(input)).not.toMatch(/[\u001b\u009b]/);
    expect(sanitize(`${ESC}[1\u00e9m`)).toBe('\u00e9m');
  });

  it('drops C0 controls, DEL and C1 controls', () => {
    expect(sanitize('a\u0000b\u0007c\u0008d\u007fe\u0085f\u009fg\u000bh\u000ci')).toBe('abcdefghi');
  });

  it('keeps what follows the last carriage return, as a progress bar would show', () => {
    expect(sanitize('10%\r50%\r100%')).toBe('100%');
    expect(sanitize('done\r')).toBe('done');
    expect(sanitize('a\rb\r')).toBe('b');
    expect(sanitize('a\r\r\r')).toBe('a');
    expect(sanitize('\r')).toBe('');
    expect(sanitize(`50%\r${ESC}[K60%`)).toBe('60%');
  });

  it('shows bidirectional controls as U+FFFD, so that text cannot be drawn reordered', () => {
    // "Trojan Source": with RLO the terminal would draw the rest of the command backwards.
    expect(sanitize('rm -rf \u202e/ ; echo safe')).toBe('rm -rf \ufffd/ ; echo safe');
    const controls = ['\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
    for (const control of controls) expect(sanitize(`a${control}b`), control.codePointAt(0)!.toString(16)).toBe('a\ufffdb');
    expect(sanitize('\u2067\u2066x\u2069\u2069')).toBe('\ufffd\ufffdx\ufffd\ufffd');
    // Neighbours that are not bidi controls are left alone: zero-width joiner, Arabic and Hebrew letters.
    expect(sanitize('👨\u200d👩 שלום مرحبا \u200d')).toBe('👨\u200d👩 שלום مرحبا \u200d');
  });

  it('replaces bidi controls along with the other clean-ups, before measuring for tabs', () => {
    expect(sanitize(`${ESC}[31m\u202eab${ESC}[0m\tc`)).toBe('\ufffdab     c');
    expect(sanitizeLines('ok\n\u2066x\u2069\n')).toEqual(['ok', '\ufffdx\ufffd']);
  });

  it('expands tabs to the next multiple of eight columns', () => {
    expect(sanitize('\tx')).toBe('        x');
    expect(sanitize('ab\tc')).toBe('ab      c');
    expect(sanitize('abcdefgh\tc')).toBe('abcdefgh        c');
    expect(sanitize('a\t\tb')).toBe('a               b');
    expect(sanitize('中文\tx')).toBe('中文    x');
    expect(sanitize(`${ESC}[31mab${ESC}[0m\tc`)).toBe('ab      c');
  });
});

describe('sanitizeLines', () => {
  it('splits on newlines, with or without carriage returns', () => {
    expect(sanitizeLines('a\nb\r\nc')).toEqual(['a', 'b', 'c']);
  });

  it('does not add a line for a single final newline', () => {
    expect(sanitizeLines('a\n')).toEqual(['a']);
    expect(sanitizeLines('a\n\n')).toEqual(['a', '']);
    expect(sanitizeLines('\n')).toEqual(['']);
    expect(sanitizeLines('')).toEqual([]);
  });

  it('sanitizes every line', () => {
    expect(sanitizeLines(`${ESC}[32mok${ESC}[0m\n\tx\nbar\rbaz\n`)).toEqual(['ok', '        x', 'baz']);
  });
});
