/**
 * A recursive-descent parser for the shell subset of `shell-ast.ts`:
 *
 *   list     := and_or ((';' | '&' | newline) and_or)* [';' | '&']
 *   and_or   := pipeline (('&&' | '||') newline* pipeline)*
 *   pipeline := '!'* command (('|' | '|&') newline* command)*
 *   command  := simple | '(' list ')' redirect* | '{' list '}' redirect*
 *   simple   := (assignment | redirect)* word (word | redirect)*
 *
 * It reads what it models exactly and refuses the rest (`unparsable`, with the reason): a safety decision must never
 * rest on a guess about what the shell will do.
 *
 * Its cost is bounded whatever the model sends: there is no backtracking and no token is scanned twice (the inside
 * of backquotes once more per level of nesting, which MAX_DEPTH bounds), so time is linear in the script. Scripts
 * over MAX_SOURCE_LENGTH, with more than MAX_COMMANDS commands or nesting deeper than MAX_DEPTH are refused, which
 * keeps the time, the tree's size and the recursion depth small (bench/parser.bench.ts measures it).
 */
import type { AndOrItem, Assignment, CompoundCommand, ParseOutcome, Pipeline, Redirect, ShellCommand, ShellDialect, ShellList, SimpleCommand, Word, WordPart } from './shell-ast.ts';
import { exact, NONE, ShellScanner, type Token } from './shell-scanner.ts';
import { ShellSyntaxError } from './shell-syntax-error.ts';

// Deep nesting is either an attack on the parser's stack or nothing a person would approve by reading it. Every
// substitution, backquote, subshell and group counts one level.
export const MAX_DEPTH = 24;
// 128 KiB is Linux's MAX_ARG_STRLEN, the longest single argument execve accepts: a longer `bash -c` script could not
// be started there anyway. It is above the 100 KB the parse-time target is stated for.
export const MAX_SOURCE_LENGTH = 128 * 1024;
// Each command costs a few hundred bytes of tree, and the safety checks run per command: a script of 100 KB of
// `a;a;a;…` would spend its time in the garbage collector. No one approves ten thousand commands by reading them.
export const MAX_COMMANDS = 10_000;

/** What the parse of one script may still spend, shared by the parsers of its backquotes. */
interface Budget {
  commands: number;
  /** The scanners' shared plain words (see ShellScanner). */
  interned: Map<string, WordPart[]>;
}

// Reserved words that start compound commands or keywords this parser does not model.
const UNMODELLED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'case', 'esac', 'while', 'until', 'for', 'select', 'function', 'time', 'coproc', 'in', '[[', ']]']);

export function parseShell(source: string, dialect: ShellDialect = 'bash'): ParseOutcome {
  if (source.length > MAX_SOURCE_LENGTH) return { type: 'unparsable', reason: `the script is longer than ${MAX_SOURCE_LENGTH / 1024} KiB` };
  try {
    return { type: 'parsed', script: parseSource(source, dialect, 0, { commands: MAX_COMMANDS, interned: new Map() }) };
  } catch (error) {
    if (error instanceof ShellSyntaxError) return { type: 'unparsable', reason: error.message };
    throw error;
  }
}

function parseSource(source: string, dialect: ShellDialect, depth: number, budget: Budget): ShellList {
  if (depth > MAX_DEPTH) throw new ShellSyntaxError('the script nests too deeply');
  return new Parser(source, dialect, depth, budget).parseScript();
}

type Closer = 'eof' | ')' | '}';

class Parser {
  private readonly scanner: ShellScanner;
  private depth: number;
  /** How many `$( … )` / `<( … )` this parser is inside (not counting backquotes: bash keeps their text as written). */
  private substitutions = 0;

  /** Parses `source`, or continues on `scanner` (a here-document body's scanner, for its substitutions). */
  constructor(
    source: string | ShellScanner,
    dialect: ShellDialect,
    depth: number,
    private readonly budget: Budget,
  ) {
    this.depth = depth;
    this.scanner =
      typeof source === 'string'
        ? new ShellScanner(source, dialect, {
            // The scanner asking may be another one (a here-document body's); its `)` must be found in its text.
            parseUntilParen: (scanner) => (scanner === this.scanner ? this : new Parser(scanner, dialect, this.depth, budget)).parseNested(),
            parseSource: (inner) => parseSource(inner, dialect, this.depth + 1, budget),
          }, budget.interned)
        : source;
  }

  parseScript(): ShellList {
    const list = this.parseList('eof');
    if (list.items.length === 0) throw new ShellSyntaxError('the script is empty');
    if (this.scanner.hasPendingHeredocs) throw new ShellSyntaxError('a here-document has no body');
    return list;
  }

  private parseNested(): ShellList {
    this.enter();
    this.substitutions += 1;
    const list = this.parseList(')');
    this.expectOp(')');
    this.substitutions -= 1;
    this.depth -= 1;
    return list;
  }

