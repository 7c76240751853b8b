/**
 * Stacks the validated layers (lowest first), fills in what no layer set, checks what only the whole can show (a
 * custom provider without a `base_url`, a `model_provider` nobody defines) and freezes the result.
 */
import { describePattern, RULE_DECISIONS } from '../tools/approval/rules-match.ts';
import { ruleMatchesExample } from '../tools/approval/rules-check.ts';
import { ConfigError, invalidValue, quotedList } from './config-error.ts';
import type { ConfigLayer, McpServerLayer, ProviderLayer, RuleLayer } from './config-schema.ts';
import {
  MCP_DEFAULTS,
  PROVIDER_DEFAULTS,
  type ConfiguredRule,
  type KeelConfig,
  type McpServerConfig,
  type McpTransportConfig,
  type ProviderConfig,
} from './keel-config.ts';
import { mergeLayers } from './merge-layers.ts';
import { describeValue, formatKeyPath, setOwn } from './validate-table.ts';

export interface LabelledLayer {
  /** Names the source in messages: a file's path, `-c …`, `command line`. */
  label: string;
  layer: ConfigLayer;
}

/** `layers[0]` must be the defaults layer, which sets every field except providers' optional ones. */
export function resolveConfig(layers: readonly LabelledLayer[], profile: string | null): KeelConfig {
  const merged = mergeLayers(...layers.map((source) => source.layer));
  const providers: Record<string, ProviderConfig> = {};
  for (const [id, provider] of Object.entries(merged.model_providers ?? {})) {
    setOwn(providers, id, completeProvider(id, provider, layers));
  }
  const providerId = required(merged.model_provider);
  if (!Object.hasOwn(providers, providerId)) {
    const setter = [...layers].reverse().find((source) => source.layer.model_provider !== undefined);
    const known = Object.keys(providers).sort();
    throw new ConfigError(
      { kind: 'unknown_provider', provider: providerId, known },
      `${setter?.label ?? 'config'}: model_provider: ${describeValue(providerId)} is not a known provider; known: ${quotedList(known, 'and')} ` +
        `(define it in a [model_providers.${formatKeyPath([providerId])}] table)`,
    );
  }
  const workspace = required(merged.sandbox_workspace_write);
  const environment = required(merged.shell_environment_policy);
  const history = required(merged.history);
  const notify = required(merged.notify);
  const config: KeelConfig = {
    model: required(merged.model),
    model_provider: providerId,
    oss_provider: required(merged.oss_provider),
    model_providers: providers,
    approval_policy: required(merged.approval_policy),
    sandbox_mode: required(merged.sandbox_mode),
    sandbox_workspace_write: {
      writable_roots: required(workspace.writable_roots),
      network_access: required(workspace.network_access),
    },
    shell_environment_policy: {
      inherit: required(environment.inherit),
      ignore_default_excludes: required(environment.ignore_default_excludes),
      exclude_credential_values: required(environment.exclude_credential_values),
      exclude: required(environment.exclude),
      set: required(environment.set),
      include_only: required(environment.include_only),
    },
    notify: notify.length === 0 ? null : notify,
    history: { persistence: required(history.persistence), max_bytes: required(history.max_bytes) },
    project_doc_max_bytes: required(merged.project_doc_max_bytes),
    tools: { shell: required(required(merged.tools).shell) },
    mcp_servers: mcpServers(merged.mcp_servers ?? {}, layers),
    // Rules add up across sources instead of a later array replacing an earlier one.
    rules: layers.flatMap((source) => (source.layer.rules ?? []).map((rule, index) => completeRule(rule, source.label, index))),
    max_background_processes: required(merged.max_background_processes),
    snapshots: {
      enabled: required(required(merged.snapshots).enabled),
      max_file_bytes: required(required(merged.snapshots).max_file_bytes),
      max_files: required(required(merged.snapshots).max_files),
    },
    model_context_window: merged.model_context_window ?? null,
    model_auto_compact_token_limit: merged.model_auto_compact_token_limit ?? null,
    model_reasoning_effort: merged.model_reasoning_effort ?? null,
    model_reasoning_summary: merged.model_reasoning_summary ?? null,
    model_verbosity: merged.model_verbosity ?? null,
    model_supports_reasoning: merged.model_supports_reasoning ?? null,
    model_supports_verbosity: merged.model_supports_verbosity ?? null,
    model_supports_images: merged.model_supports_images ?? null,
    stateful: required(merged.stateful),
    profile,
  };
  return deepFreeze(config);
}

