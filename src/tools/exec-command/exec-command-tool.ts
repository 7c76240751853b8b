/**
 * `exec_command` and `write_stdin`: commands that may outlive their call as background processes of the session.
 *
 * Events, per call, as the shell tool's: nothing when the call was refused or aborted before it started; otherwise
 * one `exec_command_begin` (with `process_id`), output deltas, and exactly one `exec_command_end` — `backgrounded`
 * when the process goes on running. `run` never leaves a process running that is not in the table: a command the
 * call was interrupted in is stopped (with everything it started) before `run` resolves.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { HeadTailBuffer } from '../../util/head-tail-buffer.ts';
import { quoteArgv } from '../../util/shell-quote.ts';
import { DEFAULT_MAX_DELTAS, type OutputStream } from '../shell/output-capture.ts';
import { spawnProcessGroup } from '../shell/process-group.ts';
import { checkWorkdir } from '../shell/shell-tool.ts';
import type { StopStep } from '../shell/stop-escalation.ts';
import type { Tool, ToolContext, ToolResult } from '../tool.ts';
import { unfinishedOutput } from '../unfinished-call.ts';
import { BackgroundProcess } from './background-process.ts';
import { EXEC_COMMAND_DESCRIPTION, WRITE_STDIN_DESCRIPTION } from './description.ts';
import {
  DEFAULT_EXEC_YIELD_MS,
  DEFAULT_POLL_YIELD_MS,
  parseExecCommandArgs,
  parseWriteStdinArgs,
  type ExecCommandArgs,
  type WriteStdinArgs,
} from './exec-args.ts';
import { execAnswer, type ExecState } from './exec-output.ts';
import { endWords, type ProcessTable } from './process-table.ts';

export interface ExecCommandToolOptions {
  table: ProcessTable;
  /** Environment of every command. Default: keel's own. */
  env?: NodeJS.ProcessEnv;
  /** Cap on `exec_command_output_delta` events per call. Default 10 000. */
  maxOutputDeltas?: number;
  drainMs?: number;
  stopSteps?: readonly StopStep[];
}

const SPAWN_FAILED_EXIT_CODE = 127;

export function createExecCommandTool(options: ExecCommandToolOptions): Tool<ExecCommandArgs> {
  return {
    name: 'exec_command',
    kind: 'exec',
    spec: {
      type: 'function',
      name: 'exec_command',
      description: EXEC_COMMAND_DESCRIPTION,
      strict: false,
      parameters: {
        type: 'object',
        properties: {
          cmd: { type: 'string', description: 'The shell command to run.' },
          workdir: { type: 'string', description: 'Directory to run it in, absolute or relative to the current one.' },
          yield_time_ms: { type: 'number', description: 'How long to wait for it before answering (default 10000).' },
          max_output_tokens: { type: 'number', description: 'Most output to return, in tokens (default 10000).' },
          tty: { type: 'boolean', description: 'Run it in a terminal (default false).' },
          shell: { type: 'string', description: 'The shell that runs cmd (default bash).' },
          login: { type: 'boolean', description: 'Run the shell as a login shell (default true).' },
        },
        required: ['cmd'],
        additionalProperties: false,
      },
    },
    parse: parseExecCommandArgs,
    run: (args, ctx) => runExecCommand(args, ctx, options),
    approvalSubject: (args, cwd) => Promise.resolve({ type: 'command', argv: commandArgv(args), cwd: resolve(cwd, args.workdir ?? '.') }),
  };
}

export function createWriteStdinTool(options: Pick<ExecCommandToolOptions, 'table' | 'maxOutputDeltas'>): Tool<WriteStdinArgs> {
  return {
    name: 'write_stdin',
    kind: 'exec',
    spec: {
      type: 'function',
      name: 'write_stdin',
      description: WRITE_STDIN_DESCRIPTION,
      strict: false,
      parameters: {
        type: 'object',
        properties: {
          session_id: { type: 'number', description: 'The session ID exec_command answered with.' },
          chars: { type: 'string', description: 'What to write to its input; empty to only read new output.' },
          yield_time_ms: { type: 'number', description: 'How long to wait for output (default 250).' },
          max_output_tokens: { type: 'number', description: 'Most output to return, in tokens (default 10000).' },
        },
        required: ['session_id'],
        additionalProperties: false,
      },
    },
    parse: parseWriteStdinArgs,
    run: (args, ctx) => runWriteStdin(args, ctx, options),
  };
}

