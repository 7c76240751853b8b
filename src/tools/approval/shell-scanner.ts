/**
 * Turns shell source into tokens: words (with their quoting and substitutions), control operators, redirection
 * operators and newlines. Word scanning recurses into the parser for `$( … )`, backticks and `<( … )` through
 * `ScannerHooks`, because where a command substitution ends can only be known by parsing it.
 * Anything not reproduced exactly throws `ShellSyntaxError`, which the parser turns into "unparsable".
 *
 * Every character is looked at a bounded number of times (runs of plain characters are copied in one slice, no
 * token re-reads the text after it), so scanning is linear in the length of the script.
 */
import { readHeredocBody } from './heredoc-body.ts';
import { scanDollar } from './shell-dollar.ts';
import { ShellSyntaxError } from './shell-syntax-error.ts';
import type { Redirect, ShellDialect, ShellList, Word, WordPart } from './shell-ast.ts';
import { CONTROL_OPS, CONTROL_TOKENS, continuesAt, DOUBLE_STOP, EOF, exact, HEREDOC_STOP, inSet, NEWLINE, OPERATOR_START, pushText, readOperator, REDIRECT_OPS, REDIRECT_TOKENS, WORD_STOP, type OperatorTable, type Token } from './shell-tokens.ts';

export { exact, NONE, type ControlOp, type Token } from './shell-tokens.ts';

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

// An fd written before a redirection; bash reads a longer digit string as a word once it overflows an int.
const MAX_FD_DIGITS = 4;
const FD_NAME = /\{[A-Za-z_]\w*\}[<>]/y;
const FD_WORD = /^(\d+|\{[A-Za-z_]\w*\})$/;
const TILDE_PREFIX = /^~[^/]*[:=]/;

// Plain words up to this length share one frozen `parts` per spelling (see `interned`).
const MAX_INTERNED_LENGTH = 24;

export class ShellScanner {
  pos = 0;
  private peeked: Token | null = null;
  private readonly pending: PendingHeredoc[] = [];

  /**
   * `interned`: the frozen `parts` of the plain words read so far, by spelling, shared with the scanners of the
   * same script (backquotes, here-documents). A script of 100 KB repeats its short words thousands of times, and
   * the tree would otherwise hold a copy of each.
   */
  constructor(
    readonly text: string,
    readonly dialect: ShellDialect,
    readonly hooks: ScannerHooks,
    readonly interned = new Map<string, WordPart[]>(),
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
    const { text, pos } = this;
    if (pos >= text.length) return EOF;
    const c = text[pos]!;
    if (c === '\n') {
      this.pos += 1;
      this.readHeredocBodies();
      return NEWLINE;
    }
    if (c >= '0' && c <= '9') {
      let end = pos + 1;
      while (text[end]! >= '0' && text[end]! <= '9') end += 1;
      if (text[end] === '<' || text[end] === '>') {
        if (end - pos > MAX_FD_DIGITS) throw new ShellSyntaxError(`the file descriptor ${text.slice(pos, end)} is not analysed`);
        this.pos = end;
        const op = this.matchOp(REDIRECT_OPS);
        if (op === null) throw new ShellSyntaxError(`cannot read the redirection at "${text.slice(end, end + 8)}"`);
        return { type: 'redirect', op, fd: Number(text.slice(pos, end)) };
      }
    }
    if (c === '{') {
      FD_NAME.lastIndex = pos;
      if (FD_NAME.test(text)) throw new ShellSyntaxError('{name}> redirections are not analysed');
    }
    if (!inSet(OPERATOR_START, c.charCodeAt(0))) return { type: 'word', word: this.scanWord() };
    if ((c === '<' || c === '>') && text[pos + 1] === '(') return { type: 'word', word: this.scanWord() };
    const redirect = this.matchOp(REDIRECT_OPS);
    if (redirect !== null) return REDIRECT_TOKENS.get(redirect)!;
    const control = this.matchOp(CONTROL_OPS);
    if (control !== null) return CONTROL_TOKENS.get(control)!;
    throw new ShellSyntaxError(`cannot read the operator at "${text.slice(pos, pos + 8)}"`);
  }