function completeProvider(id: string, provider: ProviderLayer, layers: readonly LabelledLayer[]): ProviderConfig {
  if (provider.base_url === undefined) {
    // Blame the first source that mentions the provider: that is where its definition starts.
    const origin = layers.find((source) => source.layer.model_providers !== undefined && Object.hasOwn(source.layer.model_providers, id));
    throw invalidValue(origin?.label ?? 'config', formatKeyPath(['model_providers', id, 'base_url']), 'an http:// or https:// URL', null);
  }
  return {
    name: provider.name ?? id,
    base_url: provider.base_url,
    env_key: provider.env_key ?? null,
    wire_api: provider.wire_api ?? PROVIDER_DEFAULTS.wire_api,
    query_params: provider.query_params ?? {},
    http_headers: provider.http_headers ?? {},
    request_max_retries: provider.request_max_retries ?? PROVIDER_DEFAULTS.request_max_retries,
    stream_max_retries: provider.stream_max_retries ?? PROVIDER_DEFAULTS.stream_max_retries,
    stream_idle_timeout_ms: provider.stream_idle_timeout_ms ?? PROVIDER_DEFAULTS.stream_idle_timeout_ms,
  };
}

function mcpServers(servers: Record<string, McpServerLayer>, layers: readonly LabelledLayer[]): Record<string, McpServerConfig> {
  const result: Record<string, McpServerConfig> = {};
  for (const [name, server] of Object.entries(servers)) setOwn(result, name, completeMcpServer(name, server, layers));
  return result;
}

function completeMcpServer(name: string, server: McpServerLayer, layers: readonly LabelledLayer[]): McpServerConfig {
  const origin = layers.find((source) => source.layer.mcp_servers !== undefined && Object.hasOwn(source.layer.mcp_servers, name))?.label ?? 'config';
  const path = (key: string): string => formatKeyPath(['mcp_servers', name, key]);
  if ((server.command === undefined) === (server.url === undefined)) {
    throw new ConfigError(
      { kind: 'invalid', file: origin, keyPath: path('command'), expected: 'either command or url', got: null },
      server.command === undefined
        ? `${origin}: ${formatKeyPath(['mcp_servers', name])}: give either command (a stdio server) or url (a streamable HTTP server)`
        : `${origin}: ${formatKeyPath(['mcp_servers', name])}: command and url are both set; a server is either stdio (command) or streamable HTTP (url)`,
    );
  }
  const transport: McpTransportConfig =
    server.command !== undefined
      ? { type: 'stdio', command: server.command, args: server.args ?? [], env: server.env ?? {}, cwd: server.cwd ?? null }
      : { type: 'http', url: server.url!, bearer_token_env_var: server.bearer_token_env_var ?? null, http_headers: server.http_headers ?? {} };
  return {
    transport,
    startup_timeout_sec: server.startup_timeout_sec ?? MCP_DEFAULTS.startup_timeout_sec,
    tool_timeout_sec: server.tool_timeout_sec ?? MCP_DEFAULTS.tool_timeout_sec,
    enabled: server.enabled ?? true,
    enabled_tools: server.enabled_tools ?? null,
    disabled_tools: server.disabled_tools ?? [],
    default_tools_approval_mode: server.default_tools_approval_mode ?? 'auto',
  };
}

/**
 * A rule as the engine takes it: `pattern` and `decision` present, its `match` / `not_match` examples checked (a
 * rule whose examples fail is a rule that does not do what its author thinks). Errors name the source and the key.
 */
export function completeRule(rule: RuleLayer, label: string, index: number): ConfiguredRule {
  const path = (...keys: (string | number)[]): string => formatKeyPath(['rules', index, ...keys]);
  if (rule.pattern === undefined) throw invalidValue(label, path('pattern'), 'a non-empty array of words (each a string, or an array of alternative strings)', null);
  if (rule.decision === undefined) throw invalidValue(label, path('decision'), quotedList(RULE_DECISIONS), null);
  const completed: ConfiguredRule = { pattern: rule.pattern, decision: rule.decision, justification: rule.justification ?? null, source: label };
  const shown = describePattern(rule.pattern);
  for (const [key, wanted] of [['match', true], ['not_match', false]] as const) {
    for (const [at, example] of (rule[key] ?? []).entries()) {
      if (ruleMatchesExample(completed, example) === wanted) continue;
      const got = typeof example === 'string' ? JSON.stringify(example) : describePattern(example);
      throw invalidValue(label, path(key, at), `a command the pattern ${shown} ${wanted ? 'matches' : 'does not match'}`, got);
    }
  }
  return completed;
}

/** The defaults layer sets every field, so a gap here is a bug in keel, not in the user's file. */
function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('keel bug: the defaults layer leaves a config field unset');
  return value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
