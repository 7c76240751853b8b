/**
 * Commands that run other commands: shells with `-c`, `env`, `sudo`, `xargs`, `timeout`, `find -exec`, `eval`, …
 * Unwrapping them lets every rule see the command that really runs (`sudo rm`, `env X=1 rm`, `bash -lc 'rm'`).
 * Programs that run code they read from elsewhere (`make`, `npm run`, `python -c`) are not unwrapped: what they
 * run is data, not command-line text.
 */
import { isHarmlessEnvName, splitAssignment } from './harmless-env.ts';
import { programName } from './program-name.ts';
import type { ShellDialect } from './shell-ast.ts';
import { skipOptions, type OptionSpec } from './skip-options.ts';
import type { WordValue } from './word-value.ts';

export interface AssignmentValue {
  name: string;
  value: WordValue;
}

export type InnerRun =
  | { type: 'argv'; words: WordValue[]; assignments: AssignmentValue[] }
  | { type: 'script'; source: string; dialect: ShellDialect };

export interface Unwrapping {
  /** For messages: "bash -c", "env", "find -exec", … */
  kind: string;
  runs: InnerRun[];
  /** Why part of what runs cannot be read (an unknown option, a script only known at run time), else null. */
  gap: string | null;
  /**
   * Only shells and `env` can be transparent: used plainly they add nothing of their own, so a known-safe check
   * may look through them. `concern` says why this use is not plain.
   */
  transparent: boolean;
  concern: string | null;
}

const SHELLS: Record<string, ShellDialect> = { bash: 'bash', zsh: 'bash', ksh: 'bash', mksh: 'bash', sh: 'posix', dash: 'posix', ash: 'posix' };

const WRAPPERS: Record<string, OptionSpec & { operands?: number }> = {
  sudo: { flags: 'AbEHiknPSs', valued: 'ugCDhprtTU', longFlags: ['--preserve-env', '--login', '--shell', '--non-interactive', '--stdin', '--background'], longValued: ['--user', '--group', '--chdir', '--prompt', '--close-from', '--host'] },
  doas: { flags: 'ns', valued: 'uC' },
  nice: { valued: 'n', longValued: ['--adjustment'], numeric: true },
  nohup: {},
  timeout: { flags: 'v', valued: 'sk', longFlags: ['--foreground', '--preserve-status', '--verbose'], longValued: ['--signal', '--kill-after'], operands: 1 },
  stdbuf: { valued: 'ioe', longValued: ['--input', '--output', '--error'] },
  setsid: { flags: 'cfw', longFlags: ['--ctty', '--fork', '--wait'] },
  builtin: {},
  exec: { flags: 'cl', valued: 'a' },
  time: { flags: 'apqv', valued: 'fo', longFlags: ['--append', '--portability', '--quiet', '--verbose'], longValued: ['--format', '--output'] },
  xargs: { flags: '0ortpx', valued: 'adEILnPs', attachedOnly: 'eil', longFlags: ['--null', '--no-run-if-empty', '--open-tty', '--verbose', '--exit', '--interactive'], longValued: ['--arg-file', '--delimiter', '--eof', '--replace', '--max-lines', '--max-args', '--max-procs', '--max-chars', '--process-slot-var'] },
};

const FIND_RUNNERS = new Set(['-exec', '-execdir', '-ok', '-okdir']);

/** `words[0]` is a literal program word; null when the program does not run other commands. */
export function unwrapCommand(words: readonly WordValue[], dialect: ShellDialect): Unwrapping | null {
  const name = programName(words[0]!.value).name;
  if (name in SHELLS) return unwrapShell(name, words, SHELLS[name]!);
  if (name === 'env') return unwrapEnv(words);
  if (name === 'find') return unwrapFind(words);
  if (name === 'eval') return unwrapEval(words, dialect);
  if (name === 'command') return unwrapCommandBuiltin(words);
  const spec = WRAPPERS[name];
  if (spec === undefined) return null;
  const end = skipOptions(words, 1, spec);
  if (end.type === 'unknown') return wrapper(name, [], `${name}: ${end.reason}`);
  const inner = words.slice(end.index + (spec.operands ?? 0));
  // xargs with no command runs echo on its input.
  if (inner.length === 0) return wrapper(name, name === 'xargs' ? [{ type: 'argv', words: [{ type: 'literal', value: 'echo' }], assignments: [] }] : [], null);
  return wrapper(name, [{ type: 'argv', words: inner, assignments: [] }], null);
}

function wrapper(kind: string, runs: InnerRun[], gap: string | null, concern: string | null = `${kind} is not on the read-only list`): Unwrapping {
  return { kind, runs, gap, transparent: false, concern };
}

