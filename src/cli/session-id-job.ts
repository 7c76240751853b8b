/**
 * `keel exec --session-id UUID PROMPT`: a job that may be killed (SIGKILL, a cancelled CI run, a rescheduled pod)
 * and run again with the same command line, and carries on instead of starting over.
 *
 * The first run starts a session with that id. A later run finds its log and, by the log alone, decides:
 * - PROMPT is the session's first prompt (the same command line): it is not sent again. A task that was cut off
 *   (killed, stopped by SIGTERM or Ctrl+C, or ended by a model error) goes on as `exec resume` does without a
 *   prompt; when the last task had completed, its recorded answer is printed and nothing is sent.
 * - any other PROMPT is sent as the session's next message.
 */
import { rmSync, statSync } from 'node:fs';
import { jsonlEvent, jsonlHeader, jsonlResult } from '../exec/jsonl-renderer.ts';
import type { ExecIo } from '../exec/run-exec.ts';
import { RunTally } from '../exec/run-tally.ts';
import type { Style } from '../exec/style.ts';
import { verdictLine } from '../exec/verdict-line.ts';
import type { EventMsg } from '../protocol/index.ts';
import { findSessionById, isSessionId, readSessionLog, sessionLockHolder, summarizeSession, type SessionLog } from '../store/index.ts';
import { locateSession, type LocatedSession } from './session-log-setup.ts';
import { UsageError } from './usage-error.ts';

export interface SessionIdJob {
  /** Lower case, as the log's file name has it. */
  sessionId: string;
  /** The log an earlier run left; null on the first run. */
  located: LocatedSession | null;
}

/** What this run of the job does. */
export type JobStep =
  /** No earlier run: a new session with the job's id. */
  | { type: 'start' }
  /** The session goes on with PROMPT as its next message. */
  | { type: 'send' }
  /** The cut-off task goes on; PROMPT was sent by an earlier run and is not sent again. */
  | { type: 'continue' }
  /** The task had completed: its recorded answer is the result, and the model is not asked anything. */
  | { type: 'report'; lastMessage: string | null; events: EventMsg[] };

/** The job named by `--session-id` (null when the flag is absent). Usage errors for a bad id or a misplaced flag. */
export async function findJobSession(home: string, raw: string | undefined, resuming: boolean): Promise<SessionIdJob | null> {
  if (raw === undefined) return null;
  if (resuming) throw new UsageError('--session-id belongs to "keel exec PROMPT"; "keel exec resume SESSION_ID" already names its session');
  if (!isSessionId(raw)) {
    throw new UsageError(`--session-id expects a UUID such as 0b7f3c7e-4f1a-4d6e-9a51-2c8d0e6f1a23 (uuidgen makes one), got "${raw}"`);
  }
  const sessionId = raw.toLowerCase();
  let path = findSessionById(home, sessionId);
  // A run killed between creating its log and writing the header (one write later) recorded nothing at all: the
  // empty file is removed and the job starts as if it never ran.
  if (path !== null && statSync(path).size === 0) {
    rmSync(path, { force: true });
    path = null;
  }
  // A path is looked up as it is: the id cannot match another session by prefix.
  return { sessionId, located: path === null ? null : await locateSession(home, { type: 'id', idOrPrefix: path }) };
}

export async function nextJobStep(job: SessionIdJob, prompt: string): Promise<JobStep> {
  if (job.located === null) return { type: 'start' };
  const { path } = job.located;
  if ((await firstPrompt(path)) !== prompt) return { type: 'send' };
  // What a resume reads: the last task is after the last compaction.
  const last = lastTask(await readSessionLog(path, { from: 'last_compaction' }));
  switch (last.outcome) {
    case 'none':
      return { type: 'send' };
    case 'unfinished':
      return { type: 'continue' };
    case 'completed': {
      // An earlier run still going is not finished, whatever its log says so far.
      const holder = sessionLockHolder(path);
      if (holder !== null) {
        throw new UsageError(
          `session ${job.sessionId} is in use by keel process ${holder.pid} on host ${holder.hostname}, started ${holder.started_at}: is an earlier run of this job still going?`,
        );
      }
      return { type: 'report', lastMessage: last.lastMessage, events: last.events };
    }
  }
}

