/** How an MCP tool call shows in the transcript: the call with its arguments on one line, then how it ended and what it returned. */
import type { EventOf, McpServerState } from '../protocol/index.ts';
import { sanitize, sanitizeLines } from '../util/text/sanitize.ts';
import { span, type Line } from '../util/text/styled.ts';

const OUTPUT_LINES = 6;
const ARGUMENT_CHARS = 160;

export function mcpCallLines(msg: EventOf<'mcp_tool_call_end'>): Line[] {
  const { server, tool, arguments: args } = msg.invocation;
  const shownArgs = JSON.stringify(args);
  const argText = shownArgs === '{}' ? '' : ` ${shownArgs.length > ARGUMENT_CHARS ? `${shownArgs.slice(0, ARGUMENT_CHARS - 1)}…` : shownArgs}`;
  const title: Line = { spans: [span('⚙ ', { color: 'cyan' }), span(`${sanitize(server)}.${sanitize(tool)}`, { bold: true }), span(sanitize(argText), { dim: true })] };
  const outcome: Record<typeof msg.status, Line> = {
    completed: { spans: [span(`  ✓ done in ${seconds(msg.duration_ms)}`, { color: 'green' })] },
    failed: { spans: [span(`  ✗ failed after ${seconds(msg.duration_ms)}`, { color: 'red' })] },
    timed_out: { spans: [span(`  ✗ timed out after ${seconds(msg.duration_ms)}`, { color: 'red' })] },
    aborted: { spans: [span(`  ⏹ interrupted after ${seconds(msg.duration_ms)}`, { color: 'yellow' })] },
  };
  const lines = sanitizeLines(msg.output).filter((text) => text.trim() !== '');
  const shown = lines.slice(0, OUTPUT_LINES).map((text): Line => ({ spans: [span(`    ${text}`, { dim: true })] }));
  if (lines.length > shown.length) shown.push({ spans: [span(`    … (${lines.length - shown.length} more lines)`, { dim: true })] });
  return [title, ...shown, outcome[msg.status]];
}

/** `/mcp`: each server, its state, and its tools (or why it is not available). */
export function mcpServerLines(servers: readonly McpServerState[]): Line[] {
  if (servers.length === 0) return [{ spans: [span('No MCP servers are configured ([mcp_servers.NAME] in config.toml).', { dim: true })] }];
  return servers.flatMap((server): Line[] => {
    const state =
      server.status === 'ready'
        ? span(`ready · ${server.tools.length} tool${server.tools.length === 1 ? '' : 's'}`, { color: 'green' })
        : server.status === 'starting'
          ? span('starting…', { color: 'yellow' })
          : span('not available', { color: 'red' });
    const head: Line = { spans: [span(sanitize(server.name), { bold: true }), span(` (${server.transport}) `, { dim: true }), state] };
    const detail = server.status === 'failed' && server.error !== null ? [{ spans: [span(`  ${sanitize(server.error)}`, { dim: true })], indent: 2 }] : [];
    const tools = server.tools.map((name): Line => ({ spans: [span(`  ${sanitize(name)}`)], indent: 2 }));
    return [head, ...detail, ...tools];
  });
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
