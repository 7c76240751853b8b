/**
 * The configuration keel runs with: every source merged, every default filled in, frozen. Field names are the
 * keys of config.toml, so a value seen here, in an error message and in a `-c` override is spelled the same way.
 * Code that needs part of it takes a slice (config-slices.ts, provider-settings.ts), not the whole object.
 */
import type { ReasoningSummary, ReasoningEffort, Verbosity, WireApi } from '../model/index.ts';
import type { AskForApproval, SandboxMode } from '../protocol/index.ts';
import { DEFAULT_HISTORY_MAX_BYTES } from '../store/index.ts';
import { DEFAULT_OSS_PROVIDER } from './builtin-providers.ts';
import type { ConfigLayer } from './config-schema.ts';
import type { EnvironmentInherit } from './policy-order.ts';

export interface ProviderConfig {
  /** Shown to people (`/status`, `keel doctor`). */
  readonly name: string;
  readonly base_url: string;
  /** The environment variable holding the API key; null for servers that need none. The key itself is never stored here. */
  readonly env_key: string | null;
  readonly wire_api: WireApi;
  readonly query_params: Readonly<Record<string, string>>;
  readonly http_headers: Readonly<Record<string, string>>;
  /** Re-sends of a request that failed before its stream started. */
  readonly request_max_retries: number;
  /** Re-sends of a request whose stream broke off. */
  readonly stream_max_retries: number;
  readonly stream_idle_timeout_ms: number;
}

export type McpTransportConfig =
  | { readonly type: 'stdio'; readonly command: string; readonly args: readonly string[]; readonly env: Readonly<Record<string, string>>; readonly cwd: string | null }
  | { readonly type: 'http'; readonly url: string; readonly bearer_token_env_var: string | null; readonly http_headers: Readonly<Record<string, string>> };

export interface McpServerConfig {
  readonly transport: McpTransportConfig;
  readonly startup_timeout_sec: number;
  readonly tool_timeout_sec: number;
  readonly enabled: boolean;
  /** null: every tool the server lists. */
  readonly enabled_tools: readonly string[] | null;
  readonly disabled_tools: readonly string[];
  readonly default_tools_approval_mode: 'auto' | 'prompt' | 'approve';
}

export const MCP_DEFAULTS = { startup_timeout_sec: 10, tool_timeout_sec: 60 } as const;

export interface ShellEnvironmentPolicy {
  readonly inherit: EnvironmentInherit;
  /**
   * When false, variables whose names contain KEY, SECRET, TOKEN, PASSWORD, PASSWD, CREDENTIAL or AUTH are never
   * passed to commands.
   */
  readonly ignore_default_excludes: boolean;
  /** When true, variables whose value looks like a credential (a URL with a password in it) are never passed. */
  readonly exclude_credential_values: boolean;
  /** Name patterns (globs) removed from the inherited environment. */
  readonly exclude: readonly string[];
  /** Variables set for every command, after inheritance and exclusion. */
  readonly set: Readonly<Record<string, string>>;
  /** When non-empty, only inherited variables matching one of these patterns are kept. */
  readonly include_only: readonly string[];
}

/** A `[[rules]]` entry of any config source, with the place it was written. */
export interface ConfiguredRule {
  /** The program and its first arguments; an element that is a list matches any of its words. */
  readonly pattern: readonly (string | readonly string[])[];
  readonly decision: 'allow' | 'prompt' | 'forbidden';
  readonly justification: string | null;
  /** The source's label (a file, `-c …`), for messages. */
  readonly source: string;
}