export interface ReportOptions {
  sessionId: string;
  json: boolean;
  outputLastMessage: string | null;
  version: string;
  style: Style;
  io: Pick<ExecIo, 'stdout' | 'stderr' | 'writeFile'>;
}

/**
 * Prints a completed task's recorded result as its run printed it: the answer on stdout, or with `--json` the header
 * and the task's recorded events (deltas are not recorded), then the verdict and `shutdown_complete` as every run
 * ends. The verdict is this run's: completed, exit 0, no tokens and no calls, since nothing was sent.
 */
export async function reportRecorded(step: Extract<JobStep, { type: 'report' }>, options: ReportOptions): Promise<number> {
  const { io } = options;
  const result = new RunTally().verdict({ sessionId: options.sessionId, stoppedBy: null, failOnRefusal: false, answerRejected: false });
  io.stderr(`session ${options.sessionId} has already done this prompt; its recorded answer follows (nothing was sent to the model)\n`);
  if (options.json) {
    io.stdout(jsonlHeader(options.sessionId, options.version));
    const events = [...step.events, { type: 'shutdown_complete' } as const];
    for (const [seq, msg] of events.entries()) {
      if (msg.type === 'shutdown_complete') io.stdout(jsonlResult(result));
      io.stdout(jsonlEvent({ id: 'recorded', seq, msg }));
    }
  } else {
    if (step.lastMessage !== null) io.stdout(step.lastMessage.endsWith('\n') ? step.lastMessage : `${step.lastMessage}\n`);
    io.stderr(`${verdictLine(result, options.style)}\n`);
  }
  if (options.outputLastMessage !== null) await io.writeFile(options.outputLastMessage, step.lastMessage ?? '');
  return result.exit_code;
}

/** The session's first prompt: from the head of the log, or, when that is cut short, from the whole log. */
async function firstPrompt(path: string): Promise<string | null> {
  const head = summarizeSession(path)?.firstPrompt ?? null;
  if (head === null || !head.endsWith('…')) return head;
  const whole = await readSessionLog(path, { from: 'start' });
  for (const { event } of whole.events) if (event.type === 'user_message') return event.message;
  return null;
}

type LastTask =
  | { outcome: 'none' }
  | { outcome: 'unfinished' }
  | { outcome: 'completed'; lastMessage: string | null; events: EventMsg[] };

/**
 * How the log's last task ended. Only a `task_complete` with no error before it completes a task; a task stopped
 * (`turn_aborted`), cut off (the log ends in it, or a later run's `session_configured` comes first) or ended by a
 * model error is unfinished, and a rerun goes on with it.
 */
function lastTask(log: Pick<SessionLog, 'events' | 'eventsFrom'>): LastTask {
  const events = log.events.map((logged) => logged.event);
  // Read from a compaction, the events begin inside the task that compacted.
  let start = log.eventsFrom === 'last_compaction' ? 0 : -1;
  let state: 'running' | 'completed' | 'unfinished' | null = start === 0 ? 'running' : null;
  let failed = false;
  let end = events.length;
  for (const [index, event] of events.entries()) {
    switch (event.type) {
      case 'task_started':
        [start, state, failed] = [index, 'running', false];
        break;
      case 'error':
        failed = true;
        break;
      case 'task_complete':
        if (state === 'running') [state, end] = [failed ? 'unfinished' : 'completed', index + 1];
        break;
      case 'turn_aborted':
        if (state === 'running') state = 'unfinished';
        break;
      case 'session_configured':
        if (state === 'running') state = 'unfinished';
        break;
      default:
        break;
    }
  }
  if (state === null) return { outcome: 'none' };
  if (state !== 'completed') return { outcome: 'unfinished' };
  const task = events.slice(start, end);
  const complete = task.at(-1);
  const lastMessage = complete?.type === 'task_complete' && complete.last_agent_message !== null ? complete.last_agent_message : lastAgentMessage(task);
  return { outcome: 'completed', lastMessage, events: task };
}

function lastAgentMessage(events: readonly EventMsg[]): string | null {
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index]!;
    if (event.type === 'agent_message') return event.message;
  }
  return null;
}
