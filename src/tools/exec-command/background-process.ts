/**
 * One process started by `exec_command`, from spawn to the end of its whole process group. Its output goes into a
 * bounded "unread" window that the model takes with each `exec_command` / `write_stdin` answer (head and tail kept,
 * the rest counted), so a process that prints gigabytes in the background costs a fixed amount of memory.
 *
 * Its life, like a shell call's (run-command.ts), ends only when no process it started is left: when the leader
 * exits, output is drained for a moment and whatever it left running is stopped.
 */
import { HeadTailBuffer } from '../../util/head-tail-buffer.ts';
import { DEFAULT_DRAIN_MS } from '../shell/run-command.ts';
import { OutputCapture, type OutputStream } from '../shell/output-capture.ts';
import { exitCodeOf, type ProcessGroup } from '../shell/process-group.ts';

export type ProcessEnd =
  /** The leader exited by itself. */
  | { type: 'exited'; exitCode: number }
  /** keel stopped it (an interrupt, `/stop`, the end of the session); `exitCode` as the shell would report it. */
  | { type: 'stopped'; exitCode: number | null };

/** Kept of each unread window: enough for any `max_output_tokens` up to the default, at 4 bytes a token. */
const WINDOW_BYTES = 64 * 1024;

export class BackgroundProcess {
  readonly startedAt = Date.now();
  private readonly startedPerf = performance.now();
  private unread = new HeadTailBuffer({ headBytes: WINDOW_BYTES, tailBytes: WINDOW_BYTES });
  private listener: ((stream: OutputStream, chunk: string) => void) | null = null;
  private readonly capture: OutputCapture;
  private stopRequested = false;
  private endValue: ProcessEnd | null = null;
  /** Settles once the process and everything it started is gone. */
  readonly ended: Promise<ProcessEnd>;

  constructor(
    readonly id: number,
    /** The script as the model gave it. */
    readonly command: string,
    /** What was spawned (before any sandbox wrapping): the shell and the script. */
    readonly argv: readonly string[],
    readonly cwd: string,
    private readonly group: ProcessGroup,
    drainMs = DEFAULT_DRAIN_MS,
  ) {
    this.capture = new OutputCapture({
      // Deltas are capped per call by the caller; here every piece is kept in the window.
      maxDeltas: Number.MAX_SAFE_INTEGER,
      buffer: { headBytes: 0, tailBytes: 0 },
      onDelta: (stream, chunk) => {
        this.unread.push(chunk);
        this.listener?.(stream, chunk);
      },
    });
    const pipesClosed = [group.stdout, group.stderr].map(
      (stream, index) =>
        new Promise<void>((resolve) => {
          const name: OutputStream = index === 0 ? 'stdout' : 'stderr';
          stream.on('data', (bytes: Buffer) => this.capture.write(name, bytes));
          stream.on('error', () => undefined);
          stream.once('close', () => {
            this.capture.end(name);
            resolve();
          });
        }),
    );
    this.ended = this.superviseEnd(Promise.all(pipesClosed).then(() => undefined), drainMs).then((end) => {
      this.endValue = end;
      return end;
    });
  }

  get pgid(): number {
    return this.group.pgid;
  }

  /** How it ended, or null while it runs. */
  get end(): ProcessEnd | null {
    return this.endValue;
  }

  get runningMs(): number {
    return performance.now() - this.startedPerf;
  }

  /** Output from now on also goes to `listener` (the call waiting on the process); null detaches. */
  follow(listener: ((stream: OutputStream, chunk: string) => void) | null): void {
    this.listener = listener;
  }

  /** The output since the last take, which starts a new window. */
  takeOutput(): HeadTailBuffer {
    const taken = this.unread;
    this.unread = new HeadTailBuffer({ headBytes: WINDOW_BYTES, tailBytes: WINDOW_BYTES });
    return taken;
  }

  /** Bytes printed since the last take, kept or not. */
  get unreadBytes(): number {
    return this.unread.totalBytes;
  }

  /** Bytes held for the unread window right now (for the benchmark's memory bound). */
  get retainedBytes(): number {
    return this.unread.retainedBytes;
  }

  /**
   * Writes to its stdin. Resolves false when the process no longer reads it (it closed stdin or ended), so the model
   * can be told its input went nowhere.
   */
  write(chars: string): Promise<boolean> {
    const stdin = this.group.stdin;
    if (stdin === null || stdin.destroyed || !stdin.writable || this.endValue !== null) return Promise.resolve(false);
    return new Promise((resolve) => {
      stdin.write(chars, (error) => resolve(error === null || error === undefined));
    });
  }

  /** Stops it and everything it started; resolves when it is gone. Idempotent. */
  async stop(): Promise<ProcessEnd> {
    this.stopRequested = true;
    await this.group.stop();
    return this.ended;
  }

  private async superviseEnd(pipesClosed: Promise<void>, drainMs: number): Promise<ProcessEnd> {
    const exit = await this.group.leaderExit;
    // A `&` job may still hold the output: it gets a moment to finish, then it is stopped like everything else.
    let drainTimer: NodeJS.Timeout | undefined;
    await Promise.race([pipesClosed, new Promise<void>((resolve) => (drainTimer = setTimeout(resolve, drainMs)))]);
    clearTimeout(drainTimer);
    if (await this.group.isAlive()) await this.group.stop();
    this.group.stdin?.destroy();
    for (const stream of [this.group.stdout, this.group.stderr]) {
      stream.removeAllListeners('data');
      stream.destroy();
    }
    this.capture.end('stdout');
    this.capture.end('stderr');
    const exitCode = exitCodeOf(exit);
    return this.stopRequested ? { type: 'stopped', exitCode } : { type: 'exited', exitCode };
  }
}
