/**
 * Where sessions live: `$KEEL_HOME/sessions/YYYY/MM/DD/<YYYY-MM-DDTHH-MM-SS>-<session id>.jsonl`, dates in UTC so
 * that a file's place never depends on the time zone of the machine that lists it, and so that sorting names sorts
 * by start time.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function keelHome(env: NodeJS.ProcessEnv = process.env, home: () => string = homedir): string {
  const configured = env.KEEL_HOME;
  return configured !== undefined && configured !== '' ? configured : join(home(), '.keel');
}

export function sessionsRoot(home: string): string {
  return join(home, 'sessions');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isSessionId(id: string): boolean {
  return UUID.test(id);
}

/** `2025-03-04T05-06-07`: the start time in UTC, with `-` for `:` so the name is valid on every file system. */
export function fileStamp(date: Date): string {
  return date.toISOString().slice(0, 19).replaceAll(':', '-');
}

export function sessionLogPath(home: string, sessionId: string, startedAt: Date): string {
  // The id becomes part of a path: anything but a UUID could climb out of the sessions directory.
  if (!isSessionId(sessionId)) throw new TypeError(`session id must be a UUID, got ${JSON.stringify(sessionId)}`);
  const iso = startedAt.toISOString();
  return join(sessionsRoot(home), iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10), `${fileStamp(startedAt)}-${sessionId.toLowerCase()}.jsonl`);
}

export interface SessionFileName {
  /** The start stamp, `YYYY-MM-DDTHH-MM-SS`. */
  stamp: string;
  sessionId: string;
}

const FILE_NAME = /^(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2})-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/;

/** The parts of a session log's file name, or null for any other file (lock files, temp files, strays). */
export function parseSessionFileName(name: string): SessionFileName | null {
  const match = FILE_NAME.exec(name);
  return match ? { stamp: match[1]!, sessionId: match[2]! } : null;
}

export function lockPathFor(logPath: string): string {
  return `${logPath}.lock`;
}
