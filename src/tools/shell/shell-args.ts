/**
 * The `shell` tool's arguments, parsed from the model's JSON. Error messages are written for the model to act on;
 * the registry prefixes them with "failed to parse function arguments: ".
 */
import { parseJsonObject } from '../json-args.ts';
import type { ParseResult } from '../tool.ts';

export interface ShellArgs {
  /** argv, executed directly (no shell unless the model asks for one, e.g. ["bash", "-lc", "..."]). */
  command: string[];
  /** Relative to the session's cwd. */
  workdir?: string;
  timeoutMs?: number;
}

export function parseShellArgs(raw: string): ParseResult<ShellArgs> {
  const parsed = parseJsonObject(raw);
  if (!parsed.ok) return parsed;
  const { fields } = parsed;

  const { command } = fields;
  if (!Array.isArray(command) || command.length === 0 || !command.every((part) => typeof part === 'string')) {
    return fail('command must be a non-empty array of strings');
  }
  if (command[0] === '') return fail('command[0] must name the program to run');
  const args: ShellArgs = { command: command as string[] };

  const { workdir } = fields;
  if (workdir !== undefined && workdir !== null) {
    if (typeof workdir !== 'string') return fail('workdir must be a string');
    args.workdir = workdir;
  }

  // `timeout` is the older spelling; when both are given, the newer one wins.
  const timeoutKey = fields.timeout_ms !== undefined && fields.timeout_ms !== null ? 'timeout_ms' : 'timeout';
  const timeout = fields[timeoutKey];
  if (timeout !== undefined && timeout !== null) {
    if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) {
      return fail(`${timeoutKey} must be a positive number of milliseconds`);
    }
    args.timeoutMs = Math.ceil(timeout);
  }
  return { ok: true, args };
}

function fail(error: string): ParseResult<ShellArgs> {
  return { ok: false, error };
}
