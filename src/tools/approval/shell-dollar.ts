/**
 * What follows a `$`: `$'…'` and `$"…"` quoting, `$((…))`, `$(…)`, `${…}`, `$name` and the special parameters. Only
 * the quoting is text; every expansion is a part whose value is known when the command runs.
 */
import { decodeAnsiC } from './ansi-c-quote.ts';
import { arithmeticEnd } from './arithmetic-end.ts';
import type { WordPart } from './shell-ast.ts';
import type { ShellScanner } from './shell-scanner.ts';
import { ShellSyntaxError } from './shell-syntax-error.ts';
import { continuesAt, pushText } from './shell-tokens.ts';

const NAME = /[A-Za-z_]\w*/y;
const SPECIAL_PARAM = /[0-9@*#?\-$!]/;
const PARAM_INSIDE_UNANALYSED = /['"\\$`{\n]/;
// `${…}`: an optional `#` (length) or `!` (indirection), a name, position or special parameter, then an operator.
const PARAM_SHAPE = /^[#!]?([A-Za-z_]\w*|\d+|[@*#?$!-])([-:=?+#%/^,@[].*)?$/s;

/** `scanner.pos` is at the `$`; on return it is after what the `$` began. */
export function scanDollar(scanner: ShellScanner, parts: WordPart[], inDouble: boolean): void {
  const { text } = scanner;
  const start = scanner.pos;
  const n = text[start + 1];
  // bash joins the lines first: `$\<newline>x` is `$x`, `$(\<newline>(` is `$((`.
  if (continuesAt(text, start + 1) || (n === '(' && continuesAt(text, start + 2))) {
    throw new ShellSyntaxError('a line continuation inside a $ expansion is not analysed');
  }
  // bash's reader takes the second `$` of `$$(` as the start of `$(…)` (to find where the word ends), then expands
  // `$$` and keeps `(…)` as text: the two disagree about quotes inside, so it is not guessed at.
  if (n === '$' && (text[start + 2] === '(' || text[start + 2] === '{' || text[start + 2] === '[')) {
    throw new ShellSyntaxError(`$$${text[start + 2]} is not analysed`);
  }
  if ((n === "'" || n === '"') && !inDouble) {
    if (scanner.dialect === 'posix') throw new ShellSyntaxError(`$${n}…${n} quoting is bash syntax; this script is read as POSIX sh`);
    if (n === '"') {
      // $"…" is a translatable string; without a message catalogue its value is the plain string.
      scanner.pos += 2;
      scanner.scanDoubleQuoted(parts, '"');
      return;
    }
    const decoded = decodeAnsiC(text, start + 2);
    if (decoded.type === 'error') throw new ShellSyntaxError(decoded.reason);
    pushText(parts, decoded.value, true);
    scanner.pos = decoded.end;
    return;
  }
  if (n === '(' && text[start + 2] === '(') {
    scanner.pos = arithmeticEnd(text, start + 3);
    parts.push({ type: 'arith', raw: text.slice(start, scanner.pos) });
  } else if (n === '(') {
    scanner.pos += 2;
    const body = scanner.hooks.parseUntilParen(scanner);
    parts.push({ type: 'command_sub', body, raw: text.slice(start, scanner.pos) });
  } else if (n === '{') {
    const end = text.indexOf('}', start + 2);
    const inner = end < 0 ? '' : text.slice(start + 2, end);
    if (end < 0 || inner === '') throw new ShellSyntaxError('bad ${…} substitution');
    // Quotes, nesting and substitutions inside ${…} follow rules of their own; they are not guessed at.
    if (PARAM_INSIDE_UNANALYSED.test(inner)) throw new ShellSyntaxError(`\${${inner.slice(0, 40)}} is not analysed`);
    // A name bash does not accept (`${.}`, `${a b}`) is a "bad substitution": the command never runs.
    if (!PARAM_SHAPE.test(inner)) throw new ShellSyntaxError(`\${${inner.slice(0, 40)}} is not a parameter bash accepts`);
    scanner.pos = end + 1;
    parts.push({ type: 'param', raw: text.slice(start, scanner.pos) });
  } else if (n === '[') {
    throw new ShellSyntaxError('$[…] arithmetic is not analysed');
  } else if (n !== undefined && (NAME.lastIndex = start + 1, NAME.test(text))) {
    scanner.pos = NAME.lastIndex;
    parts.push({ type: 'param', raw: text.slice(start, scanner.pos) });
  } else if (n !== undefined && SPECIAL_PARAM.test(n)) {
    scanner.pos += 2;
    parts.push({ type: 'param', raw: text.slice(start, scanner.pos) });
  } else {
    pushText(parts, '$', inDouble);
    scanner.pos += 1;
  }
}
