/**
 * What a word is known to become before the command runs. A safety rule can trust a `literal` completely; an
 * `expanding` word (glob or `~`) is known only by its shape, which is enough when its expansion cannot start with
 * `-` (so it cannot become an option such as `--pre=…`); a `dynamic` word could be anything.
 *
 * One pass over the word, so a 100 KB word of `[` or `{` costs no more than a 100 KB word of letters.
 */
import type { ShellDialect, Word } from './shell-ast.ts';

export type WordValue =
  | { type: 'literal'; value: string }
  /** `value` is the word with quotes removed; `canBeOption` when an expansion could start with `-`. */
  | { type: 'expanding'; value: string; expansion: 'glob' | 'tilde'; canBeOption: boolean }
  | { type: 'dynamic'; value: string; reason: string };

export function literal(value: string): WordValue {
  return { type: 'literal', value };
}

/** What the unquoted characters of a word do, found in one left-to-right pass. */
interface Shape {
  /** Index (in the quote-removed value) of the first `*` or `?`, or of a `[` that a later `]` closes; -1 if none. */
  glob: number;
  /** Index of the first unquoted `[` not yet known to be closed; -1 if none. */
  openBracket: number;
  /** A `~` at the start of the word, or right after an unquoted `=` or `:` (bash expands those in assignments and in arguments that look like one). */
  tilde: 'none' | 'home' | 'dynamic';
  /** Brace expansion: 0 before an unquoted `{`, 1 after it, 2 after a `,` or `..` following it, 3 once a `}` follows. */
  brace: 0 | 1 | 2 | 3;
  /** The previous unquoted character, when it was the one just before (`at - 1`); else null. */
  previous: string | null;
  previousAt: number;
}

// Without one of these among its unquoted characters, a word expands to itself.
const MAY_EXPAND = /[*?[~{]/;

export function wordValue(word: Word, dialect: ShellDialect): WordValue {
  const only = word.parts.length === 1 ? word.parts[0]! : null;
  // The usual word, one piece of text: decided without copying it.
  if (only?.type === 'text' && (only.quoted || !MAY_EXPAND.test(only.value))) return { type: 'literal', value: only.value };
  const chunks: string[] = [];
  let length = 0;
  const shape: Shape = { glob: -1, openBracket: -1, tilde: 'none', brace: 0, previous: null, previousAt: -2 };
  for (const part of word.parts) {
    switch (part.type) {
      case 'text':
        if (!part.quoted) readUnquoted(shape, part.value, length);
        chunks.push(part.value);
        length += part.value.length;
        break;
      case 'param':
        return { type: 'dynamic', value: word.raw, reason: `${part.raw} is only known when the command runs` };
      case 'arith':
        return { type: 'dynamic', value: word.raw, reason: `${part.raw} is computed when the command runs` };
      case 'command_sub':
        return { type: 'dynamic', value: word.raw, reason: `${part.raw} runs a command to build an argument` };
      case 'process_sub':
        return { type: 'dynamic', value: word.raw, reason: `${part.raw} runs a command in the background` };
    }
  }
  const value = chunks.join('');
  // sh has no brace expansion: there `{a,b}` is the literal text.
  if (dialect === 'bash' && shape.brace === 3) {
    return { type: 'dynamic', value: word.raw, reason: `${word.raw} is expanded by the shell into several words` };
  }
  if (shape.tilde === 'dynamic') return { type: 'dynamic', value: word.raw, reason: `${word.raw} names a directory only known at run time` };
  if (shape.tilde === 'home') return { type: 'expanding', value, expansion: 'tilde', canBeOption: false };
  if (shape.glob < 0) return { type: 'literal', value };
  // A glob's matches start with the literal text before its first wildcard.
  return { type: 'expanding', value, expansion: 'glob', canBeOption: shape.glob === 0 || value.startsWith('-') };
}

/** `text` is an unquoted run starting at index `offset` of the quote-removed value. */
function readUnquoted(shape: Shape, text: string, offset: number): void {
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    const at = offset + i;
    const adjacent = shape.previousAt === at - 1 ? shape.previous : null;
    switch (char) {
      case '*':
      case '?':
        if (shape.glob < 0) shape.glob = at;
        break;
      case '[':
        if (shape.openBracket < 0) shape.openBracket = at;
        break;
      case ']':
        // A `[` is a wildcard only when an unquoted `]` closes it; alone (as in `[ -f x ]`) it is literal.
        if (shape.openBracket >= 0 && shape.glob < 0) shape.glob = shape.openBracket;
        break;
      case '~':
        if (shape.tilde === 'none' && (at === 0 || adjacent === '=' || adjacent === ':')) shape.tilde = tildeKind(text, i);
        break;
      case '{':
        if (shape.brace === 0) shape.brace = 1;
        break;
      case ',':
        if (shape.brace === 1) shape.brace = 2;
        break;
      case '.':
        if (shape.brace === 1 && adjacent === '.') shape.brace = 2;
        break;
      case '}':
        if (shape.brace === 2) shape.brace = 3;
        break;
    }
    shape.previous = char;
    shape.previousAt = at;
  }
}

/** `~+` and `~-` (with an optional number) are `$PWD`, `$OLDPWD` or the directory stack: anything at all. */
function tildeKind(text: string, at: number): 'home' | 'dynamic' {
  const next = text[at + 1];
  return next === '+' || next === '-' ? 'dynamic' : 'home';
}