export interface KeelConfig {
  readonly model: string;
  /** The id of the provider in use; always a key of `model_providers`. */
  readonly model_provider: string;
  readonly oss_provider: string;
  /** The built-in providers and the configured ones, each with its defaults filled in. */
  readonly model_providers: Readonly<Record<string, ProviderConfig>>;
  readonly approval_policy: AskForApproval;
  readonly sandbox_mode: SandboxMode;
  readonly sandbox_workspace_write: {
    /** Absolute paths, in addition to the cwd. */
    readonly writable_roots: readonly string[];
    readonly network_access: boolean;
  };
  readonly shell_environment_policy: ShellEnvironmentPolicy;
  /** The program and its first arguments; null when no hook is configured. */
  readonly notify: readonly string[] | null;
  readonly history: {
    readonly persistence: 'save-all' | 'none';
    readonly max_bytes: number;
  };
  /** Budget for AGENTS.md text; 0 turns project instructions off. */
  readonly project_doc_max_bytes: number;
  readonly tools: { readonly shell: 'exec_command' | 'shell' };
  /** The MCP servers whose tools the model gets, by name. */
  readonly mcp_servers: Readonly<Record<string, McpServerConfig>>;
  /**
   * The rules of every source, lowest first: the user file, the project file (forbidden and prompt rules only), the
   * profile, `-c` overrides. They add up; the strictest that applies to a command wins.
   */
  readonly rules: readonly ConfiguredRule[];
  readonly max_background_processes: number;
  readonly snapshots: { readonly enabled: boolean; readonly max_file_bytes: number; readonly max_files: number };
  /**
   * What config.toml says about the model, each overriding the model catalogue (src/model/model-catalogue.ts); null
   * where it says nothing. They apply to whatever model the run uses. See config/model-settings.ts.
   */
  readonly model_context_window: number | null;
  /** Compaction starts once the usage the server last reported reaches it; null: 80% of the model's window. */
  readonly model_auto_compact_token_limit: number | null;
  /** `none`: no effort is sent. */
  readonly model_reasoning_effort: ReasoningEffort | 'none' | null;
  /** `none`: no summary is asked for. */
  readonly model_reasoning_summary: ReasoningSummary | 'none' | null;
  readonly model_verbosity: Verbosity | null;
  readonly model_supports_reasoning: boolean | null;
  readonly model_supports_verbosity: boolean | null;
  readonly model_supports_images: boolean | null;
  /** Use `previous_response_id` (server-side conversation state) instead of sending the whole history. */
  readonly stateful: boolean;
  /** The profile in force, if any. */
  readonly profile: string | null;
}

export const DEFAULT_MODEL = 'gpt-5-codex';
/** The model `--oss` asks the local server for unless `--model` (or `-c model=`) names another. */
export const DEFAULT_OSS_MODEL = 'gpt-oss:20b';
export const DEFAULT_PROVIDER = 'openai';
export const DEFAULT_PROJECT_DOC_MAX_BYTES = 32 * 1024;

export const PROVIDER_DEFAULTS = {
  // Custom providers are mostly OpenAI-compatible local or proxy servers, which speak Chat Completions.
  wire_api: 'chat',
  request_max_retries: 4,
  stream_max_retries: 5,
  stream_idle_timeout_ms: 300_000,
} as const satisfies Partial<ProviderConfig>;

/**
 * The bottom layer. Approvals and the sandbox default to the reference's safe pair: the model works in a
 * read-only sandbox and asks when it needs more.
 */
export const DEFAULT_LAYER: ConfigLayer = {
  model: DEFAULT_MODEL,
  model_provider: DEFAULT_PROVIDER,
  oss_provider: DEFAULT_OSS_PROVIDER,
  approval_policy: 'on-request',
  sandbox_mode: 'read-only',
  sandbox_workspace_write: { writable_roots: [], network_access: false },
  shell_environment_policy: { inherit: 'all', ignore_default_excludes: false, exclude_credential_values: true, exclude: [], set: {}, include_only: [] },
  notify: [],
  history: { persistence: 'save-all', max_bytes: DEFAULT_HISTORY_MAX_BYTES },
  project_doc_max_bytes: DEFAULT_PROJECT_DOC_MAX_BYTES,
  tools: { shell: 'exec_command' },
  max_background_processes: 8,
  snapshots: { enabled: true, max_file_bytes: 10 * 1024 * 1024, max_files: 20_000 },
  stateful: false,
};
