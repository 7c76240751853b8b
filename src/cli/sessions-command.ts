/** `keel sessions` (the list) and `keel sessions show` (one session as a transcript or JSON). */
import { parseArgs } from 'node:util';
import { sessionMarkdown } from '../exec/session-transcript.ts';
import { findSession, isStoreError, keelHome, listSessions, readSessionLog, type SessionSummary } from '../store/index.ts';
import { findRepoRoot } from '../util/git-info.ts';
import { UsageError } from './usage-error.ts';

export const SESSIONS_HELP = `Usage:
  keel sessions [--all] [--json] [--limit N]
  keel sessions show SESSION_ID [--format markdown|json]

Lists the sessions started in this repository (or this directory outside a repository), newest first: id,
when, directory, first prompt, number of tasks, and how it ended — completed, interrupted (Ctrl+C), killed
(SIGKILL, power cut, closed terminal), crashed, or running. --all lists every directory's sessions.
SESSION_ID may be any unique beginning of an id. Resume one with "keel exec resume SESSION_ID".`;

export async function sessionsCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const home = keelHome(env);
  if (argv[0] === 'show') return show(argv.slice(1), home);
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
  let path: string;
  try {
    path = await findSession({ home, idOrPrefix: positionals[0]! });
  } catch (error) {
    if (isStoreError(error)) throw new UsageError(error.message);
    throw error;
  }
  // The whole log, not only what a resume needs: every compaction is shown where it happened.
  const log = await readSessionLog(path, { from: 'start' }).catch((error: unknown) => {
    throw isStoreError(error) ? new UsageError(error.message) : error;
  });
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify({ path, meta: log.meta, items: log.items, events: log.events, problems: log.problems, torn_tail: log.tornTail })}\n`);
  } else {
    process.stdout.write(sessionMarkdown({ id: log.meta.session_id, cwd: log.meta.cwd, model: log.meta.model, startedAt: log.meta.started_at, events: log.events, problems: log.problems }));
  }
  return 0;
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
  return { id: session.id, started_at: session.startedAt, last_activity: session.lastActivity, cwd: session.cwd, model: session.model, first_prompt: session.firstPrompt, turns: session.turns, status: session.status, path: session.path };
}

function formatRow(session: SessionSummary, withCwd: boolean): string {
  const when = session.startedAt.replace('T', ' ').slice(0, 16);
  const prompt = (session.firstPrompt ?? '(no prompt)').replace(/\s+/g, ' ');
  const shown = prompt.length > 60 ? `${prompt.slice(0, 59)}…` : prompt;
  const tasks = `${session.turns} task${session.turns === 1 ? '' : 's'}`;
  return [session.id.slice(0, 8), when, session.status.padEnd(11), tasks.padEnd(8), withCwd ? session.cwd : '', shown].filter((part) => part !== '').join('  ');
}