  private matchOp<T extends string>(table: OperatorTable<T>): T | null {
    const op = readOperator(this.text, this.pos, table, this.dialect);
    if (op !== null) this.pos += op.length;
    return op;
  }

  private skipBlanks(): void {
    const { text } = this;
    for (;;) {
      const c = text[this.pos];
      if (c === ' ' || c === '\t') this.pos += 1;
      else if (c === '\\' && text[this.pos + 1] === '\n') this.pos += 2;
      else if (c === '#') {
        const end = text.indexOf('\n', this.pos);
        this.pos = end < 0 ? text.length : end;
      } else return;
    }
  }

  private scanWord(): Word {
    const { text } = this;
    const start = this.pos;
    const parts: WordPart[] = [];
    for (;;) {
      const pos = this.pos;
      const code = text.charCodeAt(pos);
      if (Number.isNaN(code)) break;
      if (!inSet(WORD_STOP, code)) {
        let end = pos + 1;
        while (end < text.length && !inSet(WORD_STOP, text.charCodeAt(end))) end += 1;
        pushText(parts, text.slice(pos, end), false);
        this.pos = end;
        continue;
      }
      const c = text[pos]!;
      // `a<(b)c` is one word: bash splices the pipe's path into it.
      if ((c === '<' || c === '>') && text[pos + 1] === '(') {
        this.scanProcessSubstitution(parts);
        continue;
      }
      if (c === '\\') this.scanEscape(parts);
      else if (c === "'") this.scanSingleQuoted(parts);
      else if (c === '"') {
        this.pos += 1;
        this.scanDoubleQuoted(parts, '"');
      } else if (c === '$') scanDollar(this, parts, false);
      else if (c === '`') this.scanBackticks(parts, false);
      else break;
    }
    const only = parts.length === 1 ? parts[0]! : null;
    if (only?.type === 'text' && !only.quoted && only.value.length === this.pos - start) {
      // A plain word is its own raw text: one string, and for a short one, parts shared with its other uses.
      if (only.value.length > MAX_INTERNED_LENGTH) return { raw: only.value, parts: [only] };
      let shared = this.interned.get(only.value);
      if (shared === undefined) {
        shared = Object.freeze([Object.freeze(only)]) as WordPart[];
        this.interned.set(only.value, shared);
      }
      return { raw: only.value, parts: shared };
    }
    if (parts.some((part) => part.type !== 'text')) this.checkExpansions(parts, text.slice(start, this.pos));
    return { raw: text.slice(start, this.pos), parts: only === null ? exact(parts) : [only] };
  }

  /** Refuses the words whose substitutions bash does not run as written. `raw` is for the message. */
  private checkExpansions(parts: readonly WordPart[], raw: string): void {
    const shown = raw.slice(0, 40);
    parts.forEach((part, i) => {
      if (part.type !== 'text' || part.quoted) return;
      // bash 5.2 leaves the rest of a word unexpanded after a leading `~` ended by `:` or `=` (`~:$(cmd)` is the
      // text `/home/me:$(cmd)`, and cmd never runs).
      if (i === 0 && TILDE_PREFIX.test(part.value)) throw new ShellSyntaxError(`${shown}: a "~" with expansions in the same word is not analysed`);
      // Brace expansion works on the raw word before any substitution, with its own idea of quotes: it can run
      // a substitution twice, or cut a `}` out of it (`{a,"`cmd '}'`"` changes what cmd gets).
      if (this.dialect === 'bash' && part.value.includes('{') && parts.some((other) => other.type === 'command_sub' || other.type === 'process_sub')) {
        throw new ShellSyntaxError(`${shown}: a "{" with a substitution in the same word is not analysed`);
      }
    });
  }

