/**
 * Opens the session log for a run: a new one, or an existing one to resume. Owns the log's lock and the crash
 * record, so however keel ends, the log says how.
 */
import { existsSync, statSync } from 'node:fs';
import { planResume, type ResumePlan } from '../core/resume.ts';
import {
  acquireSessionLock,
  findSession,
  isStoreError,
  latestSession,
  readSessionLog,
  summarizeSession,
  SessionLogWriter,
  type SessionLock,
  type SessionLog,
  type SessionSource,
} from '../store/index.ts';
import { findRepoRoot, readGitInfo } from '../util/git-info.ts';
import { UsageError } from './usage-error.ts';
import { warn } from './warnings.ts';
import { VERSION } from './version.ts';

export interface OpenLog {
  writer: SessionLogWriter;
  lock: SessionLock;
  /** Ends the log cleanly: the end record, a last sync, the lock released. Safe to call twice. */
  close(reason: 'shutdown' | 'crashed', detail?: string): Promise<void>;
}

const openLogs = new Set<OpenLog>();

/** For exit paths that cannot wait (an uncaught exception): records the crash and frees the locks synchronously. */
export function closeAllLogsNow(detail: string): void {
  for (const log of openLogs) {
    log.writer.recordEnd('crashed', detail);
    log.writer.flushSync();
    log.lock.release();
  }
  openLogs.clear();
}

function track(writer: SessionLogWriter, lock: SessionLock): OpenLog {
  let closed = false;
  const log: OpenLog = {
    writer,
    lock,
    async close(reason, detail) {
      if (closed) return;
      closed = true;
      openLogs.delete(log);
      writer.recordEnd(reason, detail);
      await writer.close();
      lock.release();
    },
  };
  openLogs.add(log);
  return log;
}

function reportWriteError(error: Error): void {
  warn(`the session log cannot be written (${error.message}); the session goes on unrecorded`);
}

export interface NewLogSettings {
  home: string;
  sessionId: string;
  cwd: string;
  model: string;
  providerId: string;
  source: SessionSource;
  secrets: string[];
}

export async function openNewLog(settings: NewLogSettings): Promise<OpenLog> {
  const writer = await SessionLogWriter.create({
    home: settings.home,
    meta: {
      session_id: settings.sessionId,
      keel_version: VERSION,
      cwd: settings.cwd,
      model: settings.model,
      model_provider: settings.providerId,
      git: readGitInfo(settings.cwd),
      source: settings.source,
    },
    secrets: settings.secrets,
    onError: reportWriteError,
  });
  return track(writer, await acquireSessionLock(writer.path));
}

export interface ResumedLog {
  log: OpenLog;
  meta: SessionLog['meta'];
  /** What the engine's resume rules make of the log; its answers are already written. */
  plan: ResumePlan;
}

export type SessionRef = { type: 'last'; cwd: string } | { type: 'id'; idOrPrefix: string };

/** A session to resume, found but not opened: its log and the directory it worked in. */
export interface LocatedSession {
  path: string;
  /** The session's id, as its header has it. */
  id: string;
  cwd: string;
  /** The model it was started with (a resume keeps it unless -m names another). */
  model: string;
}

/** Finds a session and reads the directory it worked in (from the log's header), so its settings load from there. */
export async function locateSession(home: string, ref: SessionRef): Promise<LocatedSession> {
  const path = await locate(home, ref);
  let summary: ReturnType<typeof summarizeSession>;
  try {
    summary = summarizeSession(path);
  } catch (error) {
    if (isStoreError(error, 'newer_format') || isStoreError(error, 'not_a_session')) throw new UsageError(error.message);
    throw error;
  }
  if (summary === null) throw new UsageError(`${path} is not a keel session log`);
  return { path, id: summary.id, cwd: summary.cwd, model: summary.model };
}

/** Locks, reads and reopens a located session; calls left open by its end are answered in the log first. */
export async function resumeLog(path: string, secrets: string[]): Promise<ResumedLog> {
  let lock: SessionLock;
  try {
    lock = await acquireSessionLock(path);
  } catch (error) {
    if (isStoreError(error, 'locked')) throw new UsageError(error.message);
    throw error;
  }
  try {
    // Nothing before the last compaction is needed to go on, however long the session was.
    const log = await readSessionLog(path, { from: 'last_compaction' });
    for (const problem of log.problems) {
      warn(`${path}:${problem.line}: ${problem.message} (this line is left out of the resumed history)`);
    }
    const writer = await SessionLogWriter.openExisting({ path, keelVersion: VERSION, secrets, onError: reportWriteError });
    const opened = track(writer, lock);
    const plan = planResume(log);
    for (const answer of plan.answers) writer.recordItem(answer);
    // The log must describe a history the API accepts before anything is sent.
    await writer.flush();
    return { log: opened, meta: log.meta, plan };
  } catch (error) {
    lock.release();
    if (isStoreError(error, 'newer_format') || isStoreError(error, 'not_a_session')) throw new UsageError(error.message);
    throw error;
  }
}

async function locate(home: string, ref: SessionRef): Promise<string> {
  if (ref.type === 'last') {
    const root = findRepoRoot(ref.cwd) ?? ref.cwd;
    let newer: Error | null = null;
    const latest = await latestSession({
      home,
      cwd: root,
      onUnreadable: (_path, error) => {
        // A session written by a newer keel must not be skipped for an older one without a word.
        if (isStoreError(error, 'newer_format')) newer ??= error;
      },
    });
    if (newer !== null) throw new UsageError((newer as Error).message);
    if (latest === null) {
      throw new UsageError(`no session was started in ${root} yet: list sessions with "keel sessions --all" and resume one by its id`);
    }
    return latest.path;
  }
  try {
    return await findSession({ home, idOrPrefix: ref.idOrPrefix });
  } catch (error) {
    if (isStoreError(error, 'not_found') || isStoreError(error, 'ambiguous')) throw new UsageError(error.message);
    throw error;
  }
}

/** The directory a resumed session works in: its own, which must still exist. */
export function resumedCwd(recorded: string, override: string | undefined): string {
  if (override !== undefined) return override;
  if (!existsSync(recorded) || !statSync(recorded).isDirectory()) {
    throw new UsageError(`the session's directory ${recorded} no longer exists: pass -C DIR to resume it in another directory`);
  }
  return recorded;
}
