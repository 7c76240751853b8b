/**
 * Everything a run needs that comes from configuration: config.toml (with the project's file, the profile and
 * `-c` overrides) merged with the command line, then cut into the slices the engine's parts take.
 */
import { spawn } from 'node:child_process';
import type { ModelClientConfig } from '../model/index.ts';
import type { AskForApproval, SandboxPolicy } from '../protocol/index.ts';
import {
  historySettings,
  isConfigError,
  loadConfig,
  modelSettingsFor,
  notifyCommand,
  projectDocMaxBytes,
  providerSettings,
  retrySettings,
  selectedProvider,
  shellEnvironmentPolicy,
  safetySettings,
  type ConfigFlags,
  type KeelConfig,
  type ModelSettings,
} from '../config/index.ts';
import { commandRules } from '../config/config-slices.ts';
import { createNotifier, type Notifier } from '../core/notify-hook.ts';
import { loadProjectInstructions, readTextFileOrNull } from '../core/project-instructions.ts';
import { commandEnv } from '../sandbox/index.ts';
import { secretEnvValues } from '../sandbox/command-env.ts';
import { createTextRedactor } from '../store/redact-secrets.ts';
import type { CommandRule } from '../tools/approval/rules-match.ts';
import { findRepoRoot } from '../util/git-info.ts';
import { UsageError } from './usage-error.ts';
import { warn } from './warnings.ts';

export interface RunSettings {
  model: string;
  providerId: string;
  client: ModelClientConfig;
  maxRetries: number;
  saveHistory: boolean;
  historyMaxBytes: number;
  stateful: boolean;
  notifier: Notifier;
  /** The AGENTS.md message, or null when there is none. */
  userInstructions: string | null;
  /** From config.toml and -s/--full-auto; `keel exec` then forces approvals to `never`. */
  sandboxPolicy: SandboxPolicy;
  /** From config.toml and -a (the interactive UI asks; `keel exec` never does). */
  approvalPolicy: AskForApproval;
  /**
   * What keel sends to and knows about a model: the catalogue with config.toml's overrides (reasoning, verbosity,
   * context window, images), and notes on settings that do not take effect. Any model name; cached per name.
   */
  modelSettings: (model: string) => ModelSettings;
  /** The AGENTS.md files given to the model, for /status. */
  instructionFiles: string[];
  /** The environment every command gets: keel's own, less secrets (secret-looking names and credential values) unless configured. */
  commandEnv: Record<string, string>;
  /** The shell tool the model is offered (config `tools.shell`). */
  shellTool: 'exec_command' | 'shell';
  maxBackgroundProcesses: number;
  /** keel's snapshots of the working tree around each task (config `[snapshots]`). */
  snapshots: KeelConfig['snapshots'];
  /** The enabled and disabled MCP servers of config.toml, by name. */
  mcpServers: KeelConfig['mcp_servers'];
  /** The `[[rules]]` of every config source, for the approval gate. */
  rules: CommandRule[];
  /**
   * Strings never written to the session log or the prompt history, nor given to the notify hook: the API key and
   * the secret values of keel's environment (URLs' credentials are redacted wherever they appear, regardless).
   */
  secrets: string[];
}

export interface RunSettingsInput {
  home: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  profile?: string;
  overrides: string[];
  flags: ConfigFlags;
  /** Command-line values that beat the config. */
  maxRetries?: number;
  idleTimeoutMs?: number;
}

