import { describe, expect, it } from 'vitest';
import { findModelFamily, isKnownModel, knownModelNames, MODEL_CATALOGUE } from './model-catalogue.ts';

describe('the model catalogue', () => {
  it('finds every model it lists in that model\'s own family (no earlier row shadows a later one)', () => {
    for (const family of MODEL_CATALOGUE) {
      for (const model of family.models) expect(findModelFamily(model)?.name, model).toBe(family.name);
    }
    expect(new Set(knownModelNames()).size).toBe(knownModelNames().length);
  });

  it('gives every reasoning family a default effort it accepts', () => {
    for (const family of MODEL_CATALOGUE) {
      if (family.reasoning.type === 'effort') expect(family.reasoning.efforts, family.name).toContain(family.reasoning.defaultEffort);
    }
  });

  it('tells the Codex-tuned GPT-5 models from the general ones', () => {
    const codex = findModelFamily('gpt-5-codex')!;
    expect(codex.reasoning).toEqual({ type: 'effort', efforts: ['low', 'medium', 'high'], defaultEffort: 'medium', summaries: true });
    expect(codex.verbosity).toBe(false);
    const general = findModelFamily('gpt-5-2025-08-07')!;
    expect(general.name).toBe('gpt-5');
    expect(general.verbosity).toBe(true);
    expect(general.reasoning.type === 'effort' && general.reasoning.efforts).toContain('minimal');
    expect(findModelFamily('gpt-5.1-codex-max')?.reasoning).toMatchObject({ efforts: ['low', 'medium', 'high', 'xhigh'] });
    expect(findModelFamily('gpt-5-chat-latest')?.reasoning.type).toBe('none');
    expect(findModelFamily('gpt-5-codex')?.contextWindow).toBe(272_000);
  });

  it('knows the non-reasoning and o-series OpenAI models', () => {
    expect(findModelFamily('gpt-4.1-mini')).toMatchObject({ contextWindow: 1_047_576, reasoning: { type: 'none' }, images: true });
    expect(findModelFamily('gpt-4o-2024-08-06')).toMatchObject({ contextWindow: 128_000, reasoning: { type: 'none' } });
    expect(findModelFamily('o3-mini')).toMatchObject({ reasoning: { type: 'effort' }, images: false });
    expect(findModelFamily('o4-mini-2025-04-16')).toMatchObject({ contextWindow: 200_000, images: true });
  });

  it('reads local servers\' names: Ollama tags, vendor prefixes, any case', () => {
    expect(findModelFamily('gpt-oss:20b')).toMatchObject({ name: 'gpt-oss', reasoning: { type: 'effort', summaries: false }, images: false });
    expect(findModelFamily('openai/gpt-oss-120b')?.name).toBe('gpt-oss');
    expect(findModelFamily('Qwen/Qwen2.5-Coder-32B-Instruct')?.name).toBe('qwen2.5-coder');
    expect(findModelFamily('meta-llama/Llama-3.1-8B-Instruct')).toMatchObject({ name: 'llama3', contextWindow: 131_072 });
    expect(findModelFamily('deepseek-ai/DeepSeek-R1-Distill-Qwen-32B')?.reasoning.type).toBe('built_in');
    expect(findModelFamily('qwen3-coder:30b')?.contextWindow).toBe(262_144);
  });

  it('does not guess at names it does not know', () => {
    for (const model of ['mistral-large', 'my-gpt-5', 'claude-sonnet-4', '']) {
      expect(findModelFamily(model), model).toBeNull();
      expect(isKnownModel(model)).toBe(false);
    }
    expect(isKnownModel('gpt-5-codex')).toBe(true);
  });
});
