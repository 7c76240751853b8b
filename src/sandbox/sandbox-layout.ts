/**
 * What a sandboxed command may touch, as the wrappers need it. Paths are absolute and already resolved through
 * symbolic links (`writableRoots` in writable-roots.ts does that), and exist: bubblewrap can only bind what is there.
 */

export interface SandboxLayout {
  cwd: string;
  /** Directories the command may write. Ignored under read-only. */
  writableRoots: readonly string[];
  /** Paths inside the writable roots that stay read-only (`.git`, `$KEEL_HOME`, …). */
  readOnlySubpaths: readonly string[];
  /** Network allowed; only workspace-write can allow it, read-only never does. */
  networkAccess: boolean;
  platform: NodeJS.Platform;
  /**
   * Paths to hide inside the sandbox: sockets of container runtimes and session buses, through which a command
   * could ask a process outside the sandbox to do what the sandbox forbids (see `sensitiveSockets`).
   */
  maskedPaths?: readonly MaskedPath[];
  /** The sandbox program as the probe found it; defaults to `bwrap` on PATH and `/usr/bin/sandbox-exec`. */
  executable?: string;
}

export interface MaskedPath {
  path: string;
  kind: 'file' | 'dir';
}
