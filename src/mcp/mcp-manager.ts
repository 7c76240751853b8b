/**
 * The session's MCP servers: started in parallel when the session opens (never in the way of the prompt), each
 * bounded by its startup timeout; a server that fails is reported once, with why and what to do, and the session goes
 * on without it. Calls run with the tool timeout; an abort cancels the request (the SDK sends
 * `notifications/cancelled`). `close` stops every server and whatever it started.
 *
 * The SDK is loaded only when a server is configured, so a run without MCP does not pay for it.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerConfig } from '../config/keel-config.ts';
import { ProcessTransport } from './process-transport.ts';
import { modelToolNames } from './tool-names.ts';

export interface McpTool {
  server: string;
  /** The name the server knows it by. */
  tool: string;
  /** The name the model calls it by (`mcp__server__tool`). */
  modelName: string;
  description: string;
  inputSchema: Record<string, unknown>;
  /** The server says it changes nothing (`annotations.readOnlyHint`). */
  readOnly: boolean;
  approvalMode: McpServerConfig['default_tools_approval_mode'];
  timeoutMs: number;
}

export type ServerStatus = 'starting' | 'ready' | 'failed';

export interface ServerState {
  name: string;
  status: ServerStatus;
  transport: 'stdio' | 'http';
  /** Why it failed and what to do; null unless failed. */
  error: string | null;
  /** Model-facing names of its tools, once ready. */
  tools: string[];
}

export interface McpManagerOptions {
  servers: Readonly<Record<string, McpServerConfig>>;
  /** The environment servers are started with, before each server's own `env`. */
  env: NodeJS.ProcessEnv;
  /** Where bearer tokens are read from (keel's own environment: the servers' is filtered of secrets). */
  secretsEnv?: NodeJS.ProcessEnv;
  cwd: string;
  /** Names the built-in tools use, which MCP tools must not take. */
  reservedNames?: ReadonlySet<string>;
  version?: string;
}

interface Connection {
  state: ServerState;
  client: Client | null;
  close: () => Promise<void>;
  started: Promise<void>;
  tools: McpTool[];
}

export class McpManager {
  private readonly connections = new Map<string, Connection>();
  private readonly listeners = new Set<(states: ServerState[]) => void>();
  private toolList: McpTool[] = [];

  constructor(private readonly options: McpManagerOptions) {}

  /** Starts every enabled server; returns at once. */
  start(): void {
    for (const [name, config] of Object.entries(this.options.servers)) {
      if (!config.enabled || this.connections.has(name)) continue;
      const connection: Connection = {
        state: { name, status: 'starting', transport: config.transport.type, error: null, tools: [] },
        client: null,
        close: () => Promise.resolve(),
        started: Promise.resolve(),
        tools: [],
      };
      this.connections.set(name, connection);
      connection.started = this.connect(name, config, connection);
    }
  }

