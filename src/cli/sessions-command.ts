/**
 * `keel sessions` (the list), `keel sessions show` (one session as a transcript or JSON), and `export` / `import`
 * (a session moved to another machine or KEEL_HOME, see store/session-transfer.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sessionMarkdown } from '../exec/session-transcript.ts';
import { findSession, isStoreError, keelHome, listSessions, readSessionLog, type SessionSummary } from '../store/index.ts';
import { exportSessionLog, importSessionLog, TransferError } from '../store/session-transfer.ts';
import { findRepoRoot } from '../util/git-info.ts';
import { UsageError } from './usage-error.ts';

export const SESSIONS_HELP = `Usage:
  keel sessions [--all] [--json] [--limit N]
  keel sessions show SESSION_ID [--format markdown|json]
  keel sessions export SESSION_ID > FILE.jsonl.gz
  keel sessions import FILE [--cwd DIR]

Lists the sessions started in this repository (or this directory outside a repository), newest first: id,
when, directory, first prompt, number of tasks, and how it ended — completed, interrupted (Ctrl+C), killed
(SIGKILL, power cut, closed terminal), crashed, or running; a fork (keel fork) says which session and prompt it
was forked from. --all lists every directory's sessions.
SESSION_ID may be any unique beginning of an id. Resume one with "keel exec resume SESSION_ID".

export writes the session's log, gzipped, to standard output (never to a terminal: redirect it to a file). API
keys are never in a log. import puts such a file (gzipped or not) into this KEEL_HOME under the session's start
date; --cwd DIR makes DIR the directory the session works in (the recorded one, and directories inside it, move
to DIR). Then "keel exec resume SESSION_ID" goes on with it here. import exits with 1 when the file is damaged
(each problem is named, nothing is written) or a session with its id is already here, 2 for a wrong command line.`;

export async function sessionsCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const home = keelHome(env);
  if (argv[0] === 'show') return show(argv.slice(1), home);
  if (argv[0] === 'export') return exportCommand(argv.slice(1), home);
  if (argv[0] === 'import') return importCommand(argv.slice(1), home);
  const { values, positionals } = parse(argv, {
    all: { type: 'boolean' },
    json: { type: 'boolean' },
    limit: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return help();
  if (positionals.length > 0) throw new UsageError(`unknown sessions command "${positionals[0]}": see keel sessions --help`);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new UsageError(`--limit expects a positive whole number, got "${values.limit}"`);
  const scope = values.all ? undefined : (findRepoRoot(process.cwd()) ?? process.cwd());
  const sessions = await listSessions({ home, cwd: scope, limit });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(sessions.map(toJson))}\n`);
    return 0;
  }
  if (sessions.length === 0) {
    process.stdout.write(scope === undefined ? 'No sessions yet.\n' : `No sessions in ${scope} (keel sessions --all lists every directory).\n`);
    return 0;
  }
  for (const session of sessions) process.stdout.write(`${formatRow(session, scope === undefined)}\n`);
  return 0;
}

async function show(argv: string[], home: string): Promise<number> {
  const { values, positionals } = parse(argv, { format: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) return help();
  const format = values.format ?? 'markdown';
  if (format !== 'markdown' && format !== 'json') throw new UsageError(`--format is markdown or json, got "${format}"`);
  if (positionals.length !== 1) throw new UsageError('say which session to show: keel sessions show SESSION_ID');
  const path = await located(home, positionals[0]!);
  // The whole log, not only what a resume needs: every compaction is shown where it happened.
  const log = await readSessionLog(path, { from: 'start' }).catch((error: unknown) => {
    throw isStoreError(error) ? new UsageError(error.message) : error;
  });
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify({ path, meta: log.meta, items: log.items, events: log.events, problems: log.problems, torn_tail: log.tornTail })}\n`);
  } else {
    const origin = log.meta.forked_from;
    const forkedFrom = origin === undefined ? {} : { forkedFrom: { sessionId: origin.session_id, prompt: origin.prompt } };
    process.stdout.write(sessionMarkdown({ id: log.meta.session_id, cwd: log.meta.cwd, model: log.meta.model, startedAt: log.meta.started_at, ...forkedFrom, events: log.events, problems: log.problems }));
  }
  return 0;
}

async function exportCommand(argv: string[], home: string): Promise<number> {
  const { values, positionals } = parse(argv, { help: { type: 'boolean', short: 'h' } });
  if (values.help) return help();
  if (positionals.length !== 1) throw new UsageError('say which session to export: keel sessions export SESSION_ID > FILE.jsonl.gz');
  // Checked before the session is looked up: gzip on a terminal is noise, and may leave it in a strange state.
  if (process.stdout.isTTY) {
    throw new UsageError(`export writes gzip data, not text: redirect to a file (keel sessions export ${positionals[0]} > session.jsonl.gz)`);
  }
  const path = await located(home, positionals[0]!);
  await exportSessionLog(path, process.stdout);
  return 0;
}

async function importCommand(argv: string[], home: string): Promise<number> {
  const { values, positionals } = parse(argv, { cwd: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) return help();
  if (positionals.length !== 1) throw new UsageError('say which file to import: keel sessions import FILE [--cwd DIR]');
  const file = positionals[0]!;
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`${file}: no such file`);
  const cwd = values.cwd === undefined ? undefined : resolve(values.cwd);
  if (cwd !== undefined && (!existsSync(cwd) || !statSync(cwd).isDirectory())) {
    throw new UsageError(`--cwd ${values.cwd}: no such directory (create it first, e.g. by cloning the repository there)`);
  }
  try {
    const imported = await importSessionLog({ home, bytes: readFileSync(file), file, cwd });
    const moved = imported.cwd === imported.cwdBefore ? imported.cwd : `${imported.cwd} (was ${imported.cwdBefore})`;
    if (imported.tornTail) process.stderr.write('keel: its last line was cut short (the session was killed while writing it); a resume leaves it out\n');
    process.stdout.write(`imported session ${imported.sessionId}\n  log:       ${imported.path}\n  directory: ${moved}\n`);
    process.stdout.write(`go on with it: keel exec resume ${imported.sessionId} "…"\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof TransferError)) throw error;
    // A file that cannot be imported is not a wrong command line: exit 1, with what is wrong.
    process.stderr.write(`keel: ${error.message}\n`);
    return 1;
  }
}

async function located(home: string, idOrPrefix: string): Promise<string> {
  try {
    return await findSession({ home, idOrPrefix });
  } catch (error) {
    if (isStoreError(error)) throw new UsageError(error.message);
    throw error;
  }
}

function help(): number {
  process.stdout.write(`${SESSIONS_HELP}\n`);
  return 0;
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parse<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see keel sessions --help)`);
  }
}

function toJson(session: SessionSummary) {
  const forkedFrom = session.forkedFrom === null ? null : { session_id: session.forkedFrom.sessionId, prompt: session.forkedFrom.prompt };
  return { id: session.id, started_at: session.startedAt, last_activity: session.lastActivity, cwd: session.cwd, model: session.model, first_prompt: session.firstPrompt, turns: session.turns, status: session.status, path: session.path, forked_from: forkedFrom };
}

function formatRow(session: SessionSummary, withCwd: boolean): string {
  const when = session.startedAt.replace('T', ' ').slice(0, 16);
  const prompt = (session.firstPrompt ?? '(no prompt)').replace(/\s+/g, ' ');
  const shown = prompt.length > 60 ? `${prompt.slice(0, 59)}…` : prompt;
  const tasks = `${session.turns} task${session.turns === 1 ? '' : 's'}`;
  const fork = session.forkedFrom === null ? '' : `(forked from ${session.forkedFrom.sessionId.slice(0, 8)} at prompt ${session.forkedFrom.prompt})`;
  return [session.id.slice(0, 8), when, session.status.padEnd(11), tasks.padEnd(8), withCwd ? session.cwd : '', shown, fork].filter((part) => part !== '').join('  ');
}