  /** `2\<newline>>` is the redirection `2>` to bash, which the word must not swallow. */
  private scanEscape(parts: WordPart[]): void {
    const n = this.text[this.pos + 1];
    if (n === undefined) throw new ShellSyntaxError('a backslash ends the script');
    this.pos += 2;
    if (n !== '\n') {
      pushText(parts, n, true);
      return;
    }
    // The whole run of continuations at once, so a long run is not rescanned from each of its backslashes.
    while (continuesAt(this.text, this.pos)) this.pos += 2;
    const next = this.text[this.pos];
    const only = parts.length === 1 ? parts[0]! : null;
    // Checked at most once per word: a `<` or `>` ends the word, or starts a process substitution (a second part).
    if ((next === '<' || next === '>') && only?.type === 'text' && !only.quoted && FD_WORD.test(only.value)) {
      throw new ShellSyntaxError('a line continuation inside a redirection is not analysed');
    }
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
    const { text } = this;
    const stop = closer === null ? HEREDOC_STOP : DOUBLE_STOP;
    pushText(parts, '', true);
    for (;;) {
      const pos = this.pos;
      const c = text[pos];
      if (c === undefined) {
        if (closer === null) return;
        throw new ShellSyntaxError('unterminated double quote');
      }
      if (c === closer) {
        this.pos += 1;
        return;
      }
      if (!inSet(stop, c.charCodeAt(0))) {
        let end = pos + 1;
        while (end < text.length && !inSet(stop, text.charCodeAt(end))) end += 1;
        pushText(parts, text.slice(pos, end), true);
        this.pos = end;
        continue;
      }
      const n = text[pos + 1];
      if (c === '\\' && n !== undefined && (n === '$' || n === '`' || n === '\\' || n === '\n' || (n === '"' && closer !== null))) {
        if (n !== '\n') pushText(parts, n, true);
        this.pos += 2;
      } else if (c === '$') scanDollar(this, parts, true);
      else if (c === '`') this.scanBackticks(parts, true);
      else {
        pushText(parts, c, true);
        this.pos += 1;
      }
    }
  }

  private scanBackticks(parts: WordPart[], inDouble: boolean): void {
    const { text } = this;
    const start = this.pos;
    const pieces: string[] = [];
    let from = start + 1;
    let pos = from;
    for (;;) {
      const c = text[pos];
      if (c === undefined) throw new ShellSyntaxError('unterminated backquote');
      if (c === '`') break;
      // POSIX leaves a `"` inside backquotes inside double quotes undefined, and bash reads it its own way.
      if (c === '"' && inDouble) throw new ShellSyntaxError('a " inside `…` inside "…" is not analysed');
      const n = text[pos + 1];
      // Inside backquotes a backslash quotes only these; any other backslash is kept for the inner parse. A
      // backslash-newline goes before the inner parse, even inside its single quotes (bash joins the lines first).
      if (c === '\\' && n !== undefined && (n === '$' || n === '`' || n === '\\' || n === '\n' || (inDouble && n === '"'))) {
        pieces.push(text.slice(from, pos), n === '\n' ? '' : n);
        pos += 2;
        from = pos;
      } else pos += 1;
    }
    pieces.push(text.slice(from, pos));
    this.pos = pos + 1;
    const body = this.hooks.parseSource(pieces.join(''));
    parts.push({ type: 'command_sub', body, raw: text.slice(start, this.pos) });
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
      const read = readHeredocBody(this.text, this.pos, { delimiter: doc.delimiter, stripTabs: doc.stripTabs, joinLines: !doc.quoted });
      if (read.type === 'unterminated') throw new ShellSyntaxError(`here-document delimited by "${doc.delimiter}" is not terminated`);
      this.pos = read.end;
      const literalBody: Word = { raw: read.body, parts: [{ type: 'text', value: read.body, quoted: true }] };
      doc.redirect.heredoc = doc.quoted ? literalBody : this.scanHeredocText(read.body);
    }
  }

  private scanHeredocText(body: string): Word {
    const inner = new ShellScanner(body, this.dialect, this.hooks, this.interned);
    const parts: WordPart[] = [];
    inner.scanDoubleQuoted(parts, null);
    return { raw: body, parts };
  }
}
