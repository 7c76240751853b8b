/**
 * What keel knows about model families, in one table: the context window, whether and how the model reasons,
 * whether it takes `text.verbosity`, whether it accepts images. It decides the reasoning parameters of a request,
 * the window behind "context left", and what /model lists. Every fact can be overridden in config.toml
 * (config/model-settings.ts); a model the table does not know gets the safe defaults there: no reasoning
 * parameters, no verbosity, an unknown window, images left to the server.
 *
 * Sources: OpenAI's model pages as Codex's own model table restates them (codex-rs core/src/openai_models/
 * model_family.rs and core/models.json: windows, reasoning summaries, verbosity, supported efforts), and the model
 * cards of the open-weight models. A window is the input budget: for GPT-5 that is its 400k tokens less the 128k
 * kept for output, for gpt-oss its 128k pool less 32k, as Codex counts them.
 *
 * Rows are tried in order and the first match wins, so a specific family (gpt-5-codex) comes before the general one
 * (gpt-5) whose pattern would also match it.
 */
import type { ReasoningEffort } from './reasoning-options.ts';

export type ModelReasoning =
  /** Does not reason: nothing about reasoning is sent. */
  | { type: 'none' }
  /**
   * Takes `reasoning: {effort, summary}` and, with `store: false`, returns its reasoning encrypted for the next
   * request. `efforts` are the values the model accepts; `summaries`: it writes reasoning summaries.
   */
  | { type: 'effort'; efforts: readonly ReasoningEffort[]; defaultEffort: ReasoningEffort; summaries: boolean }
  /** Thinks by itself with no parameter to tune it (DeepSeek-R1, Qwen3 on local servers): nothing is sent. */
  | { type: 'built_in' };

export interface ModelFamily {
  /** As /model and /status show it. */
  readonly name: string;
  /** The family's model names that /model lists, newest first. */
  readonly models: readonly string[];
  /** Matches a normalized model name (see `normalizeModelName`) of the family. */
  readonly match: RegExp;
  /** Input tokens the model's context holds. */
  readonly contextWindow: number;
  readonly reasoning: ModelReasoning;
  /** Takes `text: {verbosity}`. */
  readonly verbosity: boolean;
  readonly images: boolean;
}

const LOW_TO_HIGH: readonly ReasoningEffort[] = ['low', 'medium', 'high'];
const MINIMAL_TO_HIGH: readonly ReasoningEffort[] = ['minimal', 'low', 'medium', 'high'];
const LOW_TO_XHIGH: readonly ReasoningEffort[] = ['low', 'medium', 'high', 'xhigh'];
const MEDIUM_HIGH: readonly ReasoningEffort[] = ['medium', 'high'];

function effort(efforts: readonly ReasoningEffort[], defaultEffort: ReasoningEffort = 'medium', summaries = true): ModelReasoning {
  return { type: 'effort', efforts, defaultEffort, summaries };
}

const NONE: ModelReasoning = { type: 'none' };
const BUILT_IN: ModelReasoning = { type: 'built_in' };
const GPT_5_WINDOW = 272_000;
const O_SERIES_WINDOW = 200_000;
/** Llama 3.1+, DeepSeek R1 and V3: 128k tokens. */
const WINDOW_128K = 131_072;
const QWEN_NATIVE_WINDOW = 32_768;

