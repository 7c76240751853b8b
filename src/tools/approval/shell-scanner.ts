/**
 * Turns shell source into tokens: words (with their quoting and substitutions), control operators, redirection
 * operators and newlines. Word scanning recurses into the parser for `$( … )`, backticks and `<( … )` through
 * `ScannerHooks`, because where a command substitution ends can only be known by parsing it.
 * Anything not reproduced exactly throws `ShellSyntaxError`, which the parser turns into "unparsable".
 */
import { decodeAnsiC } from './ansi-c-quote.ts';
import { arithmeticEnd } from './arithmetic-end.ts';
import { readHeredocBody } from './heredoc-body.ts';
import { ShellSyntaxError } from './shell-syntax-error.ts';
import type { Redirect, RedirectOp, ShellDialect, ShellList, Word, WordPart } from './shell-ast.ts';

export type ControlOp = '&&' | '||' | ';' | '&' | '|' | '|&' | '(' | ')' | ';;' | ';&' | ';;&';

export type Token =
  | { type: 'word'; word: Word }
  | { type: 'op'; op: ControlOp }
  | { type: 'redirect'; op: RedirectOp; fd: number | null }
  | { type: 'newline' }
  | { type: 'eof' };

export interface ScannerHooks {
  /** Parses a list from the scanner's position and consumes the `)` that ends it. */
  parseUntilParen(scanner: ShellScanner): ShellList;
  /** Parses separate source text (the inside of backticks) as a whole script. */
  parseSource(source: string): ShellList;
}

interface PendingHeredoc {
  redirect: Redirect;
  delimiter: string;
  quoted: boolean;
  stripTabs: boolean;
}

const METACHARS = new Set([' ', '\t', '\n', '|', '&', ';', '(', ')', '<', '>']);
// Longest first, so `&&` is not read as two `&`.
const REDIRECT_OPS: RedirectOp[] = ['&>>', '<<<', '<<-', '&>', '>>', '<<', '<&', '>&', '<>', '>|', '<', '>'];
const CONTROL_OPS: ControlOp[] = [';;&', '&&', '||', '|&', ';;', ';&', '&', '|', ';', '(', ')'];
// In sh these spell something else entirely (`a &> f` is `a &` then `> f`), so they are not guessed at.
const BASH_ONLY = new Set<string>(['&>>', '<<<', '&>', '|&', ';;&', ';&']);

export class ShellScanner {
  pos = 0;
  private peeked: Token | null = null;
  private readonly pending: PendingHeredoc[] = [];

  constructor(
    readonly text: string,
    readonly dialect: ShellDialect,
    private readonly hooks: ScannerHooks,
  ) {}

  peek(): Token {
    this.peeked ??= this.scanToken();
    return this.peeked;
  }

  next(): Token {
    const token = this.peek();
    this.peeked = null;
    return token;
  }

  /** Registers a here-document whose body starts after the next newline token. */
  addHeredoc(redirect: Redirect, delimiter: string, quoted: boolean, stripTabs: boolean): void {
    this.pending.push({ redirect, delimiter, quoted, stripTabs });
  }

  get hasPendingHeredocs(): boolean {
    return this.pending.length > 0;
  }

  private scanToken(): Token {
    this.skipBlanks();
    if (this.pos >= this.text.length) return { type: 'eof' };
    const rest = this.text.slice(this.pos, this.pos + 3);
    if (rest[0] === '\n') {
      this.pos += 1;
      this.readHeredocBodies();
      return { type: 'newline' };
    }
    const ioNumber = /^\d+(?=[<>])/.exec(this.text.slice(this.pos, this.pos + 12));
    if (ioNumber) {
      this.pos += ioNumber[0].length;
      const op = this.matchOp(REDIRECT_OPS);
      if (op === null) throw new ShellSyntaxError(`cannot read the redirection at "${this.text.slice(this.pos, this.pos + 8)}"`);
      return { type: 'redirect', op, fd: Number(ioNumber[0]) };
    }
    if (/^\{[A-Za-z_]\w*\}[<>]/.test(this.text.slice(this.pos, this.pos + 64))) {
      throw new ShellSyntaxError('{name}> redirections are not analysed');
    }
    if (rest.startsWith('<(') || rest.startsWith('>(')) return { type: 'word', word: this.scanWord() };
    const redirect = this.matchOp(REDIRECT_OPS);
    if (redirect !== null) return { type: 'redirect', op: redirect, fd: null };
    const control = this.matchOp(CONTROL_OPS);
    if (control !== null) return { type: 'op', op: control };
    return { type: 'word', word: this.scanWord() };
  }

