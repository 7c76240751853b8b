/**
 * The MCP servers of a session as the engine sees them: tools that join once their server is up (LateTools). The
 * manager, the transports and the SDK are loaded here, in the background, and only when a server is configured:
 * a run without MCP servers never loads them.
 */
import type { LateTools } from '../tools/late-tools.ts';
import type { AnyTool } from '../tools/tool.ts';
import type { McpManager, McpManagerOptions } from './mcp-manager.ts';
import { createMcpTool } from './mcp-tool.ts';

/** Starts the configured servers at once (in the background) and returns their tools' source. */
export function startMcpTools(options: McpManagerOptions): LateTools {
  let manager: McpManager | null = null;
  let loadError: string | null = null;
  const listeners: (() => void)[] = [];
  const loaded = import('./mcp-manager.ts').then(
    ({ McpManager }) => {
      manager = new McpManager(options);
      manager.onChange(() => listeners.forEach((listener) => listener()));
      manager.start();
    },
    (error: unknown) => {
      loadError = `keel could not load its MCP client: ${(error as Error).message}`;
      listeners.forEach((listener) => listener());
    },
  );
  const made = new Map<string, AnyTool>();
  return {
    get pending() {
      return manager === null ? loadError === null : manager.starting;
    },
    async settled(signal) {
      await Promise.race([loaded, new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))]);
      await manager?.settled(signal);
    },
    tools: () =>
      (manager?.tools() ?? []).map((tool) => {
        // The same tool object for the same name, so the registry sees a tool stay rather than be replaced.
        const key = `${tool.modelName}\u0000${tool.server}\u0000${tool.tool}`;
        let adapted = made.get(key);
        if (adapted === undefined) {
          adapted = createMcpTool(manager!, tool);
          made.set(key, adapted);
        }
        return adapted;
      }),
    states: () =>
      manager?.states() ??
      Object.entries(options.servers)
        .filter(([, config]) => config.enabled)
        .map(([name, config]) => ({ name, status: loadError === null ? 'starting' : 'failed', transport: config.transport.type, error: loadError, tools: [] })),
    onChange: (listener) => void listeners.push(listener),
    async close() {
      await loaded;
      await manager?.close();
    },
  };
}
