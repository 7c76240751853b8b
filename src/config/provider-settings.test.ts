/** Built-in providers, `--oss`, and reading the API key from the provider's `env_key` only. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isConfigError } from './config-error.ts';
import { loadConfig, type LoadConfigOptions } from './load-config.ts';
import { providerKeyStatus, providerSettings, retrySettings } from './provider-settings.ts';
import { tempTree } from './testing/temp-tree.ts';

function setup(configToml = '') {
  const root = tempTree({ 'home/.keel/config.toml': configToml });
  return (options: Partial<LoadConfigOptions> = {}) => loadConfig({ home: join(root, 'home/.keel'), cwd: root, env: {}, ...options });
}

describe('built-in providers', () => {
  it('uses OpenAI over the Responses API with OPENAI_API_KEY by default', async () => {
    const { config } = await setup()();
    const settings = providerSettings(config, { OPENAI_API_KEY: ' sk-test \n' });
    expect(settings).toEqual({
      id: 'openai',
      name: 'OpenAI',
      client: {
        wireApi: 'responses',
        baseUrl: 'https://api.openai.com/v1',
        apiKey: 'sk-test',
        headers: {},
        queryParams: {},
        idleTimeoutMs: 300_000,
      },
    });
    expect(retrySettings(config)).toEqual({ requestMaxRetries: 4, streamMaxRetries: 5, streamIdleTimeoutMs: 300_000 });
  });

  it('takes the openai base URL from OPENAI_BASE_URL, and a file setting over it', async () => {
    const env = { OPENAI_BASE_URL: 'https://proxy.example/v1' };
    expect((await setup()({ env })).config.model_providers.openai?.base_url).toBe('https://proxy.example/v1');
    const fromFile = await setup('[model_providers.openai]\nbase_url = "https://file.example/v1"')({ env });
    expect(fromFile.config.model_providers.openai).toMatchObject({ base_url: 'https://file.example/v1', env_key: 'OPENAI_API_KEY', wire_api: 'responses' });
  });

  it('rejects an OPENAI_BASE_URL that is not a URL, naming the variable', async () => {
    await expect(setup()({ env: { OPENAI_BASE_URL: 'localhost:8080' } })).rejects.toThrow(
      'environment: OPENAI_BASE_URL: expected an http:// or https:// URL, got "localhost:8080"',
    );
  });

  it('knows ollama and lmstudio as local Chat Completions servers needing no key', async () => {
    const { config } = await setup()({ overrides: ['model_provider=lmstudio'] });
    expect(providerSettings(config, {}).client).toMatchObject({ wireApi: 'chat', baseUrl: 'http://localhost:1234/v1', apiKey: undefined });
    expect(config.model_providers.ollama).toMatchObject({ base_url: 'http://localhost:11434/v1', wire_api: 'chat', env_key: null });
  });

  it('changes only the fields a table with a built-in id sets', async () => {
    const { config } = await setup('[model_providers.ollama]\nbase_url = "http://gpu-box:11434/v1"')();
    expect(config.model_providers.ollama).toMatchObject({ name: 'Ollama', base_url: 'http://gpu-box:11434/v1', wire_api: 'chat', env_key: null });
  });

  it('fills a custom provider\'s defaults: its id as name, chat, no key, the usual retries', async () => {
    const { config } = await setup('model_provider = "vllm"\n[model_providers.vllm]\nbase_url = "http://gpu:8000/v1"')();
    expect(config.model_providers.vllm).toEqual({
      name: 'vllm',
      base_url: 'http://gpu:8000/v1',
      env_key: null,
      wire_api: 'chat',
      query_params: {},
      http_headers: {},
      request_max_retries: 4,
      stream_max_retries: 5,
      stream_idle_timeout_ms: 300_000,
    });
  });

  it('passes a provider\'s headers, query parameters and timeouts to the client', async () => {
    const toml = [
      'model_provider = "azure"',
      '[model_providers.azure]',
      'name = "Azure"',
      'base_url = "https://team.openai.azure.com/openai"',
      'env_key = "AZURE_OPENAI_API_KEY"',
      'wire_api = "responses"',
      'query_params = { api-version = "2025-04-01-preview" }',
      'http_headers = { X-Team = "keel" }',
      'request_max_retries = 1',
      'stream_max_retries = 2',
      'stream_idle_timeout_ms = 60000',
    ].join('\n');
    const { config } = await setup(toml)();
    expect(providerSettings(config, { AZURE_OPENAI_API_KEY: 'az' })).toEqual({
      id: 'azure',
      name: 'Azure',
      client: {
        wireApi: 'responses',
        baseUrl: 'https://team.openai.azure.com/openai',
        apiKey: 'az',
        headers: { 'X-Team': 'keel' },
        queryParams: { 'api-version': '2025-04-01-preview' },
        idleTimeoutMs: 60_000,
      },
    });
    expect(retrySettings(config)).toEqual({ requestMaxRetries: 1, streamMaxRetries: 2, streamIdleTimeoutMs: 60_000 });
  });
});

describe('the API key', () => {
  it('is reported missing with the variable\'s name before any request', async () => {
    const { config } = await setup()();
    for (const env of [{}, { OPENAI_API_KEY: '' }, { OPENAI_API_KEY: '   ' }]) {
      let caught: unknown;
      try {
        providerSettings(config, env);
      } catch (error) {
        caught = error;
      }
      expect(isConfigError(caught, 'missing_env_key')).toBe(true);
      expect((caught as Error).message).toBe(
        'provider "openai" (OpenAI) reads its API key from OPENAI_API_KEY, which is not set: ' +
          'set OPENAI_API_KEY, or pick another provider (--oss for a local model, or model_provider in config.toml)',
      );
    }
  });

  it('is read only from the provider\'s own env_key', async () => {
    const { config } = await setup('model_provider = "team"\n[model_providers.team]\nbase_url = "https://t.example/v1"\nenv_key = "TEAM_KEY"')();
    expect(() => providerSettings(config, { OPENAI_API_KEY: 'sk-openai' })).toThrow(/reads its API key from TEAM_KEY/);
    expect(providerSettings(config, { OPENAI_API_KEY: 'sk-openai', TEAM_KEY: 'team' }).client.apiKey).toBe('team');
    expect(providerSettings({ ...config, model_provider: 'ollama' }, { OPENAI_API_KEY: 'sk-openai' }).client.apiKey).toBeUndefined();
  });

  it('has a status doctor can report without throwing', () => {
    expect(providerKeyStatus({ env_key: null }, {})).toEqual({ type: 'not_needed' });
    expect(providerKeyStatus({ env_key: 'K' }, {})).toEqual({ type: 'missing', envKey: 'K' });
    expect(providerKeyStatus({ env_key: 'K' }, { K: 'v' })).toEqual({ type: 'present', envKey: 'K', apiKey: 'v' });
  });
});

describe('--oss', () => {
  it('selects ollama and its default model, whatever model the file names', async () => {
    const { config } = await setup('model = "gpt-5"\nmodel_provider = "openai"')({ flags: { oss: true } });
    expect(config).toMatchObject({ model_provider: 'ollama', model: 'gpt-oss:20b' });
    expect(providerSettings(config, {}).client).toMatchObject({ baseUrl: 'http://localhost:11434/v1', wireApi: 'chat' });
  });

  it('selects the configured oss_provider', async () => {
    const { config } = await setup('oss_provider = "lmstudio"')({ flags: { oss: true } });
    expect(config.model_provider).toBe('lmstudio');
  });

  it('uses a model named by --model or -c', async () => {
    expect((await setup()({ flags: { oss: true, model: 'qwen3:8b' } })).config.model).toBe('qwen3:8b');
    expect((await setup()({ flags: { oss: true }, overrides: ['model=llama3.1'] })).config.model).toBe('llama3.1');
  });

  it('fails clearly when oss_provider names no provider', async () => {
    await expect(setup('oss_provider = "llamacpp"')({ flags: { oss: true } })).rejects.toThrow(
      'command line (--oss): model_provider: "llamacpp" is not a known provider; known: "lmstudio", "ollama" and "openai"',
    );
  });
});
