/**
 * Scripts for the differential test of the shell parser against bash (parse-bash-diff.test.ts): generated ones from
 * a seeded generator, so a failure reproduces from its index, and hand-collected ones (parse-bash-diff-cases.ts).
 *
 * Safety of running them: every program word comes from NAMES (no `/`, so bash never execs a real file: the test
 * shadows builtins with functions and sets PATH to an empty directory), and every redirection writes /dev/null or
 * duplicates a descriptor. Here-document bodies have no `/` either, because a body that ends early is run as commands.
 */
import { HAND_COLLECTED } from './parse-bash-diff-cases.ts';

/** mulberry32: small, seeded, the same sequence on every platform. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const NAMES = ['ls', 'cat', 'cat', 'echo', 'printf', 'grep', 'git', 'test', '[', 'true', 'x1', 'cd', 'read', 'exec', 'eval', 'export', 'local', 'command', 'set', 'rm', 'sed'];
// Reserved words and the like: unquoted, bash reads them as syntax, so they are rare and mostly quoted.
const RESERVED = ['if', '{', '}', '!', '[[', ']]', 'time', 'do', 'then', 'fi', 'function', 'case', 'in', 'done', 'coproc', 'select'];
const PLAIN = 'abcxyz0123-_.,:=+@%^';
const RICH = 'ab c;|&()<>*?[]~#{}$`"\\\n\t!=';
const DOUBLE_PLAIN = "ab c;|&()<>*?[]~#{}'\n!=/";
const ESCAPED = ' ;|&<>()$`\'"*?[]~#{}=a\\\n!';
const ANSI_ESCAPES = ['\\n', '\\t', '\\\\', "\\'", '\\"', '\\x41', '\\x6c', '\\101', '\\7', '\\u0041', '\\U0000006c', '\\a', '\\e', '\\E', '\\?', '\\z', '\\x4g'];
// Escapes the parser refuses (bash's result is not a string it can know: a NUL, a raw byte, a locale's spelling).
const REFUSED_ESCAPES = ['\\c', '\\0', '\\xff', '\\u00e9', '\\400'];
const PARAMS = ['$x', '${x}', '$1', '$@', '$#', '$?', '$-', '$$', '${#x}', '${x:-a}', '$_', '$'];
const ARITH = ['$((1+2))', '$(( 3 * (4+1) ))', '$((x))'];
const GLOBS = ['*', '?', '[ab]', '[!a]', '[', ']', 'a*', '*.ts', '[a-c]'];
const BRACES = ['{a,b}', '{1..3}', '{a,{b}}', '{', '}', '{a}', '{,}', 'x{a,b}y', '{a..c}', '{a,b', 'a,b}', '{..}'];
const REDIRECTS = ['>/dev/null', '2>/dev/null', '2>&1', '>&2', '1>&2', '</dev/null', '&>/dev/null', '>>/dev/null', '>|/dev/null', '2>>/dev/null', '0</dev/null', '>& /dev/null', '3>&1', '<&0'];
const SEPARATORS = ['; ', ';', ' && ', '&&', ' || ', '\n', '\n', ' & ', ' &&\n', ' ||\n'];
const DELIMITERS: [written: string, line: string][] = [['E', 'E'], ['EOF', 'EOF'], ["'E'", 'E'], ['"EOF"', 'EOF'], ['\\E', 'E'], ["'x y'", 'x y'], ['E"F"', 'EF']];

class Generator {
  /** Here-document bodies that go after the next newline the generator writes between commands. */
  private pending: string[] = [];

  constructor(private readonly random: () => number) {}

  script(): string {
    let text = this.list(0, true);
    if (this.pending.length > 0 || this.chance(0.3)) text += this.newline();
    return text;
  }

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  private chars(alphabet: string, max: number): string {
    let text = '';
    for (let n = 1 + this.int(max); n > 0; n -= 1) text += alphabet[this.int(alphabet.length)];
    return text;
  }

  /** A newline between commands, followed by the bodies of the here-documents started before it. */
  private newline(): string {
    const bodies = this.pending.join('');
    this.pending = [];
    return `\n${bodies}`;
  }

  /** `top`: here-documents may start (and newlines may appear) only where the body can follow in the same list. */
  private list(depth: number, top: boolean): string {
    let text = this.pipeline(depth, top);
    for (let n = this.int(3); n > 0; n -= 1) {
      let separator = this.pick(SEPARATORS);
      if (separator.includes('\n') && !top) separator = separator.replace('\n', ' ');
      if (separator.includes('\n') && this.chance(0.15)) separator = separator.replace('\n', ` # ${this.chars(RICH.replace('\n', ''), 8)}\n`);
      text += separator.includes('\n') ? separator.replace('\n', this.newline()) : separator;
      text += this.pipeline(depth, top);
    }
    if (this.chance(0.15)) text += this.pick([';', ' &', ' ;']);
    return text;
  }

  private pipeline(depth: number, top: boolean): string {
    let text = this.chance(0.08) ? '! ' : '';
    text += this.command(depth, top);
    for (let n = this.chance(0.3) ? 1 + this.int(2) : 0; n > 0; n -= 1) {
      const pipe = this.pick([' | ', '|', ' |& ', ' |\n']);
      text += pipe.includes('\n') ? (top ? ` |${this.newline()}` : ' | ') : pipe;
      text += this.command(depth, top);
    }
    return text;
  }

  private command(depth: number, top: boolean): string {
    const roll = this.random();
    if (depth < 2 && roll < 0.07) return `( ${this.list(depth + 1, top)} )${this.redirects(top)}`;
    if (depth < 2 && roll < 0.14) return `{ ${this.list(depth + 1, top)}; }${this.redirects(top)}`;
    return this.simple(depth, top);
  }

  private simple(depth: number, top: boolean): string {
    const words: string[] = [];
    // Only `v` is ever assigned on its own: K1, the one the test reads back, is only set for a single command.
    if (this.chance(0.05)) return `v=${this.word(depth, false)}`;
    if (this.chance(0.15)) words.push(`${this.pick(['K1=', 'K1+=', 'v='])}${this.word(depth, false)}`);
    words.push(this.program());
    for (let n = this.int(4); n > 0; n -= 1) words.push(this.word(depth, false));
    let text = words.join(this.chance(0.05) ? ' \\\n' : ' ');
    text += this.redirects(top);
    return text;
  }

  private redirects(top: boolean): string {
    let text = '';
    for (let n = this.chance(0.3) ? 1 + this.int(2) : 0; n > 0; n -= 1) {
      const roll = this.random();
      if (top && roll < 0.35) text += ` ${this.heredoc()}`;
      else if (roll < 0.5) text += ` <<<${this.word(2, false)}`;
      else text += ` ${this.pick(REDIRECTS)}`;
    }
    return text;
  }

  private heredoc(): string {
    const [written, line] = this.pick(DELIMITERS);
    const strip = this.chance(0.3);
    const body: string[] = [];
    for (let n = this.int(4); n > 0; n -= 1) body.push(this.heredocLine(line, strip));
    this.pending.push(`${body.join('')}${strip && this.chance(0.5) ? '\t' : ''}${line}\n`);
    return `<<${strip ? '-' : ''}${this.chance(0.2) ? ' ' : ''}${written}`;
  }

  private heredocLine(delimiter: string, strip: boolean): string {
    const pieces = ['text', ' x ', '$x', '${x}', '\\$x', '\\\\', '"q"', "'s'", '`true`', '$(true)', '\\', '\t', '$((1+2))', '\\`', delimiter, `${delimiter} `];
    let line = strip && this.chance(0.3) ? '\t' : '';
    for (let n = 1 + this.int(3); n > 0; n -= 1) line += this.pick(pieces);
    return `${line}\n`;
  }

  private program(): string {
    const name = this.chance(0.03) ? this.pick(RESERVED) : this.pick(NAMES);
    const roll = this.random();
    if (roll < 0.55 || name.length === 0) return name;
    if (roll < 0.62) return `'${name}'`;
    if (roll < 0.69) return `"${name}"`;
    if (roll < 0.76 && name.length > 1) return `${name[0]}'${name.slice(1)}'`;
    if (roll < 0.83) return `\\${name}`;
    if (roll < 0.9) return `$'${[...name].map((c) => `\\x${c.charCodeAt(0).toString(16)}`).join('')}'`;
    if (roll < 0.95 && name.length > 1) return `${name[0]}\\\n${name.slice(1)}`;
    return `$"${name}"`;
  }

  /** `depth` bounds substitutions inside the word; `quotedOnly` keeps it free of expansions that split. */
  private word(depth: number, quotedOnly: boolean): string {
    let text = '';
    for (let n = 1 + this.int(3); n > 0; n -= 1) text += this.segment(depth, quotedOnly, text === '');
    return text;
  }

  private segment(depth: number, quotedOnly: boolean, first: boolean): string {
    const roll = this.int(quotedOnly ? 6 : 19);
    switch (roll) {
      case 0:
        return `'${this.chars(RICH, 6)}'`;
      case 1:
        return `"${this.doubleQuoted(depth)}"`;
      case 2:
        return `$'${this.ansiC()}'`;
      case 3:
        return `\\${this.pick([...ESCAPED])}`;
      case 4:
        return `$"${this.chars(DOUBLE_PLAIN, 4)}"`;
      case 5:
        return this.chars(PLAIN, 4);
      case 6:
        return this.pick(GLOBS);
      case 7:
        return this.pick(BRACES);
      case 8:
        return first ? this.pick(['~', '~/a', '~+', '~-', '~x']) : this.pick(['=~', ':~', 'a=~', '~']);
      case 9:
        return this.pick(PARAMS);
      case 10:
        return depth < 2 ? `$(${this.list(depth + 1, false)})` : '$(true)';
      case 11:
        return depth < 2 ? `\`${this.inner()}\`` : '`true`';
      case 12:
        return this.pick(ARITH);
      case 13:
        return depth < 2 ? `${this.pick(['<(', '>('])}${this.inner()})` : 'p';
      case 14:
        return first ? 'a#b' : '#c';
      case 15:
        return '\\\n';
      case 16:
        return this.pick(['K1=a', 'a=b', '=', '--x=1', '-n', '!', '{', '}', '}x', 'a/b', './c', '/dev/null']);
      default:
        return this.chars(PLAIN, 3);
    }
  }

  private doubleQuoted(depth: number): string {
    const pieces = ['\\"', '\\\\', '\\$', '\\`', '\\a', '\\\n', '$x', '${x}', "'", '$', '$((1+2))', '$@', '~'];
    let text = '';
    for (let n = this.int(4); n > 0; n -= 1) {
      const roll = this.random();
      if (roll < 0.4) text += this.chars(DOUBLE_PLAIN, 5);
      else if (roll < 0.85) text += this.pick(pieces);
      else text += depth < 2 ? this.pick([`$(${this.inner()})`, `\`${this.inner()}\``]) : '$(true)';
    }
    return text;
  }

  private ansiC(): string {
    let text = '';
    for (let n = this.int(4); n > 0; n -= 1) {
      const roll = this.random();
      text += roll < 0.04 ? this.pick(REFUSED_ESCAPES) : roll < 0.5 ? this.pick(ANSI_ESCAPES) : this.chars("ab c$`\"{}*", 3);
    }
    return text;
  }

  /** A short command for backquotes and process substitutions: no backquotes or newlines inside. */
  private inner(): string {
    const words = [this.pick(NAMES)];
    for (let n = this.int(3); n > 0; n -= 1) words.push(this.word(2, true));
    return words.join(' ').replaceAll('`', '');
  }
}

/** `count` generated scripts from `seed`, then the hand-collected ones. */
export function bashDiffCorpus(seed: number, count: number): string[] {
  const generator = new Generator(seeded(seed));
  const scripts = Array.from({ length: count }, () => generator.script());
  return [...scripts, ...HAND_COLLECTED];
}
