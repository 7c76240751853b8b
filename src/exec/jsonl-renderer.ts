/**
 * `keel exec --json`: stdout is strictly JSON lines. The first line is a header naming the format and its
 * version; every protocol event follows as `{id, seq, msg}`, exactly as the engine emitted it.
 */
import type { Event } from '../protocol/index.ts';

export const JSONL_FORMAT_VERSION = 1;

export function jsonlHeader(sessionId: string, version: string): string {
  return `${JSON.stringify({ type: 'header', format: 'keel-exec-events', format_version: JSONL_FORMAT_VERSION, session_id: sessionId, keel_version: version })}\n`;
}

export function jsonlEvent(event: Event): string {
  return `${JSON.stringify(event)}\n`;
}
