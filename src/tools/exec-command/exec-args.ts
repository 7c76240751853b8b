/**
 * Arguments of `exec_command` and `write_stdin`, in the shapes models trained on them send. Unknown keys
 * (`justification`, `sandbox_permissions`, …) are accepted and ignored: approvals are keel's to decide.
 */
import { parseJsonObject } from '../json-args.ts';
import type { ParseResult } from '../tool.ts';

export interface ExecCommandArgs {
  cmd: string;
  workdir?: string;
  yieldTimeMs?: number;
  maxOutputTokens?: number;
  tty: boolean;
  /** The shell that runs `cmd`; default bash (sh where there is no bash). */
  shell?: string;
  /** Whether the shell runs as a login shell (`-lc`); default true. */
  login: boolean;
}

export interface WriteStdinArgs {
  sessionId: number;
  /** '' polls: nothing is written, new output is read. */
  chars: string;
  yieldTimeMs?: number;
  maxOutputTokens?: number;
}

export const DEFAULT_EXEC_YIELD_MS = 10_000;
export const DEFAULT_POLL_YIELD_MS = 250;
export const MIN_YIELD_MS = 250;
export const MAX_YIELD_MS = 30_000;
export const DEFAULT_MAX_OUTPUT_TOKENS = 10_000;

export function parseExecCommandArgs(raw: string): ParseResult<ExecCommandArgs> {
  const parsed = parseJsonObject(raw);
  if (!parsed.ok) return parsed;
  const { fields } = parsed;
  if (typeof fields.cmd !== 'string' || fields.cmd.trim() === '') return fail('cmd must be a non-empty string: the shell command to run');
  const args: ExecCommandArgs = { cmd: fields.cmd, tty: false, login: true };
  const workdir = optionalString(fields, 'workdir');
  if (workdir === false) return fail('workdir must be a string');
  if (workdir !== undefined) args.workdir = workdir;
  const shell = optionalString(fields, 'shell');
  if (shell === false || shell === '') return fail('shell must be the name or path of a shell, such as "bash"');
  if (shell !== undefined) args.shell = shell;
  for (const key of ['tty', 'login'] as const) {
    const value = fields[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'boolean') return fail(`${key} must be true or false`);
    args[key] = value;
  }
  const common = parseCommon(fields);
  if (!common.ok) return common;
  return { ok: true, args: { ...args, ...common.args } };
}

export function parseWriteStdinArgs(raw: string): ParseResult<WriteStdinArgs> {
  const parsed = parseJsonObject(raw);
  if (!parsed.ok) return parsed;
  const { fields } = parsed;
  // Some models send the id as a string of digits.
  const id = typeof fields.session_id === 'string' && /^\d+$/.test(fields.session_id) ? Number(fields.session_id) : fields.session_id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    return fail('session_id must be the number exec_command answered with ("Process running with session ID N")');
  }
  const chars = optionalString(fields, 'chars');
  if (chars === false) return fail('chars must be a string (empty to only read new output)');
  const common = parseCommon(fields);
  if (!common.ok) return common;
  return { ok: true, args: { sessionId: id, chars: chars ?? '', ...common.args } };
}

function parseCommon(fields: Record<string, unknown>): ParseResult<{ yieldTimeMs?: number; maxOutputTokens?: number }> {
  const args: { yieldTimeMs?: number; maxOutputTokens?: number } = {};
  const yieldTime = fields.yield_time_ms;
  if (yieldTime !== undefined && yieldTime !== null) {
    if (typeof yieldTime !== 'number' || !Number.isFinite(yieldTime) || yieldTime < 0) return fail('yield_time_ms must be a number of milliseconds');
    args.yieldTimeMs = Math.min(MAX_YIELD_MS, Math.max(MIN_YIELD_MS, Math.ceil(yieldTime)));
  }
  const tokens = fields.max_output_tokens;
  if (tokens !== undefined && tokens !== null) {
    if (typeof tokens !== 'number' || !Number.isFinite(tokens) || tokens < 1) return fail('max_output_tokens must be a positive number');
    args.maxOutputTokens = Math.floor(tokens);
  }
  return { ok: true, args };
}

/** The string at `key`, undefined when absent or null, false when it is something else. */
function optionalString(fields: Record<string, unknown>, key: string): string | undefined | false {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : false;
}

function fail<A>(error: string): ParseResult<A> {
  return { ok: false, error };
}
