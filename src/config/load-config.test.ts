import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isConfigError, type ConfigError } from './config-error.ts';
import { loadConfig, type LoadConfigOptions } from './load-config.ts';
import { tempTree } from './testing/temp-tree.ts';

/** A KEEL_HOME holding `config.toml` (when given) and an empty cwd outside any repository. */
function setup(configToml?: string) {
  const root = tempTree(configToml === undefined ? {} : { 'home/.keel/config.toml': configToml });
  const cwd = join(root, 'work');
  mkdirSync(cwd, { recursive: true });
  const base = { home: join(root, 'home/.keel'), cwd, env: { HOME: join(root, 'home') } };
  return { root, cwd, load: (options: Partial<LoadConfigOptions> = {}) => loadConfig({ ...base, ...options }) };
}

async function failure(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    if (isConfigError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig: defaults', () => {
  it('without any file gives the documented defaults and no warnings', async () => {
    const { config, warnings, files } = await setup().load();
    expect(warnings).toEqual([]);
    expect(files).toEqual([]);
    expect(config).toMatchObject({
      model: 'gpt-5-codex',
      model_provider: 'openai',
      oss_provider: 'ollama',
      approval_policy: 'on-request',
      sandbox_mode: 'read-only',
      sandbox_workspace_write: { writable_roots: [], network_access: false },
      shell_environment_policy: { inherit: 'all', ignore_default_excludes: false, exclude: [], set: {}, include_only: [] },
      notify: null,
      history: { persistence: 'save-all', max_bytes: 1024 * 1024 },
      project_doc_max_bytes: 32 * 1024,
      tools: { shell: 'exec_command' },
      max_background_processes: 8,
      model_context_window: null,
      model_auto_compact_token_limit: null,
      model_reasoning_effort: null,
      model_reasoning_summary: null,
      model_verbosity: null,
      model_supports_reasoning: null,
      model_supports_verbosity: null,
      model_supports_images: null,
      stateful: false,
      profile: null,
    });
    expect(Object.keys(config.model_providers).sort()).toEqual(['lmstudio', 'ollama', 'openai']);
  });

  it('is deeply frozen', async () => {
    const { config } = await setup('notify = ["notify-send"]').load();
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.model_providers.openai)).toBe(true);
    expect(Object.isFrozen(config.notify)).toBe(true);
    expect(() => {
      (config.sandbox_workspace_write as { network_access: boolean }).network_access = true;
    }).toThrow(TypeError);
  });
});

