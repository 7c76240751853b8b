import { describe, expect, it } from 'vitest';
import { commandRules, historySettings, notifyCommand, projectDocMaxBytes, safetySettings, shellEnvironmentPolicy } from './config-slices.ts';

describe('config slices', () => {
  const workspace = { writable_roots: ['/data'], network_access: true };

  it('turns the sandbox mode and its table into the protocol\'s sandbox policy', () => {
    expect(safetySettings({ approval_policy: 'never', sandbox_mode: 'read-only', sandbox_workspace_write: workspace })).toEqual({
      approvalPolicy: 'never',
      sandboxPolicy: { type: 'read-only' },
    });
    expect(safetySettings({ approval_policy: 'on-request', sandbox_mode: 'workspace-write', sandbox_workspace_write: workspace }).sandboxPolicy).toEqual({
      type: 'workspace-write',
      writable_roots: ['/data'],
      network_access: true,
    });
    expect(safetySettings({ approval_policy: 'untrusted', sandbox_mode: 'danger-full-access', sandbox_workspace_write: workspace }).sandboxPolicy).toEqual({
      type: 'danger-full-access',
    });
  });

  it('gives the history, environment, notify and AGENTS.md settings as plain values', () => {
    expect(historySettings({ history: { persistence: 'none', max_bytes: 10 } })).toEqual({ save: false, maxBytes: 10 });
    expect(historySettings({ history: { persistence: 'save-all', max_bytes: 10 } }).save).toBe(true);
    const policy = { inherit: 'core', ignore_default_excludes: false, exclude_credential_values: true, exclude: ['A*'], set: { X: '1' }, include_only: [] } as const;
    expect(shellEnvironmentPolicy({ shell_environment_policy: policy })).toEqual(policy);
    expect(notifyCommand({ notify: null })).toBeNull();
    expect(notifyCommand({ notify: ['say', 'done'] })).toEqual(['say', 'done']);
    expect(projectDocMaxBytes({ project_doc_max_bytes: 0 })).toBe(0);
  });

  it('gives the rules of every source as the approval decision takes them, with where each is written', () => {
    const rules = [{ pattern: ['git', ['push', 'fetch']], decision: 'prompt', justification: null, source: '~/.keel/config.toml' }] as const;
    expect(commandRules({ rules })).toEqual([{ pattern: ['git', ['push', 'fetch']], decision: 'prompt', justification: null, source: '~/.keel/config.toml' }]);
    expect(commandRules({ rules: [] })).toEqual([]);
  });
});
