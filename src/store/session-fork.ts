/**
 * Forking a session at one of its prompts: a new session (a new id, a new log) whose history is the source's exactly
 * as it stood just before that prompt, to send the prompt again, changed or not. The source log is only read.
 *
 * The fork's log is the source's records before the cut, in their order: every history record (items, and
 * compactions, which replace the history as they did in the source), and the events of the tasks before the
 * prompt's task, so that a resume shows the earlier transcript, the task count goes on from there, and the earlier
 * tasks' file snapshots (`task_snapshot`) are there for undo (each run's `session_configured` is made to name the
 * fork). Runs of the source (`resumed`, `session_end`) are not
 * copied: the fork is one session of its own, and ends with its own clean `session_end`.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { callIdOf, isToolCall, isToolOutput, type ResponseItem, type ToolOutputItem, type UserInput } from '../protocol/index.ts';
import { unfinishedOutput } from '../tools/unfinished-call.ts';
import { acquireSessionLock, type SessionLock } from './session-lock.ts';
import { SessionLogWriter } from './session-log-writer.ts';
import type { LogProblem } from './session-log-reader.ts';
import { scanSessionLog, type LoggedPrompt, type ScannedLog, type ScannedPrompt, type ScannedRecord } from './session-prompts.ts';
import type { SessionSource } from './session-record.ts';
import { ioError, StoreError } from './store-error.ts';

export interface ForkOptions {
  home: string;
  /** The source session's log (as `findSession` finds it). Opened read-only. */
  path: string;
  /** 1-based, over the source's whole log (see `listPrompts`). */
  prompt: number;
  /** Written into the fork's header. */
  keelVersion: string;
  /** The front end that makes the fork. */
  source: SessionSource;
  /** Default: a new random UUID. */
  sessionId?: string;
  secrets?: readonly string[];
  clock?: () => Date;
}

export interface ForkedSession {
  sessionId: string;
  path: string;
  /** The prompt forked at, to put in the editor: its text, and its images with their data. */
  prompt: LoggedPrompt & { imageInputs: Array<Extract<UserInput, { type: 'image' }>> };
  /**
   * The source's file snapshot taken before the task the prompt started, to put the files back to that point; null
   * when there is none (the task wrote nothing, or the prompt was queued into a task that had begun already).
   */
  snapshot: { snapshotId: string; root: string } | null;
  /** Lines of the source that could not be used and were left out (as a resume of it leaves them out). */
  problems: LogProblem[];
}

/**
 * Writes the fork and returns where it is. Throws `StoreError`: `no_such_prompt` when the source has no prompt
 * `prompt`, `not_a_session` / `newer_format` for a source that cannot be read, `io` when the fork cannot be written.
 */
