/**
 * The snapshot records of a session log (`task_snapshot`, `undo_result`), with the task each belongs to. Read from
 * the whole file, not from the last compaction: an undo may reach back to any task. Only lines that name one of the
 * two types are parsed, so a long log costs one read and a string search.
 */
import { readFileSync } from 'node:fs';
import { EventRecord } from './session-record.ts';
import type { EventOf } from '../protocol/index.ts';

export interface SnapshotEventRecord {
  task: number;
  event: EventOf<'task_snapshot'> | EventOf<'undo_result'>;
}

export function readSnapshotEvents(path: string): SnapshotEventRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const found: SnapshotEventRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('"task_snapshot"') && !line.includes('"undo_result"')) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      // A torn last line (the reader reports it); a snapshot lost with it is one undo cannot reach.
      continue;
    }
    const parsed = EventRecord.safeParse(value);
    if (!parsed.success) continue;
    const event = parsed.data.event;
    if (event.type === 'task_snapshot' || event.type === 'undo_result') found.push({ task: parsed.data.turn ?? 0, event });
  }
  return found;
}
