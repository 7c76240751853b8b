import { describe, expect, it } from 'vitest';
import { contextWindowFor, modelSettingsFor, NO_MODEL_SETTINGS, type ModelSettingsSlice } from './model-settings.ts';

const settings = (model: string, overrides: Partial<ModelSettingsSlice> = {}) => modelSettingsFor({ ...NO_MODEL_SETTINGS, ...overrides }, model);

describe('model settings', () => {
  it('gives a reasoning model its catalogued default effort and summaries', () => {
    expect(settings('gpt-5-codex').profile).toEqual({
      contextWindow: 258_400,
      reasoning: { effort: 'medium', summary: 'auto' },
      verbosity: null,
      acceptsImages: true,
      autoCompactTokenLimit: 217_600,
    });
    // gpt-oss writes no summaries: none is asked for.
    expect(settings('gpt-oss:20b').profile.reasoning).toEqual({ effort: 'medium' });
  });

  it('sends the configured effort and summary; "none" sends nothing but the model still reasons', () => {
    expect(settings('gpt-5', { model_reasoning_effort: 'high', model_reasoning_summary: 'detailed' }).profile.reasoning).toEqual({ effort: 'high', summary: 'detailed' });
    expect(settings('gpt-5', { model_reasoning_effort: 'none', model_reasoning_summary: 'none' }).profile.reasoning).toEqual({});
  });

  it('notes an effort the model is not known to take, and sends it anyway', () => {
    const result = settings('gpt-5-codex', { model_reasoning_effort: 'minimal' });
    expect(result.profile.reasoning?.effort).toBe('minimal');
    expect(result.notes).toEqual(['gpt-5-codex takes reasoning effort "low", "medium", "high"; "minimal" is sent as configured and the server may refuse it']);
  });

  it('compacts at 80% of the model\u2019s window unless model_auto_compact_token_limit says otherwise', () => {
    expect(settings('gpt-4o-mini').profile.autoCompactTokenLimit).toBe(102_400);
    expect(settings('gpt-4o-mini', { model_context_window: 10_000 }).profile.autoCompactTokenLimit).toBe(8000);
    expect(settings('gpt-4o-mini', { model_auto_compact_token_limit: 50_000 }).profile.autoCompactTokenLimit).toBe(50_000);
    expect(settings('my-finetune', { model_auto_compact_token_limit: 6000 }).profile.autoCompactTokenLimit).toBe(6000);
  });

  it('gives an unknown model safe defaults: no reasoning, no verbosity, no window', () => {
    const result = settings('my-finetune');
    expect(result.family).toBeNull();
    expect(result.profile).toEqual({ contextWindow: null, reasoning: null, verbosity: null, acceptsImages: null, autoCompactTokenLimit: null });
    expect(result.notes).toEqual([]);
  });

  it('sends reasoning parameters to an unknown model only when they are configured or it is said to reason', () => {
    expect(settings('my-finetune', { model_reasoning_effort: 'low' }).profile.reasoning).toEqual({ effort: 'low' });
    expect(settings('my-finetune', { model_supports_reasoning: true }).profile.reasoning).toEqual({ summary: 'auto' });
    expect(settings('deepseek-r1:14b').profile.reasoning).toBeNull();
    expect(settings('deepseek-r1:14b', { model_reasoning_effort: 'high' }).profile.reasoning).toEqual({ effort: 'high' });
  });

  it('sends nothing about reasoning to a model that does not reason, and says why', () => {
    const result = settings('gpt-4.1', { model_reasoning_effort: 'high' });
    expect(result.profile.reasoning).toBeNull();
    expect(result.notes).toEqual(['gpt-4.1 does not reason, so no reasoning parameters are sent (set model_supports_reasoning = true if it does)']);
    expect(settings('gpt-4.1', { model_reasoning_effort: 'high', model_supports_reasoning: true }).profile.reasoning).toEqual({ effort: 'high', summary: 'auto' });
    expect(settings('gpt-5-codex', { model_supports_reasoning: false }).profile.reasoning).toBeNull();
  });

  it('sends verbosity only to models that take it', () => {
    expect(settings('gpt-5', { model_verbosity: 'low' }).profile.verbosity).toBe('low');
    const codex = settings('gpt-5-codex', { model_verbosity: 'low' });
    expect(codex.profile.verbosity).toBeNull();
    expect(codex.notes).toEqual(['gpt-5-codex does not take text.verbosity, so model_verbosity is not sent (set model_supports_verbosity = true if it does)']);
    expect(settings('gpt-5-codex', { model_verbosity: 'high', model_supports_verbosity: true }).profile.verbosity).toBe('high');
    expect(settings('my-finetune', { model_verbosity: 'high' }).notes[0]).toContain('keel does not know whether my-finetune takes text.verbosity');
  });

  it('lets the config override the window and the image support', () => {
    expect(settings('gpt-oss:20b', { model_context_window: 8192, model_supports_images: true }).profile).toMatchObject({ contextWindow: 7782, acceptsImages: true });
    expect(settings('o3-mini').profile.acceptsImages).toBe(false);
  });

  it('reports 95% of the catalogue\'s or the configured window as usable', () => {
    expect(contextWindowFor({ model_context_window: null }, 'gpt-5-codex')).toBe(258_400);
    expect(contextWindowFor({ model_context_window: null }, 'gpt-4o-mini')).toBe(121_600);
    expect(contextWindowFor({ model_context_window: null }, 'llama3.1:8b')).toBe(124_518);
    expect(contextWindowFor({ model_context_window: null }, 'my-finetune')).toBeNull();
    expect(contextWindowFor({ model_context_window: 100_000 }, 'gpt-5')).toBe(95_000);
  });
});