/** The argv that runs `cmd`: what approvals judge and the sandbox wraps. */
export function commandArgv(args: ExecCommandArgs): string[] {
  const shell = args.shell ?? defaultShell();
  return [shell, args.login ? '-lc' : '-c', args.cmd];
}

let bash: string | null | undefined;
function defaultShell(): string {
  bash ??= ['/bin/bash', '/usr/bin/bash'].find((path) => existsSync(path)) ?? null;
  return bash ?? '/bin/sh';
}

/**
 * The command's stdin is a socket (how Node makes a pipe), and bash started with a socket on stdin and no SHLVL
 * takes itself for a remote shell and reads ~/.bashrc even for `bash -c`, printing whatever that prints into every
 * command's output. A SHLVL says it is a local shell.
 */
function commandEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return env.SHLVL === undefined ? { ...env, SHLVL: '1' } : env;
}

/** A terminal for the command: util-linux `script` runs it on a pseudo-terminal and relays stdin and output. */
function inTerminal(argv: readonly string[]): string[] {
  return ['script', '-q', '-e', '-f', '-c', quoteArgv(argv), '/dev/null'];
}

async function runExecCommand(args: ExecCommandArgs, ctx: ToolContext, options: ExecCommandToolOptions): Promise<ToolResult> {
  if (ctx.signal.aborted) return { output: unfinishedOutput({ type: 'interrupted_before_start', subject: 'command' }), success: false };
  const { table } = options;
  if (table.runningCount >= table.max) {
    const reason =
      `${table.runningCount} background processes are running, the most allowed at once (max_background_processes = ${table.max}); ` +
      `wait for one to end (poll with write_stdin) or ask the user to stop one with /stop (running: session IDs ${table.ids().join(', ')})`;
    return { output: unfinishedOutput({ type: 'refused', subject: 'command', reason }), success: false, refused: reason };
  }
  const started = performance.now();
  const cwd = resolve(ctx.cwd, args.workdir ?? '.');
  const argv = commandArgv(args);
  const toSpawn = args.tty ? inTerminal(argv) : argv;
  const wrapped = ctx.wrapArgv ? ctx.wrapArgv(toSpawn, cwd) : { type: 'wrapped' as const, argv: toSpawn };
  // Fail closed: a command that was to run confined and cannot be is refused, never run unconfined.
  if (wrapped.type === 'unsupported') {
    return { output: unfinishedOutput({ type: 'refused', subject: 'command', reason: wrapped.reason }), success: false, refused: wrapped.reason };
  }
  const id = table.allocateId();
  ctx.emit({ type: 'exec_command_begin', call_id: ctx.callId, command: argv, cwd, process_id: id });
  const fail = (message: string, exitCode: number): ToolResult => {
    const answer = execAnswer({ type: 'failed_to_start', exitCode, message }, new HeadTailBuffer(), performance.now() - started);
    emitEnd(ctx, { exitCode, status: 'failed', output: answer.output, startedAt: started });
    return { output: answer.text, success: false, exitCode };
  };
  const workdirProblem = await checkWorkdir(cwd);
  if (workdirProblem !== null) return fail(workdirProblem, SPAWN_FAILED_EXIT_CODE);
  const spawned = await spawnProcessGroup(wrapped.argv, { cwd, env: commandEnv(options.env ?? process.env), stdin: 'pipe', stopSteps: options.stopSteps });
  if (spawned.type === 'failed') return fail(spawned.message, spawned.exitCode);

  const proc = new BackgroundProcess(id, args.cmd, argv, cwd, spawned.group, options.drainMs);
  const waited = await waitOn(proc, ctx, args.yieldTimeMs ?? DEFAULT_EXEC_YIELD_MS, options.maxOutputDeltas);
  let state: ExecState;
  if (waited === 'aborted') {
    // The command the model was waiting on is stopped, as a shell call is.
    await proc.stop();
    state = { type: 'aborted', stillRunning: null };
  } else if (waited === 'ended') {
    state = { type: 'exited', exitCode: proc.end!.exitCode ?? SPAWN_FAILED_EXIT_CODE };
  } else {
    table.add(proc);
    state = { type: 'running', sessionId: id };
  }
  return answer(ctx, proc, state, started, args.maxOutputTokens, []);
}

