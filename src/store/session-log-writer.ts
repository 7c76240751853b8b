/**
 * Appends a session's records to its log as they happen. It satisfies the engine's `SessionRecorder`.
 *
 * Durability: every record is one `writeSync` of one whole line to a file opened for append, before the record
 * call returns, so a process killed right after (SIGKILL included) has lost nothing; the kernel keeps the bytes.
 * `flush` (fdatasync) is the point after which power loss cannot take them either; the engine awaits it at turn
 * boundaries, before a request that follows tool work, on interrupt and on shutdown.
 *
 * Failure: writing never throws into the engine. The first failure (disk full, permissions, a failed sync) is given
 * to `onError` once, and every later record is dropped: the log then stays an exact prefix of the session, which
 * resumes cleanly, rather than a history with holes in it.
 *
 * Ownership: one writer per log file at a time; callers hold the session's lock (`acquireSessionLock`) while a
 * writer is open.
 */
import { closeSync, constants, fchmodSync, fdatasync, fdatasyncSync, fstatSync, ftruncateSync, mkdir, open, readSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { EventMsg, ResponseItem } from '../protocol/index.ts';
import { directoriesCreated, syncDirectory, syncDirectorySync } from './directory-sync.ts';
import { createLineSerializer, type LineSerializer } from './redact-secrets.ts';
import { parseHeaderLine, readFirstLine } from './session-header.ts';
import { sessionLogPath } from './session-paths.ts';
import {
  FORMAT_VERSION,
  keepsEvent,
  type CompactedRecord,
  type EndReason,
  type EventRecord,
  type ItemRecord,
  type NewCompaction,
  type NewSessionMeta,
  type SessionMetaRecord,
} from './session-record.ts';
import { readSessionTail } from './session-tail.ts';
import { ioError, StoreError } from './store-error.ts';

const openFile = promisify(open);
const makeDirectory = promisify(mkdir);
const dataSync = promisify(fdatasync);

export interface SessionLogWriterOptions {
  /** Exact strings (API keys) replaced by `[redacted]` in every line. Pass real secrets only: short everyday words would be blanked out of the whole log. */
  secrets?: readonly string[];
  /** Told about the first write or sync failure, once. Must not throw. */
  onError?: (error: StoreError) => void;
  clock?: () => Date;
}

type WriterState = 'open' | 'failed' | 'closed';

export class SessionLogWriter {
  private state: WriterState = 'open';
  private readonly serialize: LineSerializer;
  private readonly onError: (error: StoreError) => void;
  private readonly clock: () => Date;
  private readonly pendingSyncs = new Set<Promise<void>>();
  private closing: Promise<void> | null = null;
  private reported = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    private turn: number,
    /** Directories whose entries must reach the disk once, so that a power cut cannot lose the new file itself. */
    private directoriesToSync: string[],
    options: SessionLogWriterOptions,
  ) {
    this.serialize = createLineSerializer(options.secrets);
    this.onError = options.onError ?? (() => {});
    this.clock = options.clock ?? (() => new Date());
  }

  /** Starts a new log: creates the day's directory (0700) and the file (0600, exclusively) and writes the header. */
  static async create(options: { home: string; meta: NewSessionMeta } & SessionLogWriterOptions): Promise<SessionLogWriter> {
    const clock = options.clock ?? (() => new Date());
    const startedAt = options.meta.started_at === undefined ? clock() : new Date(options.meta.started_at);
    if (Number.isNaN(startedAt.getTime())) throw new TypeError(`started_at is not a date: ${options.meta.started_at}`);
    const path = sessionLogPath(options.home, options.meta.session_id, startedAt);
    const directory = dirname(path);
    let firstCreated: string | undefined;
    try {
      firstCreated = await makeDirectory(directory, { recursive: true, mode: 0o700 });
    } catch (cause) {
      throw ioError(directory, 'create the session directory', cause);
    }
    let fd: number;
    try {
      fd = await openFile(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL, 0o600);
    } catch (cause) {
      throw ioError(path, 'create the session log', cause);
    }
    const writer = new SessionLogWriter(path, fd, 0, directoriesCreated(firstCreated, directory), options);
    const header: SessionMetaRecord = {
      ts: clock().toISOString(),
      type: 'session_meta',
      format_version: FORMAT_VERSION,
      ...options.meta,
      started_at: startedAt.toISOString(),
    };
    try {
      // The umask may have narrowed the mode further, never widened it; set it exactly anyway.
      fchmodSync(fd, 0o600);
      writer.writeOrThrow(header);
    } catch (cause) {
      closeSync(fd);
      // An empty file would sit in the catalogue as an unreadable session; nothing was recorded yet, so remove it.
      rmSync(path, { force: true });
      throw ioError(path, 'write the session header to', cause);
    }
    return writer;
  }

  /**
   * Continues a log found by the reader, appending a `resumed` record. Refuses files that are not session logs or
   * are in a newer format. A line torn by the previous process's death is cut off and kept inside the `resumed`
   * record, so the file has no damage in its middle afterwards.
   */
  static async openExisting(options: { path: string; keelVersion: string } & SessionLogWriterOptions): Promise<SessionLogWriter> {
    const { path } = options;
    let fd: number;
    try {
      // No O_CREAT: resuming a file that vanished must fail, not start an empty log.
      fd = await openFile(path, constants.O_RDWR | constants.O_APPEND);
    } catch (cause) {
      throw ioError(path, 'open the session log', cause);
    }
    try {
      parseHeaderLine(readFirstLine(fd), path);
      const size = fstatSync(fd).size;
      const tail = readSessionTail(fd, size);
      const writer = new SessionLogWriter(path, fd, tail.turns ?? 0, [], options);
      let tornText: string | undefined;
      if (tail.torn) {
        ftruncateSync(fd, tail.torn.offset);
        tornText = tail.torn.text;
      } else if (size > 0 && lastByte(fd, size) !== 0x0a) {
        // A whole record whose newline never made it: end the line so the next record starts on its own.
        writeLine(fd, '');
      }
      writer.writeOrThrow({
        ts: writer.now(),
        type: 'resumed',
        keel_version: options.keelVersion,
        pid: process.pid,
        ...(tornText === undefined ? {} : { torn_tail: tornText }),
      });
      return writer;
    } catch (error) {
      closeSync(fd);
      throw error instanceof StoreError ? error : ioError(path, 'append to', error);
    }
  }

  /** Tasks started over the session's whole life, including before resumes. */
  get turns(): number {
    return this.turn;
  }

  recordItem(item: ResponseItem): void {
    this.write({ ts: this.now(), type: 'item', item });
  }

  recordEvent(msg: EventMsg): void {
    if (!keepsEvent(msg)) return;
    if (msg.type === 'task_started') this.turn += 1;
    this.write({ ts: this.now(), type: 'event', turn: this.turn, event: msg });
  }

  recordCompaction(compaction: NewCompaction): void {
    this.write({
      ts: this.now(),
      type: 'compacted',
      skippable: true,
      turn: this.turn,
      number: compaction.number,
      reason: compaction.reason,
      tokens_before: compaction.tokensBefore,
      tokens_after: compaction.tokensAfter,
      replacement_history: compaction.history,
    });
  }

  /**
   * Writes a record of another session's log as it was recorded (its time stamp and task number kept): a fork
   * copies the history and the earlier tasks' events of the session it comes from. Records must come in their
   * original order; the task count follows theirs.
   */
  copyRecord(record: ItemRecord | EventRecord | CompactedRecord): void {
    if (record.type !== 'item' && record.turn !== undefined) this.turn = Math.max(this.turn, record.turn);
    this.write(record);
  }

  /** The session's last record: a clean shutdown, or a crash handler's report. Follow with `flush` or `flushSync`. */
  recordEnd(reason: EndReason, detail?: string): void {
    this.write({ ts: this.now(), type: 'session_end', reason, ...(detail === undefined ? {} : { detail }) });
  }

  /** Makes everything recorded so far durable. Never rejects; a failure goes to `onError`. */
  flush(): Promise<void> {
    if (this.state !== 'open') return Promise.resolve();
    const sync = this.syncAsync().finally(() => this.pendingSyncs.delete(sync));
    this.pendingSyncs.add(sync);
    return sync;
  }

  /** `flush` for exit and crash handlers, which cannot wait for a promise. */
  flushSync(): void {
    if (this.state !== 'open') return;
    try {
      fdatasyncSync(this.fd);
    } catch (cause) {
      this.fail(ioError(this.path, 'sync', cause));
      return;
    }
    for (const directory of this.takeDirectoriesToSync()) {
      try {
        syncDirectorySync(directory);
      } catch (cause) {
        this.onErrorOnce(ioError(directory, 'sync', cause));
      }
    }
  }

  /** Flushes and closes the file; records after this are dropped (and reported once). Safe to call twice. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.closing = (async () => {
      if (wasOpen) await this.syncAsync();
      // An fdatasync still running on this fd must finish before the fd number can be reused by another file.
      await Promise.all(this.pendingSyncs);
      try {
        closeSync(this.fd);
      } catch (cause) {
        this.onErrorOnce(ioError(this.path, 'close', cause));
      }
    })();
    return this.closing;
  }

  private async syncAsync(): Promise<void> {
    try {
      await dataSync(this.fd);
    } catch (cause) {
      // After a failed sync the kernel may have dropped the unwritten pages: what is on disk is no longer a known
      // prefix of the session, so writing stops like after a failed write.
      this.fail(ioError(this.path, 'sync', cause));
      return;
    }
    for (const directory of this.takeDirectoriesToSync()) {
      try {
        await syncDirectory(directory);
      } catch (cause) {
        // The file's content is safe; only its name may not survive a power cut. Worth saying, not worth stopping.
        this.onErrorOnce(ioError(directory, 'sync', cause));
      }
    }
  }

  private takeDirectoriesToSync(): string[] {
    const directories = this.directoriesToSync;
    this.directoriesToSync = [];
    return directories;
  }

  private write(record: object): void {
    if (this.state !== 'open') {
      if (this.state === 'closed') this.onErrorOnce(ioError(this.path, 'append to', 'the writer is closed; a record was dropped'));
      return;
    }
    try {
      this.writeOrThrow(record);
    } catch (cause) {
      this.fail(ioError(this.path, 'append to', cause));
    }
  }

  private writeOrThrow(record: object): void {
    writeLine(this.fd, this.serialize(record));
  }

  private fail(error: StoreError): void {
    if (this.state === 'open') this.state = 'failed';
    this.onErrorOnce(error);
  }

  private onErrorOnce(error: StoreError): void {
    if (this.reported) return;
    this.reported = true;
    try {
      this.onError(error);
    } catch {
      // The callback broke its contract; the engine must still not see a throw from recording.
    }
  }

  private now(): string {
    return this.clock().toISOString();
  }
}

/** One write of one whole line: appends are positioned atomically, so the line lands in one piece. */
function writeLine(fd: number, text: string): void {
  const bytes = Buffer.from(`${text}\n`, 'utf8');
  let written = 0;
  // A regular file takes the whole buffer in one call; the loop only matters if the kernel ever returns short.
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
}

function lastByte(fd: number, size: number): number | undefined {
  const byte = Buffer.alloc(1);
  return readSync(fd, byte, 0, 1, size - 1) === 1 ? byte[0] : undefined;
}
