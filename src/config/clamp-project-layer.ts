/**
 * A project's `.keel/config.toml` comes with the repository, and a repository can come from anyone. It may pick
 * defaults for its own work (model, provider, tighter approvals, a narrower sandbox) but never grant itself more
 * than the user's own config (defaults + `$KEEL_HOME/config.toml`) allows: a looser value is dropped with a
 * warning. Keys that would let a repository run programs, redirect API keys or read secrets are not honoured at all.
 * Its `[[rules]]` may forbid commands or have them asked about, never allow one: only the user's own config can let
 * a command run without asking and outside the sandbox.
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { ConfigFileLayer, ConfigLayer } from './config-schema.ts';
import { APPROVAL_ORDER, INHERIT_ORDER, isLooser, SANDBOX_ORDER } from './policy-order.ts';
import { completeRule } from './resolve-config.ts';

/** What the user's own config allows. */
export interface UserCeiling {
  /**
   * The merge of the defaults and the user file. A field left unset counts as its tightest value, so a gap can
   * only make a project's value be ignored, never let it through.
   */
  layer: ConfigLayer;
  /** The session's working directory, always writable under `workspace-write`. */
  cwd: string;
}

export interface ClampedProjectLayer {
  layer: ConfigLayer;
  warnings: string[];
}

const NOT_FOR_PROJECTS: Readonly<Record<string, string>> = {
  notify: 'a project cannot choose programs for keel to run',
  mcp_servers: 'a project cannot choose programs for keel to run or servers for it to talk to',
  model_providers: 'a project cannot define or change providers (they decide where your API key is sent)',
  history: 'prompt history settings are yours alone',
  profile: 'profiles belong in your own config',
  profiles: 'profiles belong in your own config',
};

const MODEL_KEYS = [
  'model_context_window',
  'model_auto_compact_token_limit',
  'model_reasoning_effort',
  'model_reasoning_summary',
  'model_verbosity',
  'model_supports_reasoning',
  'model_supports_verbosity',
  'model_supports_images',
] as const satisfies ReadonlyArray<keyof ConfigLayer>;

