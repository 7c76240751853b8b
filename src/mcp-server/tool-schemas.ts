/**
 * The two tools `keel mcp-server` offers, as their MCP clients see them: names, descriptions, input shapes (the SDK
 * validates the arguments against them and lists them as JSON Schema) and the shape of the structured result.
 */
import * as z from 'zod/mini';
import { AskForApproval, SandboxMode } from '../protocol/index.ts';

export const KEEL_TOOL = 'keel';
export const REPLY_TOOL = 'keel-reply';

export const KEEL_TOOL_DESCRIPTION =
  'Starts a keel coding session in a directory and runs one task in it to the end: keel reads files, runs ' +
  'commands and edits code as the prompt asks, within the sandbox and approval policy given. Returns keel\'s ' +
  'final message and the session id; give that id to keel-reply to go on with the same conversation.';

export const REPLY_TOOL_DESCRIPTION =
  'Goes on with a keel session started earlier (by the keel tool, or recorded by any keel run) with one more ' +
  'task: keel sees the whole conversation so far. Returns the final message of the new task.';

export const KEEL_INPUT = {
  prompt: z.string().check(z.describe('The task for keel, as you would tell a colleague.')),
  cwd: z.optional(z.string().check(z.describe("The directory keel works in (relative: to the server's directory). Default: the server's directory."))),
  model: z.optional(z.string().check(z.describe("The model keel talks to. Default: keel's configured model."))),
  sandbox: z.optional(
    SandboxMode.check(z.describe("What commands may touch: read-only, workspace-write (the directory and temp files) or danger-full-access. Default: keel's configuration.")),
  ),
  approval_policy: z.optional(
    AskForApproval.check(
      z.describe(
        'When keel asks before running something: untrusted (all but known-safe commands), on-failure, on-request, or never. ' +
          'Questions come as elicitation requests; a client that cannot answer them always gets never.',
      ),
    ),
  ),
};

export const REPLY_INPUT = {
  session_id: z.string().check(z.describe('The session id a keel call returned (or any unique beginning of a recorded session\'s id).')),
  prompt: z.string().check(z.describe('The next task or answer for keel.')),
};

export const TaskStatus = z.enum(['completed', 'failed', 'interrupted']);
export type TaskStatus = z.infer<typeof TaskStatus>;

/** The structured result of both tools. */
export const TASK_OUTPUT = {
  session_id: z.string(),
  /** keel's last message of the task; null when it ended without one. */
  final_message: z.nullable(z.string()),
  status: TaskStatus,
};

export type KeelArgs = z.infer<z.ZodMiniObject<typeof KEEL_INPUT>>;
export type ReplyArgs = z.infer<z.ZodMiniObject<typeof REPLY_INPUT>>;
export type TaskOutput = z.infer<z.ZodMiniObject<typeof TASK_OUTPUT>>;
