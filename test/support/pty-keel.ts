/**
 * Runs the built keel binary in a pseudo-terminal and renders its output in a headless terminal emulator, so that
 * end-to-end tests can assert on what a user would see on the screen and type keys the way a user does.
 *
 *   const ptys = trackPtys();                       // at describe level: disposes every pty after each test
 *   it('...', async () => {
 *     const keel = ptys.start([], { cols: 80, rows: 24 });
 *     await keel.waitFor('> ');
 *     keel.type('hello');
 *     keel.press('enter');
 *     await keel.waitFor(/hello/);
 *   });
 *
 * The emulator behaves like a real terminal where that matters: it answers the queries keel writes (cursor position,
 * device attributes) back into the pty, arrow/home/end keys follow the application cursor mode keel sets, and a paste
 * turns line feeds into carriage returns. It does not answer the kitty keyboard query (ESC[?u), as many terminals do not.
 */
import { spawn as spawnPty, type IPty } from '@lydell/node-pty';
import xterm from '@xterm/headless';
import type { Terminal as XtermTerminal } from '@xterm/headless';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { KEEL_BIN, keelEnv } from './run-keel.ts';

// @xterm/headless is CommonJS: from ESM only its default export (module.exports) is available.
const { Terminal } = xterm;

export interface PtyKeelOptions {
  /** Default: a fresh temporary folder. */
  cwd?: string;
  /** Added to keelEnv() (temporary KEEL_HOME, NO_COLOR=1) and TERM=xterm-256color; undefined removes a variable. */
  env?: Record<string, string | undefined>;
  /** Default 80. */
  cols?: number;
  /** Default 24. */
  rows?: number;
  /** Default [process.execPath, KEEL_BIN]; the args are appended. */
  command?: string[];
}

export type PtyKeyName =
  | 'enter'
  | 'escape'
  | 'tab'
  | 'backspace'
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'ctrl-c'
  | 'ctrl-d'
  | 'ctrl-j'
  | 'ctrl-a'
  | 'ctrl-e'
  | 'ctrl-u'
  | 'ctrl-w'
  | 'alt-left'
  | 'alt-right'
  | 'shift-enter'
  | 'home'
  | 'end';

export type ScreenExpectation = string | RegExp | ((text: string) => boolean);

export interface WaitForOptions {
  /** Default 10 000 ms. */
  timeoutMs?: number;
  /** Match against history() (scrollback and screen) instead of screen(). */
  history?: boolean;
}

export interface PtyExit {
  exitCode: number;
  /** Present only when a signal ended the process. */
  signal?: number;
}

export interface PtyKeel {
  readonly pid: number;
  /** The visible screen: `rows` lines, trailing spaces trimmed, joined with \n. */
  screen(): string;
  /**
   * Every line the emulator's active buffer holds, scrollback first then the screen, trailing spaces trimmed and
   * trailing empty lines dropped. A soft-wrapped line shows as the rows it occupies. The alternate screen has no
   * scrollback.
   */
  history(): string;
  /** Cursor position on the screen (0-based). */
  cursor(): { x: number; y: number };
  /** Every byte keel wrote, as text, including the bytes the emulator has not parsed yet. */
  output(): string;
  /**
   * Resolves as soon as the screen (or, with { history: true }, the whole history) matches: a substring, a RegExp, or
   * a predicate. Checked now and after each chunk of output has been parsed by the emulator. Rejects after timeoutMs
   * (default 10 s), when the process exits without a match (after its last output was parsed), or on dispose(); the
   * error shows what was expected and the current screen.
   */
  waitFor(expected: ScreenExpectation, options?: WaitForOptions): Promise<void>;
  /** Writes text as typed input (raw bytes, no translation). */
  type(text: string): void;
  /** Presses a named key, as xterm sends it (arrows/home/end follow the application cursor mode keel set). */
  press(key: PtyKeyName): void;
  /** Bracketed paste (always wrapped in ESC[200~ ... ESC[201~); line feeds become carriage returns, as terminals do. */
  paste(text: string): void;
  /** Resizes the emulator, then the pty (which sends SIGWINCH to keel). */
  resize(cols: number, rows: number): void;
  /**
   * Closes the terminal as a window being closed does: the pty's master side goes away (keel's input ends, its
   * writes fail) and keel gets SIGHUP. Nothing can be typed afterwards.
   */
  hangUp(): void;
  /** Resolves when the process has exited and all of its output has been parsed by the emulator. */
  readonly exited: Promise<PtyExit>;
  /** Kills the process group (SIGKILL) if still running, rejects pending waitFor calls, disposes the emulator. Idempotent. */
  dispose(): void;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const SCROLLBACK = 5000;
const HISTORY_LINES_IN_ERRORS = 60;

/** Keys as xterm.js sends them; `app` is the form used in application cursor mode (DECCKM, ESC[?1h). */
const KEYS: Record<PtyKeyName, { normal: string; app?: string }> = {
  enter: { normal: '\r' },
  escape: { normal: '\x1b' },
  tab: { normal: '\t' },
  backspace: { normal: '\x7f' },
  up: { normal: '\x1b[A', app: '\x1bOA' },
  down: { normal: '\x1b[B', app: '\x1bOB' },
  right: { normal: '\x1b[C', app: '\x1bOC' },
  left: { normal: '\x1b[D', app: '\x1bOD' },
  home: { normal: '\x1b[H', app: '\x1bOH' },
  end: { normal: '\x1b[F', app: '\x1bOF' },
  'ctrl-a': { normal: '\x01' },
  'ctrl-c': { normal: '\x03' },
  'ctrl-d': { normal: '\x04' },
  'ctrl-e': { normal: '\x05' },
  'ctrl-j': { normal: '\n' },
  'ctrl-u': { normal: '\x15' },
  'ctrl-w': { normal: '\x17' },
  'alt-left': { normal: '\x1b[1;3D' },
  'alt-right': { normal: '\x1b[1;3C' },
  'shift-enter': { normal: '\x1b[13;2u' },
};

/** The bytes press(key) sends, for tests that want to assert on them. */
export function keySequence(key: PtyKeyName, applicationCursorKeys = false): string {
  const entry = KEYS[key];
  return applicationCursorKeys && entry.app !== undefined ? entry.app : entry.normal;
}

// Safety net: whatever a test forgot, no pty child outlives the test worker.
const live = new Set<PtyKeel>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pty of [...live]) pty.dispose();
  });
}

