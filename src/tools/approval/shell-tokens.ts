/**
 * The shell scanner's vocabulary: its tokens, the operator tables, the character classes it scans runs of, and the
 * small helpers it builds words with.
 */
import type { RedirectOp, ShellDialect, Word, WordPart } from './shell-ast.ts';
import { ShellSyntaxError } from './shell-syntax-error.ts';

export type ControlOp = '&&' | '||' | ';' | '&' | '|' | '|&' | '(' | ')' | ';;' | ';&' | ';;&';

export type Token =
  | { type: 'word'; word: Word }
  | { type: 'op'; op: ControlOp }
  | { type: 'redirect'; op: RedirectOp; fd: number | null }
  | { type: 'newline' }
  | { type: 'eof' };

/** Operators by first character, longest first. */
export type OperatorTable<T extends string> = Partial<Record<string, readonly T[]>>;

// By first character, longest first, so `&&` is not read as two `&`.
export const REDIRECT_OPS: OperatorTable<RedirectOp> = {
  '<': ['<<<', '<<-', '<<', '<&', '<>', '<'],
  '>': ['>>', '>&', '>|', '>'],
  '&': ['&>>', '&>'],
};
export const CONTROL_OPS: OperatorTable<ControlOp> = {
  ';': [';;&', ';;', ';&', ';'],
  '&': ['&&', '&'],
  '|': ['||', '|&', '|'],
  '(': ['('],
  ')': [')'],
};
export const REDIRECT_TOKENS = new Map(
  Object.values(REDIRECT_OPS)
    .flatMap((ops) => ops ?? [])
    .map((op): [RedirectOp, Token] => [op, Object.freeze({ type: 'redirect', op, fd: null })]),
);
export const CONTROL_TOKENS = new Map(
  Object.values(CONTROL_OPS)
    .flatMap((ops) => ops ?? [])
    .map((op): [ControlOp, Token] => [op, Object.freeze({ type: 'op', op })]),
);
const ALL_OPS: readonly string[] = [...Object.values(REDIRECT_OPS), ...Object.values(CONTROL_OPS)].flatMap((ops) => ops ?? []);
// In sh these spell something else entirely (`a &> f` is `a &` then `> f`), so they are not guessed at.
const BASH_ONLY = new Set<string>(['&>>', '<<<', '&>', '|&', ';;&', ';&']);
// Tokens without a word are the same every time: one frozen object each.
export const EOF: Token = { type: 'eof' };
export const NEWLINE: Token = { type: 'newline' };

/**
 * The operator of `table` at `pos`, or null. `&\\<newline>&` is `&&` to bash, which joins lines before it reads
 * operators: an operator a line continuation would lengthen is refused rather than read short.
 */
export function readOperator<T extends string>(text: string, pos: number, table: OperatorTable<T>, dialect: ShellDialect): T | null {
  for (const op of table[text[pos]!] ?? []) {
    if (!text.startsWith(op, pos)) continue;
    if (dialect === 'posix' && BASH_ONLY.has(op)) throw new ShellSyntaxError(`"${op}" is bash syntax; this script is read as POSIX sh`);
    let after = pos + op.length;
    while (continuesAt(text, after)) after += 2;
    const longer = `${op}${text[after] ?? ''}`;
    if (after > pos + op.length && ALL_OPS.some((other) => other.startsWith(longer))) {
      throw new ShellSyntaxError(`a line continuation inside "${longer}" is not analysed`);
    }
    return op;
  }
  return null;
}

/** Characters that end a plain run inside a word: metacharacters, quotes, `\`, `$`, backquote. */
export const WORD_STOP = charSet(' \t\n|&;()<>\\\'"$`');
/** Characters that end a plain run inside double quotes, and inside an unquoted here-document. */
export const DOUBLE_STOP = charSet('"\\$`');
export const HEREDOC_STOP = charSet('\\$`');
export const OPERATOR_START = charSet('<>&|;()');

function charSet(chars: string): Uint8Array {
  const set = new Uint8Array(128);
  for (const c of chars) set[c.charCodeAt(0)] = 1;
  return set;
}

export function inSet(set: Uint8Array, code: number): boolean {
  return code < 128 && set[code] === 1;
}

/** A backslash-newline (a line continuation) starts at `pos`. */
export function continuesAt(text: string, pos: number): boolean {
  return text[pos] === '\\' && text[pos + 1] === '\n';
}

/** The empty list every node without assignments, redirections, … shares. Frozen: the tree is read-only. */
export const NONE = Object.freeze([]) as unknown as never[];

/**
 * The array at its own size. An array grown by `push` from empty reserves 17 slots; the parser keeps one per word
 * and per command, so a 100 KB script of short commands would hold megabytes of empty slots (and spend its time in
 * the garbage collector copying them).
 */
export function exact<T>(array: T[]): T[] {
  // One frozen empty array for every empty list; a literal is much cheaper than `slice` for the usual single element.
  if (array.length === 0) return NONE;
  if (array.length === 1) return [array[0]!];
  return array.slice();
}

export function pushText(parts: WordPart[], value: string, quoted: boolean): void {
  // Not `parts[-1]` on an empty array: V8 looks that up as a property, the slow way.
  const last = parts.length === 0 ? undefined : parts[parts.length - 1];
  if (last?.type === 'text' && last.quoted === quoted) last.value += value;
  else parts.push({ type: 'text', value, quoted });
}
