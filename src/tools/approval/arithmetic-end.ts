/**
 * Where `$(( … ))` ends. Arithmetic can hide commands (`$(( a[$(cmd)] ))` runs cmd in bash), so a substitution
 * inside it is refused rather than followed.
 */
import { ShellSyntaxError } from './shell-syntax-error.ts';

/** `from` is just inside `$((`; returns the index after the closing `))`. */
export function arithmeticEnd(text: string, from: number): number {
  let depth = 0;
  for (let pos = from; pos < text.length; pos += 1) {
    const c = text[pos];
    if (c === '`' || (c === '$' && text[pos + 1] === '(')) throw new ShellSyntaxError('a substitution inside $((…)) is not analysed');
    if (c === '(') depth += 1;
    else if (c === ')') {
      if (depth === 0 && text[pos + 1] === ')') return pos + 2;
      depth -= 1;
      // `$((a); (b))` is a command substitution of two subshells; bash's disambiguation is not reproduced.
      if (depth < 0) throw new ShellSyntaxError('ambiguous $(( … ) is not analysed');
    }
  }
  throw new ShellSyntaxError('unterminated $((…))');
}
