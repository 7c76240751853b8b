/**
 * Ops: what a front end submits to the engine, as `{id, op}`. Validated with these schemas when they come from
 * outside the process (a JSON-RPC client, a test driving keel over stdio).
 */
import * as z from 'zod/mini';
import { AskForApproval, ReviewDecision, SandboxPolicy } from './policy.ts';

export const UserInput = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({
    type: z.literal('image'),
    /** A `data:` URL (or an https URL the model's server can fetch). */
    image_url: z.string(),
    /** What to call it when showing the prompt (`[image: name.png]`), usually the file name; never sent to the model. */
    name: z.optional(z.string()),
  }),
]);
export type UserInput = z.infer<typeof UserInput>;

/** Per-turn context a front end may change; every field optional, absent means "keep the session's". */
export const TurnContextOverrides = z.object({
  cwd: z.optional(z.string()),
  approval_policy: z.optional(AskForApproval),
  sandbox_policy: z.optional(SandboxPolicy),
  model: z.optional(z.string()),
});
export type TurnContextOverrides = z.infer<typeof TurnContextOverrides>;

export const Op = z.discriminatedUnion('type', [
  /** Starts a task, or, when one is running, is queued into it and sent with its next model request. */
  z.extend(TurnContextOverrides, { type: z.literal('user_turn'), items: z.array(UserInput).check(z.minLength(1)) }),
  /**
   * Runs a task on the history as it stands, with no new input: a resumed session whose last task was cut off goes
   * on where it stopped, without a made-up "continue" message. Ignored while a task runs.
   */
  z.object({ type: z.literal('continue_task') }),
  /** Stops the running task: processes stopped, every open call answered, then `turn_aborted`. */
  z.object({ type: z.literal('interrupt') }),
  /** Answers the `exec_approval_request` (or `mcp_tool_approval_request`) whose `call_id` is `id`. `abort` interrupts the task. */
  z.object({ type: z.literal('exec_approval'), id: z.string(), decision: ReviewDecision }),
  /** Answers the `apply_patch_approval_request` whose `call_id` is `id`. `abort` interrupts the task. */
  z.object({ type: z.literal('patch_approval'), id: z.string(), decision: ReviewDecision }),
  z.extend(TurnContextOverrides, { type: z.literal('override_turn_context') }),
  /**
   * Compacts the conversation: the model summarizes it and the summary replaces the history (see
   * core/compaction.ts). Idle, it runs as a task of its own; while a task runs, it happens before that task's next
   * model request. `instruction` adds to what the summary must keep (`/compact keep the API notes`).
   */
  z.object({ type: z.literal('compact'), instruction: z.optional(z.string()) }),
  /** Asks for a `background_processes` event with the session's background processes as they are now. */
  z.object({ type: z.literal('list_background_processes') }),
  /**
   * Stops a background process (and everything it started), or all of them; answered by `background_processes`,
   * or a `warning` when no such process runs. The model is told with its next request.
   */
  z.object({ type: z.literal('stop_background_process'), process_id: z.union([z.number(), z.literal('all')]) }),
  /** Asks for an `mcp_servers` event with the session's MCP servers as they are now. */
  z.object({ type: z.literal('list_mcp_servers') }),
  /**
   * Puts the files back as they were before a task (the last one that changed files, or `task`), from the
   * session's snapshots; answered by `undo_result`. `preview: true` only says what it would do. A file changed
   * since the task by someone else is a conflict, left alone unless `force`. When done, the model is told with the
   * next request. Refused with a `warning` while a task runs.
   */
  z.object({
    type: z.literal('undo'),
    task: z.optional(z.int().check(z.positive())),
    /** With `task`: that task and every later one, so the files are as they were before `task` (a fork's restore). */
    and_later: z.optional(z.boolean()),
    preview: z.optional(z.boolean()),
    force: z.optional(z.boolean()),
  }),
  /** Saves a submitted prompt to the prompt history file (recall is served by the front end from that file). */
  z.object({ type: z.literal('add_to_history'), text: z.string() }),
  /** Ends the session: a running task is interrupted first, the log flushed, then `shutdown_complete`. */
  z.object({ type: z.literal('shutdown') }),
]);
export type Op = z.infer<typeof Op>;
export type OpType = Op['type'];
export type OpOf<T extends OpType> = Extract<Op, { type: T }>;

export const Submission = z.object({ id: z.string(), op: Op });
export type Submission = z.infer<typeof Submission>;
