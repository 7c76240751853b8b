/**
 * `keel undo`: puts the files back as they were before a session's last task (or task N), from keel's snapshots,
 * after showing the diff and asking; the session's log gets the result and the note the model reads when the
 * session goes on. `--finish` / `--rollback` settle an undo a previous run was cut off in.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { SnapshotService, undoNote } from '../core/snapshot-service.ts';
import { userMessage, type EventOf } from '../protocol/index.ts';
import { keelHome, readSnapshotEvents } from '../store/index.ts';
import { settleUndo, SnapshotStore, SnapshotUnavailable, unfinishedUndo } from '../store/snapshots/index.ts';
import { sanitize } from '../util/text/sanitize.ts';
import { undoneTasks } from '../tui/undo-cells.ts';
import { locateSession, resumeLog, type SessionRef } from './session-log-setup.ts';
import { UsageError } from './usage-error.ts';

export const UNDO_HELP = `Usage:
  keel undo [SESSION_ID | --last] [--task N | --back-to N] [--preview] [--force] [--yes]
  keel undo --finish | --rollback [-C DIR]

Puts the files back as they were before the last task of the session that changed them (or task N), from
keel's own snapshots (kept under $KEEL_HOME/snapshots, never in your repository's history): shows the diff it
will apply and asks first. Edits by any tool count (apply_patch, sed -i, formatters, code generators).
A file someone changed again after that task is a conflict: listed and left as it is, unless --force.
Files the snapshots did not record (larger than snapshots.max_file_bytes, ignored by .gitignore, nested
repositories) are named and left alone. The session is told, so the model does not assume its edits are there.

With no SESSION_ID, the newest session of this repository (--last). SESSION_ID may be any unique beginning
of an id (see keel sessions).

Options:
  --task N      undo task N of the session (its number as "keel sessions show" lists them)
  --back-to N   undo task N and every task after it: the files as they were before task N began
  --preview     show what would be undone, change nothing
  --force       overwrite conflicting files too (their state before the undo stays in the snapshot store)
  --yes, -y     do not ask (needed when standard input is not a terminal)
  --finish      finish an undo that was cut off (a kill, a power cut): the files go where it was taking them
  --rollback    undo such a cut-off undo instead: the files go back to where they were before it
  -C DIR        the directory whose cut-off undo to settle (default: this one)

Exit codes: 0 done (or nothing to undo, or answered no), 1 the undo failed, 2 a wrong command line or a
question that cannot be asked.`;

export async function undoCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseUndoArgs(argv);
  if (values.help) {
    process.stdout.write(`${UNDO_HELP}\n`);
    return 0;
  }
  const home = keelHome(env);
  if (values.finish || values.rollback) {
    if (values.finish && values.rollback) throw new UsageError('--finish and --rollback exclude each other: pick one');
    return settle(home, values.C ?? process.cwd(), values.finish ? 'finish' : 'rollback');
  }
  if (positionals.length > 1) throw new UsageError(`keel undo takes one session id, got ${positionals.length}: ${positionals.join(' ')}`);
  if (positionals.length === 1 && values.last) throw new UsageError('give a SESSION_ID or --last, not both');
  if (values.task !== undefined && values['back-to'] !== undefined) throw new UsageError('--task and --back-to exclude each other: pick one');
  const given = values.task ?? values['back-to'];
  const task = given === undefined ? undefined : Number(given);
  if (task !== undefined && (!Number.isInteger(task) || task < 1)) throw new UsageError(`${values.task !== undefined ? '--task' : '--back-to'} expects a task number (1, 2, …), got "${given}"`);
  const andLater = values['back-to'] !== undefined;
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  if (!values.preview && !values.yes && !interactive) throw new UsageError('keel undo asks before it changes files: pass --yes to undo without asking (or --preview to only look)');

  const ref: SessionRef = positionals.length === 1 ? { type: 'id', idOrPrefix: positionals[0]! } : { type: 'last', cwd: process.cwd() };
  const located = await locateSession(home, ref);
  const resumed = await resumeLog(located.path, []);
  const { writer } = resumed.log;
  try {
    const service = new SnapshotService({
      home,
      cwd: located.cwd,
      sessionId: resumed.meta.session_id,
      tasksSoFar: writer.turns,
      recorded: readSnapshotEvents(located.path),
    });
    const preview = await service.undo({ task, andLater, preview: true, force: false });
    if (preview.type === 'refused') {
      process.stderr.write(`keel: ${preview.message}\n`);
      return 0;
    }
    const plan = preview.result;
    process.stdout.write(describe(plan, interactive));
    if (plan.restored.length + plan.deleted.length + (values.force ? plan.conflicts.length : 0) === 0) {
      process.stderr.write(`nothing to undo for task ${plan.task}: its files are already as they were${plan.conflicts.length > 0 ? ' or changed since (--force overwrites those)' : ''}\n`);
      return 0;
    }
    if (values.preview) return 0;
    if (!values.yes && !(await confirm(`Undo the changes of task ${plan.task}${values.force && plan.conflicts.length > 0 ? `, overwriting ${plan.conflicts.length} file(s) changed since` : ''}? [y/N] `))) {
      process.stderr.write('nothing was changed\n');
      return 0;
    }
    const done = await service.undo({ task: plan.task, andLater, preview: false, force: values.force === true });
    if (done.type === 'refused') {
      process.stderr.write(`keel: ${done.message}\n`);
      return 1;
    }
    const result = done.result;
    writer.recordEvent(result);
    if (result.restored.length + result.deleted.length > 0) writer.recordItem(userMessage(undoNote(result)));
    await writer.flush();
    process.stderr.write(`undid ${undoneTasks(result)} of session ${resumed.meta.session_id}: ${result.restored.length} file(s) put back, ${result.deleted.length} deleted${result.conflicts.length > 0 ? `; ${result.conflicts.length} changed since and left as they are` : ''}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`keel: the undo failed: ${(error as Error).message}\nIf some files were already put back, "keel undo --finish" completes the undo and "keel undo --rollback" reverts it.\n`);
    return 1;
  } finally {
    await resumed.log.close('shutdown');
  }
}

function parseUndoArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        last: { type: 'boolean' },
        task: { type: 'string' },
        'back-to': { type: 'string' },
        preview: { type: 'boolean' },
        force: { type: 'boolean' },
        yes: { type: 'boolean', short: 'y' },
        finish: { type: 'boolean' },
        rollback: { type: 'boolean' },
        C: { type: 'string', short: 'C' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see keel undo --help)`);
  }
}

/** The plan as text: the diff, then what is left alone. Made safe for a terminal: file contents are anyone's. */
function describe(plan: EventOf<'undo_result'>, terminal: boolean): string {
  const safe = (text: string): string => (terminal ? sanitize(text) : text);
  const lines: string[] = [`Undo ${undoneTasks(plan)} in ${safe(plan.root)}: ${plan.restored.length} file(s) put back, ${plan.deleted.length} file(s) the task created deleted.`];
  if (plan.unified_diff !== '') lines.push(safe(plan.unified_diff).trimEnd());
  if (plan.conflicts.length > 0) lines.push(`Changed again since task ${plan.task}, left as they are unless --force: ${safe(plan.conflicts.join(', '))}`);
  if (plan.skipped.length > 0) lines.push(`Not recorded, so not restored: ${safe(plan.skipped.map((skip) => `${skip.path} (${skip.reason.replace('_', ' ')})`).join(', '))}`);
  return `${lines.join('\n')}\n`;
}

