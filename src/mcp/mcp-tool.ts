/**
 * An MCP server's tool as a keel tool: offered under its model-facing name with the server's input schema, decided
 * by the approval gate (subject `mcp`), run through the manager with the tool timeout, answered once whatever
 * happens. Events: `mcp_tool_call_begin`, then exactly one `mcp_tool_call_end` (also on timeout, error and abort).
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { McpInvocation } from '../protocol/index.ts';
import { parseJsonObject } from '../tools/json-args.ts';
import type { Tool, ToolContext, ToolResult } from '../tools/tool.ts';
import { unfinishedOutput } from '../tools/unfinished-call.ts';
import { truncateForModel } from '../util/truncate.ts';
import type { McpManager, McpTool } from './mcp-manager.ts';

type Args = Record<string, unknown>;

export function createMcpTool(manager: Pick<McpManager, 'call'>, tool: McpTool): Tool<Args> {
  return {
    name: tool.modelName,
    kind: tool.readOnly ? 'read' : 'exec',
    spec: {
      type: 'function',
      name: tool.modelName,
      description: tool.description,
      strict: false,
      parameters: tool.inputSchema,
    },
    parse: (raw) => {
      const parsed = parseJsonObject(raw.trim() === '' ? '{}' : raw);
      return parsed.ok ? { ok: true, args: parsed.fields } : parsed;
    },
    approvalSubject: (args) =>
      Promise.resolve({ type: 'mcp', server: tool.server, tool: tool.tool, arguments: args, readOnly: tool.readOnly, mode: tool.approvalMode }),
    run: (args, ctx) => runMcpTool(manager, tool, args, ctx),
  };
}

async function runMcpTool(manager: Pick<McpManager, 'call'>, tool: McpTool, args: Args, ctx: ToolContext): Promise<ToolResult> {
  if (ctx.signal.aborted) return { output: unfinishedOutput({ type: 'interrupted_before_start', subject: 'tool' }), success: false };
  const invocation: McpInvocation = { server: tool.server, tool: tool.tool, arguments: args };
  const started = performance.now();
  ctx.emit({ type: 'mcp_tool_call_begin', call_id: ctx.callId, invocation });
  let status: 'completed' | 'failed' | 'timed_out' | 'aborted';
  const images: { mimeType: string; data: string }[] = [];
  let output: string;
  try {
    const result = await manager.call(tool, args, ctx.signal);
    output = resultText(result);
    status = result.isError === true ? 'failed' : 'completed';
    for (const block of result.content ?? []) if (block.type === 'image') images.push({ mimeType: block.mimeType, data: block.data });
  } catch (error) {
    const ranMs = performance.now() - started;
    if (ctx.signal.aborted) {
      status = 'aborted';
      output = unfinishedOutput({ type: 'interrupted', partialOutput: '', ranMs });
    } else if (isTimeout(error)) {
      status = 'timed_out';
      output = `err: the MCP server ${tool.server} did not answer within ${Math.round(tool.timeoutMs / 1000)} s (tool_timeout_sec); the call was cancelled`;
    } else {
      status = 'failed';
      output = `err: ${(error as Error).message}`;
    }
  }
  const shown = truncateForModel(output);
  ctx.emit({ type: 'mcp_tool_call_end', call_id: ctx.callId, invocation, duration_ms: Math.round(performance.now() - started), status, output: shown });
  return { output, success: status === 'completed', ...(images.length > 0 ? { images } : {}) };
}

/** The SDK's McpError for a request that ran out of time (JSON-RPC code -32001). */
function isTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === -32001;
}

/** What the model reads of a result: text as it is, other content named, structured content as JSON. */
export function resultText(result: CallToolResult): string {
  const parts: string[] = [];
  for (const block of result.content ?? []) {
    switch (block.type) {
      case 'text':
        parts.push(block.text);
        break;
      case 'image':
        parts.push(`[image: ${block.mimeType}, ${approximateBytes(block.data)} bytes]`);
        break;
      case 'audio':
        parts.push(`[audio: ${block.mimeType}, ${approximateBytes(block.data)} bytes]`);
        break;
      case 'resource': {
        const resource = block.resource;
        parts.push('text' in resource ? `[resource ${resource.uri}]\n${resource.text}` : `[resource ${resource.uri}: ${resource.mimeType ?? 'binary'} data]`);
        break;
      }
      case 'resource_link':
        parts.push(`[resource link: ${block.uri}${block.name ? ` (${block.name})` : ''}]`);
        break;
    }
  }
  if (parts.length === 0 && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent));
  return parts.join('\n');
}

/** The size of base64 data without decoding it. */
function approximateBytes(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}
