/**
 * The provider slice of the config: which server to talk to, how, and with which key. The key is read here, at
 * the last moment, from the provider's `env_key` only (never from the file, never from another variable), so a
 * missing one is reported with the variable's name before any request goes out.
 */
import type { ModelClientConfig } from '../model/index.ts';
import { ConfigError } from './config-error.ts';
import type { KeelConfig, ProviderConfig } from './keel-config.ts';

export type ProviderSlice = Pick<KeelConfig, 'model_provider' | 'model_providers'>;

export type ProviderKeyStatus =
  /** The provider has no `env_key`: a local server that takes requests without a key. */
  | { type: 'not_needed' }
  | { type: 'present'; envKey: string; apiKey: string }
  | { type: 'missing'; envKey: string };

export interface ProviderSettings {
  id: string;
  name: string;
  /** Everything `createModelClient` needs, the API key included. */
  client: ModelClientConfig;
}

export interface RetrySettings {
  requestMaxRetries: number;
  streamMaxRetries: number;
  streamIdleTimeoutMs: number;
}

export function selectedProvider(config: ProviderSlice): { id: string; provider: ProviderConfig } {
  const provider = Object.hasOwn(config.model_providers, config.model_provider) ? config.model_providers[config.model_provider] : undefined;
  // loadConfig guarantees the selected provider exists; a hand-built config that breaks this is a bug.
  if (provider === undefined) throw new Error(`keel bug: model_provider ${JSON.stringify(config.model_provider)} is not in model_providers`);
  return { id: config.model_provider, provider };
}

/** For `keel doctor`, which reports a missing key instead of stopping at it. */
export function providerKeyStatus(provider: Pick<ProviderConfig, 'env_key'>, env: Readonly<Record<string, string | undefined>>): ProviderKeyStatus {
  if (provider.env_key === null) return { type: 'not_needed' };
  // A variable set to blanks is as good as unset: sending "Bearer " would only earn a confusing 401.
  const apiKey = env[provider.env_key]?.trim();
  return apiKey === undefined || apiKey === '' ? { type: 'missing', envKey: provider.env_key } : { type: 'present', envKey: provider.env_key, apiKey };
}

/** Throws `ConfigError` of kind `missing_env_key` when the provider needs a key and its variable is unset or empty. */
export function providerSettings(config: ProviderSlice, env: Readonly<Record<string, string | undefined>>): ProviderSettings {
  const { id, provider } = selectedProvider(config);
  const key = providerKeyStatus(provider, env);
  if (key.type === 'missing') {
    throw new ConfigError(
      { kind: 'missing_env_key', provider: id, envKey: key.envKey },
      `provider ${JSON.stringify(id)} (${provider.name}) reads its API key from ${key.envKey}, which is not set: ` +
        `set ${key.envKey}, or pick another provider (--oss for a local model, or model_provider in config.toml)`,
    );
  }
  return {
    id,
    name: provider.name,
    client: {
      wireApi: provider.wire_api,
      baseUrl: provider.base_url,
      apiKey: key.type === 'present' ? key.apiKey : undefined,
      headers: { ...provider.http_headers },
      queryParams: { ...provider.query_params },
      idleTimeoutMs: provider.stream_idle_timeout_ms,
    },
  };
}

export function retrySettings(config: ProviderSlice): RetrySettings {
  const { provider } = selectedProvider(config);
  return {
    requestMaxRetries: provider.request_max_retries,
    streamMaxRetries: provider.stream_max_retries,
    streamIdleTimeoutMs: provider.stream_idle_timeout_ms,
  };
}
