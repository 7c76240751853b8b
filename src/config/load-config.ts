/**
 * Loads the configuration a session runs with. Sources, lowest first:
 *   defaults (with the built-in providers) < `$KEEL_HOME/config.toml` < the project's `.keel/config.toml` (clamped:
 *   it may tighten, never loosen) < the selected profile < `-c` overrides (in order) < `--oss` < other flags.
 * Every source is validated on its own, so an error names the one place to fix.
 */
import { join } from 'node:path';
import { builtinProviders } from './builtin-providers.ts';
import { clampProjectLayer } from './clamp-project-layer.ts';
import { displayPath, findProjectConfig, readTomlFile } from './config-files.ts';
import { ConfigError, quotedList } from './config-error.ts';
import { fileSpec, layerSpec, type ConfigFileLayer, type ConfigLayer } from './config-schema.ts';
import { DEFAULT_LAYER, DEFAULT_OSS_MODEL, type KeelConfig } from './keel-config.ts';
import { mergeLayers } from './merge-layers.ts';
import { overrideTable, parseOverride } from './parse-override.ts';
import { resolveConfig, type LabelledLayer } from './resolve-config.ts';
import { validateTable } from './validate-table.ts';

/** What command-line flags can set. Enum values arrive as the raw strings typed, and are checked like any source. */
export interface ConfigFlags {
  model?: string;
  model_provider?: string;
  approval_policy?: string;
  sandbox_mode?: string;
  stateful?: boolean;
  /** Use the local provider (`oss_provider`, "ollama" unless configured) and, unless a model is named, its default model. */
  oss?: boolean;
}

export interface LoadConfigOptions {
  /** KEEL_HOME: the user file is `<home>/config.toml`. */
  home: string;
  cwd: string;
  /** Read for OPENAI_BASE_URL (the built-in openai provider) and HOME (to print paths as `~/…`). */
  env: Readonly<Record<string, string | undefined>>;
  /** `--profile NAME`; beats `-c profile=…` and `profile = "…"` in the file. */
  profile?: string;
  /** `-c key.path=VALUE` arguments, in the order given (a later one wins). */
  overrides?: readonly string[];
  flags?: ConfigFlags;
}

export interface LoadedConfig {
  config: KeelConfig;
  /** Unknown keys and ignored project values, one line each, ready to print. */
  warnings: string[];
  /** The config files that were read, lowest precedence first (for `/status` and `keel doctor`). */
  files: string[];
}

export const FLAGS_LABEL = 'command line';

export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const { cwd, env } = options;
  const warnings: string[] = [];
  const files: string[] = [];
  const validate = (raw: unknown, label: string, baseDir: string): ConfigFileLayer => {
    const result = validateTable(fileSpec, raw, { label, baseDir });
    warnings.push(...result.warnings);
    return result.value;
  };

  const userPath = join(options.home, 'config.toml');
  const userLabel = displayPath(userPath, env.HOME);
  const userRaw = await readTomlFile(userPath, userLabel);
  if (userRaw !== null) files.push(userPath);
  const { profile: fileProfile, profiles: fileProfiles, ...userLayer } = userRaw === null ? {} : validate(userRaw, userLabel, cwd);

  const overrides = (options.overrides ?? []).map((text) => {
    const label = `-c ${text}`;
    return { label, ...splitProfiles(validate(overrideTable(parseOverride(text)), label, cwd)) };
  });

  const base: LabelledLayer = { label: 'defaults', layer: { ...DEFAULT_LAYER, model_providers: builtinProviders(env) } };
  const layers: LabelledLayer[] = [base, { label: userLabel, layer: userLayer }];

  const project = findProjectConfig(cwd, userPath);
  if (project !== null) {
    const label = displayPath(project.path, env.HOME);
    const raw = await readTomlFile(project.path, label);
    if (raw !== null) {
      files.push(project.path);
      const validated = validate(raw, label, project.root);
      const clamped = clampProjectLayer(validated, { layer: mergeLayers(base.layer, userLayer), cwd }, label);
      warnings.push(...clamped.warnings);
      layers.push({ label, layer: clamped.layer });
    }
  }

  // `-c profiles.NAME.key=…` edits a profile's definition, so it applies before the profile is picked.
  const profiles = mergeLayers<Record<string, ConfigLayer>>(fileProfiles ?? {}, ...overrides.map((source) => source.profiles ?? {}));
  const overrideProfile = overrides.findLast((source) => source.profile !== undefined)?.profile;
  const profile = options.profile ?? overrideProfile ?? fileProfile ?? null;
  if (profile !== null) {
    if (!Object.hasOwn(profiles, profile)) throw unknownProfile(profile, Object.keys(profiles), userLabel);
    layers.push({ label: `${userLabel} (profile ${JSON.stringify(profile)})`, layer: profiles[profile]! });
  }

  layers.push(...overrides.map((source) => ({ label: source.label, layer: source.layer })));

  const { oss, ...flagValues } = options.flags ?? {};
  if (oss === true) {
    // The configured model names a model of the usual provider; a local server needs one of its own.
    const overrideModel = overrides.findLast((source) => source.layer.model !== undefined)?.layer.model;
    const ossProvider = mergeLayers(...layers.map((source) => source.layer)).oss_provider;
    layers.push({ label: `${FLAGS_LABEL} (--oss)`, layer: { model_provider: ossProvider, model: overrideModel ?? DEFAULT_OSS_MODEL } });
  }
  const definedFlags = Object.fromEntries(Object.entries(flagValues).filter(([, value]) => value !== undefined));
  layers.push({ label: FLAGS_LABEL, layer: validateTable(layerSpec, definedFlags, { label: FLAGS_LABEL, baseDir: cwd }).value });

  return { config: resolveConfig(layers, profile), warnings, files };
}

function splitProfiles(layer: ConfigFileLayer): { layer: ConfigLayer; profile?: string; profiles?: Record<string, ConfigLayer> } {
  const { profile, profiles, ...rest } = layer;
  return { layer: rest, profile, profiles };
}

function unknownProfile(profile: string, known: string[], userLabel: string): ConfigError {
  const sorted = [...known].sort();
  const where = sorted.length === 0 ? `${userLabel} defines no [profiles.*] tables` : `known profiles: ${quotedList(sorted, 'and')} (in ${userLabel})`;
  return new ConfigError({ kind: 'unknown_profile', profile, known: sorted }, `unknown profile ${JSON.stringify(profile)}: ${where}`);
}
