/**
 * The text `exec_command` and `write_stdin` answer with, in the sections models trained on these tools read:
 *
 *   Wall time: 1.2 seconds
 *   Process exited with code 0        | Process running with session ID 3
 *   Original token count: 51234        (only when the output was cut)
 *   Output:
 *   …
 *
 * Pure.
 */
import type { HeadTailBuffer } from '../../util/head-tail-buffer.ts';
import { DEFAULT_TRUNCATION_LIMITS, truncateExtremes } from '../../util/truncate.ts';
import { DEFAULT_MAX_OUTPUT_TOKENS } from './exec-args.ts';

export type ExecState =
  | { type: 'exited'; exitCode: number }
  | { type: 'running'; sessionId: number }
  /** The call was interrupted; `stillRunning`: the process itself goes on in the background. */
  | { type: 'aborted'; stillRunning: number | null }
  | { type: 'failed_to_start'; exitCode: number; message: string };

export interface ExecAnswer {
  /** For the model. */
  text: string;
  /** The output part alone, truncated the same way (for `exec_command_end`). */
  output: string;
}

/** Bytes a token stands for in the output budget, as elsewhere in keel's estimates. */
const BYTES_PER_TOKEN = 4;
/** Room kept for the header lines under the registry's budget, so the answer is never cut a second time. */
const HEADER_ROOM = 256;

export function execAnswer(state: ExecState, output: HeadTailBuffer, wallMs: number, maxOutputTokens = DEFAULT_MAX_OUTPUT_TOKENS, notes: readonly string[] = []): ExecAnswer {
  const budget = Math.min(maxOutputTokens * BYTES_PER_TOKEN, DEFAULT_TRUNCATION_LIMITS.maxBytes - HEADER_ROOM);
  const extremes = output.extremes();
  const text = state.type === 'failed_to_start' ? state.message : truncateExtremes(extremes, { maxBytes: budget });
  const lines = [`Wall time: ${(Math.round(wallMs / 100) / 10).toFixed(1)} seconds`];
  switch (state.type) {
    case 'exited':
    case 'failed_to_start':
      lines.push(`Process exited with code ${state.exitCode}`);
      break;
    case 'running':
      lines.push(`Process running with session ID ${state.sessionId}`);
      break;
    case 'aborted':
      lines.push(
        state.stillRunning === null
          ? 'aborted by user: the command was stopped'
          : `aborted by user: stopped waiting; the process is still running with session ID ${state.stillRunning}`,
      );
      break;
  }
  if (Buffer.byteLength(text, 'utf8') < output.totalBytes) lines.push(`Original token count: ${Math.ceil(output.totalBytes / BYTES_PER_TOKEN)}`);
  lines.push(...notes, 'Output:', text);
  return { text: lines.join('\n'), output: text };
}
