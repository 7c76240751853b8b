/**
 * `keel exec --json`: stdout is strictly JSON lines. The first line is a header naming the format and its
 * version; every protocol event follows as `{id, seq, msg}`, exactly as the engine emitted it; the last line but one
 * is exec's verdict (`exec_result`, see exec-result.ts), right before `shutdown_complete`. Lines without `msg` are
 * exec's own, not events.
 */
import * as z from 'zod/mini';
import type { Event } from '../protocol/index.ts';
import type { ExecResult } from './exec-result.ts';

/** 2: the `exec_result` line was added (a reader of version 1 could take every line after the header for an event). */
export const JSONL_FORMAT_VERSION = 2;

/** The first line. The schema of every line is schema/exec-events.schema.json (`npm run gen:schema`). */
export const ExecHeader = z.object({
  type: z.literal('header'),
  format: z.literal('keel-exec-events'),
  format_version: z.literal(JSONL_FORMAT_VERSION),
  session_id: z.string(),
  keel_version: z.string(),
});
export type ExecHeader = z.infer<typeof ExecHeader>;

export function jsonlHeader(sessionId: string, version: string): string {
  const header: ExecHeader = { type: 'header', format: 'keel-exec-events', format_version: JSONL_FORMAT_VERSION, session_id: sessionId, keel_version: version };
  return `${JSON.stringify(header)}\n`;
}

export function jsonlEvent(event: Event): string {
  return `${JSON.stringify(event)}\n`;
}

export function jsonlResult(result: ExecResult): string {
  return `${JSON.stringify(result)}\n`;
}
