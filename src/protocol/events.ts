/**
 * Events: what the engine emits, as `{id, seq, msg}`. `id` is the submission the event belongs to; `seq` grows by
 * one per session, starting at 0 with `session_configured`.
 *
 * Invariants of the stream (checked by test/support/event-invariants.ts):
 * 1. `session_configured` is first.
 * 2. Every `task_started` is followed by exactly one `task_complete` or `turn_aborted`, before the next `task_started`.
 * 3. Every `*_begin` gets exactly one `*_end` with the same `call_id`, also when interrupted, before the task ends.
 * 4. Deltas of an item come before the item's final event (`agent_message`, `agent_reasoning`), which has the whole text.
 * 5. An approval request blocks only its own call; `interrupt` answers every open request as abort.
 * 6. A `compaction_started` is followed by its `context_compacted` (after the summary request's `token_count`), a
 *    `warning`, an `error` or `turn_aborted`, with only retries in between: the summary is never shown as a message.
 */
import * as z from 'zod/mini';
import { AskForApproval, SandboxPolicy } from './policy.ts';

export const TokenUsage = z.object({
  input_tokens: z.number(),
  cached_input_tokens: z.number(),
  output_tokens: z.number(),
  reasoning_output_tokens: z.number(),
  total_tokens: z.number(),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

export const FileChange = z.discriminatedUnion('type', [
  z.object({ type: z.literal('add'), content: z.string() }),
  z.object({ type: z.literal('delete'), content: z.string() }),
  z.object({ type: z.literal('update'), unified_diff: z.string(), move_path: z.nullable(z.string()) }),
]);
export type FileChange = z.infer<typeof FileChange>;

/** Why a model request failed; the retry layer decides on the kind alone. */
export const ModelErrorKind = z.enum([
  'rate_limited',
  'server',
  'network',
  'idle_timeout',
  'stream_incomplete',
  'malformed',
  'context_window_exceeded',
  'quota',
  'auth',
  'bad_request',
]);
export type ModelErrorKind = z.infer<typeof ModelErrorKind>;

const callId = z.string();

export const CompactionReason = z.enum(['auto', 'overflow', 'manual']);

export const BlockedOutcome = z.enum(['refused', 'denied', 'aborted']);
export type BlockedOutcome = z.infer<typeof BlockedOutcome>;
/** How many calls of a task did not run, by outcome. */
export const BlockedCalls = z.object({ refused: z.number(), denied: z.number(), aborted: z.number() });
export type BlockedCalls = z.infer<typeof BlockedCalls>;
export type CompactionReason = z.infer<typeof CompactionReason>;

/** A path a snapshot did not record, and why. */
export const SkippedPath = z.object({
  path: z.string(),
  reason: z.enum(['too_large', 'ignored', 'nested_repository', 'unreadable']),
});
export type SkippedPath = z.infer<typeof SkippedPath>;

export const BackgroundProcess = z.object({
  /** The `session_id` the model polls it by (`write_stdin`), and `/stop ID`. */
  id: z.number(),
  /** The command line as the model gave it. */
  command: z.string(),
  cwd: z.string(),
  /** Epoch milliseconds. */
  started_at: z.number(),
  /** `stopped`: ended by keel (`/stop`, the end of the session); `exited`: ended by itself. */
  status: z.enum(['running', 'exited', 'stopped']),
  /** Once ended: its exit code (128 + N after signal N). */
  exit_code: z.nullable(z.number()),
});
export type BackgroundProcess = z.infer<typeof BackgroundProcess>;

export const McpInvocation = z.object({ server: z.string(), tool: z.string(), arguments: z.record(z.string(), z.unknown()) });
export type McpInvocation = z.infer<typeof McpInvocation>;

export const McpServerState = z.object({
  name: z.string(),
  status: z.enum(['starting', 'ready', 'failed']),
  transport: z.enum(['stdio', 'http']),
  /** Why it failed and what to do about it; null unless failed. */
  error: z.nullable(z.string()),
  /** The names the model calls its tools by (`mcp__server__tool`). */
  tools: z.array(z.string()),
});
export type McpServerState = z.infer<typeof McpServerState>;

export const EventMsg = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('session_configured'),
    session_id: z.string(),
    model: z.string(),
    model_provider_id: z.string(),
    cwd: z.string(),
    approval_policy: AskForApproval,
    sandbox_policy: SandboxPolicy,
    /** Where the session is recorded on disk; null while nothing is recorded. */
    rollout_path: z.nullable(z.string()),
    /** The reasoning effort requests of the model ask for; null: none is sent (the server's default, or no reasoning). */
    reasoning_effort: z.optional(z.nullable(z.string())),
  }),
  z.object({
    type: z.literal('task_started'),
    model_context_window: z.nullable(z.number()),
    /** As on `session_configured`, for the model this task runs with (/model may have changed it). */
    reasoning_effort: z.optional(z.nullable(z.string())),
  }),
  z.object({
    type: z.literal('task_complete'),
    last_agent_message: z.nullable(z.string()),
    /** Calls of the task that did not run (see `tool_call_blocked`); absent when every call ran. */
    blocked_calls: z.optional(BlockedCalls),
  }),
  z.object({ type: z.literal('turn_aborted'), reason: z.enum(['interrupted', 'replaced']), blocked_calls: z.optional(BlockedCalls) }),
  /** The text of the prompt as sent; `images`, the names of the images sent with it (their data is in the history). */
  z.object({ type: z.literal('user_message'), message: z.string(), images: z.optional(z.array(z.string())) }),
  z.object({ type: z.literal('agent_message_delta'), delta: z.string() }),
  z.object({ type: z.literal('agent_message'), message: z.string() }),
  z.object({ type: z.literal('agent_reasoning_delta'), delta: z.string() }),
  z.object({ type: z.literal('agent_reasoning'), text: z.string() }),
  z.object({
    type: z.literal('exec_approval_request'),
    call_id: callId,
    command: z.array(z.string()),
    cwd: z.string(),
    reason: z.nullable(z.string()),
    /** The `[[rules]]` pattern an `approved_always` answer saves; absent when no rule can be saved for this command. */
    proposed_rule: z.optional(z.array(z.string())),
  }),
  /** An `approved_always` answer saved an allow rule (`path`: the config file); commands it matches run unasked from now on. */
  z.object({ type: z.literal('rule_saved'), pattern: z.array(z.string()), path: z.string() }),
  /**
   * A call the model made that did not run, so that the person sees it (the model is told in the call's output):
   * refused by the policy or for want of a sandbox, denied by the person, or aborted before it started. A call
   * stopped while it ran is not one of these: its `*_end` says so.
   */
  z.object({
    type: z.literal('tool_call_blocked'),
    call_id: callId,
    tool: z.string(),
    /** What the call would have done, for a person: the command line, or the files a patch touches. */
    summary: z.string(),
    outcome: BlockedOutcome,
    reason: z.string(),
  }),
  z.object({
    type: z.literal('exec_command_begin'),
    call_id: callId,
    command: z.array(z.string()),
    cwd: z.string(),
    /**
     * Set when the call is about a background process (see `background_processes`): `exec_command` started it, or
     * `write_stdin` talks to it — then `command` is that process's command and `interaction_input` what was sent
     * ('' for a poll).
     */
    process_id: z.optional(z.number()),
    interaction_input: z.optional(z.string()),
  }),
  z.object({
    type: z.literal('exec_command_output_delta'),
    call_id: callId,
    stream: z.enum(['stdout', 'stderr']),
    /** Decoded text (UTF-8, split only on character boundaries). At most 10,000 deltas per call. */
    chunk: z.string(),
  }),
  z.object({
    type: z.literal('exec_command_end'),
    call_id: callId,
    /** The command's exit code; 128 + N when signal N ended it (130 after an interrupt), 124 on timeout, 127 when it could not start. */
    exit_code: z.nullable(z.number()),
    duration_ms: z.number(),
    /** stdout and stderr interleaved as they arrived, truncated head and tail like the model's copy. */
    aggregated_output: z.string(),
    /** `backgrounded`: the command is still running as background process `process_id`; `exit_code` is null. */
    status: z.enum(['completed', 'failed', 'timed_out', 'aborted', 'backgrounded']),
    process_id: z.optional(z.number()),
  }),
  /**
   * The session's background processes (started by `exec_command`, still running when the call returned): sent
   * whenever one starts, ends or is stopped, and in answer to `list_background_processes`. An ended process stays
   * listed until the model has been told how it ended.
   */
  z.object({ type: z.literal('background_processes'), processes: z.array(BackgroundProcess) }),
  /** A call of an MCP server's tool started. */
  z.object({ type: z.literal('mcp_tool_call_begin'), call_id: callId, invocation: McpInvocation }),
  z.object({
    type: z.literal('mcp_tool_call_end'),
    call_id: callId,
    invocation: McpInvocation,
    duration_ms: z.number(),
    /** `failed`: the server answered with an error result, or the call could not be made (the output says why). */
    status: z.enum(['completed', 'failed', 'timed_out', 'aborted']),
    /** The result as the model reads it (text; images and resources named), truncated like the model's copy. */
    output: z.string(),
  }),
  /** Asks whether an MCP tool may run; answered with the `exec_approval` op (`id` = `call_id`). */
  z.object({
    type: z.literal('mcp_tool_approval_request'),
    call_id: callId,
    invocation: McpInvocation,
    reason: z.nullable(z.string()),
  }),
  /** The session's MCP servers: sent as each one starts, fails or stops, and in answer to `list_mcp_servers`. */
  z.object({ type: z.literal('mcp_servers'), servers: z.array(McpServerState) }),
  z.object({
    type: z.literal('apply_patch_approval_request'),
    call_id: callId,
    changes: z.record(z.string(), FileChange),
    reason: z.nullable(z.string()),
  }),
  z.object({
    type: z.literal('patch_apply_begin'),
    call_id: callId,
    auto_approved: z.boolean(),
    changes: z.record(z.string(), FileChange),
  }),
  z.object({
    type: z.literal('patch_apply_end'),
    call_id: callId,
    stdout: z.string(),
    stderr: z.string(),
    success: z.boolean(),
  }),
  z.object({
    type: z.literal('plan_update'),
    explanation: z.nullable(z.string()),
    plan: z.array(z.object({ step: z.string(), status: z.enum(['pending', 'in_progress', 'completed']) })),
  }),
  z.object({ type: z.literal('turn_diff'), unified_diff: z.string() }),
  /**
   * The working tree was recorded in keel's snapshot store (a git object store of its own under `$KEEL_HOME`,
   * never the user's repository): `before` ahead of the task's first tool call that may write, `after` once the
   * task's tools are done (also when it was interrupted or failed). `root` is the tree recorded (the repository's
   * top level, or the working directory outside one). What was not recorded is listed in `skipped` (at most 100;
   * `skipped_more` counts the rest): undo leaves those paths alone.
   */
  z.object({
    type: z.literal('task_snapshot'),
    phase: z.enum(['before', 'after']),
    snapshot_id: z.string(),
    root: z.string(),
    skipped: z.array(SkippedPath),
    skipped_more: z.optional(z.number()),
  }),
  /** What `undo` would do (the op with `preview: true`), or did (`done: true`): files put back, conflicts left alone. */
  z.object({
    type: z.literal('undo_result'),
    /** The task undone (its number in the session, as `turn` in the log). */
    task: z.number(),
    /** The tasks after it were undone too: the files are as they were before `task` began. */
    and_later: z.optional(z.boolean()),
    done: z.boolean(),
    /** The change that restores the files, as a git-style diff from their state now to their state before the task. */
    unified_diff: z.string(),
    /** Paths written back (or to be) and paths deleted (or to be): files the task created. Relative to `root`. */
    restored: z.array(z.string()),
    deleted: z.array(z.string()),
    /** Paths changed since the task by someone else: left as they are unless `force`. */
    conflicts: z.array(z.string()),
    /** Paths the snapshots did not record (too large, ignored, …): not restored. */
    skipped: z.array(SkippedPath),
    root: z.string(),
  }),
  z.object({
    type: z.literal('token_count'),
    info: z.nullable(
      z.object({ total_token_usage: TokenUsage, last_token_usage: TokenUsage, model_context_window: z.nullable(z.number()) }),
    ),
  }),
  /** A transient failure that is being retried. */
  z.object({
    type: z.literal('stream_error'),
    message: z.string(),
    kind: ModelErrorKind,
    attempt: z.number(),
    max_attempts: z.number(),
    delay_ms: z.number(),
  }),
  /**
   * The history is about to be summarized (`auto`: the last reported usage passed the limit; `overflow`: the server
   * said the request does not fit; `manual`: the `compact` op). Followed by `context_compacted`, or by a `warning`
   * or `error` saying why the history stays as it was, or by the task's `turn_aborted`.
   */
  z.object({ type: z.literal('compaction_started'), reason: CompactionReason }),
  /** The history was replaced by its summary. Token counts are the server's figure before and keel's estimate after. */
  z.object({
    type: z.literal('context_compacted'),
    reason: CompactionReason,
    tokens_before: z.number(),
    tokens_after: z.number(),
    /** Compactions over the session's whole life, this one included. */
    compactions: z.number(),
  }),
  z.object({ type: z.literal('warning'), message: z.string() }),
  /** Fatal for the current request; the task then ends (`task_complete`) and the session stays usable. */
  z.object({ type: z.literal('error'), message: z.string(), kind: z.nullable(ModelErrorKind) }),
  z.object({ type: z.literal('shutdown_complete') }),
]);
export type EventMsg = z.infer<typeof EventMsg>;
export type EventType = EventMsg['type'];
export type EventOf<T extends EventType> = Extract<EventMsg, { type: T }>;

export const Event = z.object({ id: z.string(), seq: z.int().check(z.nonnegative()), msg: EventMsg });
export type Event = z.infer<typeof Event>;
