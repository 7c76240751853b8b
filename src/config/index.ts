/** The config layer's public surface: load config.toml and its companions into one frozen `KeelConfig`, and slice it. */
export { loadConfig, FLAGS_LABEL } from './load-config.ts';
export type { ConfigFlags, LoadConfigOptions, LoadedConfig } from './load-config.ts';
export { parseOverride } from './parse-override.ts';
export type { ConfigOverride } from './parse-override.ts';
export { ConfigError, isConfigError } from './config-error.ts';
export type { ConfigErrorDetail, ConfigErrorKind } from './config-error.ts';
export { DEFAULT_MODEL, DEFAULT_OSS_MODEL, DEFAULT_PROVIDER, DEFAULT_PROJECT_DOC_MAX_BYTES } from './keel-config.ts';
export type { KeelConfig, ProviderConfig, ShellEnvironmentPolicy } from './keel-config.ts';
export { OPENAI_DEFAULT_BASE_URL, DEFAULT_OSS_PROVIDER } from './builtin-providers.ts';
export { providerSettings, providerKeyStatus, retrySettings, selectedProvider } from './provider-settings.ts';
export type { ProviderKeyStatus, ProviderSettings, ProviderSlice, RetrySettings } from './provider-settings.ts';
export { safetySettings, historySettings, shellEnvironmentPolicy, notifyCommand, projectDocMaxBytes } from './config-slices.ts';
export { contextWindowFor, modelSettingsFor } from './model-settings.ts';
export type { ModelSettings, ModelSettingsSlice } from './model-settings.ts';
export { describeModel, modelChoices } from './model-directory.ts';
export type { ModelChoice, ModelDescription } from './model-directory.ts';
export type { SafetySettings, HistorySettings } from './config-slices.ts';
