/**
 * A tool, defined once: name, the spec offered to the model, argument parsing, and `run`. Cross-cutting concerns
 * (argument errors, output truncation, unknown tools) are handled by the registry, not by each tool.
 */
import type { EventMsg, FileChange } from '../protocol/index.ts';
import type { ToolSpec } from '../model/model-event.ts';

export type ToolKind = 'read' | 'edit' | 'exec';

export type ParseResult<A> = { ok: true; args: A } | { ok: false; error: string };

export interface ToolContext {
  /** Aborted on interrupt. `run` must then stop its work promptly and still resolve (see `Tool.run`). */
  signal: AbortSignal;
  /** The session's working directory; relative paths in arguments resolve against it. */
  cwd: string;
  callId: string;
  /** Emits a protocol event for this call. Must not be called after `run` resolved. */
  emit(msg: EventMsg): void;
  /**
   * Set when the approval decision put the call in a sandbox: turns the argv to spawn (run in `cwd`) into the argv
   * that runs it confined, or says why it cannot be confined — then the call must not run at all (fail closed).
   * Absent: run it as it is.
   */
  wrapArgv?: (argv: readonly string[], cwd: string) => WrappedArgv;
  /** Whether `run` was approved by a person rather than by policy (shown in events such as `patch_apply_begin`). */
  approvedByPerson?: boolean;
}

export type WrappedArgv = { type: 'wrapped'; argv: string[] } | { type: 'unsupported'; reason: string };

/** What an approval decision looks at, computed from a call's arguments before it runs. */
export type ApprovalSubject =
  | { type: 'command'; argv: string[]; cwd: string }
  | { type: 'patch'; changes: Record<string, FileChange> }
  /**
   * A tool of an MCP server: no sandbox can confine it, so the decision rests on what the server says it does
   * (`readOnly`) and the server's configured approval mode.
   */
  | { type: 'mcp'; server: string; tool: string; arguments: Record<string, unknown>; readOnly: boolean; mode: 'auto' | 'prompt' | 'approve' }
  /** Nothing to decide: the call will fail before it could change anything (a patch that does not apply). */
  | { type: 'none' };

export interface ToolResult {
  /** What the model sees, before truncation by the registry. */
  output: string;
  success: boolean;
  /**
   * Files this call changed, with their content before and after, for the task's diff (`turn_diff`). Only tools
   * that know exactly what they wrote report it (apply_patch); a shell command's writes are not tracked.
   */
  fileWrites?: readonly FileWrite[];
  /**
   * A command's exit code, for tools that run one (the approval gate reads it to spot sandbox denials). Absent when
   * no command was started (refused, or interrupted before it started): then nothing ran that a sandbox could block.
   */
  exitCode?: number | null;
  /** Set when the tool itself refused to run the call (it could not be confined as decided): why. */
  refused?: string;
  /**
   * Images the call returned (an MCP tool's image content). A function output is text on every wire API, so they go
   * to the model in a user message after the outputs, when the model takes images.
   */
  images?: readonly { mimeType: string; data: string }[];
}

/** One file a call wrote or removed. `path` is absolute; null means no file was there. */
export interface FileWrite {
  path: string;
  before: FileContent | null;
  after: FileContent | null;
}

export interface FileContent {
  bytes: Uint8Array;
  /** Permission bits; null for a new file created with the default mode. */
  mode: number | null;
}

export interface Tool<A = unknown> {
  name: string;
  kind: ToolKind;
  spec: ToolSpec;
  /** Parses the model's raw arguments (JSON text for function tools, free text for custom tools). Pure. */
  parse(raw: string): ParseResult<A>;
  /**
   * Runs the call. Never rejects for expected failures (non-zero exit, missing file): those are results the model
   * can act on. When `ctx.signal` aborts, it stops (killing any process it started), emits its end event, and
   * resolves with what is known: partial output and an honest note that it was aborted.
   */
  run(args: A, ctx: ToolContext): Promise<ToolResult>;
  /**
   * Pure. Says when a call of this tool is really another tool's call — a shell command that runs apply_patch — so
   * the registry resolves it to that tool: its approvals, events and output, without this tool running at all.
   * Null for an ordinary call.
   */
  redirect?(args: A): Redirect | null;
  /** What the approval decision needs to know about a call; absent for tools that change nothing. */
  approvalSubject?(args: A, cwd: string): Promise<ApprovalSubject>;
}

export type Redirect =
  | { type: 'run'; tool: Tool<unknown>; args: unknown }
  /** Recognized but unusable (an apply_patch invocation that cannot be read): the model gets `result`. */
  | { type: 'respond'; result: ToolResult };

/** A redirect to `tool` whose arguments are type-checked here, where the two tools meet. */
export function redirectTo<B>(tool: Tool<B>, args: B): Redirect {
  return { type: 'run', tool: tool as Tool<unknown>, args };
}

/**
 * A tool of any argument type. A registry holds tools whose arguments differ; each one parses its own, so the
 * erased type never reaches a call site that could misuse it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTool = Tool<any>;