function unwrapShell(name: string, words: readonly WordValue[], dialect: ShellDialect): Unwrapping | null {
  let commandMode = false;
  let concern: string | null = null;
  let index = 1;
  for (; index < words.length; index += 1) {
    const word = words[index]!;
    if (word.type !== 'literal') return wrapper(name, [], `${name}: ${word.value} is only known at run time`, null);
    const value = word.value;
    if (value === '--' || value === '-') {
      index += 1;
      break;
    }
    if (value.startsWith('--')) {
      if (['--login', '--noprofile', '--norc', '--posix'].includes(value)) continue;
      if (value === '--rcfile' || value === '--init-file') {
        concern = `${name} ${value} runs another start-up file`;
        index += 1;
        continue;
      }
      return wrapper(name, [], `${name}: unknown option ${value}`, null);
    }
    if (!/^[-+][A-Za-z]+$/.test(value)) break;
    for (const letter of value.slice(1)) {
      if (letter === 'c') commandMode = true;
      else if (letter === 'o' || letter === 'O') index += 1;
      // -l (login), -e, -u, -x change nothing a read-only command could exploit; -i, -s, -r, … are not plain.
      else if (!'leux'.includes(letter)) concern = `${name} ${value} is not a plain script run`;
    }
    const optionName = value.includes('o') || value.includes('O') ? words[index]?.value : undefined;
    if (optionName !== undefined && optionName !== 'pipefail') concern = `${name} -o ${optionName} is not a plain script run`;
  }
  // Without -c the shell runs a script file or its input, which no rule can read.
  if (!commandMode) return null;
  const script = words[index];
  if (script === undefined) return wrapper(`${name} -c`, [], `${name} -c has no script`, null);
  if (script.type !== 'literal') return wrapper(`${name} -c`, [], `the ${name} -c script ${script.value} is only known at run time`, null);
  return { kind: `${name} -c`, runs: [{ type: 'script', source: script.value, dialect }], gap: null, transparent: concern === null, concern };
}

function unwrapEnv(words: readonly WordValue[]): Unwrapping {
  const spec: OptionSpec = { flags: 'i0v', valued: 'uCSP', longFlags: ['--ignore-environment', '--null', '--debug'], longValued: ['--unset', '--chdir', '--split-string'] };
  const end = skipOptions(words, 1, spec);
  if (end.type === 'unknown') return wrapper('env', [], `env: ${end.reason}`, null);
  if (end.seen.some((option) => /^-[^-]*[SP]|^--split-string/.test(option))) {
    return wrapper('env', [], 'env -S builds the command from a string at run time', null);
  }
  const assignments: AssignmentValue[] = [];
  let index = end.index;
  let concern: string | null = null;
  for (; index < words.length; index += 1) {
    const word = words[index]!;
    const assignment = splitAssignment(word.value);
    if (assignment === null) break;
    assignments.push({ name: assignment.name, value: word.type === 'literal' ? { type: 'literal', value: assignment.value } : word });
    if (!isHarmlessEnvName(assignment.name)) concern ??= `env sets ${assignment.name}, which can change what the command does`;
    else if (word.type !== 'literal') concern ??= `env sets ${assignment.name} to a value only known at run time`;
  }
  const inner = words.slice(index);
  // Plain `env` prints the environment, secrets included: not something to run unasked.
  if (inner.length === 0) return { kind: 'env', runs: [], gap: null, transparent: false, concern: 'env without a command prints the environment' };
  return { kind: 'env', runs: [{ type: 'argv', words: inner, assignments }], gap: null, transparent: concern === null, concern };
}

function unwrapFind(words: readonly WordValue[]): Unwrapping | null {
  const runs: InnerRun[] = [];
  for (let index = 1; index < words.length; index += 1) {
    if (!FIND_RUNNERS.has(words[index]!.value)) continue;
    const end = words.findIndex((word, at) => at > index && (word.value === ';' || word.value === '+'));
    if (end < 0) return wrapper('find -exec', runs, `find ${words[index]!.value} is not terminated by ";" or "+"`);
    runs.push({ type: 'argv', words: words.slice(index + 1, end), assignments: [] });
    index = end;
  }
  return runs.length === 0 ? null : wrapper('find -exec', runs, null);
}

function unwrapEval(words: readonly WordValue[], dialect: ShellDialect): Unwrapping {
  const args = words.slice(1);
  const dynamic = args.find((word) => word.type !== 'literal');
  if (dynamic !== undefined) return wrapper('eval', [], `eval runs ${dynamic.value}, which is only known at run time`);
  return wrapper('eval', args.length === 0 ? [] : [{ type: 'script', source: args.map((word) => word.value).join(' '), dialect }], null);
}

function unwrapCommandBuiltin(words: readonly WordValue[]): Unwrapping {
  const end = skipOptions(words, 1, { flags: 'pvV' });
  if (end.type === 'unknown') return wrapper('command', [], `command: ${end.reason}`);
  // `command -v x` only looks x up.
  if (end.seen.some((option) => /[vV]/.test(option))) return wrapper('command', [], null);
  const inner = words.slice(end.index);
  return wrapper('command', inner.length === 0 ? [] : [{ type: 'argv', words: inner, assignments: [] }], null);
}
