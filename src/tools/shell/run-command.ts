/**
 * Runs one command to the end of its whole process group: it resolves only when no process the command started is
 * left (or one is stuck beyond SIGKILL, which is reported). The life of a run:
 *
 *   running ──leader exits──▶ draining ──pipes close, or drainMs──▶ (stop leftovers) ──▶ exited
 *      │                         └──abort──▶ stop ──▶ aborted
 *      ├──timeout──▶ stop ──▶ timed_out
 *      └──abort────▶ stop ──▶ aborted
 *
 * Draining exists because the leader may exit while a `&` job still holds stdout: its output is waited for a
 * little, then the job is stopped like everything else, so no process outlives its call.
 */
import type { Readable } from 'node:stream';
import type { HeadTailBuffer } from '../../util/head-tail-buffer.ts';
import { OutputCapture, type OutputStream } from './output-capture.ts';
import { spawnProcessGroup, type LeaderExit, type ProcessGroup } from './process-group.ts';
import type { StopReport, StopStep } from './stop-escalation.ts';

export type CommandOutcome =
  /** The leader exited on its own (leftover members, if any, were then stopped). */
  | { type: 'exited'; exit: LeaderExit }
  /** `exit` is null when the leader's exit was not observed (it survived SIGKILL). */
  | { type: 'timed_out'; exit: LeaderExit | null }
  /**
   * `exit` is null when the leader's exit was not observed (never spawned, or it survived SIGKILL); `lastSignal` is
   * the last signal sent to the group, null when none was needed.
   */
  | { type: 'aborted'; exit: LeaderExit | null; lastSignal: NodeJS.Signals | null }
  | { type: 'spawn_failed'; message: string; exitCode: number };

export interface CommandRun {
  outcome: CommandOutcome;
  /** stdout and stderr interleaved, bounded. */
  output: HeadTailBuffer;
  durationMs: number;
  /** A member of the group was still alive after SIGKILL (stuck in the kernel); it stays in the registry. */
  survivors: boolean;
}

export interface RunCommandRequest {
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal: AbortSignal;
  /** Decoded output as it arrives. Never called after `runCommand` has resolved. */
  onDelta(stream: OutputStream, chunk: string): void;
  maxDeltas?: number;
  /** How long stdout/stderr may stay open after the leader exited (or after a stop) before being abandoned. */
  drainMs?: number;
  stopSteps?: readonly StopStep[];
  now?: () => number;
}

export const DEFAULT_DRAIN_MS = 2_000;
// setTimeout fires at once for delays beyond a signed 32-bit number of milliseconds.
const MAX_TIMER_MS = 2 ** 31 - 1;

export async function runCommand(request: RunCommandRequest): Promise<CommandRun> {
  const now = request.now ?? (() => performance.now());
  const started = now();
  const capture = new OutputCapture({ onDelta: request.onDelta, maxDeltas: request.maxDeltas });
  // An interrupt that arrived while the call was being set up must not start a command the user no longer wants.
  if (request.signal.aborted) {
    const outcome: CommandOutcome = { type: 'aborted', exit: null, lastSignal: null };
    return { outcome, output: capture.aggregated, durationMs: now() - started, survivors: false };
  }
  const spawned = await spawnProcessGroup(request.argv, {
    cwd: request.cwd,
    env: request.env,
    stopSteps: request.stopSteps,
  });
  if (spawned.type === 'failed') {
    const outcome: CommandOutcome = { type: 'spawn_failed', message: spawned.message, exitCode: spawned.exitCode };
    return { outcome, output: capture.aggregated, durationMs: now() - started, survivors: false };
  }

  const group = spawned.group;
  const drainMs = request.drainMs ?? DEFAULT_DRAIN_MS;
  const pipes = attachPipes(group, capture);
  const abort = watchAbort(request.signal);
  const timeout = timer(request.timeoutMs);
  try {
    const { outcome, stop } = await supervise(group, pipes.closed, abort.fired, timeout.fired, drainMs);
    // Normally the pipes are closed by now; a process that left the group (setsid) may still hold them.
    const drain = timer(drainMs);
    await Promise.race([pipes.closed, drain.fired]);
    drain.cancel();
    pipes.detach();
    return { outcome, output: capture.aggregated, durationMs: now() - started, survivors: stop?.type === 'survived' };
  } catch (error) {
    // Only a bug gets here; the processes still must not outlive the call.
    await group.stop();
    pipes.detach();
    throw error;
  } finally {
    abort.dispose();
    timeout.cancel();
  }
}

