/** The real process behind the front ends' I/O interfaces. */
import { writeFile } from 'node:fs/promises';
import type { StopSignal } from '../util/exit-codes.ts';
import type { ExecIo } from '../exec/run-exec.ts';

export async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const exitHooks: Array<() => void> = [];

export const processIo = {
  /** Runs synchronous clean-up (stopping every process group keel started) before any exit. */
  onExit(hook: () => void): void {
    exitHooks.push(hook);
  },
  /** Runs the clean-up now (each hook once), e.g. to give the terminal back before printing a crash report. */
  runExitHooks(): void {
    for (const hook of exitHooks.splice(0)) hook();
  },
  exit(code: number): never {
    processIo.runExitHooks();
    // Writes to pipes and files are synchronous on Linux, so nothing printed is lost by leaving now.
    process.exit(code);
  },
};

/** Subscribes to a stop signal of this process; returns the unsubscribe function. */
export function onProcessSignal(signal: StopSignal, handler: () => void): () => void {
  process.on(signal, handler);
  return () => void process.off(signal, handler);
}

export function execIo(): ExecIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    writeFile: (path, text) => writeFile(path, text, 'utf8'),
    onSignal: onProcessSignal,
    exitNow: (code) => processIo.exit(code),
  };
}
