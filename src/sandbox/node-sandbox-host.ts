/** The real machine behind `SandboxHost`. */
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { HostRun, SandboxHost } from './sandbox-host.ts';

// Enough of stderr to explain a failure; a probe's output is a line or two.
const MAX_STDERR = 4096;

export function nodeSandboxHost(env: NodeJS.ProcessEnv = process.env): SandboxHost {
  return {
    platform: process.platform,
    findExecutable(name) {
      for (const dir of (env.PATH ?? '').split(delimiter)) {
        if (dir === '') continue;
        const candidate = join(dir, name);
        try {
          accessSync(candidate, constants.X_OK);
          return candidate;
        } catch {
          // Not in this directory (or not executable): keep looking.
        }
      }
      return null;
    },
    run: (argv, timeoutMs) => runBriefly(argv, timeoutMs, env),
    readFile(path) {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        // Absent on this kernel or distribution: the diagnosis then does without it.
        return null;
      }
    },
  };
}

function runBriefly(argv: readonly string[], timeoutMs: number, env: NodeJS.ProcessEnv): Promise<HostRun> {
  return new Promise((resolve) => {
    const [program, ...args] = argv;
    const child = spawn(program!, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    let settled = false;
    const finish = (result: HostRun) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ type: 'timed_out' });
    }, timeoutMs);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < MAX_STDERR) stderr += chunk.slice(0, MAX_STDERR - stderr.length);
    });
    child.on('error', (error) => finish({ type: 'spawn_failed', message: error.message }));
    child.on('close', (code) => finish({ type: 'exited', exitCode: code, stderr }));
  });
}
