/**
 * `keel fork SESSION_ID [--at N]`: a new session from a recorded one as it stood just before one of its prompts
 * (store/session-fork.ts makes it). Without --at, the prompts to choose from; with it, the fork, opened in the
 * interactive UI with that prompt waiting in the box on a terminal, else named for a script to go on with.
 */
import { parseArgs } from 'node:util';
import { forkSession, isStoreError, keelHome, listPrompts, type ForkedSession, type LoggedPrompt } from '../store/index.ts';
import { forkOpening, promptHeadline, promptList, warnSkippedLines } from './fork-opening.ts';
import { locateSession, type SessionRef } from './session-log-setup.ts';
import { UsageError } from './usage-error.ts';
import { VERSION } from './version.ts';
import { EXIT_USAGE } from '../util/exit-codes.ts';

export const FORK_HELP = `Usage: keel fork (SESSION_ID | --last) [--at N]

Starts a new session from a recorded one as it stood just before one of its prompts: the new session's history is
everything before prompt N, and prompt N waits to be changed and sent again. The session forked from is left as
it is; "keel sessions" says which session a fork came from and at which prompt.

Without --at, lists the session's prompts, numbered from 1 (the first), to choose from. With --at N, makes the
fork. On a terminal, the interactive UI opens on it with prompt N in the prompt box, unsent. Otherwise the new
session's id is printed on stdout, and on stderr how to go on with it (keel exec resume ID "PROMPT") and, when
keel recorded the files as they were before that prompt's task, how to put them back (keel undo ID --back-to N;
the UI offers it when it opens the fork).

SESSION_ID may be any unique beginning of an id (see keel sessions); --last takes this directory's newest
session. In the UI, /fork (or Esc twice on an empty prompt) does the same for the session on screen.

Options:
      --at N    the prompt to fork at
      --last    fork the newest session of this directory (repository)
  -h, --help    show this help

Exits with 2 for a wrong command line: no such session or prompt, or no --at when not on a terminal.`;

export async function forkCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help) {
    process.stdout.write(`${FORK_HELP}\n`);
    return 0;
  }
  const home = keelHome(env);
  const located = await locateSession(home, sessionRef(values.last === true, positionals));
  const prompts = await listPrompts(located.path).catch(asUsageError);
  const sourceId = located.id;
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  if (values.at === undefined) return listForChoice(prompts, sourceId, interactive);
  const at = promptNumber(values.at, prompts.length, sourceId);
  const fork = await forkSession({ home, path: located.path, prompt: at, keelVersion: VERSION, source: interactive ? 'tui' : 'exec' }).catch(asUsageError);
  warnSkippedLines(fork, located.path);
  if (interactive) {
    const { tuiCommand } = await import('./tui-command.ts');
    return tuiCommand(['resume', fork.sessionId], env, forkOpening(fork, located, home));
  }
  process.stdout.write(`${fork.sessionId}\n`);
  process.stderr.write(`${forkedLine(fork, sourceId)}\n`);
  return 0;
}

function sessionRef(last: boolean, positionals: string[]): SessionRef {
  if (last) {
    if (positionals.length > 0) throw new UsageError('fork takes a session id or --last, not both (see keel fork --help)');
    return { type: 'last', cwd: process.cwd() };
  }
  if (positionals.length !== 1) throw new UsageError('say which session to fork: keel fork SESSION_ID [--at N] (keel sessions lists them)');
  return { type: 'id', idOrPrefix: positionals[0]! };
}

/** The prompts, numbered; on a terminal that is the answer asked for, otherwise a script forgot --at. */
function listForChoice(prompts: readonly LoggedPrompt[], sourceId: string, interactive: boolean): number {
  if (prompts.length === 0) throw new UsageError(`session ${sourceId} has no prompts to fork at`);
  const width = process.stdout.isTTY === true ? (process.stdout.columns ?? 80) : 80;
  process.stdout.write(`${promptList(prompts, width).join('\n')}\n`);
  const how = `fork at one of them with: keel fork ${sourceId.slice(0, 8)} --at N`;
  if (interactive) {
    process.stdout.write(`\n${how}\n`);
    return 0;
  }
  process.stderr.write(`keel: say which prompt to fork at; ${how}\n`);
  return EXIT_USAGE;
}

function promptNumber(text: string, count: number, sourceId: string): number {
  const number = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (count === 0) throw new UsageError(`session ${sourceId} has no prompts to fork at`);
  if (Number.isInteger(number) && number >= 1 && number <= count) return number;
  const range = count === 1 ? 'it has one prompt: --at 1' : `it has ${count} prompts: --at 1 to --at ${count}`;
  throw new UsageError(`--at ${text}: no such prompt in session ${sourceId.slice(0, 8)} (${range}; keel fork ${sourceId.slice(0, 8)} lists them)`);
}

/** The stderr line of a fork made for a script: what was made, and how to go on with it. */
export function forkedLine(fork: ForkedSession, sourceId: string): string {
  const prompt = JSON.stringify(promptHeadline(fork.prompt, 60));
  const snapshot = fork.snapshot === null ? '' : `; to put the files back as they were at that prompt: keel undo ${sourceId.slice(0, 8)} --back-to ${fork.prompt.task}`;
  return `forked ${fork.sessionId} from ${sourceId} at prompt ${fork.prompt.number}: ${prompt}; continue it with: keel exec resume ${fork.sessionId} "…"${snapshot}`;
}

function asUsageError(error: unknown): never {
  // A session that cannot be read (not a log, a newer format) or a prompt it does not have: the command line's fault.
  if (isStoreError(error, 'not_a_session') || isStoreError(error, 'newer_format') || isStoreError(error, 'no_such_prompt')) throw new UsageError(error.message);
  throw error;
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { at: { type: 'string' }, last: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see keel fork --help)`);
  }
}