  /** Every level of nesting (substitutions, subshells, groups) counts against MAX_DEPTH. */
  private enter(): void {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) throw new ShellSyntaxError('the script nests too deeply');
  }

  private parseList(closer: Closer): ShellList {
    const items: AndOrItem[] = [];
    this.skipNewlines();
    while (!this.atCloser(closer)) {
      const token = this.scanner.peek();
      if (token.type === 'eof') throw new ShellSyntaxError(`missing "${closer}"`);
      const item = this.parseAndOr();
      const after = this.scanner.peek();
      if (after.type === 'op' && (after.op === ';' || after.op === '&')) {
        this.scanner.next();
        item.background = after.op === '&';
      } else if (after.type === 'eof' && closer !== 'eof') {
        throw new ShellSyntaxError(`missing "${closer}"`);
      } else if (after.type !== 'newline' && !this.atCloser(closer)) {
        throw new ShellSyntaxError(`unexpected ${describe(after)}`);
      }
      items.push(item);
      this.skipNewlines();
    }
    if (items.length === 0 && closer !== 'eof') throw new ShellSyntaxError(`empty "${closer === ')' ? '( )' : '{ }'}"`);
    return { items };
  }

  private parseAndOr(): AndOrItem {
    // Built as literals, and copied to their size only once they have grown (see `exact`).
    const pipelines = [this.parsePipeline()];
    const operators: AndOrItem['operators'] = [];
    for (;;) {
      const token = this.scanner.peek();
      if (token.type !== 'op' || (token.op !== '&&' && token.op !== '||')) break;
      this.scanner.next();
      this.skipNewlines();
      operators.push(token.op);
      pipelines.push(this.parsePipeline());
    }
    if (operators.length === 0) return { pipelines, operators: NONE, background: false };
    return { pipelines: exact(pipelines), operators: exact(operators), background: false };
  }

  private parsePipeline(): Pipeline {
    // `! ! cmd` is allowed, and negates twice.
    let negated = false;
    for (let token = this.scanner.peek(); token.type === 'word' && literalText(token.word) === '!'; token = this.scanner.peek()) {
      this.scanner.next();
      negated = !negated;
    }
    const commands = [this.parseCommand()];
    for (;;) {
      const token = this.scanner.peek();
      if (token.type !== 'op' || (token.op !== '|' && token.op !== '|&')) break;
      this.scanner.next();
      this.skipNewlines();
      commands.push(this.parseCommand());
    }
    return { negated, commands: commands.length === 1 ? commands : exact(commands) };
  }

  private parseCommand(): ShellCommand {
    const token = this.scanner.peek();
    if (token.type === 'op' && token.op === '(') {
      this.scanner.next();
      if (this.scanner.text[this.scanner.pos] === '(') throw new ShellSyntaxError('((…)) arithmetic commands are not analysed');
      return this.finishCompound('subshell', ')');
    }
    if (token.type === 'word') {
      const keyword = literalText(token.word);
      if (keyword === '{') {
        this.scanner.next();
        return this.finishCompound('group', '}');
      }
      if (keyword !== null && UNMODELLED.has(keyword)) throw new ShellSyntaxError(`"${keyword}" compound commands are not analysed`);
      // Where a command starts, bash reads these as syntax: a `}` that closes nothing, a `!` after a pipe.
      if (keyword === '}' || keyword === '!') throw new ShellSyntaxError(`unexpected "${keyword}"`);
    }
    return this.parseSimple();
  }

  private finishCompound(type: CompoundCommand['type'], closer: ')' | '}'): CompoundCommand {
    this.enter();
    const body = this.parseList(closer);
    this.depth -= 1;
    if (type === 'group' && this.substitutions > 0 && endsWithAmpersand(body)) {
      // bash 5.2 runs `$( … )` from its own reprint of the text, which loses the `;` before `}` after a word that
      // ends in `&` (`{ echo \&; }` comes out as `{ echo \& }`): the substitution fails to parse and runs nothing.
      throw new ShellSyntaxError('a group ending in a word that ends with "&" inside $( … ) is not analysed');
    }
    this.scanner.next();
    const redirects: Redirect[] = [];
    for (;;) {
      const token = this.scanner.peek();
      if (token.type === 'redirect') redirects.push(this.parseRedirect(token));
      else if (token.type === 'word') throw new ShellSyntaxError(`unexpected word "${token.word.raw.slice(0, 40)}" after "${closer}"`);
      else return { type, body, redirects: exact(redirects) };
    }
  }

  private parseSimple(): SimpleCommand {
    this.budget.commands -= 1;
    if (this.budget.commands < 0) throw new ShellSyntaxError(`the script has more than ${MAX_COMMANDS} commands`);
    const assignments: Assignment[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const token = this.scanner.peek();
      // Where an assignment may stand (before the command word, after `export` and the like), bash reads `name[`
      // up to its `]` as one word, blanks and `;` included (`x[a b]` is one word, `x[a]=1` sets an element).
      const assignable = words.length === 0 || DECLARATIONS.has(literalText(words[0]!) ?? '');
      if (token.type === 'redirect') {
        const redirect = this.parseRedirect(token);
        if (assignable) refuseSubscript(redirect.target);
        redirects.push(redirect);
        continue;
      }
      if (token.type !== 'word') break;
      if (assignable) refuseSubscript(token.word);
      this.scanner.next();
      const assignment = words.length === 0 ? asAssignment(token.word, this.scanner.dialect) : null;
      if (assignment !== null) assignments.push(assignment);
      else words.push(token.word);
    }
    const stop = this.scanner.peek();
    if (stop.type === 'op' && stop.op === '(') throw new ShellSyntaxError('function definitions and array assignments are not analysed');
    if (words.length === 0 && assignments.length === 0 && redirects.length === 0) {
      throw new ShellSyntaxError(`expected a command, found ${describe(stop)}`);
    }
    return { type: 'simple', assignments: exact(assignments), words: exact(words), redirects: exact(redirects) };
  }

  /** `token` is the peeked redirection operator. */
  private parseRedirect(token: Extract<Token, { type: 'redirect' }>): Redirect {
    this.scanner.next();
    const target = this.scanner.next();
    if (target.type !== 'word') throw new ShellSyntaxError(`the redirection "${token.op}" has no target`);
    const redirect: Redirect = { fd: token.fd, op: token.op, target: target.word };
    if (token.op === '<<' || token.op === '<<-') {
      const parts = target.word.parts;
      if (!parts.every((part) => part.type === 'text')) throw new ShellSyntaxError('a here-document delimiter with substitutions is not analysed');
      const delimiter = parts.map((part) => (part.type === 'text' ? part.value : '')).join('');
      const quoted = parts.some((part) => part.type === 'text' && part.quoted);
      this.scanner.addHeredoc(redirect, delimiter, quoted, token.op === '<<-');
    }
    return redirect;
  }

  private atCloser(closer: Closer): boolean {
    const token = this.scanner.peek();
    if (closer === 'eof') return token.type === 'eof';
    if (closer === ')') return token.type === 'op' && token.op === ')';
    return token.type === 'word' && literalText(token.word) === '}';
  }

  private expectOp(op: ')'): void {
    const token = this.scanner.next();
    if (token.type !== 'op' || token.op !== op) throw new ShellSyntaxError(`expected "${op}", found ${describe(token)}`);
  }

  private skipNewlines(): void {
    while (this.scanner.peek().type === 'newline') this.scanner.next();
  }
}

