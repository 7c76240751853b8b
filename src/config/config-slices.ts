/**
 * The small views of the config that the rest of keel takes (DESIGN.md: functions take the slice they need).
 * Each takes only the fields it reads, so a test or a caller can pass a literal instead of a whole config.
 */
import type { AskForApproval, SandboxPolicy } from '../protocol/index.ts';
import type { CommandRule } from '../tools/approval/rules-match.ts';
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

/** The `[[rules]]` of every source, as the approval decision takes them; `source` names where each is written. */
export function commandRules(config: Pick<KeelConfig, 'rules'>): CommandRule[] {
  return config.rules.map((rule) => ({ pattern: rule.pattern, decision: rule.decision, justification: rule.justification, source: rule.source }));
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
