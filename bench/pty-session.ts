/**
 * The built keel binary in a pseudo-terminal, for benchmarks that time what a person sees: everything keel writes
 * is kept as raw text (no terminal emulator), stamped with the time it arrived, and `waitFor` resolves with the
 * arrival time of the chunk that made the output match. `kill` ends keel's whole process group and waits for it.
 */
import { spawn, type IPty } from '@lydell/node-pty';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const KEEL_BIN = resolve(import.meta.dirname, '../bin/keel.js');

export interface PtySessionOptions {
  cwd: string;
  env: Record<string, string>;
  cols?: number;
  rows?: number;
}

export interface PtySession {
  readonly pid: number;
  /** performance.now() just before the spawn. */
  readonly spawnedAt: number;
  /** Everything keel wrote so far. */
  output(): string;
  /** How many characters keel wrote so far (output().length, without joining the chunks). */
  readonly length: number;
  /** Writes raw input bytes, as typed; returns performance.now() taken just before the write. */
  write(data: string): number;
  /**
   * Resolves with the arrival time of the first chunk after which `test` holds: it is shown the output from `from`
   * (default 0) on, a window at a time (each new chunk with the last WINDOW_OVERLAP characters before it), so a long
   * output is not searched again from its start at every chunk. Rejects after `timeoutMs` (default 10 s), or when
   * keel exits first, showing the end of the output.
   */
  waitFor(test: OutputTest, options?: { from?: number; timeoutMs?: number; what?: string }): Promise<number>;
  /** Whether keel is still running. */
  readonly running: boolean;
  /** SIGKILLs keel's process group (node-pty makes keel a session leader) and waits for the exit, bounded. */
  kill(): Promise<void>;
}

/** Characters of output seen before that are shown again with a new chunk: what a test looks for must be shorter. */
export const WINDOW_OVERLAP = 512;

/**
 * Looks at one window of output (`text`, which starts at output offset `start`); windows come in order and overlap.
 * A test may keep state between windows, so make a new one for each waitFor.
 */
export type OutputTest = (text: string, start: number) => boolean;

export function includes(needle: string): OutputTest {
  return (text) => text.includes(needle);
}

/** `first`, and somewhere after it `then`. */
export function includesInOrder(first: string, then: string): OutputTest {
  let firstEnd: number | null = null;
  return (text, start) => {
    if (firstEnd === null) {
      const at = text.indexOf(first);
      if (at < 0) return false;
      firstEnd = start + at + first.length;
    }
    return text.indexOf(then, Math.max(0, firstEnd - start)) >= 0;
  };
}

export function matches(pattern: RegExp): OutputTest {
  return (text) => {
    pattern.lastIndex = 0; // a /g or /y pattern keeps state between calls
    return pattern.test(text);
  };
}

interface Waiter {
  check(at: number): void;
  fail(reason: string): void;
}

export function startKeel(args: string[], options: PtySessionOptions): PtySession {
  const spawnedAt = performance.now();
  const child: IPty = spawn(process.execPath, [KEEL_BIN, ...args], {
    name: options.env.TERM ?? 'xterm-256color',
    cols: options.cols ?? 120,
    rows: options.rows ?? 40,
    cwd: options.cwd,
    env: options.env,
  });
  // The output as chunks with their offsets; output() joins them into one when asked.
  let chunks: string[] = [];
  let starts: number[] = [];
  let length = 0;
  let running = true;
  const waiters = new Set<Waiter>();
  let resolveExit!: () => void;
  const exited = new Promise<void>((done) => (resolveExit = done));

  const output = (): string => {
    if (chunks.length > 1) {
      chunks = [chunks.join('')];
      starts = [0];
    }
    return chunks[0] ?? '';
  };
  const textFrom = (offset: number): string => {
    let index = chunks.length - 1;
    while (index > 0 && starts[index]! > offset) index--;
    if (index < 0) return '';
    return chunks.slice(index).join('').slice(Math.max(0, offset - starts[index]!));
  };

  child.onData((data) => {
    const at = performance.now();
    starts.push(length);
    chunks.push(data);
    length += data.length;
    for (const waiter of [...waiters]) waiter.check(at);
  });
  child.onExit(({ exitCode, signal }) => {
    running = false;
    for (const waiter of [...waiters]) waiter.fail(`keel exited (code ${exitCode}, signal ${signal ?? 'none'})`);
    resolveExit();
  });

  const waitFor: PtySession['waitFor'] = (test, waitOptions = {}) => {
    const from = waitOptions.from ?? 0;
    const timeoutMs = waitOptions.timeoutMs ?? 10_000;
    let scanned = from;
    return new Promise<number>((done, fail) => {
      const timer = setTimeout(() => waiter.fail(`not within ${timeoutMs} ms`), timeoutMs);
      const waiter: Waiter = {
        check: (at) => {
          if (length <= scanned && scanned > from) return;
          const start = Math.max(from, scanned - WINDOW_OVERLAP);
          scanned = length;
          if (!test(textFrom(start), start)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          done(at);
        },
        fail: (reason) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          const tail = JSON.stringify(textFrom(Math.max(0, length - 600)));
          fail(new Error(`waiting for ${waitOptions.what ?? 'keel output'}: ${reason}; last output: ${tail}`));
        },
      };
      waiters.add(waiter);
      waiter.check(performance.now());
      if (waiters.has(waiter) && !running) waiter.fail('keel had already exited');
    });
  };

  return {
    pid: child.pid,
    spawnedAt,
    output,
    get length() {
      return length;
    },
    write: (data) => {
      const at = performance.now();
      child.write(data);
      return at;
    },
    waitFor,
    get running() {
      return running;
    },
    kill: async () => {
      if (running) {
        for (const target of [-child.pid, child.pid]) {
          try {
            process.kill(target, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
      }
      await Promise.race([exited, new Promise((done) => setTimeout(done, 3_000).unref())]);
    },
  };
}

/** CPU time (user + system) the process has used so far, in milliseconds, from /proc/PID/stat. */
export function cpuTimeMs(pid: number, ticksPerSecond: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 (utime) and 15 (stime) of proc(5); fields[0] is field 3 (state).
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / ticksPerSecond;
}

/** The kernel's clock ticks per second (USER_HZ), from `getconf CLK_TCK`; 100 when that is not available. */
export function clockTicksPerSecond(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}
