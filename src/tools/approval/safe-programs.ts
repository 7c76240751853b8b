/**
 * The read-only list (reference section 7.4): programs that only read, and for those with options that write
 * files or run other programs, the rule that keeps them read-only. A program is known-safe only through this
 * table; the rules reject by default whatever they do not recognise.
 */
import { hasShortOption, isLongOption, OK, unsafe, type RuleVerdict, type SafeArg } from './safe-args.ts';
import { checkGit } from './safe-git.ts';

type Rule = (args: readonly SafeArg[]) => RuleVerdict;

const anyArgs: Rule = () => OK;

const FIND_ACTIONS = ['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fls', '-fprint', '-fprint0', '-fprintf'];

const find: Rule = (args) => {
  const action = args.find((arg) => FIND_ACTIONS.includes(arg.value));
  if (action === undefined) return OK;
  return unsafe(action.value === '-delete' ? 'find -delete removes files' : action.value.startsWith('-f') ? `find ${action.value} writes a file` : `find ${action.value} runs another program`);
};

/**
 * Options are looked for in every argument, past a `--` too: a `--` can be the value of an option before it
 * (`rg -e -- --pre=x`), and then what follows is still an option. A file named like a dangerous option is rare;
 * reading it simply runs in the sandbox.
 */
const rg: Rule = (args) => {
  for (const { value } of args) {
    if (isLongOption(value, ['--pre', '--pre-glob'])) return unsafe('rg --pre runs a preprocessor program on the files it searches');
    if (isLongOption(value, ['--hostname-bin'])) return unsafe('rg --hostname-bin runs a program');
    if (isLongOption(value, ['--search-zip']) || hasShortOption(value, 'z')) return unsafe('rg --search-zip (-z) runs decompression programs');
  }
  return OK;
};

const sed: Rule = (args) => {
  // Only `sed -n 12p [FILE]` / `sed -n 3,9p [FILE]`: sed scripts can write files (w) and run commands (e).
  const [flag, script, file, ...rest] = args;
  const printsLines = flag?.exact && flag.value === '-n' && script?.exact && /^\d+(,\d+)?p$/.test(script.value);
  if (!printsLines || rest.length > 0 || (file !== undefined && file.value.startsWith('-'))) {
    return unsafe('sed is known-safe only as "sed -n Np [FILE]" or "sed -n M,Np [FILE]"');
  }
  return OK;
};

const base64: Rule = (args) => {
  // Past a `--` too, as for rg.
  for (const { value } of args) {
    if (isLongOption(value, ['--output']) || hasShortOption(value, 'o')) return unsafe('base64 -o writes a file');
  }
  return OK;
};

const uniq: Rule = (args) => {
  // `uniq INPUT OUTPUT` writes OUTPUT, so at most one operand, and it must be exactly one word.
  const operands: SafeArg[] = [];
  let options = true;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (options && arg.value === '--') options = false;
    else if (options && ['-f', '-s', '-w', '--skip-fields', '--skip-chars', '--check-chars'].includes(arg.value)) index += 1;
    else if (options && arg.value.startsWith('-') && arg.value !== '-') continue;
    else operands.push(arg);
  }
  if (operands.length > 1 || operands.some((operand) => !operand.exact)) return unsafe('uniq writes its second operand');
  return OK;
};

const RULES: Record<string, Rule> = {
  cat: anyArgs,
  cd: anyArgs,
  cut: anyArgs,
  echo: anyArgs,
  expr: anyArgs,
  false: anyArgs,
  grep: anyArgs,
  head: anyArgs,
  id: anyArgs,
  ls: anyArgs,
  nl: anyArgs,
  numfmt: anyArgs,
  paste: anyArgs,
  pwd: anyArgs,
  rev: anyArgs,
  seq: anyArgs,
  stat: anyArgs,
  tac: anyArgs,
  tail: anyArgs,
  tr: anyArgs,
  true: anyArgs,
  uname: anyArgs,
  wc: anyArgs,
  which: anyArgs,
  whoami: anyArgs,
  base64,
  find,
  git: checkGit,
  rg,
  sed,
  uniq,
};

/** The verdict for `name` (a program's file name) with `args`; programs not on the list are unsafe. */
export function checkSafeProgram(name: string, args: readonly SafeArg[]): RuleVerdict {
  const rule = Object.hasOwn(RULES, name) ? RULES[name] : undefined;
  if (rule === undefined) return unsafe(`${name} is not on the read-only list`);
  return rule(args);
}
