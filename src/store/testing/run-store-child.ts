/**
 * Runs one of the scripts in this folder as a real node process (TypeScript through tsx), and waits on the lines it
 * prints: tests synchronize on what the child says it did, never on time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const REPO = resolve(import.meta.dirname, '../../..');

export interface StoreChild {
  process: ChildProcess;
  pid: number;
  /** Resolves with the first line printed that starts with `prefix`. */
  line(prefix: string): Promise<string>;
  /** Resolves when the process has ended, with its exit code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

export function startStoreChild(script: string, args: string[]): StoreChild {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, script), ...args], {
    cwd: REPO,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const seen: string[] = [];
  const waiting: Array<{ prefix: string; done: (line: string) => void }> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    seen.push(line);
    for (const waiter of waiting.filter((candidate) => line.startsWith(candidate.prefix))) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.done(line);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  return {
    process: child,
    pid: child.pid!,
    line(prefix) {
      const already = seen.find((line) => line.startsWith(prefix));
      if (already !== undefined) return Promise.resolve(already);
      return new Promise((done, fail) => {
        waiting.push({ prefix, done });
        void exited.then(({ code, signal }) =>
          fail(new Error(`${script} ended (code ${code}, signal ${signal}) before printing "${prefix}"\n${stderr}`)),
        );
      });
    },
    exited,
    stderr: () => stderr,
  };
}
