/**
 * git is read-only only as `git [harmless global options] status|log|diff|show|branch …` without the options that
 * set configuration (which can name programs git runs), write files or run helpers. `git branch` with arguments
 * creates, renames or deletes branches, so only its listing forms pass.
 */
import { isLongOption, OK, unsafe, type RuleVerdict, type SafeArg } from './safe-args.ts';

const READ_ONLY_SUBCOMMANDS = new Set(['status', 'log', 'diff', 'show', 'branch']);

const HARMLESS_GLOBALS = new Set(['--no-pager', '-P', '--no-optional-locks', '--literal-pathspecs', '--glob-pathspecs', '--noglob-pathspecs', '--icase-pathspecs', '--no-replace-objects']);

// Long options that, after a read-only subcommand, write a file or run a helper program.
const DANGEROUS_OPTIONS = ['--output', '--ext-diff', '--textconv', '--exec', '--paginate', '--open-files-in-pager'];

const BRANCH_LISTING = new Set(['--list', '-l', '--show-current', '-a', '--all', '-r', '--remotes', '-v', '-vv', '--verbose', '--no-color', '--color', '--omit-empty']);

export function checkGit(args: readonly SafeArg[]): RuleVerdict {
  let index = 0;
  for (; index < args.length; index += 1) {
    const { value } = args[index]!;
    if (!value.startsWith('-')) break;
    if (HARMLESS_GLOBALS.has(value)) continue;
    return unsafe(globalConcern(value));
  }
  const subcommand = args[index];
  if (subcommand === undefined) return unsafe('git without a subcommand is not on the read-only list');
  if (!subcommand.exact || !READ_ONLY_SUBCOMMANDS.has(subcommand.value)) {
    return unsafe(`git ${subcommand.value} is not on the read-only list (status, log, diff, show, branch)`);
  }
  const rest = args.slice(index + 1);
  // Past a `--` too: it can be the value of an option before it (`git log --grep -- --output=x`), and then what
  // follows is still an option. A path named like one of these options only means the command runs sandboxed.
  for (const { value } of rest) {
    if (isLongOption(value, DANGEROUS_OPTIONS)) return unsafe(`git ${subcommand.value} ${value.split('=', 1)[0]} writes a file or runs another program`);
  }
  return subcommand.value === 'branch' ? checkBranch(rest) : OK;
}

function globalConcern(option: string): string {
  if (option === '-c' || option.startsWith('--config-env')) return `git ${option} can set any configuration, including programs git runs`;
  if (option === '-C' || option.startsWith('--git-dir') || option.startsWith('--work-tree')) {
    return `git ${option} reads another repository, whose configuration can name programs git runs`;
  }
  if (option.startsWith('--exec-path')) return 'git --exec-path chooses which git programs run';
  if (option === '-p' || option === '--paginate') return 'git --paginate runs a pager program';
  return `git ${option} is not on the read-only list`;
}

function checkBranch(args: readonly SafeArg[]): RuleVerdict {
  const listing = args.some((arg) => arg.value === '--list' || arg.value === '-l');
  for (const arg of args) {
    if (BRANCH_LISTING.has(arg.value) || /^--(format|sort|color)=/.test(arg.value)) continue;
    // With --list, words are patterns to list; without it a name creates a branch.
    if (listing && !arg.value.startsWith('-')) continue;
    return unsafe(`git branch ${arg.value} can create, rename or delete branches`);
  }
  return OK;
}