/** Whether the last thing bash prints for `list` (its last command's last word or redirection target) ends with `&`. */
function endsWithAmpersand(list: ShellList): boolean {
  const pipelines = list.items[list.items.length - 1]!.pipelines;
  const commands = pipelines[pipelines.length - 1]!.commands;
  const last = commands[commands.length - 1]!;
  if (last.type !== 'simple') return false;
  const redirect = last.redirects[last.redirects.length - 1];
  if (redirect !== undefined) return redirect.heredoc === undefined && redirect.target.raw.endsWith('&');
  const word = last.words[last.words.length - 1] ?? last.assignments[last.assignments.length - 1]?.value;
  return word?.raw.endsWith('&') ?? false;
}

/** The word's text when it is a single unquoted literal (how reserved words are recognised), else null. */
function literalText(word: Word): string | null {
  const only = word.parts[0];
  return word.parts.length === 1 && only?.type === 'text' && !only.quoted ? only.value : null;
}

const ASSIGNMENT = /^([A-Za-z_]\w*)(\+?)=/;
const ARRAY_SUBSCRIPT = /^[A-Za-z_]\w*\[/;
const DECLARATIONS = new Set(['declare', 'typeset', 'export', 'readonly', 'local']);

function refuseSubscript(word: Word): void {
  if (ARRAY_SUBSCRIPT.test(word.raw)) throw new ShellSyntaxError(`the array subscript in "${word.raw.slice(0, 40)}" is not analysed`);
}

function asAssignment(word: Word, dialect: ShellDialect): Assignment | null {
  const first = word.parts[0];
  if (first?.type !== 'text' || first.quoted) return null;
  const match = ASSIGNMENT.exec(first.value);
  if (!match || (match[2] === '+' && dialect === 'posix')) return null;
  const remainder = first.value.slice(match[0].length);
  const rest = word.parts.slice(1);
  const parts = remainder === '' ? rest : [{ ...first, value: remainder }, ...rest];
  return { name: match[1]!, append: match[2] === '+', value: { raw: word.raw.slice(match[0].length), parts } };
}

function describe(token: Token): string {
  switch (token.type) {
    case 'word':
      return `"${token.word.raw.length > 40 ? `${token.word.raw.slice(0, 40)}…` : token.word.raw}"`;
    case 'op':
    case 'redirect':
      return `"${token.op}"`;
    case 'newline':
      return 'a newline';
    case 'eof':
      return 'the end of the script';
  }
}
