/**
 * The one error type of the store layer. Callers branch on `kind` (the CLI maps kinds to exit codes and messages);
 * `detail` carries what a front end needs to say more than the message does (the lock holder, the candidates of an
 * ambiguous prefix).
 */

/** Who holds a session lock, as written in the lock file. */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** ISO-8601 time the holder took the lock. */
  started_at: string;
}

export interface SessionCandidate {
  id: string;
  path: string;
}

export type StoreErrorDetail =
  /** The file is empty, or its first line is not a session header: it is not a keel session log. */
  | { kind: 'not_a_session'; path: string }
  /** The log was written by a newer keel whose format this one cannot read. */
  | { kind: 'newer_format'; path: string; version: number; supported: number }
  /** Another live keel process writes this session. */
  | { kind: 'locked'; path: string; holder: LockHolder }
  | { kind: 'not_found'; idOrPrefix: string }
  | { kind: 'ambiguous'; idOrPrefix: string; candidates: SessionCandidate[] }
  /** A fork was asked for at a prompt the session does not have; `count` is how many it has. */
  | { kind: 'no_such_prompt'; path: string; prompt: number; count: number }
  /** The prompt history stayed locked by others for longer than an append may wait. */
  | { kind: 'history_busy'; path: string }
  /** A file or directory could not be created, read or written; `cause` has the system error. */
  | { kind: 'io'; path: string; operation: string };

export type StoreErrorKind = StoreErrorDetail['kind'];

export class StoreError extends Error {
  readonly kind: StoreErrorKind;
  readonly detail: StoreErrorDetail;

  constructor(detail: StoreErrorDetail, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.kind = detail.kind;
    this.detail = detail;
  }
}

export function ioError(path: string, operation: string, cause: unknown): StoreError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new StoreError({ kind: 'io', path, operation }, `cannot ${operation} ${path}: ${reason}`, { cause });
}

export function isStoreError(error: unknown, kind?: StoreErrorKind): error is StoreError {
  return error instanceof StoreError && (kind === undefined || error.kind === kind);
}

/** The `code` of a Node system error (ENOENT, EEXIST, …), if it is one. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
