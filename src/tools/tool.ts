/**
 * A tool, defined once: name, the spec offered to the model, argument parsing, and `run`. Cross-cutting concerns
 * (argument errors, output truncation, unknown tools) are handled by the registry, not by each tool.
 */
import type { EventMsg } from '../protocol/index.ts';
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
}

export interface ToolResult {
  /** What the model sees, before truncation by the registry. */
  output: string;
  success: boolean;
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
}

/**
 * A tool of any argument type. A registry holds tools whose arguments differ; each one parses its own, so the
 * erased type never reaches a call site that could misuse it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTool = Tool<any>;