async function runWriteStdin(args: WriteStdinArgs, ctx: ToolContext, options: Pick<ExecCommandToolOptions, 'table' | 'maxOutputDeltas'>): Promise<ToolResult> {
  const { table } = options;
  const process = table.get(args.sessionId);
  if (process === undefined) {
    const running = table.ids();
    const known = running.length > 0 ? `the background processes are session IDs ${running.join(', ')}` : 'no background process is running';
    return { output: `write_stdin failed: no process with session ID ${args.sessionId} (${known}). Start a command with exec_command.`, success: false };
  }
  if (ctx.signal.aborted) return { output: unfinishedOutput({ type: 'interrupted_before_start', subject: 'command' }), success: false };
  const started = performance.now();
  ctx.emit({ type: 'exec_command_begin', call_id: ctx.callId, command: [...process.argv], cwd: process.cwd, process_id: process.id, interaction_input: args.chars });
  const notes: string[] = [];
  if (args.chars !== '' && !(await process.write(args.chars))) notes.push('Note: the input was not delivered: the process no longer reads its input.');
  const waited = process.end !== null ? 'ended' : await waitOn(process, ctx, args.yieldTimeMs ?? DEFAULT_POLL_YIELD_MS, options.maxOutputDeltas);
  let state: ExecState;
  if (waited === 'ended') {
    const end = process.end!;
    if (end.type === 'stopped') notes.push(`Note: the process was ${endWords(end)}.`);
    state = { type: 'exited', exitCode: end.exitCode ?? SPAWN_FAILED_EXIT_CODE };
    table.reported(process.id);
  } else if (waited === 'aborted') {
    // Already in the background before this call: an interrupt ends the wait, not the process.
    state = { type: 'aborted', stillRunning: process.id };
  } else {
    state = { type: 'running', sessionId: process.id };
  }
  return answer(ctx, process, state, started, args.maxOutputTokens, notes);
}

/** Follows the process's output into this call's deltas until it ends, `yieldMs` pass, or the call is interrupted. */
async function waitOn(process: BackgroundProcess, ctx: ToolContext, yieldMs: number, maxDeltas = DEFAULT_MAX_DELTAS): Promise<'ended' | 'yielded' | 'aborted'> {
  let deltas = 0;
  process.follow((stream: OutputStream, chunk: string) => {
    if (deltas++ < maxDeltas) ctx.emit({ type: 'exec_command_output_delta', call_id: ctx.callId, stream, chunk });
  });
  let timer: NodeJS.Timeout | undefined;
  let onAbort = (): void => undefined;
  try {
    return await Promise.race([
      process.ended.then(() => 'ended' as const),
      new Promise<'yielded'>((resolve) => (timer = setTimeout(() => resolve('yielded'), yieldMs))),
      new Promise<'aborted'>((resolve) => {
        onAbort = () => resolve('aborted');
        if (ctx.signal.aborted) onAbort();
        else ctx.signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
    process.follow(null);
  }
}

function answer(ctx: ToolContext, process: BackgroundProcess, state: ExecState, startedAt: number, maxOutputTokens: number | undefined, notes: readonly string[]): ToolResult {
  const reply = execAnswer(state, process.takeOutput(), performance.now() - startedAt, maxOutputTokens, notes);
  const exitCode = state.type === 'exited' ? state.exitCode : state.type === 'aborted' && state.stillRunning === null ? (process.end?.exitCode ?? null) : null;
  const status = state.type === 'running' ? 'backgrounded' : state.type === 'aborted' ? 'aborted' : exitCode === 0 ? 'completed' : 'failed';
  emitEnd(ctx, { exitCode, status, output: reply.output, startedAt, processId: process.id });
  const result: ToolResult = { output: reply.text, success: status === 'completed' || status === 'backgrounded' };
  // Only a command that ended has an exit code the approval gate may read as a sandbox denial.
  if (state.type === 'exited') result.exitCode = exitCode;
  return result;
}

function emitEnd(
  ctx: ToolContext,
  end: { exitCode: number | null; status: 'completed' | 'failed' | 'aborted' | 'backgrounded'; output: string; startedAt: number; processId?: number },
): void {
  ctx.emit({
    type: 'exec_command_end',
    call_id: ctx.callId,
    exit_code: end.exitCode,
    duration_ms: Math.round(performance.now() - end.startedAt),
    aggregated_output: end.output,
    status: end.status,
    ...(end.processId !== undefined ? { process_id: end.processId } : {}),
  });
}
