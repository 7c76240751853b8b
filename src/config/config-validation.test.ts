/** The exact text of every kind of validation error: these messages are the whole user interface of a bad config. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isConfigError } from './config-error.ts';
import { loadConfig } from './load-config.ts';
import { tempTree } from './testing/temp-tree.ts';

async function messageFor(toml: string, overrides: string[] = []): Promise<string> {
  const root = tempTree({ 'home/.keel/config.toml': toml });
  try {
    await loadConfig({ home: join(root, 'home/.keel'), cwd: root, env: { HOME: join(root, 'home') }, overrides });
  } catch (error) {
    if (isConfigError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const F = '~/.keel/config.toml';

describe('validation errors name the file, the key path and what was expected', () => {
  it.each([
    ['[model_providers.local]\nbase_url = "http://x"\nwire_api = "grpc"', `${F}: model_providers.local.wire_api: expected "responses" or "chat", got "grpc"`],
    ['approval_policy = "sometimes"', `${F}: approval_policy: expected "untrusted", "on-failure", "on-request" or "never", got "sometimes"`],
    ['sandbox_mode = true', `${F}: sandbox_mode: expected "read-only", "workspace-write" or "danger-full-access", got true`],
    ['model = ""', `${F}: model: expected a non-empty string, got ""`],
    ['model = 5', `${F}: model: expected a non-empty string, got 5`],
    ['model_provider = ["a"]', `${F}: model_provider: expected a non-empty string, got an array`],
    ['[model_providers.local]\nbase_url = "localhost:11434"', `${F}: model_providers.local.base_url: expected an http:// or https:// URL, got "localhost:11434"`],
    ['[model_providers.local]\nname = "Local"', `${F}: model_providers.local.base_url: expected an http:// or https:// URL, but it is missing`],
    ['[model_providers.local]\nbase_url = "http://x"\nrequest_max_retries = 1000', `${F}: model_providers.local.request_max_retries: expected a whole number from 0 to 100, got 1000`],
    ['[model_providers.local]\nbase_url = "http://x"\nstream_max_retries = -1', `${F}: model_providers.local.stream_max_retries: expected a whole number from 0 to 100, got -1`],
    ['[model_providers.local]\nbase_url = "http://x"\nstream_idle_timeout_ms = 0', `${F}: model_providers.local.stream_idle_timeout_ms: expected a whole number >= 1, got 0`],
    ['[model_providers.local]\nbase_url = "http://x"\nhttp_headers = { X-Team = 7 }', `${F}: model_providers.local.http_headers.X-Team: expected a string, got 7`],
    ['[model_providers.local]\nbase_url = "http://x"\nquery_params = "api-version=1"', `${F}: model_providers.local.query_params: expected a table of strings, got "api-version=1"`],
    ['[model_providers.local]\nbase_url = "http://x"\nenv_key = ""', `${F}: model_providers.local.env_key: expected a non-empty string, got ""`],
    ['model_providers = "openai"', `${F}: model_providers: expected a table, got "openai"`],
    ['model_providers.local = 3', `${F}: model_providers.local: expected a table, got 3`],
    ['[model_providers."my.host"]\nbase_url = 1', `${F}: model_providers."my.host".base_url: expected an http:// or https:// URL, got 1`],
    ['[sandbox_workspace_write]\nnetwork_access = "yes"', `${F}: sandbox_workspace_write.network_access: expected true or false, got "yes"`],
    ['[tools]\nshell = "unified"', `${F}: tools.shell: expected "exec_command" or "shell", got "unified"`],
    ['max_background_processes = 0', `${F}: max_background_processes: expected a whole number from 1 to 64, got 0`],
    ['[mcp_servers.docs]\nargs = ["x"]', `${F}: mcp_servers.docs: give either command (a stdio server) or url (a streamable HTTP server)`],
    ['[mcp_servers.docs]\ncommand = "npx"\nurl = "http://x"', `${F}: mcp_servers.docs: command and url are both set; a server is either stdio (command) or streamable HTTP (url)`],
    ['[mcp_servers.docs]\ncommand = "npx"\nstartup_timeout_sec = 0', `${F}: mcp_servers.docs.startup_timeout_sec: expected a whole number from 1 to 600, got 0`],
    ['[mcp_servers.docs]\nurl = "ftp://x"', `${F}: mcp_servers.docs.url: expected an http:// or https:// URL, got "ftp://x"`],
    ['[mcp_servers.docs]\ncommand = "npx"\ndefault_tools_approval_mode = "yes"', `${F}: mcp_servers.docs.default_tools_approval_mode: expected "auto", "prompt" or "approve", got "yes"`],
    ['[sandbox_workspace_write]\nwritable_roots = "/tmp"', `${F}: sandbox_workspace_write.writable_roots: expected an array of strings, got "/tmp"`],
    ['[sandbox_workspace_write]\nwritable_roots = [""]', `${F}: sandbox_workspace_write.writable_roots[0]: expected a path, got ""`],
    ['[shell_environment_policy]\ninherit = "some"', `${F}: shell_environment_policy.inherit: expected "none", "core" or "all", got "some"`],
    ['[shell_environment_policy]\nexclude = ["AWS_*", 3]', `${F}: shell_environment_policy.exclude[1]: expected a string, got 3`],
    ['[shell_environment_policy.set]\nCI = true', `${F}: shell_environment_policy.set.CI: expected a string, got true`],
    ['notify = "notify-send"', `${F}: notify: expected an array of strings, got "notify-send"`],
    ['notify = ["notify-send", { a = 1 }]', `${F}: notify[1]: expected a string, got a table`],
    ['[history]\npersistence = "some"', `${F}: history.persistence: expected "save-all" or "none", got "some"`],
    ['[history]\nmax_bytes = 1.5', `${F}: history.max_bytes: expected a whole number >= 1, got 1.5`],
    ['project_doc_max_bytes = -1', `${F}: project_doc_max_bytes: expected a whole number >= 0, got -1`],
    ['stateful = "yes"', `${F}: stateful: expected true or false, got "yes"`],
    ['model_reasoning_effort = "extreme"', `${F}: model_reasoning_effort: expected "minimal", "low", "medium", "high", "xhigh" or "none", got "extreme"`],
    ['model_reasoning_summary = true', `${F}: model_reasoning_summary: expected "auto", "concise", "detailed" or "none", got true`],
    ['model_verbosity = "loud"', `${F}: model_verbosity: expected "low", "medium" or "high", got "loud"`],
    ['model_supports_reasoning = "yes"', `${F}: model_supports_reasoning: expected true or false, got "yes"`],
    ['model_supports_verbosity = 1', `${F}: model_supports_verbosity: expected true or false, got 1`],
    ['model_supports_images = "no"', `${F}: model_supports_images: expected true or false, got "no"`],
    ['stateful = 2024-01-01', `${F}: stateful: expected true or false, got a date (2024-01-01)`],
    ['profiles = ["fast"]', `${F}: profiles: expected a table, got an array`],
    ['[profiles.fast]\nsandbox_mode = "wide-open"', `${F}: profiles.fast.sandbox_mode: expected "read-only", "workspace-write" or "danger-full-access", got "wide-open"`],
    ['[profiles.fast.model_providers.x]\nwire_api = "soap"', `${F}: profiles.fast.model_providers.x.wire_api: expected "responses" or "chat", got "soap"`],
  ])('%s', async (toml, message) => {
    expect(await messageFor(toml)).toBe(message);
  });

  it('names a -c override as the source of its bad value', async () => {
    expect(await messageFor('', ['sandbox_mode=open'])).toBe(
      '-c sandbox_mode=open: sandbox_mode: expected "read-only", "workspace-write" or "danger-full-access", got "open"',
    );
    expect(await messageFor('', ['model.name=x'])).toBe('-c model.name=x: model: expected a non-empty string, got a table');
    expect(await messageFor('', ['stream_max_retries=3', 'model=4'])).toBe('-c model=4: model: expected a non-empty string, got 4');
  });

  it('names the provider nobody defines, and the known ones', async () => {
    expect(await messageFor('model_provider = "azure"')).toBe(
      `${F}: model_provider: "azure" is not a known provider; known: "lmstudio", "ollama" and "openai" (define it in a [model_providers.azure] table)`,
    );
    expect(await messageFor('', ['model_provider=local'])).toMatch(/^-c model_provider=local: model_provider: "local" is not a known provider/);
  });

  it('blames the source where a provider without base_url was first defined', async () => {
    expect(await messageFor('', ['model_providers.local.name=Local'])).toBe(
      '-c model_providers.local.name=Local: model_providers.local.base_url: expected an http:// or https:// URL, but it is missing',
    );
  });

  it('shortens very long values in messages', async () => {
    const message = await messageFor(`approval_policy = ${JSON.stringify('x'.repeat(500))}`);
    expect(message.length).toBeLessThan(300);
    expect(message).toContain('(500 characters)');
  });
});
