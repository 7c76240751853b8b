/**
 * The verdict of one `keel exec` run: how it ended, the exit code it leaves with, what it cost and what its calls
 * did. `keel exec --json` writes it as one line, `{"type":"exec_result",…}`, right before `shutdown_complete`.
 *
 * It is exec's own line, like the header, not a protocol event: it has no `id`/`seq`/`msg`, the engine never emits
 * it, and `keel proto` has none (a proto client sees the events it is made from). A line with `msg` is an event; one
 * without is exec's (`header` first, `exec_result` last but one). The schema is exported for the JSON Schema
 * generator.
 */
import * as z from 'zod/mini';
import { TokenUsage } from '../protocol/index.ts';

/** How many of the run's tool calls ended each way. */
export const ToolCallTally = z.object({
  /** Ran and succeeded: exit code 0 (or went on in the background), patch applied, MCP tool answered. */
  completed: z.number(),
  /** Ran and failed: a non-zero exit code or a timeout, a patch that did not apply, an MCP error result. */
  failed: z.number(),
  /** Did not run: the policy (or a missing sandbox, a limit) refused it; exec asks no questions. */
  refused: z.number(),
  /** Did not run: a person said no. */
  denied: z.number(),
  /** Stopped while it ran, or never started, because the task was interrupted. */
  aborted: z.number(),
});
export type ToolCallTally = z.infer<typeof ToolCallTally>;

export const ExecStatus = z.enum(['completed', 'failed', 'interrupted']);
export type ExecStatus = z.infer<typeof ExecStatus>;

export const ExecResult = z.object({
  type: z.literal('exec_result'),
  /**
   * `completed`: the task finished (with --fail-on-refusal and a refused or denied call, exit code 4 all the same);
   * `failed`: it ended in an error, or its answer did not follow --output-schema; `interrupted`: a signal stopped it.
   */
  status: ExecStatus,
  /** The code keel exits with: 0, 1, 3 (quota), 4 (--fail-on-refusal), 130, 143 or 129 (see keel exec --help). */
  exit_code: z.number(),
  session_id: z.string(),
  /** The tokens of every model request of this run, summed (a resumed session's earlier runs not included). */
  usage: TokenUsage,
  tool_calls: ToolCallTally,
  /**
   * Only when the task ended on an exhausted quota (exit code 3): when the provider said it resets (ISO 8601, UTC),
   * or null when it did not say.
   */
  resets_at: z.optional(z.nullable(z.string())),
});
export type ExecResult = z.infer<typeof ExecResult>;