  private matchOp<T extends string>(ops: readonly T[]): T | null {
    for (const op of ops) {
      if (!this.text.startsWith(op, this.pos)) continue;
      if (this.dialect === 'posix' && BASH_ONLY.has(op)) {
        throw new ShellSyntaxError(`"${op}" is bash syntax; this script is read as POSIX sh`);
      }
      this.pos += op.length;
      return op;
    }
    return null;
  }

  private skipBlanks(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t') this.pos += 1;
      else if (c === '\\' && this.text[this.pos + 1] === '\n') this.pos += 2;
      else if (c === '#') {
        while (this.pos < this.text.length && this.text[this.pos] !== '\n') this.pos += 1;
      } else return;
    }
  }

  private scanWord(): Word {
    const start = this.pos;
    const parts: WordPart[] = [];
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) break;
      if ((c === '<' || c === '>') && this.text[this.pos + 1] === '(' && parts.length === 0) {
        this.scanProcessSubstitution(parts);
        continue;
      }
      if (METACHARS.has(c)) break;
      if (c === '\\') this.scanEscape(parts);
      else if (c === "'") this.scanSingleQuoted(parts);
      else if (c === '"') {
        this.pos += 1;
        this.scanDoubleQuoted(parts, '"');
      } else if (c === '$') this.scanDollar(parts, false);
      else if (c === '`') this.scanBackticks(parts, false);
      else {
        pushText(parts, c, false);
        this.pos += 1;
      }
    }
    return { raw: this.text.slice(start, this.pos), parts };
  }

  private scanEscape(parts: WordPart[]): void {
    const n = this.text[this.pos + 1];
    if (n === undefined) throw new ShellSyntaxError('a backslash ends the script');
    this.pos += 2;
    if (n !== '\n') pushText(parts, n, true);
  }

  private scanSingleQuoted(parts: WordPart[]): void {
    const end = this.text.indexOf("'", this.pos + 1);
    if (end < 0) throw new ShellSyntaxError('unterminated single quote');
    pushText(parts, this.text.slice(this.pos + 1, end), true);
    this.pos = end + 1;
  }

  /**
   * Scans double-quoted text up to `closer` (a `"`), or to the end of the text for a here-document body (closer
   * null), where `"` is an ordinary character.
   */
  scanDoubleQuoted(parts: WordPart[], closer: '"' | null): void {
    pushText(parts, '', true);
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) {
        if (closer === null) return;
        throw new ShellSyntaxError('unterminated double quote');
      }
      if (c === closer) {
        this.pos += 1;
        return;
      }
      const n = this.text[this.pos + 1];
      if (c === '\\' && n !== undefined && (n === '$' || n === '`' || n === '\\' || n === '\n' || (n === '"' && closer !== null))) {
        if (n !== '\n') pushText(parts, n, true);
        this.pos += 2;
      } else if (c === '$') this.scanDollar(parts, true);
      else if (c === '`') this.scanBackticks(parts, true);
      else {
        pushText(parts, c, true);
        this.pos += 1;
      }
    }
  }

  private scanDollar(parts: WordPart[], inDouble: boolean): void {
    const start = this.pos;
    const n = this.text[this.pos + 1];
    if ((n === "'" || n === '"') && !inDouble) {
      if (this.dialect === 'posix') throw new ShellSyntaxError(`$${n}…${n} quoting is bash syntax; this script is read as POSIX sh`);
      if (n === '"') {
        // $"…" is a translatable string; without a message catalogue its value is the plain string.
        this.pos += 2;
        this.scanDoubleQuoted(parts, '"');
        return;
      }
      const decoded = decodeAnsiC(this.text, this.pos + 2);
      if (decoded.type === 'error') throw new ShellSyntaxError(decoded.reason);
      pushText(parts, decoded.value, true);
      this.pos = decoded.end;
      return;
    }
    if (n === '(' && this.text[this.pos + 2] === '(') {
      this.pos = arithmeticEnd(this.text, this.pos + 3);
      parts.push({ type: 'arith', raw: this.text.slice(start, this.pos) });
    } else if (n === '(') {
      this.pos += 2;
      const body = this.hooks.parseUntilParen(this);
      parts.push({ type: 'command_sub', body, raw: this.text.slice(start, this.pos) });
    } else if (n === '{') {
      const end = this.text.indexOf('}', this.pos + 2);
      const inner = end < 0 ? '' : this.text.slice(this.pos + 2, end);
      if (end < 0 || inner === '') throw new ShellSyntaxError('bad ${…} substitution');
      // Quotes, nesting and substitutions inside ${…} follow rules of their own; they are not guessed at.
      if (/['"\\$`{\n]/.test(inner)) throw new ShellSyntaxError(`\${${inner}} is not analysed`);
      this.pos = end + 1;
      parts.push({ type: 'param', raw: this.text.slice(start, this.pos) });
    } else if (n === '[') {
      throw new ShellSyntaxError('$[…] arithmetic is not analysed');
    } else if (n !== undefined && /[A-Za-z_]/.test(n)) {
      const name = /^[A-Za-z_]\w*/.exec(this.text.slice(this.pos + 1))![0];
      this.pos += 1 + name.length;
      parts.push({ type: 'param', raw: this.text.slice(start, this.pos) });
    } else if (n !== undefined && /[0-9@*#?\-$!]/.test(n)) {
      this.pos += 2;
      parts.push({ type: 'param', raw: this.text.slice(start, this.pos) });
    } else {
      pushText(parts, '$', inDouble);
      this.pos += 1;
    }
  }

  private scanBackticks(parts: WordPart[], inDouble: boolean): void {
    const start = this.pos;
    let inner = '';
    let pos = this.pos + 1;
    for (;;) {
      const c = this.text[pos];
      if (c === undefined) throw new ShellSyntaxError('unterminated backquote');
      if (c === '`') break;
      const n = this.text[pos + 1];
      // Inside backquotes a backslash quotes only these; any other backslash is kept for the inner parse.
      if (c === '\\' && n !== undefined && (n === '$' || n === '`' || n === '\\' || (inDouble && n === '"'))) {
        inner += n;
        pos += 2;
      } else {
        inner += c;
        pos += 1;
      }
    }
    this.pos = pos + 1;
    const body = this.hooks.parseSource(inner);
    parts.push({ type: 'command_sub', body, raw: this.text.slice(start, this.pos) });
  }

  private scanProcessSubstitution(parts: WordPart[]): void {
    if (this.dialect === 'posix') throw new ShellSyntaxError('<(…) is bash syntax; this script is read as POSIX sh');
    const start = this.pos;
    this.pos += 2;
    const body = this.hooks.parseUntilParen(this);
    parts.push({ type: 'process_sub', body, raw: this.text.slice(start, this.pos) });
  }

  private readHeredocBodies(): void {
    for (const doc of this.pending.splice(0)) {
      const read = readHeredocBody(this.text, this.pos, doc.delimiter, doc.stripTabs);
      if (read.type === 'unterminated') throw new ShellSyntaxError(`here-document delimited by "${doc.delimiter}" is not terminated`);
      this.pos = read.end;
      const literalBody: Word = { raw: read.body, parts: [{ type: 'text', value: read.body, quoted: true }] };
      doc.redirect.heredoc = doc.quoted ? literalBody : this.scanHeredocText(read.body);
    }
  }

  private scanHeredocText(body: string): Word {
    const inner = new ShellScanner(body, this.dialect, this.hooks);
    const parts: WordPart[] = [];
    inner.scanDoubleQuoted(parts, null);
    return { raw: body, parts };
  }
}

function pushText(parts: WordPart[], value: string, quoted: boolean): void {
  const last = parts[parts.length - 1];
  if (last?.type === 'text' && last.quoted === quoted) last.value += value;
  else parts.push({ type: 'text', value, quoted });
}