export function clampProjectLayer(project: ConfigFileLayer, ceiling: UserCeiling, label: string): ClampedProjectLayer {
  const warnings: string[] = [];
  const warn = (keyPath: string, reason: string): void => {
    warnings.push(`${label}: ${keyPath}: ${reason}; ignored`);
  };
  const looser = (keyPath: string, value: string | boolean, allowed: string | boolean): void => {
    warn(keyPath, `${JSON.stringify(value)} is looser than ${JSON.stringify(allowed)}, which your own config allows`);
  };
  const user = tightestWhereUnset(ceiling.layer);
  const layer: ConfigLayer = {};

  for (const [key, reason] of Object.entries(NOT_FOR_PROJECTS)) {
    if (Object.hasOwn(project, key)) warn(key, reason);
  }
  if (project.model !== undefined) layer.model = project.model;
  if (project.model_provider !== undefined) layer.model_provider = project.model_provider;
  if (project.oss_provider !== undefined) layer.oss_provider = project.oss_provider;
  if (project.project_doc_max_bytes !== undefined) layer.project_doc_max_bytes = project.project_doc_max_bytes;
  // Which shell tool the model gets and how many processes it may keep running grant nothing beyond the policy.
  if (project.tools !== undefined) layer.tools = project.tools;
  if (project.max_background_processes !== undefined) layer.max_background_processes = project.max_background_processes;
  // Snapshots are keel's own record of the project's files: a project may size them or turn them off.
  if (project.snapshots !== undefined) layer.snapshots = project.snapshots;
  // What a project says about its model only shapes requests to the provider the user chose; it grants nothing.
  for (const key of MODEL_KEYS) {
    if (project[key] !== undefined) Object.assign(layer, { [key]: project[key] });
  }

  if (project.approval_policy !== undefined) {
    if (isLooser(APPROVAL_ORDER, project.approval_policy, user.approval_policy)) looser('approval_policy', project.approval_policy, user.approval_policy);
    else layer.approval_policy = project.approval_policy;
  }
  if (project.sandbox_mode !== undefined) {
    if (isLooser(SANDBOX_ORDER, project.sandbox_mode, user.sandbox_mode)) looser('sandbox_mode', project.sandbox_mode, user.sandbox_mode);
    else layer.sandbox_mode = project.sandbox_mode;
  }
  if (project.stateful === true && !user.stateful) {
    warn('stateful', 'a project cannot have your conversation kept on the provider\'s servers when your own config does not');
  } else if (project.stateful !== undefined) {
    layer.stateful = project.stateful;
  }

  if (project.rules !== undefined) {
    // Checked here, before any is dropped, so that an error names the entry's place in the project's file.
    layer.rules = project.rules.filter((rule, index) => {
      if (completeRule(rule, label, index).decision !== 'allow') return true;
      warn(`rules[${index}]`, 'a project cannot allow commands (only your own config can); its forbidden and prompt rules apply');
      return false;
    });
  }

  const workspace = project.sandbox_workspace_write;
  if (workspace !== undefined) {
    const narrowed: NonNullable<ConfigLayer['sandbox_workspace_write']> = {};
    if (workspace.network_access === true && !user.sandbox_workspace_write.network_access) {
      looser('sandbox_workspace_write.network_access', true, false);
    } else if (workspace.network_access !== undefined) {
      narrowed.network_access = workspace.network_access;
    }
    if (workspace.writable_roots !== undefined) {
      // Replacing the user's list with a sub-list narrows it; a root outside everything already writable would widen it.
      const allowed = [ceiling.cwd, ...user.sandbox_workspace_write.writable_roots];
      narrowed.writable_roots = workspace.writable_roots.filter((root) => {
        if (allowed.some((parent) => isInside(root, parent))) return true;
        warn('sandbox_workspace_write.writable_roots', `${JSON.stringify(root)} is outside the cwd and your own writable roots`);
        return false;
      });
    }
    layer.sandbox_workspace_write = narrowed;
  }

  const environment = project.shell_environment_policy;
  if (environment !== undefined) {
    const userEnvironment = user.shell_environment_policy;
    const narrowed: NonNullable<ConfigLayer['shell_environment_policy']> = {};
    if (environment.inherit !== undefined) {
      if (isLooser(INHERIT_ORDER, environment.inherit, userEnvironment.inherit)) {
        looser('shell_environment_policy.inherit', environment.inherit, userEnvironment.inherit);
      } else {
        narrowed.inherit = environment.inherit;
      }
    }
    if (environment.ignore_default_excludes === true && !userEnvironment.ignore_default_excludes) {
      warn('shell_environment_policy.ignore_default_excludes', 'a project cannot pass variables named like secrets to commands');
    } else if (environment.ignore_default_excludes !== undefined) {
      narrowed.ignore_default_excludes = environment.ignore_default_excludes;
    }
    if (environment.exclude_credential_values === false && userEnvironment.exclude_credential_values) {
      warn('shell_environment_policy.exclude_credential_values', 'a project cannot pass values that look like credentials to commands');
    } else if (environment.exclude_credential_values !== undefined) {
      narrowed.exclude_credential_values = environment.exclude_credential_values;
    }
    // More exclusions only ever remove variables; they are added to the user's, never put in their place.
    if (environment.exclude !== undefined) narrowed.exclude = [...new Set([...userEnvironment.exclude, ...environment.exclude])];
    if (environment.include_only !== undefined) {
      const userList = userEnvironment.include_only;
      if (userList.length === 0 || environment.include_only.every((pattern) => userList.includes(pattern))) {
        narrowed.include_only = environment.include_only;
      } else {
        warn('shell_environment_policy.include_only', 'it would let commands see variables your own include_only hides');
      }
    }
    if (environment.set !== undefined) {
      warn('shell_environment_policy.set', 'a project cannot set variables for commands (PATH or LD_PRELOAD could get around approvals)');
    }
    layer.shell_environment_policy = narrowed;
  }
  return { layer, warnings };
}

function tightestWhereUnset(layer: ConfigLayer) {
  const workspace = layer.sandbox_workspace_write ?? {};
  const environment = layer.shell_environment_policy ?? {};
  return {
    approval_policy: layer.approval_policy ?? APPROVAL_ORDER[0],
    sandbox_mode: layer.sandbox_mode ?? SANDBOX_ORDER[0],
    stateful: layer.stateful ?? false,
    sandbox_workspace_write: { writable_roots: workspace.writable_roots ?? [], network_access: workspace.network_access ?? false },
    shell_environment_policy: {
      inherit: environment.inherit ?? INHERIT_ORDER[0],
      ignore_default_excludes: environment.ignore_default_excludes ?? false,
      exclude_credential_values: environment.exclude_credential_values ?? true,
      exclude: environment.exclude ?? [],
      include_only: environment.include_only ?? [],
    },
  };
}

function isInside(path: string, parent: string): boolean {
  const rel = relative(parent, path);
  return !isAbsolute(rel) && rel.split(sep)[0] !== '..';
}
