/**
 * Is a command line known to only read? True only when everything it runs was read exactly and every command —
 * of every pipe, chain, list, subshell and `bash -lc` script — is on the read-only list, with literal arguments
 * (or globs that cannot become options), no harmful assignment in front, and no redirection that writes a file.
 * A known-safe command runs without asking and without the sandbox, so every doubt answers "not safe".
 */
import { analyzeArgv, type CommandAnalysis, type FoundCommand, type FoundRedirect } from './analyze-command.ts';
import { isHarmlessEnvName } from './harmless-env.ts';
import { programName } from './program-name.ts';
import type { SafeArg } from './safe-args.ts';
import { checkSafeProgram } from './safe-programs.ts';
import { changedDirectory, privateReadConcern } from './private-paths.ts';
import { gitRepoConcern } from './git-repo-check.ts';

export type KnownSafeVerdict = { type: 'known_safe'; reason: string } | { type: 'not_safe'; reason: string };

/**
 * `cwd`: where the command runs, for the paths it names (private-paths.ts) and the repository git would read
 * (git-repo-check.ts); default keel's own. `workspace`: the session's directory, whose repository is the only one git
 * may read unsandboxed; null when not known (then any repository whose configuration passes).
 */
export function checkKnownSafe(argv: readonly string[], cwd: string | null = process.cwd(), workspace: string | null = null): KnownSafeVerdict {
  return knownSafeVerdict(analyzeArgv(argv), cwd, workspace);
}

export function isKnownSafe(argv: readonly string[]): boolean {
  return checkKnownSafe(argv).type === 'known_safe';
}

export function knownSafeVerdict(analysis: CommandAnalysis, cwd: string | null = process.cwd(), workspace: string | null = null): KnownSafeVerdict {
  const [gap] = analysis.gaps;
  if (gap !== undefined) return notSafe(gap);
  const programs: string[] = [];
  // Followed through the line's `cd`s, in order (a subshell's `cd` is taken to last: that can only make more paths
  // look private, never fewer).
  let dir = cwd;
  let changedDir = false;
  const realpaths = new Map<string, string | null>();
  for (const command of analysis.commands) {
    const concern = commandConcern(command) ?? privateConcern(command, dir, realpaths) ?? (isGit(command) ? gitRepoConcern(dir, workspace) : null);
    if (concern !== null) return notSafe(concern);
    if (isCd(command)) {
      dir = changedDirectory(dir, command.words.slice(1).map((word) => word.value));
      changedDir = true;
    }
    // Name what reads, not the shells and env that only carried it.
    const name = command.words[0] && !command.unwrapping?.transparent ? programName(command.words[0].value).name : null;
    if (name !== null && !programs.includes(name)) programs.push(name);
  }
  for (const redirect of analysis.redirects) {
    // Which `cd` came before a redirection is not tracked: after any, its relative paths are of unknown place.
    const read = redirect.op === '<' && redirect.target.type === 'literal' ? privateReadConcern(redirect.target.value, changedDir ? null : cwd, realpaths) : null;
    const concern = redirectConcern(redirect) ?? read;
    if (concern !== null) return notSafe(concern);
  }
  return { type: 'known_safe', reason: `read-only command (${programs.join(', ')})` };
}

/** Programs that name paths without reading them. */
const NO_READS = new Set(['cd', 'echo', 'true', 'false', 'pwd']);

function isCd(command: FoundCommand): boolean {
  return runs(command, 'cd');
}

function isGit(command: FoundCommand): boolean {
  return runs(command, 'git');
}

function runs(command: FoundCommand, name: string): boolean {
  const [program] = command.words;
  return program !== undefined && !command.unwrapping?.transparent && programName(program.value).name === name;
}

/** Why this known-safe command would read somewhere private (/proc, keel's home), or null. */
function privateConcern(command: FoundCommand, dir: string | null, realpaths: Map<string, string | null>): string | null {
  const [program, ...args] = command.words;
  if (program === undefined || command.unwrapping?.transparent || NO_READS.has(programName(program.value).name)) return null;
  for (const word of args) {
    const concern = privateReadConcern(word.value, dir, realpaths);
    if (concern !== null) return concern;
  }
  return null;
}

function notSafe(reason: string): KnownSafeVerdict {
  return { type: 'not_safe', reason };
}

/** Why this one command is not known to only read, or null. Its nested commands are judged separately. */
export function commandConcern(command: FoundCommand): string | null {
  for (const { name, value } of command.assignments) {
    if (!isHarmlessEnvName(name)) return `setting ${name} can change what the command does`;
    if (value.type !== 'literal') return `${name} is set to ${value.value}, which is only known at run time`;
  }
  const [program, ...rest] = command.words;
  if (program === undefined) return null;
  const name = programName(program.value);
  if (name.type === 'other_path') return `${name.path} is not a system program`;
  const { unwrapping } = command;
  if (unwrapping?.transparent) return null;
  // A shell or env used in a way that adds behaviour of its own: say why, rather than "not on the list".
  if (unwrapping !== null && unwrapping.concern !== null && (unwrapping.kind === 'env' || unwrapping.kind.endsWith(' -c'))) {
    return unwrapping.concern;
  }
  const args: SafeArg[] = [];
  for (const word of rest) {
    if (word.type === 'dynamic') return word.reason;
    if (word.type === 'expanding' && word.canBeOption) return `${word.value} could expand to a file name starting with "-", which ${name.name} would read as an option`;
    args.push({ value: word.value, exact: word.type === 'literal' });
  }
  const verdict = checkSafeProgram(name.name, args);
  return verdict.type === 'ok' ? null : verdict.reason;
}

/** Null for redirections that cannot write a file or reach the network: fd duplication, /dev/null, reading a file. */
export function redirectConcern(redirect: FoundRedirect): string | null {
  const { op, target } = redirect;
  const text = target.type === 'literal' ? target.value : null;
  const shown = `${redirect.fd ?? ''}${op} ${target.value}`;
  switch (op) {
    case '>&':
    case '<&':
      if (text !== null && /^(\d+-?|-)$/.test(text)) return null;
      return `${shown} writes a file`;
    case '>':
    case '>>':
    case '>|':
    case '&>':
    case '&>>':
      return text === '/dev/null' ? null : `${shown} writes a file`;
    case '<':
      if (text === null) return `${shown} reads a file only known at run time`;
      return /^\/dev\/(tcp|udp)\//.test(text) ? `${shown} opens a network connection` : null;
    case '<>':
      return `${shown} opens a file for writing`;
    case '<<<':
      return text === null ? `${shown}: ${target.type === 'dynamic' ? target.reason : 'expands at run time'}` : null;
    case '<<':
    case '<<-':
      if (redirect.heredoc?.type === 'literal') return null;
      return `here-document: ${redirect.heredoc?.type === 'dynamic' ? redirect.heredoc.reason : 'its text expands at run time'}`;
  }
}
