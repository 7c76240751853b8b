/**
 * Every key keel reads from config.toml, with the shape it must have. A "layer" is what one source (the user
 * file, a project file, a profile, the `-c` overrides, the command line) says; `profile` and `[profiles.*]` exist
 * only at the top of a file, so a profile cannot name another profile.
 */
import { REASONING_EFFORTS, REASONING_SUMMARIES, VERBOSITIES, type WireApi } from '../model/index.ts';
import { RULE_DECISIONS } from '../tools/approval/rules-match.ts';
import { APPROVAL_ORDER, INHERIT_ORDER, SANDBOX_ORDER } from './policy-order.ts';
import {
  exampleList,
  flag,
  httpUrl,
  oneOf,
  pathList,
  table,
  tableList,
  tableMap,
  text,
  textList,
  textMap,
  wholeNumber,
  wordPattern,
  type Infer,
} from './field-spec.ts';

export const WIRE_APIS = ['responses', 'chat'] as const satisfies readonly WireApi[];
export const HISTORY_PERSISTENCE = ['save-all', 'none'] as const;
/** The shell tool offered to the model: `exec_command` (with `write_stdin`, background processes) or `shell`. */
export const SHELL_TOOLS = ['exec_command', 'shell'] as const;
/** A cap on the cap: each background process holds a process group and an output window. */
export const MAX_BACKGROUND_PROCESSES = 64;
/** `none` sends no effort (the server's default applies), as Codex users know it. */
export const EFFORT_SETTINGS = [...REASONING_EFFORTS, 'none'] as const;
/** `none` asks for no reasoning summary. */
export const SUMMARY_SETTINGS = [...REASONING_SUMMARIES, 'none'] as const;

/** Retries are capped so that a typo (`1000`) cannot keep a session re-sending for hours. */
const MAX_RETRIES = 100;

export const providerSpec = table({
  name: text(),
  base_url: httpUrl(),
  env_key: text(),
  wire_api: oneOf(WIRE_APIS),
  query_params: textMap(),
  http_headers: textMap(),
  request_max_retries: wholeNumber(0, MAX_RETRIES),
  stream_max_retries: wholeNumber(0, MAX_RETRIES),
  stream_idle_timeout_ms: wholeNumber(1),
});

/** `auto`: read-only tools run, others follow the approval policy; `prompt`: always ask; `approve`: never ask. */
export const MCP_APPROVAL_MODES = ['auto', 'prompt', 'approve'] as const;

export const mcpServerSpec = table({
  /** stdio: the program that runs the server. */
  command: text(),
  args: textList(),
  env: textMap(),
  cwd: text(),
  /** Streamable HTTP: the server's endpoint. */
  url: httpUrl(),
  /** The environment variable holding the bearer token (never the token itself). */
  bearer_token_env_var: text(),
  http_headers: textMap(),
  startup_timeout_sec: wholeNumber(1, 600),
  tool_timeout_sec: wholeNumber(1, 24 * 3600),
  enabled: flag(),
  /** Only these tools are offered (absent: all). */
  enabled_tools: textList(),
  disabled_tools: textList(),
  default_tools_approval_mode: oneOf(MCP_APPROVAL_MODES),
});

/**
 * A `[[rules]]` entry: Codex's prefix rule. `pattern` is the program and its first arguments (an element may list
 * alternatives); `decision` is required here (Codex defaults it to allow, which a forgotten line would turn into a
 * silent allow). `match` / `not_match` are examples checked when the config loads.
 */
export const ruleSpec = table({
  pattern: wordPattern(),
  decision: oneOf(RULE_DECISIONS),
  justification: text(),
  match: exampleList(),
  not_match: exampleList(),
});

export const layerSpec = table({
  model: text(),
  model_provider: text(),
  /** Which provider `--oss` selects; "ollama" unless set. */
  oss_provider: text(),
  model_providers: tableMap(providerSpec),
  approval_policy: oneOf(APPROVAL_ORDER),
  sandbox_mode: oneOf(SANDBOX_ORDER),
  sandbox_workspace_write: table({
    writable_roots: pathList(),
    network_access: flag(),
  }),
  shell_environment_policy: table({
    inherit: oneOf(INHERIT_ORDER),
    ignore_default_excludes: flag(),
    /** Drop variables whose value looks like a credential (a URL with a password), whatever their name. */
    exclude_credential_values: flag(),
    exclude: textList(),
    set: textMap(),
    include_only: textList(),
  }),
  /** An empty array turns the hook off (a profile can silence a notifier the file sets). */
  notify: textList(),
  history: table({
    persistence: oneOf(HISTORY_PERSISTENCE),
    max_bytes: wholeNumber(1),
  }),
  project_doc_max_bytes: wholeNumber(0),
  tools: table({ shell: oneOf(SHELL_TOOLS) }),
  /** keel's snapshots of the working tree around each task (undo, diffs of shell edits). */
  snapshots: table({
    enabled: flag(),
    /** Files larger than this are not recorded (and not restored by undo). */
    max_file_bytes: wholeNumber(1),
    /** Outside a git repository: no snapshot of a directory with more files than this. */
    max_files: wholeNumber(1),
  }),
  mcp_servers: tableMap(mcpServerSpec),
  /** Every layer's rules apply together (they are not replaced by a later layer); see resolve-config.ts. */
  rules: tableList(ruleSpec),
  /** How many `exec_command` processes may run in the background at once. */
  max_background_processes: wholeNumber(1, MAX_BACKGROUND_PROCESSES),
  /** Tokens the model's context holds, for "context left"; unset: the model catalogue's, else unknown. */
  model_context_window: wholeNumber(1),
  /** Compact the context once the last reported usage reaches this many tokens; unset: 80% of the model's window. */
  model_auto_compact_token_limit: wholeNumber(1),
  /** Sent as `reasoning.effort` to models that reason; unset: the catalogue's default for the model. */
  model_reasoning_effort: oneOf(EFFORT_SETTINGS),
  /** Sent as `reasoning.summary` to models that reason; unset: `auto` where the model writes summaries. */
  model_reasoning_summary: oneOf(SUMMARY_SETTINGS),
  /** Sent as `text.verbosity` to models that take it. */
  model_verbosity: oneOf(VERBOSITIES),
  /** Overrides the catalogue: whether the model takes reasoning parameters (and returns encrypted reasoning). */
  model_supports_reasoning: flag(),
  /** Overrides the catalogue: whether the model takes `text.verbosity`. */
  model_supports_verbosity: flag(),
  /** Overrides the catalogue: whether the model accepts images. */
  model_supports_images: flag(),
  stateful: flag(),
});

export const fileSpec = table({
  ...layerSpec.fields,
  profile: text(),
  profiles: tableMap(layerSpec),
});

export type ProviderLayer = Infer<typeof providerSpec>;
export type McpServerLayer = Infer<typeof mcpServerSpec>;
export type RuleLayer = Infer<typeof ruleSpec>;
export type ConfigLayer = Infer<typeof layerSpec>;
export type ConfigFileLayer = Infer<typeof fileSpec>;