describe('loadConfig: precedence', () => {
  const file = [
    'model = "from-file"',
    'approval_policy = "untrusted"',
    'sandbox_mode = "read-only"',
    'stateful = false',
    'project_doc_max_bytes = 1000',
    'profile = "work"',
    '[profiles.work]',
    'approval_policy = "on-failure"',
    'sandbox_mode = "workspace-write"',
    'model = "from-profile"',
  ].join('\n');

  it('takes flags over -c overrides over the profile over the file over the defaults', async () => {
    const { config } = await setup(file).load({
      overrides: ['sandbox_mode=danger-full-access', 'model=from-override'],
      flags: { model: 'from-flag' },
    });
    expect(config.model).toBe('from-flag'); // file, profile, override and flag all set it
    expect(config.sandbox_mode).toBe('danger-full-access'); // file, profile and override
    expect(config.approval_policy).toBe('on-failure'); // file and profile
    expect(config.project_doc_max_bytes).toBe(1000); // file only
    expect(config.history.persistence).toBe('save-all'); // defaults only
    expect(config.profile).toBe('work');
  });

  it('reads the model settings from the file, a profile and -c, and leaves unset ones to the catalogue', async () => {
    const toml = ['model_reasoning_effort = "high"', 'model_verbosity = "low"', '[profiles.deep]', 'model_reasoning_summary = "detailed"'].join('\n');
    const { config } = await setup(toml).load({
      profile: 'deep',
      overrides: ['model_reasoning_effort=xhigh', 'model_supports_reasoning=true', 'model_supports_images=false'],
    });
    expect(config).toMatchObject({
      model_reasoning_effort: 'xhigh',
      model_reasoning_summary: 'detailed',
      model_verbosity: 'low',
      model_supports_reasoning: true,
      model_supports_verbosity: null,
      model_supports_images: false,
    });
    expect((await setup().load({ overrides: ['model_reasoning_effort=none'] })).config.model_reasoning_effort).toBe('none');
  });

  it('takes the shell tool and the background process limit from the file and -c', async () => {
    const { config } = await setup('[tools]\nshell = "shell"').load({ overrides: ['max_background_processes=3'] });
    expect(config.tools).toEqual({ shell: 'shell' });
    expect(config.max_background_processes).toBe(3);
  });

  it('reads MCP servers with their defaults filled in', async () => {
    const toml = ['[mcp_servers.docs]', 'command = "npx"', 'args = ["-y", "docs-server"]', '[mcp_servers.tracker]', 'url = "https://mcp.example.com/mcp"', 'bearer_token_env_var = "TRACKER_TOKEN"', 'enabled_tools = ["search"]'].join('\n');
    const { config } = await setup(toml).load();
    expect(config.mcp_servers).toEqual({
      docs: { transport: { type: 'stdio', command: 'npx', args: ['-y', 'docs-server'], env: {}, cwd: null }, startup_timeout_sec: 10, tool_timeout_sec: 60, enabled: true, enabled_tools: null, disabled_tools: [], default_tools_approval_mode: 'auto' },
      tracker: { transport: { type: 'http', url: 'https://mcp.example.com/mcp', bearer_token_env_var: 'TRACKER_TOKEN', http_headers: {} }, startup_timeout_sec: 10, tool_timeout_sec: 60, enabled: true, enabled_tools: ['search'], disabled_tools: [], default_tools_approval_mode: 'auto' },
    });
  });

  it('lets a later -c override win over an earlier one', async () => {
    const { config } = await setup().load({ overrides: ['model=first', 'model=second'] });
    expect(config.model).toBe('second');
  });

  it('merges tables key by key across sources and replaces arrays whole', async () => {
    const toml = [
      'notify = ["notify-send", "keel"]',
      '[sandbox_workspace_write]',
      'writable_roots = ["/data"]',
      '[profiles.p.sandbox_workspace_write]',
      'network_access = true',
      '[profiles.p]',
      'notify = ["say"]',
    ].join('\n');
    const { config } = await setup(toml).load({ profile: 'p' });
    expect(config.sandbox_workspace_write).toEqual({ writable_roots: ['/data'], network_access: true });
    expect(config.notify).toEqual(['say']);
  });

  it('lets an empty notify array in a profile turn off the file\'s hook', async () => {
    const { config } = await setup('notify = ["notify-send"]\n[profiles.quiet]\nnotify = []').load({ profile: 'quiet' });
    expect(config.notify).toBeNull();
  });

  it('resolves relative writable roots against the cwd', async () => {
    const { config, cwd } = await (async () => {
      const s = setup('[sandbox_workspace_write]\nwritable_roots = ["../shared", "/abs"]');
      return { ...(await s.load()), cwd: s.cwd };
    })();
    expect(config.sandbox_workspace_write.writable_roots).toEqual([join(cwd, '../shared'), '/abs']);
  });
});

