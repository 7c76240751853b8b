/**
 * What keel does with a model: the model catalogue's facts (src/model/model-catalogue.ts) with config.toml's
 * overrides on top, turned into the profile requests are built from (model/model-profile.ts), plus notes for the
 * person when a setting cannot take effect on this model.
 *
 * Reasoning parameters go only to models that reason: per the catalogue, or `model_supports_reasoning = true`. A
 * model the catalogue does not know, or one that thinks with no knob for it (DeepSeek-R1), gets them only when an
 * effort or a summary is configured: then the person has said the model takes them.
 */
import { findModelFamily, type ModelFamily, type ModelProfile, type ReasoningRequest, type Verbosity } from '../model/index.ts';
import type { KeelConfig } from './keel-config.ts';

export type ModelSettingsSlice = Pick<
  KeelConfig,
  | 'model_context_window'
  | 'model_auto_compact_token_limit'
  | 'model_reasoning_effort'
  | 'model_reasoning_summary'
  | 'model_verbosity'
  | 'model_supports_reasoning'
  | 'model_supports_verbosity'
  | 'model_supports_images'
>;

/** A config that says nothing about models: every fact comes from the catalogue. */
export const NO_MODEL_SETTINGS: ModelSettingsSlice = {
  model_context_window: null,
  model_auto_compact_token_limit: null,
  model_reasoning_effort: null,
  model_reasoning_summary: null,
  model_verbosity: null,
  model_supports_reasoning: null,
  model_supports_verbosity: null,
  model_supports_images: null,
};

export interface ModelSettings {
  model: string;
  /** The catalogue's family of the model; null when the catalogue does not know it. */
  family: ModelFamily | null;
  profile: ModelProfile;
  /** Configured settings that do not reach this model as configured, and why; shown as warnings. */
  notes: string[];
}

/** Share of the window a front end reports as usable: the rest is headroom for the answer and for estimates' error. */
const USABLE_WINDOW_PERCENT = 95;
/** Share of the window at which the context is compacted by default: room is left for the summary request itself. */
const AUTO_COMPACT_PERCENT = 80;

export function modelSettingsFor(config: ModelSettingsSlice, model: string): ModelSettings {
  const family = findModelFamily(model);
  const notes: string[] = [];
  const window = config.model_context_window ?? family?.contextWindow ?? null;
  const profile: ModelProfile = {
    contextWindow: window === null ? null : Math.floor((window * USABLE_WINDOW_PERCENT) / 100),
    reasoning: reasoningFor(config, model, family, notes),
    verbosity: verbosityFor(config, model, family, notes),
    acceptsImages: config.model_supports_images ?? family?.images ?? null,
    autoCompactTokenLimit: config.model_auto_compact_token_limit ?? (window === null ? null : Math.floor((window * AUTO_COMPACT_PERCENT) / 100)),
  };
  return { model, family, profile, notes };
}

/** The usable context window of `model` (95% of its window); null when unknown. */
export function contextWindowFor(config: Pick<KeelConfig, 'model_context_window'>, model: string): number | null {
  const window = config.model_context_window ?? findModelFamily(model)?.contextWindow ?? null;
  return window === null ? null : Math.floor((window * USABLE_WINDOW_PERCENT) / 100);
}

function reasoningFor(config: ModelSettingsSlice, model: string, family: ModelFamily | null, notes: string[]): ReasoningRequest | null {
  const kind = family?.reasoning.type ?? 'unknown';
  const effortSetting = config.model_reasoning_effort;
  const summarySetting = config.model_reasoning_summary;
  const asked = (effortSetting !== null && effortSetting !== 'none') || (summarySetting !== null && summarySetting !== 'none');
  const reasons = config.model_supports_reasoning ?? (kind === 'effort' || ((kind === 'unknown' || kind === 'built_in') && asked));
  if (!reasons) {
    if (asked && kind === 'none' && config.model_supports_reasoning === null) {
      notes.push(`${model} does not reason, so no reasoning parameters are sent (set model_supports_reasoning = true if it does)`);
    }
    return null;
  }
  const request: ReasoningRequest = {};
  const catalogued = family?.reasoning.type === 'effort' ? family.reasoning : null;
  if (effortSetting === null) {
    if (catalogued !== null) request.effort = catalogued.defaultEffort;
  } else if (effortSetting !== 'none') {
    request.effort = effortSetting;
    if (catalogued !== null && !catalogued.efforts.includes(effortSetting)) {
      notes.push(
        `${model} takes reasoning effort ${catalogued.efforts.map((effort) => `"${effort}"`).join(', ')}; ` +
          `"${effortSetting}" is sent as configured and the server may refuse it`,
      );
    }
  }
  if (summarySetting === null) {
    // A model that takes the parameters writes summaries unless the catalogue knows it does not.
    const writesSummaries = catalogued !== null ? catalogued.summaries : config.model_supports_reasoning === true;
    if (writesSummaries) request.summary = 'auto';
  } else if (summarySetting !== 'none') {
    request.summary = summarySetting;
  }
  return request;
}

function verbosityFor(config: ModelSettingsSlice, model: string, family: ModelFamily | null, notes: string[]): Verbosity | null {
  const verbosity = config.model_verbosity;
  if (verbosity === null) return null;
  if (config.model_supports_verbosity ?? family?.verbosity ?? false) return verbosity;
  const why = family === null ? `keel does not know whether ${model} takes text.verbosity` : `${model} does not take text.verbosity`;
  notes.push(`${why}, so model_verbosity is not sent (set model_supports_verbosity = true if it does)`);
  return null;
}
