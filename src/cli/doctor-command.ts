/**
 * `keel doctor`: checks what a session needs, one line per check with what to do about a failure. Exit 0 only
 * when every check passes.
 */
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isConfigError, loadConfig, providerKeyStatus, selectedProvider, type KeelConfig } from '../config/index.ts';
import { endpointUrl } from '../model/client-options.ts';
import { keelHome } from '../store/index.ts';
import { colorWanted, createStyle } from '../exec/style.ts';
import { nodeSandboxHost, probeSandbox } from '../sandbox/index.ts';
import { describeProbe } from './sandbox-command.ts';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export const DOCTOR_HELP = `Usage: keel doctor [-p PROFILE] [-c KEY=VALUE]…

Checks the configuration, the model provider (its key, whether the server answers, whether it knows the model),
keel's folder and the sandbox, and says what to do about each failure. Exits 0 only when every check passes.`;

export async function doctorCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${DOCTOR_HELP}\n`);
    return 0;
  }
  const profileAt = argv.findIndex((arg) => arg === '-p' || arg === '--profile');
  const overrides = argv.flatMap((arg, index) => ((argv[index - 1] === '-c' || argv[index - 1] === '--config') ? [arg] : []));
  const home = keelHome(env);
  const checks: Check[] = [];
  let config: KeelConfig | null = null;
  try {
    const loaded = await loadConfig({ home, cwd: process.cwd(), env, profile: profileAt >= 0 ? argv[profileAt + 1] : undefined, overrides });
    config = loaded.config;
    const files = loaded.files.length > 0 ? loaded.files.join(', ') : 'no config file (defaults)';
    checks.push({ name: 'configuration', ok: true, detail: `${files}${loaded.warnings.length > 0 ? `; warnings: ${loaded.warnings.join('; ')}` : ''}` });
  } catch (error) {
    if (!isConfigError(error)) throw error;
    checks.push({ name: 'configuration', ok: false, detail: error.message });
  }
  if (config !== null) checks.push(...(await providerChecks(config, env)));
  if (config !== null && Object.keys(config.mcp_servers).length > 0) {
    const { describeServer, probeServers } = await import('../mcp/probe-servers.ts');
    for (const server of await probeServers(config.mcp_servers, env, process.cwd())) {
      checks.push({ name: 'MCP server', ok: server.state === null || server.state.status === 'ready', detail: describeServer(server) });
    }
  }
  checks.push(await homeCheck(home));
  const probe = await probeSandbox(nodeSandboxHost());
  checks.push({ name: 'sandbox', ok: probe.type === 'available', detail: describeProbe(probe).replace(/^sandbox: /, '').replace('\n', ' ') });

  const style = createStyle(colorWanted(process.stdout, env));
  for (const check of checks) {
    process.stdout.write(`${check.ok ? style.green('ok  ') : style.red('FAIL')}  ${check.name}: ${check.detail}\n`);
  }
  return checks.every((check) => check.ok) ? 0 : 1;
}

async function providerChecks(config: KeelConfig, env: NodeJS.ProcessEnv): Promise<Check[]> {
  const { id, provider } = selectedProvider(config);
  const checks: Check[] = [];
  const key = providerKeyStatus(provider, env);
  const keyless = id === 'openai' && Boolean(env.OPENAI_BASE_URL?.trim());
  checks.push(
    key.type === 'missing' && !keyless
      ? { name: 'API key', ok: false, detail: `${key.envKey} is not set: export ${key.envKey}=… (provider ${id})` }
      : { name: 'API key', ok: true, detail: key.type === 'present' ? `${key.envKey} is set` : 'none needed by this provider' },
  );
  const url = endpointUrl(provider.base_url, '/models', provider.query_params);
  try {
    const headers: Record<string, string> = { ...provider.http_headers };
    if (key.type === 'present') headers.authorization = `Bearer ${key.apiKey}`;
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(5_000) });
    if (response.status === 404) {
      checks.push({ name: 'provider', ok: true, detail: `${provider.base_url} answers (it has no model list to check ${config.model} against)` });
      return checks;
    }
    if (!response.ok) {
      checks.push({ name: 'provider', ok: false, detail: `${url} answered HTTP ${response.status}: check the key and base_url of provider ${id}` });
      return checks;
    }
    checks.push({ name: 'provider', ok: true, detail: `${provider.base_url} (${provider.wire_api}) answers` });
    const body = (await response.json().catch(() => null)) as { data?: Array<{ id?: string }> } | null;
    const models = body?.data?.map((model) => model.id).filter((name): name is string => typeof name === 'string');
    if (models !== undefined) {
      const known = models.includes(config.model);
      checks.push({
        name: 'model',
        ok: known,
        detail: known ? `${config.model} is offered` : `${config.model} is not among the server's ${models.length} models (e.g. ${models.slice(0, 5).join(', ')}): set model in config.toml or pass -m`,
      });
    }
  } catch (error) {
    checks.push({ name: 'provider', ok: false, detail: `${url} cannot be reached (${(error as Error).message}): is the server running? check base_url of provider ${id}` });
  }
  return checks;
}

async function homeCheck(home: string): Promise<Check> {
  try {
    await mkdir(join(home, 'sessions'), { recursive: true, mode: 0o700 });
    await access(join(home, 'sessions'), constants.W_OK);
    const mode = (await stat(home)).mode & 0o777;
    const open = (mode & 0o077) !== 0;
    return { name: 'keel folder', ok: true, detail: `${home} is writable${open ? ` (readable by others: chmod 700 ${home} keeps your sessions private)` : ''}` };
  } catch (error) {
    return { name: 'keel folder', ok: false, detail: `${home} is not writable (${(error as Error).message}): set KEEL_HOME to a folder you own` };
  }
}