describe('loadConfig: profiles', () => {
  const file = 'profile = "a"\n[profiles.a]\nmodel = "model-a"\n[profiles.b]\nmodel = "model-b"\n[profiles.c]\nmodel = "model-c"';

  it('selects --profile over -c profile= over profile = in the file', async () => {
    const s = setup(file);
    expect((await s.load()).config).toMatchObject({ model: 'model-a', profile: 'a' });
    expect((await s.load({ overrides: ['profile=b'] })).config).toMatchObject({ model: 'model-b', profile: 'b' });
    expect((await s.load({ overrides: ['profile=b'], profile: 'c' })).config).toMatchObject({ model: 'model-c', profile: 'c' });
  });

  it('lets -c edit a profile before it is applied', async () => {
    const { config } = await setup(file).load({ overrides: ['profiles.a.model=edited'] });
    expect(config.model).toBe('edited');
  });

  it('names the known profiles when asked for an unknown one', async () => {
    const error = await failure(setup(file).load({ profile: 'fast' }));
    expect(error.kind).toBe('unknown_profile');
    expect(error.message).toBe('unknown profile "fast": known profiles: "a", "b" and "c" (in ~/.keel/config.toml)');
    expect(error.detail).toEqual({ kind: 'unknown_profile', profile: 'fast', known: ['a', 'b', 'c'] });
  });

  it('says so when no profile is defined at all', async () => {
    const error = await failure(setup().load({ profile: 'fast' }));
    expect(error.message).toBe('unknown profile "fast": ~/.keel/config.toml defines no [profiles.*] tables');
  });

  it('fails on a profile = in the file that names no profile', async () => {
    const error = await failure(setup('profile = "gone"\n[profiles.here]\nmodel = "m"').load());
    expect(error.message).toBe('unknown profile "gone": known profiles: "here" (in ~/.keel/config.toml)');
  });
});

describe('loadConfig: warnings and file errors', () => {
  it('warns about unknown keys anywhere, with the source and key path, and goes on', async () => {
    const toml = [
      'modle = "typo"',
      'model_reasoning_efort = "high"',
      '[history]',
      'persistance = "none"',
      '[model_providers.local]',
      'base_url = "http://localhost:8080/v1"',
      'api_key = "sk-nope"',
      '[profiles.p]',
      'sandbox = "read-only"',
      '[mcp_server.files]',
      'command = "x"',
    ].join('\n');
    const { config, warnings } = await setup(toml).load({ overrides: ['modell=x'] });
    expect(warnings).toEqual([
      '~/.keel/config.toml: modle: unknown key, ignored',
      '~/.keel/config.toml: model_reasoning_efort: unknown key, ignored',
      '~/.keel/config.toml: history.persistance: unknown key, ignored',
      '~/.keel/config.toml: model_providers.local.api_key: unknown key, ignored',
      '~/.keel/config.toml: profiles.p.sandbox: unknown key, ignored',
      '~/.keel/config.toml: mcp_server: unknown key, ignored',
      '-c modell=x: modell: unknown key, ignored',
    ]);
    expect(config.model_providers.local?.base_url).toBe('http://localhost:8080/v1');
  });

  it('names the file, line and column of a TOML syntax error', async () => {
    const error = await failure(setup('model = "a"\nsandbox_mode = \n').load());
    expect(error.detail).toEqual({ kind: 'syntax', file: '~/.keel/config.toml', line: 2, column: 16 });
    expect(error.message.split('\n')[0]).toBe('~/.keel/config.toml:2:16: TOML syntax error: invalid value');
  });

  it('prints the full path when KEEL_HOME is outside the home directory', async () => {
    const s = setup('model = ');
    const error = await failure(s.load({ env: {} }));
    expect(error.message.startsWith(`${join(s.root, 'home/.keel/config.toml')}:1:`)).toBe(true);
  });

  it('reports a config.toml that cannot be read as an io error', async () => {
    const s = setup();
    mkdirSync(join(s.root, 'home/.keel/config.toml'), { recursive: true });
    const error = await failure(s.load());
    expect(error.kind).toBe('io');
    expect(error.message).toMatch(/^~\/\.keel\/config\.toml: cannot read the file: /);
  });

  it('checks flags like any other source', async () => {
    const error = await failure(setup().load({ flags: { sandbox_mode: 'open' } }));
    expect(error.message).toBe('command line: sandbox_mode: expected "read-only", "workspace-write" or "danger-full-access", got "open"');
  });

  it('reports the file list it read', async () => {
    const s = setup('model = "m"');
    expect((await s.load()).files).toEqual([join(s.root, 'home/.keel/config.toml')]);
  });
});

describe('loadConfig: hostile keys', () => {
  it('keeps ids such as __proto__ as data', async () => {
    const { config } = await setup('[model_providers.__proto__]\nbase_url = "http://x/v1"').load();
    expect(Object.hasOwn(config.model_providers, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(config.model_providers)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).base_url).toBeUndefined();
  });
});
