/**
 * The first line of a session log: what makes a file a keel session and says which format the rest is in. Read the
 * same way by the reader, the catalogue and the writer of a resumed session, so that all three refuse the same files
 * with the same words.
 */
import { readSync } from 'node:fs';
import { describeIssues, FORMAT_VERSION, SessionMetaRecord } from './session-record.ts';
import { StoreError } from './store-error.ts';

function notASession(path: string, why: string): StoreError {
  return new StoreError({ kind: 'not_a_session', path }, `${path} is not a keel session log: ${why}`);
}

/**
 * Checks the header line (a header cut short by a crash while it was written does not parse, and is refused like
 * any other non-session). Versions up to `supported` are read: version 1 is the first, so there is nothing older to
 * convert yet; a later format's reader converts older records next to this check.
 */
export function parseHeaderLine(line: string | null, path: string, supported = FORMAT_VERSION): SessionMetaRecord {
  if (line === null || line.length === 0) throw notASession(path, 'the file is empty');
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw notASession(path, 'its first line is not JSON (a header cut short, or another kind of file)');
  }
  if (typeof value !== 'object' || value === null || (value as { type?: unknown }).type !== 'session_meta') {
    throw notASession(path, 'its first line is not a session header');
  }
  const version = (value as { format_version?: unknown }).format_version;
  if (typeof version === 'number' && version > supported) {
    throw new StoreError(
      { kind: 'newer_format', path, version, supported },
      `${path} was written by a newer keel (session format version ${version}); this keel reads format versions up to ${supported}. Upgrade keel to open it.`,
    );
  }
  const parsed = SessionMetaRecord.safeParse(value);
  if (!parsed.success) throw notASession(path, `its header is damaged (${describeIssues(parsed.error)})`);
  return parsed.data;
}

/** Enough for any header (a few hundred bytes plus the cwd); a longer first line is not a header. */
const MAX_HEADER_BYTES = 256 * 1024;

/** The first line of an open file (without its newline), or null for an empty file. */
export function readFirstLine(fd: number, maxBytes = MAX_HEADER_BYTES): string | null {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < maxBytes) {
    const chunk = Buffer.allocUnsafe(Math.min(16 * 1024, maxBytes - total));
    const read = readSync(fd, chunk, 0, chunk.length, total);
    if (read === 0) break;
    const newline = chunk.subarray(0, read).indexOf(0x0a);
    if (newline >= 0) {
      chunks.push(chunk.subarray(0, newline));
      return Buffer.concat(chunks).toString('utf8');
    }
    chunks.push(chunk.subarray(0, read));
    total += read;
  }
  return total === 0 ? null : Buffer.concat(chunks).toString('utf8');
}
