/**
 * What a finished run becomes: the exit code and status of `exec_command_end`, the output the UI shows, and the JSON
 * text the model reads. Pure.
 */
import { DEFAULT_TRUNCATION_LIMITS, truncateExtremes, type TruncationLimits } from '../../util/truncate.ts';
import { appendLine, unfinishedOutput } from '../unfinished-call.ts';
import { exitCodeOf, signalExitCode } from './process-group.ts';
import type { CommandOutcome, CommandRun } from './run-command.ts';

export type ShellStatus = 'completed' | 'failed' | 'timed_out' | 'aborted';

export interface ShellReport {
  exitCode: number;
  status: ShellStatus;
  /** The captured output, head-and-tail truncated like the model's copy (for `exec_command_end`). */
  aggregatedOutput: string;
  /** `{"output", "metadata": {"exit_code", "duration_seconds"}}` as JSON text, at most `limits.maxBytes` long. */
  modelOutput: string;
  success: boolean;
}

export const TIMEOUT_EXIT_CODE = 124;

export function reportRun(
  run: Pick<CommandRun, 'outcome' | 'output' | 'durationMs' | 'survivors'>,
  timeoutMs: number,
  partialLimits: Partial<TruncationLimits> = {},
): ShellReport {
  const limits = { ...DEFAULT_TRUNCATION_LIMITS, ...partialLimits };
  const { outcome } = run;
  const { exitCode, status } = classify(outcome);
  const metadata = { exit_code: exitCode, duration_seconds: Math.round(run.durationMs / 100) / 10 };
  const extremes = outcome.type === 'spawn_failed' ? null : run.output.extremes();
  const capture = (maxBytes: number): string =>
    extremes === null ? (outcome as { message: string }).message : truncateExtremes(extremes, { ...limits, maxBytes });
  const envelope = (captured: string): string =>
    JSON.stringify({ output: decorate(captured, outcome, run, timeoutMs), metadata });

  const aggregatedOutput = capture(limits.maxBytes);
  let modelOutput = envelope(aggregatedOutput);
  // The registry truncates every tool's output with the same budget; a JSON text cut in the middle would be
  // unreadable, so the output inside is truncated harder until the whole envelope (escapes included) fits.
  let budget = limits.maxBytes;
  for (let attempt = 0; attempt < 16; attempt++) {
    const size = Buffer.byteLength(modelOutput, 'utf8');
    if (size <= limits.maxBytes || budget === 0) break;
    // Shrinking in proportion covers both a constant overhead and escapes that multiply the size.
    budget = Math.max(0, Math.min(budget - 1, Math.floor((budget * limits.maxBytes) / size)));
    modelOutput = envelope(capture(budget));
  }
  return { exitCode, status, aggregatedOutput, modelOutput, success: status === 'completed' };
}

function classify(outcome: CommandOutcome): { exitCode: number; status: ShellStatus } {
  switch (outcome.type) {
    case 'exited': {
      const exitCode = exitCodeOf(outcome.exit);
      return { exitCode, status: exitCode === 0 ? 'completed' : 'failed' };
    }
    case 'timed_out':
      return { exitCode: TIMEOUT_EXIT_CODE, status: 'timed_out' };
    case 'aborted':
      // The leader's own ending when it was seen; otherwise the signal last tried on it, or an interrupt's code
      // when it was never started.
      return {
        exitCode: outcome.exit !== null ? exitCodeOf(outcome.exit) : signalExitCode(outcome.lastSignal ?? 'SIGINT'),
        status: 'aborted',
      };
    case 'spawn_failed':
      return { exitCode: outcome.exitCode, status: 'failed' };
  }
}

/** The model's text: the captured output plus what the model must know about how the run ended. */
function decorate(
  captured: string,
  outcome: CommandOutcome,
  run: Pick<CommandRun, 'durationMs' | 'survivors'>,
  timeoutMs: number,
): string {
  let text = captured;
  if (outcome.type === 'timed_out') text = `command timed out after ${timeoutMs} milliseconds\n${captured}`;
  if (outcome.type === 'aborted') text = unfinishedOutput({ type: 'interrupted', partialOutput: captured, ranMs: run.durationMs });
  if (run.survivors) text = appendLine(text, 'warning: some processes started by the command could not be stopped');
  return text;
}
