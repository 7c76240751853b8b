/**
 * Starts each configured MCP server once, lists its tools and stops it again: what `keel mcp list` and `keel doctor`
 * report. Servers start in parallel; each is bounded by its own startup timeout.
 */
import type { McpServerConfig } from '../config/keel-config.ts';
import type { McpServerState } from '../protocol/index.ts';
import { McpManager } from './mcp-manager.ts';

export interface ProbedServer {
  name: string;
  config: McpServerConfig;
  /** null: disabled in config, not started. */
  state: McpServerState | null;
  /** The tools as the server lists them (raw names), with whether each is marked read-only. */
  tools: { name: string; modelName: string; readOnly: boolean; description: string }[];
}

export async function probeServers(servers: Readonly<Record<string, McpServerConfig>>, env: NodeJS.ProcessEnv, cwd: string): Promise<ProbedServer[]> {
  const manager = new McpManager({ servers, env, cwd, reservedNames: new Set(['shell', 'exec_command', 'write_stdin', 'apply_patch', 'update_plan']) });
  manager.start();
  try {
    await manager.settled();
    const states = new Map(manager.states().map((state) => [state.name, state]));
    return Object.entries(servers).map(([name, config]) => ({
      name,
      config,
      state: states.get(name) ?? null,
      tools: manager
        .tools()
        .filter((tool) => tool.server === name)
        .map((tool) => ({ name: tool.tool, modelName: tool.modelName, readOnly: tool.readOnly, description: tool.description })),
    }));
  } finally {
    await manager.close();
  }
}

/** One line per server: how it is reached and whether it started (with its tool count), or why not. */
export function describeServer(server: ProbedServer): string {
  const transport = server.config.transport;
  const where = transport.type === 'stdio' ? [transport.command, ...transport.args].join(' ') : transport.url;
  if (server.state === null) return `${server.name}: disabled (enabled = false) — ${where}`;
  if (server.state.status === 'ready') return `${server.name}: ok, ${server.tools.length} tool${server.tools.length === 1 ? '' : 's'} — ${where}`;
  return `${server.name}: does not start: ${server.state.error ?? 'unknown error'}`;
}