export async function forkSession(options: ForkOptions): Promise<ForkedSession> {
  const log = await scanSessionLog(options.path);
  const prompt = log.prompts[options.prompt - 1];
  if (prompt === undefined || !Number.isInteger(options.prompt)) {
    const count = log.prompts.length;
    const range = count === 0 ? 'it has no prompts' : count === 1 ? 'it has 1 prompt: the only choice is 1' : `it has ${count}: choose 1 to ${count}`;
    throw new StoreError(
      { kind: 'no_such_prompt', path: options.path, prompt: options.prompt, count },
      `session ${log.meta.session_id} has no prompt ${options.prompt} (${range})`,
    );
  }
  const { meta } = log;
  const sessionId = options.sessionId ?? randomUUID();
  let failure: StoreError | null = null;
  const writer = await SessionLogWriter.create({
    home: options.home,
    meta: {
      session_id: sessionId,
      keel_version: options.keelVersion,
      cwd: meta.cwd,
      model: meta.model,
      model_provider: meta.model_provider,
      git: meta.git,
      source: options.source,
      forked_from: { session_id: meta.session_id, prompt: prompt.number },
    },
    onError: (error) => (failure ??= error),
    ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  let lock: SessionLock | null = null;
  try {
    // Nobody knows the new id yet; the lock still keeps a `keel resume` of it from appending while it is written.
    lock = await acquireSessionLock(writer.path);
    const copied = recordsBefore(log, prompt);
    for (const record of copied.records) writer.copyRecord(asForkRecord(record, sessionId, writer.path));
    // A prompt boundary leaves no call open; should one be (a damaged line lost an output), it is answered here, so
    // the fork's log describes a history the API accepts from its first request on.
    for (const answer of answersForOpenCalls(historyOf(copied.records))) writer.recordItem(answer);
    if (copied.cutTask) writer.recordEvent({ type: 'turn_aborted', reason: 'interrupted' });
    writer.recordEnd('shutdown');
  } catch (error) {
    failure ??= error instanceof StoreError ? error : ioError(writer.path, 'write the fork', error);
  } finally {
    await writer.close();
    lock?.release();
  }
  if (failure !== null) {
    // A fork missing part of its history would be another conversation: better none at all.
    rmSync(writer.path, { force: true });
    throw failure;
  }
  return {
    sessionId,
    path: writer.path,
    prompt: { number: prompt.number, text: prompt.text, images: prompt.images, task: prompt.task, queued: prompt.queued, ts: prompt.ts, imageInputs: imagesOf(prompt) },
    // A queued prompt came in the middle of its task: no snapshot holds the files as they were at that point.
    snapshot: prompt.queued ? null : snapshotBefore(log.records, prompt.task),
    problems: log.problems,
  };
}

type HistoryRecord = Extract<ScannedRecord['record'], { type: 'item' | 'event' | 'compacted' }>;

/**
 * The records a fork at `prompt` copies: the history records before the cut, and the events of the tasks before.
 * A prompt queued into a running task cuts that task in two: its events up to the cut are copied too, so the
 * transcript shows what the history holds, and the task is closed there as interrupted (the fork stops it there).
 */
function recordsBefore(log: ScannedLog, prompt: ScannedPrompt): { records: HistoryRecord[]; cutTask: boolean } {
  const lastTask = prompt.queued ? prompt.task : prompt.task - 1;
  const records: HistoryRecord[] = [];
  for (const { record, task } of log.records.slice(0, prompt.cut)) {
    switch (record.type) {
      case 'item':
        records.push(record);
        break;
      case 'compacted':
        // Always history; in the prompt's own task only when that task is copied, else counted in the one before.
        records.push(task <= lastTask ? record : { ...record, turn: lastTask });
        break;
      case 'event':
        if (task <= lastTask) records.push(record);
        break;
      case 'resumed':
      case 'session_end':
        break;
    }
  }
  return { records, cutTask: prompt.queued };
}

/**
 * A copied record as the fork's own: a `session_configured` names the session and log it heads, which are the
 * fork's now (a transcript shows its header with that id; keel would otherwise show the source's). Everything
 * else stays as recorded.
 */
function asForkRecord(record: HistoryRecord, sessionId: string, path: string): HistoryRecord {
  if (record.type !== 'event' || record.event.type !== 'session_configured') return record;
  return { ...record, event: { ...record.event, session_id: sessionId, rollout_path: path } };
}

/** The history the records describe, as the reader rebuilds it: items in order, a compaction replacing what came before. */
function historyOf(records: readonly HistoryRecord[]): ResponseItem[] {
  let history: ResponseItem[] = [];
  for (const record of records) {
    if (record.type === 'item') history.push(record.item);
    else if (record.type === 'compacted') history = [...record.replacement_history];
  }
  return history;
}

/** An output for each call of `history` without one, as a resume would answer a call it knows nothing more of. */
function answersForOpenCalls(history: readonly ResponseItem[]): ToolOutputItem[] {
  const answered = new Set<string>();
  for (const item of history) if (isToolOutput(item)) answered.add(item.call_id);
  const answers: ToolOutputItem[] = [];
  for (const item of history) {
    if (!isToolCall(item)) continue;
    const id = callIdOf(item);
    if (id === undefined || answered.has(id)) continue;
    answered.add(id);
    const output = unfinishedOutput({ type: 'never_ran' });
    answers.push(item.type === 'custom_tool_call' ? { type: 'custom_tool_call_output', call_id: id, output } : { type: 'function_call_output', call_id: id, output });
  }
  return answers;
}

/** The prompt's images with their data (from its item), named as its event names them. */
function imagesOf(prompt: ScannedPrompt): Array<Extract<UserInput, { type: 'image' }>> {
  const urls = prompt.item?.content.flatMap((part) => (part.type === 'input_image' ? [part.image_url] : [])) ?? [];
  return urls.map((url, index) => {
    const name = prompt.images[index];
    return name === undefined ? { type: 'image', image_url: url } : { type: 'image', image_url: url, name };
  });
}

/** The `before` snapshot of task `task` in the source, if one was taken (the task wrote files, or meant to). */
function snapshotBefore(records: readonly ScannedRecord[], task: number): ForkedSession['snapshot'] {
  for (const { record, task: of } of records) {
    if (record.type !== 'event' || of !== task) continue;
    const event = record.event;
    if (event.type === 'task_snapshot' && event.phase === 'before') return { snapshotId: event.snapshot_id, root: event.root };
  }
  return null;
}
