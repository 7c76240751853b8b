/** What the sandbox probe needs from the machine, injected so the probe's logic runs against fakes in tests. */

export type HostRun =
  | { type: 'exited'; exitCode: number | null; stderr: string }
  | { type: 'timed_out' }
  | { type: 'spawn_failed'; message: string };

export interface SandboxHost {
  platform: NodeJS.Platform;
  /** The absolute path of an executable found on PATH, or null. */
  findExecutable(name: string): string | null;
  /** Runs argv with no input, returning its exit and stderr; kills it after `timeoutMs`. */
  run(argv: readonly string[], timeoutMs: number): Promise<HostRun>;
  /** A small system file's text (`/proc/sys/…`, `/etc/os-release`), or null when it cannot be read. */
  readFile(path: string): string | null;
}