export const MODEL_CATALOGUE: readonly ModelFamily[] = [
  // OpenAI, Codex-tuned: no text.verbosity.
  { name: 'gpt-5.1-codex-max', models: ['gpt-5.1-codex-max'], match: /^gpt-5\.1-codex-max/, contextWindow: GPT_5_WINDOW, reasoning: effort(LOW_TO_XHIGH), verbosity: false, images: true },
  { name: 'gpt-5-codex-mini', models: ['gpt-5.1-codex-mini', 'gpt-5-codex-mini'], match: /^gpt-5(?:\.\d+)?-codex-mini/, contextWindow: GPT_5_WINDOW, reasoning: effort(MEDIUM_HIGH), verbosity: false, images: true },
  { name: 'gpt-5.2-codex', models: ['gpt-5.2-codex'], match: /^gpt-5\.(?:[2-9]|[1-9]\d)-codex/, contextWindow: GPT_5_WINDOW, reasoning: effort(LOW_TO_XHIGH), verbosity: false, images: true },
  { name: 'gpt-5-codex', models: ['gpt-5.1-codex', 'gpt-5-codex'], match: /^gpt-5(?:\.1)?-codex/, contextWindow: GPT_5_WINDOW, reasoning: effort(LOW_TO_HIGH), verbosity: false, images: true },
  { name: 'codex-mini', models: ['codex-mini-latest'], match: /^codex-mini/, contextWindow: O_SERIES_WINDOW, reasoning: effort(LOW_TO_HIGH), verbosity: false, images: true },
  // OpenAI, general GPT-5: take text.verbosity.
  { name: 'gpt-5-chat', models: ['gpt-5-chat-latest'], match: /^gpt-5-chat/, contextWindow: 128_000, reasoning: NONE, verbosity: false, images: true },
  { name: 'gpt-5-pro', models: ['gpt-5-pro'], match: /^gpt-5-pro/, contextWindow: GPT_5_WINDOW, reasoning: effort(['high'], 'high'), verbosity: false, images: true },
  { name: 'gpt-5.2', models: ['gpt-5.2'], match: /^gpt-5\.(?:[2-9]|[1-9]\d)/, contextWindow: GPT_5_WINDOW, reasoning: effort(LOW_TO_XHIGH), verbosity: true, images: true },
  { name: 'gpt-5.1', models: ['gpt-5.1'], match: /^gpt-5\.1/, contextWindow: GPT_5_WINDOW, reasoning: effort(LOW_TO_HIGH), verbosity: true, images: true },
  { name: 'gpt-5', models: ['gpt-5', 'gpt-5-mini', 'gpt-5-nano'], match: /^gpt-5/, contextWindow: GPT_5_WINDOW, reasoning: effort(MINIMAL_TO_HIGH), verbosity: true, images: true },
  // OpenAI, o-series.
  { name: 'o4-mini', models: ['o4-mini'], match: /^o4-mini/, contextWindow: O_SERIES_WINDOW, reasoning: effort(LOW_TO_HIGH), verbosity: false, images: true },
  { name: 'o3-mini', models: ['o3-mini'], match: /^o3-mini/, contextWindow: O_SERIES_WINDOW, reasoning: effort(LOW_TO_HIGH), verbosity: false, images: false },
  { name: 'o3', models: ['o3', 'o3-pro'], match: /^o3/, contextWindow: O_SERIES_WINDOW, reasoning: effort(LOW_TO_HIGH), verbosity: false, images: true },
  // OpenAI, no reasoning.
  { name: 'gpt-4.1', models: ['gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano'], match: /^gpt-4\.1/, contextWindow: 1_047_576, reasoning: NONE, verbosity: false, images: true },
  { name: 'gpt-4o', models: ['gpt-4o', 'gpt-4o-mini'], match: /^gpt-4o/, contextWindow: 128_000, reasoning: NONE, verbosity: false, images: true },
  { name: 'gpt-3.5', models: ['gpt-3.5-turbo'], match: /^gpt-3\.5/, contextWindow: 16_385, reasoning: NONE, verbosity: false, images: false },
  // Open weights, as local servers name them (Ollama `name:tag`, Hugging Face `vendor/Name`).
  { name: 'gpt-oss', models: ['gpt-oss:120b', 'gpt-oss:20b'], match: /^gpt-oss/, contextWindow: 96_000, reasoning: effort(LOW_TO_HIGH, 'medium', false), verbosity: false, images: false },
  { name: 'qwen3-coder', models: ['qwen3-coder:30b'], match: /^qwen3-coder/, contextWindow: 262_144, reasoning: NONE, verbosity: false, images: false },
  { name: 'qwen3', models: ['qwen3:32b', 'qwen3:14b', 'qwen3:8b'], match: /^qwen3(?!-?vl)/, contextWindow: QWEN_NATIVE_WINDOW, reasoning: BUILT_IN, verbosity: false, images: false },
  { name: 'qwen2.5-coder', models: ['qwen2.5-coder:32b', 'qwen2.5-coder:14b', 'qwen2.5-coder:7b'], match: /^qwen2\.5-coder/, contextWindow: QWEN_NATIVE_WINDOW, reasoning: NONE, verbosity: false, images: false },
  { name: 'qwen2.5', models: ['qwen2.5:72b', 'qwen2.5:32b', 'qwen2.5:7b'], match: /^qwen2\.5(?!-?vl)/, contextWindow: QWEN_NATIVE_WINDOW, reasoning: NONE, verbosity: false, images: false },
  { name: 'deepseek-r1', models: ['deepseek-r1:32b', 'deepseek-r1:14b', 'deepseek-r1:8b', 'deepseek-reasoner'], match: /^deepseek-(?:r1|reasoner)/, contextWindow: WINDOW_128K, reasoning: BUILT_IN, verbosity: false, images: false },
  { name: 'deepseek-v3', models: ['deepseek-chat', 'deepseek-v3'], match: /^deepseek-(?:v3|chat)/, contextWindow: WINDOW_128K, reasoning: NONE, verbosity: false, images: false },
  { name: 'deepseek-coder-v2', models: ['deepseek-coder-v2:16b'], match: /^deepseek-coder-v2/, contextWindow: 163_840, reasoning: NONE, verbosity: false, images: false },
  { name: 'llama3.2-vision', models: ['llama3.2-vision:11b'], match: /^llama-?3\.2-vision/, contextWindow: WINDOW_128K, reasoning: NONE, verbosity: false, images: true },
  { name: 'llama3', models: ['llama3.3:70b', 'llama3.1:8b', 'llama3.2:3b'], match: /^(?:meta-)?llama-?3\.[123]/, contextWindow: WINDOW_128K, reasoning: NONE, verbosity: false, images: false },
];

/**
 * The part of a model name the table matches: lower case, without a leading `vendor/` path (`openai/gpt-oss-20b`,
 * `Qwen/Qwen2.5-Coder-32B-Instruct`), which servers add but which does not change the model.
 */
export function normalizeModelName(model: string): string {
  const name = model.trim().toLowerCase();
  return name.slice(name.lastIndexOf('/') + 1);
}

/** The family `model` belongs to, or null when the table does not know it. */
export function findModelFamily(model: string): ModelFamily | null {
  const name = normalizeModelName(model);
  return MODEL_CATALOGUE.find((family) => family.match.test(name)) ?? null;
}

export function isKnownModel(model: string): boolean {
  return findModelFamily(model) !== null;
}

/** Every model name the table lists, in table order (newest and most specific first within a vendor). */
export function knownModelNames(): string[] {
  return MODEL_CATALOGUE.flatMap((family) => family.models);
}