async function confirm(question: string): Promise<boolean> {
  const reader = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await reader.question(question)).trim());
  } finally {
    reader.close();
  }
}

async function settle(home: string, cwd: string, how: 'finish' | 'rollback'): Promise<number> {
  let store: SnapshotStore;
  try {
    store = await SnapshotStore.open(home, cwd);
  } catch (error) {
    if (error instanceof SnapshotUnavailable) throw new UsageError(`no snapshots here: ${error.message}`);
    throw error;
  }
  const journal = unfinishedUndo(store);
  if (journal === null) {
    process.stderr.write(`no undo was cut off in ${store.root}: nothing to ${how}\n`);
    return 0;
  }
  const done = await settleUndo(store, journal, how);
  const verb = how === 'finish' ? 'finished' : 'rolled back';
  process.stderr.write(`${verb} the undo of task ${journal.task} (session ${journal.session_id}): ${done.restored.length} file(s) written, ${done.removed.length} removed\n`);
  if (how === 'finish') await tellSession(home, journal.session_id, { task: journal.task, root: store.root, restored: done.restored, deleted: done.removed });
  return 0;
}

/** A finished undo is recorded in its session as one that ran to the end would be (a rollback leaves nothing to say). */
async function tellSession(home: string, sessionId: string, done: { task: number; root: string; restored: string[]; deleted: string[] }): Promise<void> {
  const result: EventOf<'undo_result'> = { type: 'undo_result', done: true, unified_diff: '', conflicts: [], skipped: [], ...done };
  try {
    const located = await locateSession(home, { type: 'id', idOrPrefix: sessionId });
    const resumed = await resumeLog(located.path, []);
    resumed.log.writer.recordEvent(result);
    resumed.log.writer.recordItem(userMessage(undoNote(result)));
    await resumed.log.close('shutdown');
  } catch (error) {
    process.stderr.write(`keel: the session ${sessionId} could not be told of the undo (${(error as Error).message}); tell the model yourself when you go on with it\n`);
  }
}
