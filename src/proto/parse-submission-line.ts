/**
 * One line of `keel proto`'s standard input, judged: a submission to hand to the engine, a line to skip, or a
 * malformed line to answer with an `error` event. Pure: no I/O, no engine.
 */
import { Submission } from '../protocol/index.ts';

/** The id a protocol error carries when the line has no readable `id` of its own. */
export const PROTO_ID = 'proto';

export type LineVerdict =
  /** Blank lines (an editor's trailing newline, `\r\n` leftovers) are skipped without a word. */
  | { type: 'blank' }
  | { type: 'submission'; submission: Submission }
  /** `id`: the line's own `id` when it is a string, else `PROTO_ID`; `message` starts with `line N:`. */
  | { type: 'malformed'; id: string; message: string };

/** `lineNumber` counts from 1, blank lines included, so it matches what an editor shows. */
export function parseSubmissionLine(line: string, lineNumber: number): LineVerdict {
  if (line.trim() === '') return { type: 'blank' };
  const at = `line ${lineNumber}:`;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { type: 'malformed', id: PROTO_ID, message: `${at} not JSON (${(error as Error).message}); send one {"id", "op"} object per line` };
  }
  const id = readableId(value);
  const parsed = Submission.safeParse(value);
  if (parsed.success) return { type: 'submission', submission: parsed.data };
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    // zod names what it wanted; for a wrong tag or option, the client also needs to see what it sent.
    const got = issue.code === 'invalid_union' || issue.code === 'invalid_value' ? ` (got ${JSON.stringify(valueAt(value, issue.path))})` : '';
    return `${path === '' ? '' : `${path}: `}${issue.message}${got}`;
  });
  return { type: 'malformed', id, message: `${at} not a submission {"id": string, "op": {"type": …}}: ${problems.join('; ')}` };
}

function readableId(value: unknown): string {
  if (typeof value !== 'object' || value === null || !('id' in value)) return PROTO_ID;
  const { id } = value as { id: unknown };
  return typeof id === 'string' ? id : PROTO_ID;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const key of path) at = typeof at === 'object' && at !== null ? (at as Record<PropertyKey, unknown>)[key] : undefined;
  return at;
}
