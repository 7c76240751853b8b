/** Flags the commands that run sessions share (keel, exec, proto, mcp-server). */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './usage-error.ts';

/** The options every session-running command takes, as `parseArgs` wants them. */
export const SESSION_OPTIONS = {
  model: { type: 'string', short: 'm' },
  cd: { type: 'string', short: 'C' },
  profile: { type: 'string', short: 'p' },
  config: { type: 'string', short: 'c', multiple: true },
  oss: { type: 'boolean' },
  sandbox: { type: 'string', short: 's' },
  'full-auto': { type: 'boolean' },
  'dangerously-bypass-sandbox': { type: 'boolean' },
  last: { type: 'boolean' },
  /** Attached to the first prompt (image-flags.ts). */
  image: { type: 'string', short: 'i', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The options of the commands that run sessions for a program (exec, proto, mcp-server): state, retries, limits. */
export const HEADLESS_OPTIONS = {
  stateful: { type: 'boolean' },
  'stream-max-retries': { type: 'string' },
  'stream-idle-timeout-ms': { type: 'string' },
  'shell-timeout-ms': { type: 'string' },
} as const;

export interface SandboxFlags {
  sandbox?: string;
  'full-auto'?: boolean;
  'dangerously-bypass-sandbox'?: boolean;
}

/** -C DIR as an absolute path; it must be a directory. */
export function resolveWorkdir(dir: string): string {
  const cwd = resolve(dir);
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new UsageError(`--cd ${dir}: no such directory`);
  return cwd;
}

/** -s MODE, --full-auto (workspace-write) or --dangerously-bypass-sandbox (danger-full-access); at most one. */
export function sandboxFlag(values: SandboxFlags): string | undefined {
  const given = [values.sandbox, values['full-auto'] ? 'workspace-write' : undefined, values['dangerously-bypass-sandbox'] ? 'danger-full-access' : undefined].filter(
    (value): value is string => value !== undefined,
  );
  if (given.length > 1) throw new UsageError('-s/--sandbox, --full-auto and --dangerously-bypass-sandbox exclude each other: give one');
  const mode = given[0];
  if (mode !== undefined && !['read-only', 'workspace-write', 'danger-full-access'].includes(mode)) {
    throw new UsageError(`--sandbox is read-only, workspace-write or danger-full-access, got "${mode}"`);
  }
  return mode;
}

