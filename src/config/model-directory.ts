/**
 * What front ends show about models, as plain data: the models /model offers, and what keel will do with a model (a
 * name typed in /model, the one /status reports). Plain strings and numbers, so the command-line layer can hand them
 * to the interactive UI, which imports neither config/ nor model/.
 */
import { MODEL_CATALOGUE, type ModelFamily } from '../model/index.ts';
import type { ModelSettings } from './model-settings.ts';

export interface ModelChoice {
  name: string;
  /** The catalogue family, e.g. `gpt-5-codex`. */
  family: string;
  /** One line of facts, e.g. `reasoning low–high (default medium) · 272k context · images`. */
  facts: string;
}

export interface ModelDescription {
  model: string;
  /** Whether the catalogue knows the model. /model warns, without refusing, when it does not. */
  known: boolean;
  /**
   * What requests say about reasoning: the effort (`high`), `server default` (the model reasons, no effort is sent),
   * or `off` (nothing about reasoning is sent). With the summary when one is asked for: `high, summary auto`.
   */
  reasoning: string;
  /** The effort alone, for the status line; null when none is sent. */
  effort: string | null;
  /** The usable context window in tokens; null when unknown. */
  contextWindow: number | null;
  /** For an unknown model, what that means and how to tell keel more; null for a known one. */
  warning: string | null;
  /** Configured settings that do not take effect on this model (see ModelSettings.notes). */
  notes: readonly string[];
}

/** Every model the catalogue lists, in its order (newest and most specific first within a vendor). */
export function modelChoices(): ModelChoice[] {
  return MODEL_CATALOGUE.flatMap((family) => family.models.map((name) => ({ name, family: family.name, facts: familyFacts(family) })));
}

export function describeModel(settings: ModelSettings): ModelDescription {
  const { model, family, profile, notes } = settings;
  const reasoning = profile.reasoning;
  let label = 'off';
  if (reasoning !== null) {
    label = reasoning.effort ?? 'server default';
    if (reasoning.summary !== undefined) label += `, summary ${reasoning.summary}`;
  }
  return {
    model,
    known: family !== null,
    reasoning: label,
    effort: reasoning?.effort ?? null,
    contextWindow: profile.contextWindow,
    warning: family === null ? unknownModelWarning(model) : null,
    notes,
  };
}

function unknownModelWarning(model: string): string {
  return (
    `keel does not know the model "${model}": it gets no reasoning parameters and its context window is unknown ` +
    '(model_supports_reasoning, model_reasoning_effort and model_context_window in config.toml tell keel more)'
  );
}

function familyFacts(family: ModelFamily): string {
  const facts: string[] = [];
  const reasoning = family.reasoning;
  switch (reasoning.type) {
    case 'effort': {
      const efforts = reasoning.efforts;
      const range = efforts.length === 1 ? efforts[0] : `${efforts[0]}–${efforts.at(-1)}`;
      facts.push(`reasoning ${range} (default ${reasoning.defaultEffort})`);
      break;
    }
    case 'built_in':
      facts.push('reasons by itself');
      break;
    case 'none':
      facts.push('no reasoning');
      break;
  }
  facts.push(`${formatTokens(family.contextWindow)} context`);
  if (family.images) facts.push('images');
  return facts.join(' · ');
}

function formatTokens(tokens: number): string {
  return tokens >= 1_000_000 ? `${(tokens / 1_000_000).toFixed(tokens % 1_000_000 === 0 ? 0 : 1)}M` : `${Math.round(tokens / 1000)}k`;
}