export async function resolveRunSettings(input: RunSettingsInput): Promise<RunSettings> {
  let loaded;
  try {
    loaded = await loadConfig({ home: input.home, cwd: input.cwd, env: input.env, profile: input.profile, overrides: input.overrides, flags: input.flags });
  } catch (error) {
    if (isConfigError(error)) throw new UsageError(error.message);
    throw error;
  }
  const { config } = loaded;
  for (const warning of loaded.warnings) warn(warning);
  const client = providerClient(config, input.env);
  const retry = retrySettings(config);
  const history = historySettings(config);
  const instructions = await loadProjectInstructions({
    cwd: input.cwd,
    repoRoot: findRepoRoot(input.cwd),
    home: input.home,
    maxBytes: projectDocMaxBytes(config),
    readFile: readTextFileOrNull,
  });
  for (const problem of instructions.problems) warn(problem);
  const modelSettings = cachedModelSettings(config);
  for (const note of modelSettings(config.model).notes) warn(note);
  const secrets = [...(client.apiKey === undefined ? [] : [client.apiKey]), ...secretEnvValues(input.env)];
  return {
    model: config.model,
    providerId: config.model_provider,
    client: { ...client, idleTimeoutMs: input.idleTimeoutMs ?? client.idleTimeoutMs ?? retry.streamIdleTimeoutMs },
    maxRetries: input.maxRetries ?? retry.streamMaxRetries,
    saveHistory: history.save,
    historyMaxBytes: history.maxBytes,
    stateful: config.stateful,
    notifier: redactingNotifier(
      createNotifier({
        command: notifyCommand(config),
        spawn,
        onFailure: (error) => warn(`the notify hook could not run: ${error.message}`),
      }),
      secrets,
    ),
    userInstructions: instructions.message,
    commandEnv: filteredEnv(shellEnvironmentPolicy(config), input.env),
    sandboxPolicy: safetySettings(config).sandboxPolicy,
    approvalPolicy: safetySettings(config).approvalPolicy,
    instructionFiles: instructions.files.map((file) => file.path),
    modelSettings,
    shellTool: config.tools.shell,
    maxBackgroundProcesses: config.max_background_processes,
    snapshots: config.snapshots,
    mcpServers: config.mcp_servers,
    rules: commandRules(config),
    secrets,
  };
}

/** The hook is another program: what it is told passes through the same redaction as the session log. */
function redactingNotifier(notifier: Notifier, secrets: readonly string[]): Notifier {
  const redact = createTextRedactor(secrets);
  return {
    notify: (notice) =>
      notifier.notify({
        ...notice,
        inputMessages: notice.inputMessages.map(redact),
        lastAgentMessage: notice.lastAgentMessage === null ? null : redact(notice.lastAgentMessage),
      }),
  };
}

/** The config is frozen, so a model's settings never change during a run; the engine asks for them every request. */
function cachedModelSettings(config: Parameters<typeof modelSettingsFor>[0]): (model: string) => ModelSettings {
  const cache = new Map<string, ModelSettings>();
  return (model) => {
    let settings = cache.get(model);
    if (settings === undefined) {
      settings = modelSettingsFor(config, model);
      cache.set(model, settings);
    }
    return settings;
  };
}

function filteredEnv(policy: ReturnType<typeof shellEnvironmentPolicy>, env: NodeJS.ProcessEnv): Record<string, string> {
  return commandEnv(
    env,
    {
      inherit: policy.inherit,
      ignoreDefaultExcludes: policy.ignore_default_excludes,
      excludeCredentialValues: policy.exclude_credential_values,
      exclude: policy.exclude,
      includeOnly: policy.include_only,
      set: policy.set,
    },
    // Commands run unsandboxed in this version, so nothing is cut off.
    { networkDisabled: false, sandbox: null },
  );
}

/** The provider's client settings; the built-in openai provider also works keyless against a custom OPENAI_BASE_URL. */
function providerClient(config: Parameters<typeof providerSettings>[0], env: NodeJS.ProcessEnv): ModelClientConfig {
  try {
    return providerSettings(config, env).client;
  } catch (error) {
    if (!isConfigError(error) || error.kind !== 'missing_env_key') throw error;
    const { id, provider } = selectedProvider(config);
    if (id === 'openai' && env.OPENAI_BASE_URL?.trim()) {
      // A local or self-hosted server behind OPENAI_BASE_URL often needs no key.
      return { wireApi: provider.wire_api, baseUrl: provider.base_url, headers: { ...provider.http_headers }, queryParams: { ...provider.query_params }, idleTimeoutMs: provider.stream_idle_timeout_ms };
    }
    if (id === 'openai') {
      throw new UsageError(
        'no model to talk to: set OPENAI_API_KEY to use OpenAI, or OPENAI_BASE_URL to use an OpenAI-compatible server ' +
          '(for example OPENAI_BASE_URL=http://localhost:8000/v1), or --oss for a local Ollama. Try "keel demo" to see keel work without either.',
      );
    }
    throw new UsageError(error.message);
  }
}