interface Waiter {
  check(): void;
  fail(reason: string): void;
}

export function startKeelPty(args: string[], options: PtyKeelOptions = {}): PtyKeel {
  const cols = options.cols ?? 80;
  const rows = options.rows ?? 24;
  const [file, ...commandArgs] = options.command ?? [process.execPath, KEEL_BIN];
  if (file === undefined) throw new Error('startKeelPty: options.command must not be empty');
  const env = keelEnv({ TERM: 'xterm-256color', ...options.env });
  const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'keel-cwd-'));

  const term: XtermTerminal = new Terminal({ cols, rows, scrollback: SCROLLBACK, allowProposedApi: true });
  const child: IPty = spawnPty(file, [...commandArgs, ...args], {
    name: env.TERM ?? 'xterm-256color',
    cols,
    rows,
    cwd,
    env,
  });
  installExitHook();

  let output = '';
  let exit: PtyExit | undefined; // set once the process exited and its last output was parsed
  let processGone = false; // set as soon as node-pty reports the exit
  let disposed = false;
  const waiters = new Set<Waiter>();
  let resolveExited!: (result: PtyExit) => void;
  const exited = new Promise<PtyExit>((resolve) => (resolveExited = resolve));

  const checkWaiters = (): void => {
    for (const waiter of [...waiters]) waiter.check();
  };

  child.onData((data) => {
    output += data;
    if (disposed) return;
    // xterm parses asynchronously; the callback runs once this chunk (and every earlier one) is on the screen.
    term.write(data, () => {
      if (!disposed) checkWaiters();
    });
  });
  // Answers to the queries keel writes (ESC[6n, ESC[c, ...) go back to keel, as from a real terminal.
  term.onData((reply) => {
    if (!processGone && !disposed) child.write(reply);
  });
  let finishExit: (() => void) | undefined;
  child.onExit(({ exitCode, signal }) => {
    processGone = true;
    const result: PtyExit = signal ? { exitCode, signal } : { exitCode };
    const finish = (): void => {
      if (exit) return;
      exit = result;
      if (!disposed) checkWaiters();
      for (const waiter of [...waiters]) waiter.fail(`the process exited (${describeExit(result)}) before it matched`);
      live.delete(pty);
      resolveExited(result);
    };
    // node-pty reports the exit only after the pty closed, so all output has been handed to term.write already;
    // an empty write's callback runs after those writes are parsed.
    finishExit = finish;
    if (disposed) finish();
    else term.write('', finish);
  });

  const screen = (): string => {
    if (disposed) return '';
    const buffer = term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < term.rows; y++) lines.push(buffer.getLine(buffer.baseY + y)?.translateToString(true) ?? '');
    return lines.join('\n');
  };

  const history = (): string => {
    if (disposed) return '';
    const buffer = term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < buffer.length; y++) lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n');
  };

  const cursor = (): { x: number; y: number } =>
    disposed ? { x: 0, y: 0 } : { x: term.buffer.active.cursorX, y: term.buffer.active.cursorY };

  const describeState = (useHistory: boolean): string => {
    const parts: string[] = [];
    if (disposed) parts.push('(the pty was disposed)');
    else {
      const { x, y } = cursor();
      parts.push(`--- screen ${term.cols}x${term.rows}, cursor x=${x} y=${y} ---`, screen(), '--- end of screen ---');
      if (useHistory) {
        const lines = history().split('\n');
        const shown = lines.slice(-HISTORY_LINES_IN_ERRORS);
        parts.push(`--- history, last ${shown.length} of ${lines.length} lines ---`, shown.join('\n'), '--- end of history ---');
      }
    }
    parts.push(`process: ${exit ? `exited (${describeExit(exit)})` : processGone ? 'exited' : 'running'}`);
    parts.push(`last output bytes: ${JSON.stringify(output.slice(-300))}`);
    return parts.join('\n');
  };

  const waitFor = (expected: ScreenExpectation, waitOptions: WaitForOptions = {}): Promise<void> => {
    const timeoutMs = waitOptions.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const useHistory = waitOptions.history ?? false;
    // So that a failure points at the test line that waited, not at a timer or at this file.
    const callSite: { stack?: string } = {};
    Error.captureStackTrace(callSite, waitFor);
    const matches = (): boolean => {
      const text = useHistory ? history() : screen();
      if (typeof expected === 'string') return text.includes(expected);
      if (expected instanceof RegExp) {
        expected.lastIndex = 0; // a /g or /y RegExp keeps state between calls
        return expected.test(text);
      }
      return expected(text);
    };
    const what = `${useHistory ? 'history' : 'screen'} to match ${describeExpected(expected)}`;
    return new Promise<void>((resolve, reject) => {
      // The callback runs no earlier than the next tick, when `waiter` exists.
      const timer = setTimeout(() => waiter.fail(`it did not within ${timeoutMs} ms`), timeoutMs);
      const waiter: Waiter = {
        check: () => {
          let matched: boolean;
          try {
            matched = matches();
          } catch (error) {
            waiter.fail(`the predicate threw: ${String(error)}`);
            return;
          }
          if (!matched) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve();
        },
        fail: (reason) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          const message = `waitFor: expected the ${what}, but ${reason}\n${describeState(useHistory)}`;
          const error = new Error(message);
          error.stack = `Error: ${message}\n${(callSite.stack ?? '').split('\n').slice(1).join('\n')}`;
          reject(error);
        },
      };
      if (disposed) return waiter.fail('the pty was already disposed');
      waiters.add(waiter);
      waiter.check();
      if (!waiters.has(waiter)) return;
      if (exit) return waiter.fail(`the process had already exited (${describeExit(exit)})`);
    });
  };

  const send = (data: string, what: string): void => {
    if (disposed) throw new Error(`cannot ${what}: the pty was disposed`);
    if (processGone) throw new Error(`cannot ${what}: the process has exited\n${describeState(false)}`);
    child.write(data);
  };

  const pty: PtyKeel = {
    pid: child.pid,
    screen,
    history,
    cursor,
    output: () => output,
    waitFor,
    type: (text) => send(text, `type ${JSON.stringify(text)}`),
    press: (key) => {
      if (!(key in KEYS)) throw new Error(`press: unknown key ${JSON.stringify(key)}`);
      send(keySequence(key, !disposed && term.modes.applicationCursorKeysMode), `press ${key}`);
    },
    paste: (text) => send(`\x1b[200~${text.replace(/\r?\n/g, '\r')}\x1b[201~`, 'paste'),
    resize: (newCols, newRows) => {
      if (disposed) throw new Error('cannot resize: the pty was disposed');
      // The emulator first: keel redraws on SIGWINCH, and that output must land on a screen of the new size.
      term.resize(newCols, newRows);
      if (!processGone) child.resize(newCols, newRows);
    },
    hangUp: () => {
      if (disposed || processGone) throw new Error('cannot hang up: the pty is already closed');
      // node-pty's destroy() is the terminal closing: master closed, then SIGHUP (not in its typings).
      (child as unknown as { destroy(): void }).destroy();
    },
    exited,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      for (const waiter of [...waiters]) waiter.fail('the pty was disposed');
      if (!processGone) {
        // node-pty starts the child in a new session, so its process group id is its pid: kill the whole group.
        for (const target of [-child.pid, child.pid]) {
          try {
            process.kill(target, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
      }
      term.dispose();
      live.delete(pty);
      // The exit was reported but its flush through the (now disposed) emulator may never call back: finish here.
      finishExit?.();
    },
  };
  live.add(pty);
  return pty;
}

/**
 * Call at describe (or file) level: `start` is startKeelPty, and every pty it started is disposed after each test,
 * passed or failed, and its exit awaited (bounded), so no process is left behind.
 */
export function trackPtys(): { start: typeof startKeelPty } {
  const started: PtyKeel[] = [];
  afterEach(async () => {
    const ptys = started.splice(0);
    for (const pty of ptys) pty.dispose();
    await Promise.all(
      ptys.map((pty) =>
        Promise.race([pty.exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]),
      ),
    );
  });
  return {
    start: (args, options) => {
      const pty = startKeelPty(args, options);
      started.push(pty);
      return pty;
    },
  };
}

function describeExpected(expected: ScreenExpectation): string {
  if (typeof expected === 'string') return JSON.stringify(expected);
  if (expected instanceof RegExp) return String(expected);
  const source = expected.toString();
  const shown = source.length > 200 ? `${source.slice(0, 200)}...` : source;
  return expected.name ? `predicate ${expected.name}: ${shown}` : `predicate ${shown}`;
}

function describeExit(result: PtyExit): string {
  return result.signal ? `signal ${result.signal}` : `exit code ${result.exitCode}`;
}