async function supervise(
  group: ProcessGroup,
  pipesClosed: Promise<void>,
  aborted: Promise<void>,
  timedOut: Promise<void>,
  drainMs: number,
): Promise<{ outcome: CommandOutcome; stop: StopReport | null }> {
  const first = await Promise.race([
    group.leaderExit.then((exit) => ({ type: 'leader_exited' as const, exit })),
    timedOut.then(() => ({ type: 'timed_out' as const })),
    aborted.then(() => ({ type: 'aborted' as const })),
  ]);
  switch (first.type) {
    case 'leader_exited': {
      const drain = timer(drainMs);
      const next = await Promise.race([
        pipesClosed.then(() => 'drained' as const),
        drain.fired.then(() => 'drain_expired' as const),
        aborted.then(() => 'aborted' as const),
      ]);
      drain.cancel();
      if (next === 'aborted') {
        const stop = await group.stop();
        return { outcome: { type: 'aborted', exit: first.exit, lastSignal: lastSignalOf(stop) }, stop };
      }
      const stop = (await group.isAlive()) ? await group.stop() : null;
      return { outcome: { type: 'exited', exit: first.exit }, stop };
    }
    case 'timed_out': {
      const stop = await group.stop();
      return { outcome: { type: 'timed_out', exit: await settledWithin(group.leaderExit, drainMs) }, stop };
    }
    case 'aborted': {
      const stop = await group.stop();
      const exit = await settledWithin(group.leaderExit, drainMs);
      return { outcome: { type: 'aborted', exit, lastSignal: lastSignalOf(stop) }, stop };
    }
  }
}

function lastSignalOf(stop: StopReport): NodeJS.Signals | null {
  return stop.type === 'already_gone' ? null : stop.lastSignal;
}

interface Pipes {
  /** Both stdout and stderr are closed. */
  closed: Promise<void>;
  /** Stops reading: flushes the decoders and destroys both streams. */
  detach(): void;
}

function attachPipes(group: ProcessGroup, capture: OutputCapture): Pipes {
  const streams: [OutputStream, Readable][] = [
    ['stdout', group.stdout],
    ['stderr', group.stderr],
  ];
  const closed = streams.map(
    ([name, stream]) =>
      new Promise<void>((resolve) => {
        stream.on('data', (bytes: Buffer) => capture.write(name, bytes));
        // 'close' follows an error too; the error itself says nothing the output does not.
        stream.on('error', () => undefined);
        stream.once('close', () => {
          capture.end(name);
          resolve();
        });
      }),
  );
  return {
    closed: Promise.all(closed).then(() => undefined),
    detach() {
      for (const [name, stream] of streams) {
        stream.removeAllListeners('data');
        stream.destroy();
        capture.end(name);
      }
    },
  };
}

function watchAbort(signal: AbortSignal): { fired: Promise<void>; dispose(): void } {
  let dispose = (): void => undefined;
  const fired = new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = (): void => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
    dispose = () => signal.removeEventListener('abort', onAbort);
  });
  return { fired, dispose: () => dispose() };
}

function timer(ms: number): { fired: Promise<void>; cancel(): void } {
  let handle: NodeJS.Timeout | undefined;
  const fired = new Promise<void>((resolve) => {
    handle = setTimeout(resolve, Math.min(Math.max(0, ms), MAX_TIMER_MS));
  });
  return { fired, cancel: () => clearTimeout(handle) };
}

async function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  const limit = timer(ms);
  try {
    return await Promise.race([promise, limit.fired.then(() => null)]);
  } finally {
    limit.cancel();
  }
}
