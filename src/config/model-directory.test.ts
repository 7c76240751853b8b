import { describe, expect, it } from 'vitest';
import { describeModel, modelChoices } from './model-directory.ts';
import { modelSettingsFor, NO_MODEL_SETTINGS, type ModelSettingsSlice } from './model-settings.ts';

const describeFor = (model: string, overrides: Partial<ModelSettingsSlice> = {}) => describeModel(modelSettingsFor({ ...NO_MODEL_SETTINGS, ...overrides }, model));

describe('the model directory', () => {
  it('lists every catalogued model with a line of facts', () => {
    const choices = modelChoices();
    expect(choices.find((choice) => choice.name === 'gpt-5-codex')).toEqual({
      name: 'gpt-5-codex',
      family: 'gpt-5-codex',
      facts: 'reasoning low–high (default medium) · 272k context · images',
    });
    expect(choices.find((choice) => choice.name === 'gpt-4.1')?.facts).toBe('no reasoning · 1.0M context · images');
    expect(choices.find((choice) => choice.name === 'deepseek-r1:14b')?.facts).toBe('reasons by itself · 131k context');
  });

  it('says what keel does with a known model, for /status and the status line', () => {
    expect(describeFor('gpt-5-codex', { model_reasoning_effort: 'high' })).toEqual({
      model: 'gpt-5-codex',
      known: true,
      reasoning: 'high, summary auto',
      effort: 'high',
      contextWindow: 258_400,
      warning: null,
      notes: [],
    });
    expect(describeFor('gpt-5', { model_reasoning_effort: 'none', model_reasoning_summary: 'none' }).reasoning).toBe('server default');
    expect(describeFor('gpt-4o').reasoning).toBe('off');
  });

  it('warns about a name it does not know, without refusing it', () => {
    const unknown = describeFor('my-finetune');
    expect(unknown).toMatchObject({ known: false, reasoning: 'off', effort: null, contextWindow: null });
    expect(unknown.warning).toContain('keel does not know the model "my-finetune"');
  });
});
