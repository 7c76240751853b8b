/** `keel mcp list`: the configured MCP servers, whether each starts, and the tools the model would get from it. */
import { isConfigError, loadConfig } from '../config/index.ts';
import { colorWanted, createStyle } from '../exec/style.ts';
import { describeServer, probeServers } from '../mcp/probe-servers.ts';
import { keelHome } from '../store/index.ts';
import { UsageError } from './usage-error.ts';

export const MCP_HELP = `Usage: keel mcp list [--json] [-p PROFILE] [-c KEY=VALUE]…

Starts every MCP server configured in config.toml ([mcp_servers.NAME]), lists the tools each offers (as the model
sees them: mcp__SERVER__TOOL, "read-only" where the server says so) and stops them again. A server that does not
start is shown with the reason and what to check. Exits 1 when a configured, enabled server does not start.

  [mcp_servers.docs]                 # stdio: keel starts the program
  command = "npx"
  args = ["-y", "some-mcp-server"]
  env = { DOCS_ROOT = "/srv/docs" }
  startup_timeout_sec = 10           # default 10
  tool_timeout_sec = 60              # default 60
  enabled_tools = ["search"]         # only these (disabled_tools = [...] leaves some out)
  default_tools_approval_mode = "auto"   # auto: read-only tools run, others as writes; prompt: always ask; approve: never ask

  [mcp_servers.tracker]              # streamable HTTP
  url = "https://mcp.example.com/mcp"
  bearer_token_env_var = "TRACKER_TOKEN"`;

export async function mcpCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || rest.includes('--help')) {
    process.stdout.write(`${MCP_HELP}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'list') throw new UsageError(`unknown mcp command "${sub}": the one there is is "keel mcp list"`);
  const json = rest.includes('--json');
  const profileAt = rest.findIndex((arg) => arg === '-p' || arg === '--profile');
  const overrides = rest.flatMap((arg, index) => (rest[index - 1] === '-c' || rest[index - 1] === '--config' ? [arg] : []));
  let config;
  try {
    config = (await loadConfig({ home: keelHome(env), cwd: process.cwd(), env, profile: profileAt >= 0 ? rest[profileAt + 1] : undefined, overrides })).config;
  } catch (error) {
    if (isConfigError(error)) throw new UsageError(error.message);
    throw error;
  }
  const probed = await probeServers(config.mcp_servers, env, process.cwd());
  const failed = probed.some((server) => server.state !== null && server.state.status !== 'ready');
  if (json) {
    const servers = probed.map((server) => ({
      name: server.name,
      transport: server.config.transport.type,
      status: server.state === null ? 'disabled' : server.state.status,
      error: server.state?.error ?? null,
      tools: server.tools.map((tool) => ({ name: tool.modelName, tool: tool.name, read_only: tool.readOnly, description: tool.description })),
    }));
    process.stdout.write(`${JSON.stringify({ servers })}\n`);
    return failed ? 1 : 0;
  }
  if (probed.length === 0) {
    process.stdout.write('No MCP servers are configured. Add one to config.toml ("keel mcp --help" shows how).\n');
    return 0;
  }
  const style = createStyle(colorWanted(process.stdout, env));
  for (const server of probed) {
    const ok = server.state === null || server.state.status === 'ready';
    process.stdout.write(`${ok ? describeServer(server) : style.red(describeServer(server))}\n`);
    for (const tool of server.tools) process.stdout.write(`  ${tool.modelName}${tool.readOnly ? style.dim(' (read-only)') : ''}\n`);
  }
  return failed ? 1 : 0;
}
