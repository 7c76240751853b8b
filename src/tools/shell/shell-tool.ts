/**
 * The `shell` tool: runs an argv in its own process group and answers with `{"output", "metadata"}` JSON.
 *
 * Events, per call: nothing when the call was aborted before it started; otherwise one `exec_command_begin`, any
 * number of `exec_command_output_delta` (at most `maxOutputDeltas`), and exactly one `exec_command_end` — also on
 * timeout, spawn failure and abort. `run` resolves only after every process of the command is gone.
 *
 * A command that runs apply_patch never gets here: `redirect` sends it to the apply_patch engine.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { HeadTailBuffer } from '../../util/head-tail-buffer.ts';
import type { TruncationLimits } from '../../util/truncate.ts';
import { createApplyPatchTool } from '../apply-patch/patch-tool.ts';
import type { Tool, ToolContext, ToolResult } from '../tool.ts';
import { unfinishedOutput } from '../unfinished-call.ts';
import { COMMAND_DESCRIPTION, SHELL_DESCRIPTION, timeoutDescription, WORKDIR_DESCRIPTION } from './description.ts';
import { runCommand, type CommandRun } from './run-command.ts';
import { patchRedirect } from './patch-redirect.ts';
import { parseShellArgs, type ShellArgs } from './shell-args.ts';
import { reportRun } from './shell-report.ts';
import type { StopStep } from './stop-escalation.ts';

export interface ShellToolOptions {
  /** For calls that give no `timeout_ms`. Default 120 000. */
  defaultTimeoutMs?: number;
  /** Environment of every command. Default: keel's own. */
  env?: NodeJS.ProcessEnv;
  /** Cap on `exec_command_output_delta` events per call. Default 10 000. */
  maxOutputDeltas?: number;
  /** Budgets of the model's (and the UI's) copy of the output. Default 10 KiB / 256 lines. */
  truncation?: Partial<TruncationLimits>;
  /** How long output may keep flowing after the command exited before leftovers are stopped. Default 2 000. */
  drainMs?: number;
  stopSteps?: readonly StopStep[];
}

export const DEFAULT_SHELL_TIMEOUT_MS = 120_000;
const WORKDIR_EXIT_CODE = 127;

export function createShellTool(options: ShellToolOptions = {}): Tool<ShellArgs> {
  const defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_SHELL_TIMEOUT_MS;
  // Whether or not apply_patch is offered as a tool, models call it through the shell; it is always understood.
  const patchTool = createApplyPatchTool();
  return {
    name: 'shell',
    kind: 'exec',
    spec: {
      type: 'function',
      name: 'shell',
      description: SHELL_DESCRIPTION,
      strict: false,
      parameters: {
        type: 'object',
        properties: {
          command: { type: 'array', items: { type: 'string' }, description: COMMAND_DESCRIPTION },
          workdir: { type: 'string', description: WORKDIR_DESCRIPTION },
          timeout_ms: { type: 'number', description: timeoutDescription(defaultTimeoutMs) },
        },
        required: ['command'],
        additionalProperties: false,
      },
    },
    parse: parseShellArgs,
    redirect: (args) => patchRedirect(args, patchTool),
    run: (args, ctx) => runShell(args, ctx, { ...options, defaultTimeoutMs }),
    approvalSubject: (args, cwd) => Promise.resolve({ type: 'command', argv: [...args.command], cwd: resolve(cwd, args.workdir ?? '.') }),
  };
}

async function runShell(
  args: ShellArgs,
  ctx: ToolContext,
  options: ShellToolOptions & { defaultTimeoutMs: number },
): Promise<ToolResult> {
  if (ctx.signal.aborted) return { output: unfinishedOutput({ type: 'interrupted_before_start', subject: 'command' }), success: false };
  const started = performance.now();
  const cwd = resolve(ctx.cwd, args.workdir ?? '.');
  const timeoutMs = args.timeoutMs ?? options.defaultTimeoutMs;
  const callId = ctx.callId;
  const wrapped = ctx.wrapArgv ? ctx.wrapArgv(args.command, cwd) : { type: 'wrapped' as const, argv: args.command };
  // Fail closed: a command that was to run confined and cannot be is refused, never run unconfined.
  if (wrapped.type === 'unsupported') {
    return { output: unfinishedOutput({ type: 'refused', subject: 'command', reason: wrapped.reason }), success: false, refused: wrapped.reason };
  }
  ctx.emit({ type: 'exec_command_begin', call_id: callId, command: [...args.command], cwd });

  let run: CommandRun;
  try {
    const workdirProblem = await checkWorkdir(cwd);
    run =
      workdirProblem !== null
        ? {
            outcome: { type: 'spawn_failed', message: workdirProblem, exitCode: WORKDIR_EXIT_CODE },
            output: new HeadTailBuffer(),
            durationMs: performance.now() - started,
            survivors: false,
          }
        : await runCommand({
            argv: wrapped.argv,
            cwd,
            env: options.env ?? process.env,
            timeoutMs,
            signal: ctx.signal,
            onDelta: (stream, chunk) => ctx.emit({ type: 'exec_command_output_delta', call_id: callId, stream, chunk }),
            maxDeltas: options.maxOutputDeltas,
            drainMs: options.drainMs,
            stopSteps: options.stopSteps,
          });
  } catch (error) {
    // Only a bug gets here; the begin event still gets its end before the error goes up.
    ctx.emit({
      type: 'exec_command_end',
      call_id: callId,
      exit_code: null,
      duration_ms: Math.round(performance.now() - started),
      aggregated_output: '',
      status: 'failed',
    });
    throw error;
  }

  const report = reportRun(run, timeoutMs, options.truncation);
  ctx.emit({
    type: 'exec_command_end',
    call_id: callId,
    exit_code: report.exitCode,
    duration_ms: Math.round(run.durationMs),
    aggregated_output: report.aggregatedOutput,
    status: report.status,
  });
  return { output: report.modelOutput, success: report.success, exitCode: report.exitCode };
}

/** Why `cwd` cannot be used, or null. Checked up front because spawn reports a bad cwd as a missing program. */
export async function checkWorkdir(cwd: string): Promise<string | null> {
  try {
    const info = await stat(cwd);
    return info.isDirectory() ? null : `workdir is not a directory: ${cwd}`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `workdir does not exist: ${cwd}` : `workdir cannot be used: ${cwd} (${code ?? 'error'})`;
  }
}
