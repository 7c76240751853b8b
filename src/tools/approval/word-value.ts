/**
 * What a word is known to become before the command runs. A safety rule can trust a `literal` completely; an
 * `expanding` word (glob or `~`) is known only by its shape, which is enough when its expansion cannot start with
 * `-` (so it cannot become an option such as `--pre=…`); a `dynamic` word could be anything.
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

export function wordValue(word: Word, dialect: ShellDialect): WordValue {
  let value = '';
  // The unquoted characters, in order, with their index in `value`: only they can be globs, braces or `~`.
  const unquoted: { char: string; at: number }[] = [];
  for (const part of word.parts) {
    switch (part.type) {
      case 'text':
        if (!part.quoted) for (const [i, char] of [...part.value].entries()) unquoted.push({ char, at: value.length + i });
        value += part.value;
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
  if (dialect === 'bash' && hasBraceExpansion(unquoted.map((entry) => entry.char).join(''))) {
    return { type: 'dynamic', value: word.raw, reason: `${word.raw} is expanded by the shell into several words` };
  }
  const tilde = unquoted[0]?.at === 0 && unquoted[0].char === '~';
  // A `[` is a wildcard only when an unquoted `]` closes it; alone (as in `[ -f x ]`) it is literal.
  const glob = unquoted.find((entry, i) => entry.char === '*' || entry.char === '?' || (entry.char === '[' && unquoted.slice(i + 1).some((later) => later.char === ']')));
  if (glob === undefined && !tilde) return { type: 'literal', value };
  if (tilde) return { type: 'expanding', value, expansion: 'tilde', canBeOption: false };
  // A glob's matches start with the literal text before its first wildcard.
  const canBeOption = glob!.at === 0 || value.startsWith('-');
  return { type: 'expanding', value, expansion: 'glob', canBeOption };
}

/** `{a,b}` or `{1..3}` outside quotes (bash): the word becomes several words. */
function hasBraceExpansion(unquoted: string): boolean {
  return /\{[^{}]*(,|\.\.)[^{}]*\}/.test(unquoted);
}
