/**
 * The providers keel knows without any configuration. A `[model_providers.<id>]` table with a built-in id changes
 * only the fields it sets (pointing `ollama` at another machine needs just `base_url`).
 */
import { invalidValue } from './config-error.ts';
import type { ProviderLayer } from './config-schema.ts';
import { describeValue, isHttpUrl } from './validate-table.ts';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/** The provider `--oss` selects unless `oss_provider` says otherwise. */
export const DEFAULT_OSS_PROVIDER = 'ollama';

export function builtinProviders(env: Readonly<Record<string, string | undefined>>): Record<string, ProviderLayer> {
  return {
    openai: {
      name: 'OpenAI',
      base_url: openaiBaseUrl(env),
      env_key: 'OPENAI_API_KEY',
      wire_api: 'responses',
    },
    // Local servers need no key, so these have no env_key; most speak only Chat Completions.
    ollama: { name: 'Ollama', base_url: 'http://localhost:11434/v1', wire_api: 'chat' },
    lmstudio: { name: 'LM Studio', base_url: 'http://localhost:1234/v1', wire_api: 'chat' },
  };
}

function openaiBaseUrl(env: Readonly<Record<string, string | undefined>>): string {
  const configured = env.OPENAI_BASE_URL?.trim();
  if (configured === undefined || configured === '') return OPENAI_DEFAULT_BASE_URL;
  if (!isHttpUrl(configured)) {
    throw invalidValue('environment', 'OPENAI_BASE_URL', 'an http:// or https:// URL', describeValue(configured));
  }
  return configured;
}
