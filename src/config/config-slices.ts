/**
 * The small views of the config that the rest of keel takes (DESIGN.md: functions take the slice they need).
 * Each takes only the fields it reads, so a test or a caller can pass a literal instead of a whole config.
 */
import type { AskForApproval, SandboxPolicy } from '../protocol/index.ts';
import type { KeelConfig, ShellEnvironmentPolicy } from './keel-config.ts';

export interface SafetySettings {
  approvalPolicy: AskForApproval;
  sandboxPolicy: SandboxPolicy;
}

export interface HistorySettings {
  /** False when `persistence = "none"`: prompts are not written to `$KEEL_HOME/history.jsonl`. */
  save: boolean;
  maxBytes: number;
}

export function safetySettings(config: Pick<KeelConfig, 'approval_policy' | 'sandbox_mode' | 'sandbox_workspace_write'>): SafetySettings {
  return { approvalPolicy: config.approval_policy, sandboxPolicy: sandboxPolicy(config) };
}

function sandboxPolicy(config: Pick<KeelConfig, 'sandbox_mode' | 'sandbox_workspace_write'>): SandboxPolicy {
  switch (config.sandbox_mode) {
    case 'read-only':
      return { type: 'read-only' };
    case 'danger-full-access':
      return { type: 'danger-full-access' };
    case 'workspace-write':
      return {
        type: 'workspace-write',
        writable_roots: [...config.sandbox_workspace_write.writable_roots],
        network_access: config.sandbox_workspace_write.network_access,
      };
  }
}

export function historySettings(config: Pick<KeelConfig, 'history'>): HistorySettings {
  return { save: config.history.persistence === 'save-all', maxBytes: config.history.max_bytes };
}

export function shellEnvironmentPolicy(config: Pick<KeelConfig, 'shell_environment_policy'>): ShellEnvironmentPolicy {
  return config.shell_environment_policy;
}

/** The notify hook's program and leading arguments, or null when none is configured. */
export function notifyCommand(config: Pick<KeelConfig, 'notify'>): readonly string[] | null {
  return config.notify;
}

export function projectDocMaxBytes(config: Pick<KeelConfig, 'project_doc_max_bytes'>): number {
  return config.project_doc_max_bytes;
}

/** Context windows of common models, in tokens, matched by name prefix. */
const KNOWN_CONTEXT_WINDOWS: ReadonlyArray<[prefix: string, tokens: number]> = [
  ['gpt-4.1', 1_047_576],
  ['gpt-4o', 128_000],
  ['gpt-5', 272_000],
  ['o4-mini', 200_000],
  ['o3', 200_000],
];

/** Share of the window a front end reports as usable: the rest is headroom for the answer and for estimates' error. */
const USABLE_WINDOW_PERCENT = 95;

/**
 * The usable context window of `model`: `model_context_window` when configured (it applies to every model of the
 * run), else the known window of a common model; null when unknown.
 */
export function contextWindowFor(config: Pick<KeelConfig, 'model_context_window'>, model: string): number | null {
  const known = KNOWN_CONTEXT_WINDOWS.find(([prefix]) => model.startsWith(prefix))?.[1] ?? null;
  const window = config.model_context_window ?? known;
  return window === null ? null : Math.floor((window * USABLE_WINDOW_PERCENT) / 100);
}
