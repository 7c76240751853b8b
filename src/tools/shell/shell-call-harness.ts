/**
 * Test support for the shell tool (used only by *.test.ts): runs one call the way the registry would and records its
 * events, checking the event contract on the way; finds processes by a marker argument through /proc.
 */
import { readdir, readFile } from 'node:fs/promises';
import type { EventMsg, EventOf } from '../../protocol/index.ts';
import type { Tool, ToolContext, ToolResult } from '../tool.ts';
import { parseStat } from './group-liveness.ts';
import type { ShellArgs } from './shell-args.ts';

export interface ShellCall {
  result: ToolResult;
  events: EventMsg[];
  begin: EventOf<'exec_command_begin'> | undefined;
  end: EventOf<'exec_command_end'> | undefined;
  deltas: EventOf<'exec_command_output_delta'>[];
  /** `result.output` parsed, when it is the JSON envelope. */
  json: { output: string; metadata: { exit_code: number; duration_seconds: number } } | undefined;
}

export interface CallOptions {
  cwd?: string;
  /** Sees every event as it is emitted; may abort the call. */
  onEvent?: (msg: EventMsg, abort: () => void) => void;
  signal?: AbortSignal;
  /** As the approval gate gives it to a sandboxed call. */
  wrapArgv?: ToolContext['wrapArgv'];
}

export async function callShell<A = ShellArgs>(tool: Tool<A>, rawArgs: unknown, options: CallOptions = {}): Promise<ShellCall> {
  const parsed = tool.parse(JSON.stringify(rawArgs));
  if (!parsed.ok) throw new Error(`arguments did not parse: ${parsed.error}`);
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  if (options.signal?.aborted) controller.abort();
  const events: EventMsg[] = [];
  let resolved = false;
  const result = await tool.run(parsed.args, {
    signal: controller.signal,
    cwd: options.cwd ?? process.cwd(),
    callId: 'call-1',
    wrapArgv: options.wrapArgv,
    emit(msg) {
      if (resolved) throw new Error(`event emitted after run resolved: ${msg.type}`);
      events.push(msg);
      options.onEvent?.(msg, () => controller.abort());
    },
  });
  resolved = true;
  checkEventContract(events);
  const begin = events.find((e): e is EventOf<'exec_command_begin'> => e.type === 'exec_command_begin');
  const end = events.find((e): e is EventOf<'exec_command_end'> => e.type === 'exec_command_end');
  const deltas = events.filter((e): e is EventOf<'exec_command_output_delta'> => e.type === 'exec_command_output_delta');
  let json: ShellCall['json'];
  try {
    json = JSON.parse(result.output) as ShellCall['json'];
  } catch {
    // Not every answer is the envelope ("aborted by user before it started" is plain text).
    json = undefined;
  }
  return { result, events, begin, end, deltas, json };
}

/** None at all, or: one begin first, deltas, one end last, all with the call's id. */
function checkEventContract(events: EventMsg[]): void {
  if (events.length === 0) return;
  const types = events.map((e) => e.type);
  const ok =
    types[0] === 'exec_command_begin' &&
    types[types.length - 1] === 'exec_command_end' &&
    types.slice(1, -1).every((t) => t === 'exec_command_output_delta') &&
    events.every((e) => 'call_id' in e && e.call_id === 'call-1');
  if (!ok) throw new Error(`event contract broken: ${types.join(', ')}`);
}

/** Pids of processes (not zombies) whose argv contains `marker`. */
export async function findLiveProcesses(marker: string): Promise<number[]> {
  const found: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = (await readFile(`/proc/${name}/cmdline`, 'utf8')).split('\0');
      if (!argv.includes(marker)) continue;
      const stat = parseStat(await readFile(`/proc/${name}/stat`, 'utf8'));
      if (stat !== null && stat.state !== 'Z' && stat.state !== 'X') found.push(Number(name));
    } catch {
      // The process ended while we looked at it.
    }
  }
  return found;
}

let markerCount = 0;
/** A `sleep` duration no other test (or other test process) uses, so the process can be found by its argv. */
export function uniqueSleepArg(): string {
  markerCount++;
  return `30.${process.pid}${String(markerCount).padStart(3, '0')}`;
}
