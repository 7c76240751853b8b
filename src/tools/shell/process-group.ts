/**
 * A command started as the leader of its own process group (`detached: true`, i.e. setsid on POSIX), so that it and
 * everything it starts (pipelines, `&` jobs, orphaned grandchildren) can be signalled as one. stdin is /dev/null
 * unless asked for: nothing can answer a prompt, and a command waiting on stdin must not hang the call. Background
 * processes (`exec_command`) get a pipe, which `write_stdin` writes to.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { findProgram } from './find-program.ts';
import { isGroupAlive, waitUntilGroupGone } from './group-liveness.ts';
import { registerGroup, unregisterGroup } from './group-registry.ts';
import { stopGroup, type StopReport, type StopStep, DEFAULT_STOP_STEPS } from './stop-escalation.ts';

/** How the leader ended. */
export type LeaderExit = { type: 'exited'; code: number } | { type: 'signaled'; signal: NodeJS.Signals };

/** Shell convention: the exit code, or 128 + the signal number for a process ended by a signal. */
export function exitCodeOf(exit: LeaderExit): number {
  return exit.type === 'exited' ? exit.code : signalExitCode(exit.signal);
}

export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

export interface ProcessGroup {
  /** The leader's pid, which is also the group id. */
  readonly pgid: number;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** The leader's stdin, when asked for (`stdin: 'pipe'`); null otherwise. */
  readonly stdin: Writable | null;
  /** Settles once, when the leader has exited and been reaped. Other members may live on. */
  readonly leaderExit: Promise<LeaderExit>;
  /** True while any member other than zombies is alive. Once it answers false, the group leaves the registry. */
  isAlive(): Promise<boolean>;
  /**
   * Stops every member (see stop-escalation.ts). Idempotent: later calls share the first call's promise. When it
   * reports the group gone, the group is also dropped from the process-wide registry.
   */
  stop(): Promise<StopReport>;
}

export type SpawnOutcome =
  | { type: 'spawned'; group: ProcessGroup }
  | { type: 'failed'; errno: string; message: string; exitCode: number };

export interface SpawnGroupOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stopSteps?: readonly StopStep[];
  /** Default `ignore` (/dev/null). */
  stdin?: 'ignore' | 'pipe';
}

/**
 * The command starts behind a gate: a shell that waits for one line on fd 3 and only then execs the command (same
 * pid, so the same group). keel writes that line only after the orphan watchdog has been told about the group, so
 * there is no moment in which a SIGKILLed keel leaves a running command the watchdog does not know. If keel dies
 * before opening the gate, the pipe closes, `read` fails and the command never runs.
 */
const GATE = 'IFS= read -r _ <&3 || exit 125; exec 3<&-; exec "$@"';

export function spawnProcessGroup(argv: readonly string[], options: SpawnGroupOptions): Promise<SpawnOutcome> {
  const [program, ...args] = argv;
  if (program === undefined) throw new Error('spawnProcessGroup: empty argv');
  const lookup = findProgram(program, options.env, options.cwd);
  if (lookup.type === 'missing') {
    const error = Object.assign(new Error(lookup.errno), { code: lookup.errno }) as NodeJS.ErrnoException;
    return Promise.resolve(spawnFailure(program, error));
  }
  const child = spawn('/bin/sh', ['-c', GATE, 'keel-command', program, ...args], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  const stdout = child.stdout as Readable;
  const stderr = child.stderr as Readable;
  const stdin = child.stdin;
  // A process that exits without reading its input makes a later write fail with EPIPE: that is not keel's crash.
  stdin?.on('error', () => undefined);
  // Registered before anything can await, so an exit handler that runs now still finds it.
  const leaderExit = new Promise<LeaderExit>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve(signal !== null ? { type: 'signaled', signal } : { type: 'exited', code: code ?? 0 });
    });
  });
  if (child.pid !== undefined) {
    registerGroup(child.pid);
    const gate = child.stdio[3] as NodeJS.WritableStream | null;
    gate?.on('error', () => {
      // The gate shell died before reading (killed from outside): its exit tells the story.
    });
    gate?.end('go\n');
  }

  return new Promise<SpawnOutcome>((resolve) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      stdout.destroy();
      stderr.destroy();
      stdin?.destroy();
      if (child.pid !== undefined) unregisterGroup(child.pid);
      resolve(spawnFailure('/bin/sh', error));
    };
    child.once('error', onError);
    child.once('spawn', () => {
      child.off('error', onError);
      // Later errors (a failed kill) carry nothing we act on; without a listener they would crash keel.
      child.on('error', () => {});
      const pgid = child.pid as number;
      resolve({ type: 'spawned', group: makeGroup(pgid, { stdout, stderr, stdin }, leaderExit, options.stopSteps) });
    });
  });
}

function makeGroup(
  pgid: number,
  { stdout, stderr, stdin }: { stdout: Readable; stderr: Readable; stdin: Writable | null },
  leaderExit: Promise<LeaderExit>,
  steps: readonly StopStep[] = DEFAULT_STOP_STEPS,
): ProcessGroup {
  let stopping: Promise<StopReport> | undefined;
  const stoppable = {
    signal(signal: NodeJS.Signals): void {
      try {
        process.kill(-pgid, signal);
      } catch {
        // ESRCH: the group ended between the check and the signal, which is what we want.
      }
    },
    waitGone: (timeoutMs: number) => waitUntilGroupGone(pgid, timeoutMs),
  };
  return {
    pgid,
    stdout,
    stderr,
    stdin,
    leaderExit,
    async isAlive() {
      const alive = await isGroupAlive(pgid);
      if (!alive) unregisterGroup(pgid);
      return alive;
    },
    stop() {
      stopping ??= stopGroup(stoppable, steps).then((report) => {
        if (report.type !== 'survived') unregisterGroup(pgid);
        return report;
      });
      return stopping;
    },
  };
}

function spawnFailure(program: string, error: NodeJS.ErrnoException): SpawnOutcome {
  const errno = error.code ?? 'UNKNOWN';
  switch (errno) {
    case 'ENOENT':
      return { type: 'failed', errno, exitCode: 127, message: `program not found: ${program}` };
    case 'EACCES':
      return { type: 'failed', errno, exitCode: 126, message: `permission denied: ${program} is not executable` };
    default:
      return { type: 'failed', errno, exitCode: 127, message: `failed to start ${program}: ${error.message}` };
  }
}
