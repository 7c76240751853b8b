/**
 * A recursive-descent parser for the shell subset of `shell-ast.ts`:
 *
 *   list     := and_or ((';' | '&' | newline) and_or)* [';' | '&']
 *   and_or   := pipeline (('&&' | '||') newline* pipeline)*
 *   pipeline := ['!'] command (('|' | '|&') newline* command)*
 *   command  := simple | '(' list ')' redirect* | '{' list '}' redirect*
 *   simple   := (assignment | redirect)* word (word | redirect)*
 *
 * It reads what it models exactly and refuses the rest (`unparsable`, with the reason): a safety decision must never
 * rest on a guess about what the shell will do.
 */
import type { AndOrItem, Assignment, CompoundCommand, ParseOutcome, Pipeline, Redirect, ShellCommand, ShellDialect, ShellList, SimpleCommand, Word } from './shell-ast.ts';
import { ShellScanner, type Token } from './shell-scanner.ts';
import { ShellSyntaxError } from './shell-syntax-error.ts';

// Deep nesting is either an attack on the parser's stack or nothing a person would approve by reading it.
const MAX_DEPTH = 24;

// Reserved words that start compound commands or keywords this parser does not model.
const UNMODELLED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'case', 'esac', 'while', 'until', 'for', 'select', 'function', 'time', 'coproc', '[[', ']]']);

export function parseShell(source: string, dialect: ShellDialect = 'bash'): ParseOutcome {
  try {
    return { type: 'parsed', script: parseSource(source, dialect, 0) };
  } catch (error) {
    if (error instanceof ShellSyntaxError) return { type: 'unparsable', reason: error.message };
    throw error;
  }
}

function parseSource(source: string, dialect: ShellDialect, depth: number): ShellList {
  if (depth > MAX_DEPTH) throw new ShellSyntaxError('the script nests too deeply');
  return new Parser(source, dialect, depth).parseScript();
}

type Closer = 'eof' | ')' | '}';

class Parser {
  private readonly scanner: ShellScanner;
  private depth: number;

  /** Parses `source`, or continues on `scanner` (a here-document body's scanner, for its substitutions). */
  constructor(source: string | ShellScanner, dialect: ShellDialect, depth: number) {
    this.depth = depth;
    this.scanner =
      typeof source === 'string'
        ? new ShellScanner(source, dialect, {
            // The scanner asking may be another one (a here-document body's); its `)` must be found in its text.
            parseUntilParen: (scanner) => (scanner === this.scanner ? this : new Parser(scanner, dialect, this.depth)).parseNested(),
            parseSource: (inner) => parseSource(inner, dialect, this.depth + 1),
          })
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
    const list = this.parseList(')');
    this.expectOp(')');
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
    const item: AndOrItem = { pipelines: [this.parsePipeline()], operators: [], background: false };
    for (;;) {
      const token = this.scanner.peek();
      if (token.type !== 'op' || (token.op !== '&&' && token.op !== '||')) return item;
      this.scanner.next();
      this.skipNewlines();
      item.operators.push(token.op);
      item.pipelines.push(this.parsePipeline());
    }
  }

  private parsePipeline(): Pipeline {
    const first = this.scanner.peek();
    const negated = first.type === 'word' && literalText(first.word) === '!';
    if (negated) this.scanner.next();
    const pipeline: Pipeline = { negated, commands: [this.parseCommand()] };
    for (;;) {
      const token = this.scanner.peek();
      if (token.type !== 'op' || (token.op !== '|' && token.op !== '|&')) return pipeline;
      this.scanner.next();
      this.skipNewlines();
      pipeline.commands.push(this.parseCommand());
    }
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
    }
    return this.parseSimple();
  }

  private finishCompound(type: CompoundCommand['type'], closer: ')' | '}'): CompoundCommand {
    this.enter();
    const body = this.parseList(closer);
    this.depth -= 1;
    this.scanner.next();
    const command: CompoundCommand = { type, body, redirects: [] };
    for (;;) {
      const token = this.scanner.peek();
      if (token.type === 'redirect') command.redirects.push(this.parseRedirect(token));
      else if (token.type === 'word') throw new ShellSyntaxError(`unexpected word "${token.word.raw}" after "${closer}"`);
      else return command;
    }
  }

  private parseSimple(): SimpleCommand {
    const command: SimpleCommand = { type: 'simple', assignments: [], words: [], redirects: [] };
    for (;;) {
      const token = this.scanner.peek();
      if (token.type === 'redirect') {
        command.redirects.push(this.parseRedirect(token));
        continue;
      }
      if (token.type !== 'word') break;
      this.scanner.next();
      const assignment = command.words.length === 0 ? asAssignment(token.word, this.scanner.dialect) : null;
      if (assignment !== null) command.assignments.push(assignment);
      else command.words.push(token.word);
    }
    const stop = this.scanner.peek();
    if (stop.type === 'op' && stop.op === '(') throw new ShellSyntaxError('function definitions and array assignments are not analysed');
    if (command.words.length === 0 && command.assignments.length === 0 && command.redirects.length === 0) {
      throw new ShellSyntaxError(`expected a command, found ${describe(stop)}`);
    }
    return command;
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

/** The word's text when it is a single unquoted literal (how reserved words are recognised), else null. */
function literalText(word: Word): string | null {
  const [only, ...rest] = word.parts;
  return only?.type === 'text' && !only.quoted && rest.length === 0 ? only.value : null;
}

function asAssignment(word: Word, dialect: ShellDialect): Assignment | null {
  const [first, ...rest] = word.parts;
  if (first?.type !== 'text' || first.quoted) return null;
  const match = /^([A-Za-z_]\w*)(\+?)=/.exec(first.value);
  if (!match || (match[2] === '+' && dialect === 'posix')) return null;
  const remainder = first.value.slice(match[0].length);
  const parts = remainder === '' ? rest : [{ ...first, value: remainder }, ...rest];
  return { name: match[1]!, append: match[2] === '+', value: { raw: word.raw.slice(match[0].length), parts } };
}

function describe(token: Token): string {
  switch (token.type) {
    case 'word':
      return `"${token.word.raw}"`;
    case 'op':
    case 'redirect':
      return `"${token.op}"`;
    case 'newline':
      return 'a newline';
    case 'eof':
      return 'the end of the script';
  }
}