  /** Resolves once no server is still starting (each is bounded by its own startup timeout) or `signal` aborts. */
  async settled(signal?: AbortSignal): Promise<void> {
    const all = Promise.all([...this.connections.values()].map((connection) => connection.started));
    if (!signal) return void (await all);
    await Promise.race([all, new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))]);
  }

  get starting(): boolean {
    return [...this.connections.values()].some((connection) => connection.state.status === 'starting');
  }

  states(): ServerState[] {
    return [...this.connections.values()].map((connection) => ({ ...connection.state, tools: [...connection.state.tools] }));
  }

  /** The tools of every server that came up, named for the model. */
  tools(): readonly McpTool[] {
    return this.toolList;
  }

  onChange(listener: (states: ServerState[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async call(tool: McpTool, args: Record<string, unknown>, signal: AbortSignal): Promise<CallToolResult> {
    const connection = this.connections.get(tool.server);
    if (connection?.client == null || connection.state.status !== 'ready') {
      throw new Error(`MCP server ${tool.server} is not running${connection?.state.error ? ` (${connection.state.error})` : ''}`);
    }
    return (await connection.client.callTool({ name: tool.tool, arguments: args }, undefined, { signal, timeout: tool.timeoutMs })) as CallToolResult;
  }

  /** Stops every server (and what each started); resolves when all are gone. */
  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((connection) => connection.close().catch(() => undefined)));
  }

  private async connect(name: string, config: McpServerConfig, connection: Connection): Promise<void> {
    const startupMs = config.startup_timeout_sec * 1000;
    let transport: ProcessTransport | null = null;
    try {
      const [{ Client }, made] = await Promise.all([import('@modelcontextprotocol/sdk/client/index.js'), this.transportFor(config)]);
      transport = made instanceof ProcessTransport ? made : null;
      const client = new Client({ name: 'keel', version: this.options.version ?? '0' }, { capabilities: {} });
      connection.close = () => client.close();
      client.onclose = () => {
        if (connection.state.status !== 'ready') return;
        const why = transport?.diagnostics ? `: ${transport.diagnostics.split('\n')[0]}` : '';
        this.update(connection, { status: 'failed', error: `the server closed the connection${why}` });
      };
      await withTimeout(client.connect(made, { timeout: startupMs }), startupMs, `did not answer initialize within ${config.startup_timeout_sec} s`);
      const listed = await client.listTools(undefined, { timeout: startupMs });
      connection.client = client;
      connection.tools = this.toolsOf(name, config, listed.tools);
      this.rename();
      this.update(connection, { status: 'ready', error: null });
    } catch (error) {
      // What the server said before keel stopped it, not how keel's stopping ended it.
      const diagnostics = transport?.diagnostics ?? '';
      await connection.close().catch(() => undefined);
      this.update(connection, { status: 'failed', error: failureText(name, config, error as Error, diagnostics) });
    }
  }

  private async transportFor(config: McpServerConfig): Promise<Transport> {
    const transport = config.transport;
    if (transport.type === 'stdio') {
      return new ProcessTransport({
        command: transport.command,
        args: transport.args,
        env: { ...this.options.env, ...transport.env },
        cwd: transport.cwd ?? this.options.cwd,
      });
    }
    const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    const headers: Record<string, string> = { ...transport.http_headers };
    if (transport.bearer_token_env_var !== null) {
      const token = (this.options.secretsEnv ?? this.options.env)[transport.bearer_token_env_var];
      if (token === undefined || token === '') throw new Error(`the environment variable ${transport.bearer_token_env_var} (bearer_token_env_var) is not set`);
      headers.Authorization = `Bearer ${token}`;
    }
    return new StreamableHTTPClientTransport(new URL(transport.url), { requestInit: { headers } });
  }

  private toolsOf(server: string, config: McpServerConfig, listed: readonly ListedTool[]): McpTool[] {
    const enabled = config.enabled_tools === null ? null : new Set(config.enabled_tools);
    const disabled = new Set(config.disabled_tools);
    return listed
      .filter((tool) => (enabled === null || enabled.has(tool.name)) && !disabled.has(tool.name))
      .map((tool) => ({
        server,
        tool: tool.name,
        modelName: '',
        description: tool.description ?? tool.title ?? `${tool.name} (from the MCP server ${server})`,
        inputSchema: normalizedSchema(tool.inputSchema),
        readOnly: tool.annotations?.readOnlyHint === true,
        approvalMode: config.default_tools_approval_mode,
        timeoutMs: config.tool_timeout_sec * 1000,
      }));
  }

  /** Names every ready server's tools again: which names collide depends on all of them, not on who came first. */
  private rename(): void {
    const all = [...this.connections.values()].flatMap((connection) => connection.tools);
    const names = modelToolNames(all, this.options.reservedNames);
    all.forEach((tool, index) => (tool.modelName = names[index]!));
    for (const connection of this.connections.values()) connection.state.tools = connection.tools.map((tool) => tool.modelName);
  }

  private update(connection: Connection, change: Pick<ServerState, 'status' | 'error'>): void {
    connection.state = { ...connection.state, ...change };
    // A server that fails after it was ready keeps its tools: a call then tells the model the server is gone.
    this.toolList = [...this.connections.values()].flatMap((each) => each.tools);
    const states = this.states();
    for (const listener of this.listeners) listener(states);
  }
}

interface ListedTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: { type: 'object'; properties?: Record<string, unknown>; [key: string]: unknown };
  annotations?: { readOnlyHint?: boolean };
}

/** The APIs want an object schema with `properties`; some servers leave it out. */
function normalizedSchema(schema: ListedTool['inputSchema']): Record<string, unknown> {
  return { ...schema, type: 'object', properties: schema.properties ?? {} };
}

function failureText(name: string, config: McpServerConfig, error: Error, diagnostics: string): string {
  const transport = config.transport;
  const what = transport.type === 'stdio' ? [transport.command, ...transport.args].join(' ') : transport.url;
  const fix =
    transport.type === 'stdio'
      ? `check [mcp_servers.${name}] command and args (run "${what}" by hand to see it start), or raise startup_timeout_sec`
      : `check [mcp_servers.${name}] url and that the server is up, or raise startup_timeout_sec`;
  const detail = diagnostics.trim() === '' ? '' : `; it said: ${diagnostics.trim().split('\n').slice(-3).join(' | ')}`;
  return `${error.message}${detail} — ${fix}`;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
