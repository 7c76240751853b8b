/** Runs the built keel binary as a child process, the way a user or a script does. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const KEEL_BIN = join(REPO_ROOT, 'bin/keel.js');

export interface KeelRun {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves with each complete stdout line as it arrives (for --json), in order. */
  lines: string[];
  waitForLine(predicate: (line: string) => boolean): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface KeelRunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  stdin?: string;
}

/** A minimal environment: no real keys leak in, KEEL_HOME is a fresh temporary folder. */
export function keelEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    KEEL_HOME: mkdtempSync(join(tmpdir(), 'keel-home-')),
    NO_COLOR: '1',
  };
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function startKeel(args: string[], options: KeelRunOptions = {}): KeelRun {
  const child = spawn(process.execPath, [KEEL_BIN, ...args], {
    cwd: options.cwd ?? mkdtempSync(join(tmpdir(), 'keel-cwd-')),
    env: keelEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const run: KeelRun = {
    child,
    stdout: '',
    stderr: '',
    lines: [],
    waitForLine: (predicate) =>
      new Promise((resolveLine, reject) => {
        const found = run.lines.find(predicate);
        if (found !== undefined) return resolveLine(found);
        const onLine = (line: string): void => {
          if (!predicate(line)) return;
          child.off('keel-line', onLine);
          resolveLine(line);
        };
        child.on('keel-line', onLine);
        child.once('exit', () => reject(new Error(`keel exited before the awaited line; stderr:\n${run.stderr}`)));
      }),
    exited: new Promise((resolveExit) => child.once('close', (code, signal) => resolveExit({ code, signal }))),
  };
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    run.stdout += chunk;
    partial += chunk;
    let newline: number;
    while ((newline = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, newline);
      partial = partial.slice(newline + 1);
      run.lines.push(line);
      child.emit('keel-line', line);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    run.stderr += chunk;
  });
  if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  else child.stdin!.end();
  return run;
}

/** Runs keel to the end and returns its exit code and output. */
export async function runKeel(args: string[], options: KeelRunOptions = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startKeel(args, options);
  const { code } = await run.exited;
  return { code, stdout: run.stdout, stderr: run.stderr };
}
