/**
 * Dispatches the model's tool calls to the tools offered in this session. Written once for all tools: unknown
 * names, arguments that do not parse, and truncation of what goes back to the model.
 */
import type { ToolCallItem } from '../protocol/index.ts';
import type { ToolSpec } from '../model/model-event.ts';
import { truncateForModel } from '../util/truncate.ts';
import type { AnyTool, Tool, ToolContext, ToolResult } from './tool.ts';

/** What the registry makes of one call, before anything runs. */
export type ResolvedCall =
  | { type: 'run'; tool: Tool<unknown>; args: unknown }
  | { type: 'respond'; result: ToolResult };

export class ToolRegistry {
  private readonly byName = new Map<string, Tool<unknown>>();
  private readonly offered: readonly AnyTool[];
  /** Tools that joined after the session started (MCP servers' tools), offered after the built-in ones. */
  private late: readonly AnyTool[] = [];

  /** `understood`: tools that run when called but are not offered to the model (an offered tool's name wins). */
  constructor(tools: readonly AnyTool[], understood: readonly AnyTool[] = []) {
    this.offered = tools;
    for (const tool of understood) this.byName.set(tool.name, tool);
    for (const tool of tools) this.byName.set(tool.name, tool);
  }

  specs(): ToolSpec[] {
    return [...this.offered, ...this.late].map((tool) => tool.spec);
  }

  /** Replaces the late tools; a name a built-in tool has is never taken over. */
  setLate(tools: readonly AnyTool[]): void {
    for (const tool of this.late) if (this.byName.get(tool.name) === tool) this.byName.delete(tool.name);
    this.late = tools.filter((tool) => !this.byName.has(tool.name));
    for (const tool of this.late) this.byName.set(tool.name, tool);
  }

  /** Pure: finds the tool and parses the arguments; failures become outputs the model can act on. */
  resolve(call: ToolCallItem): ResolvedCall {
    const name = call.type === 'local_shell_call' ? 'shell' : call.name;
    const tool = this.byName.get(name);
    if (!tool) return { type: 'respond', result: { output: `unsupported call: ${name}`, success: false } };
    const raw =
      call.type === 'function_call'
        ? call.arguments
        : call.type === 'custom_tool_call'
          ? call.input
          : JSON.stringify({
              command: call.action.command,
              workdir: call.action.working_directory ?? undefined,
              timeout_ms: call.action.timeout_ms ?? undefined,
            });
    const parsed = tool.parse(raw);
    if (!parsed.ok) {
      return { type: 'respond', result: { output: `failed to parse function arguments: ${parsed.error}`, success: false } };
    }
    // One hop only: the tool a call is redirected to runs as is, whatever its own `redirect` would say.
    return tool.redirect?.(parsed.args) ?? { type: 'run', tool, args: parsed.args };
  }

  /** Runs a resolved call and truncates its output once, here, for every tool. */
  async run(resolved: ResolvedCall, ctx: ToolContext): Promise<ToolResult> {
    const result = resolved.type === 'respond' ? resolved.result : await resolved.tool.run(resolved.args, ctx);
    return { ...result, output: truncateForModel(result.output) };
  }
}
