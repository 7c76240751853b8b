import { describe, expect, it } from 'vitest';
import { UNKNOWN_MODEL_PROFILE } from '../model/model-profile.ts';
import { userMessage } from '../protocol/index.ts';
import { PromptBuilder } from './prompt-builder.ts';

describe('PromptBuilder and an output schema', () => {
  const builder = (): PromptBuilder =>
    new PromptBuilder({ stateful: false, instructions: 'be keel', tools: () => [], promptCacheKey: 's', parallelToolCalls: false, modelProfile: () => UNKNOWN_MODEL_PROFILE });
  const history = [userMessage('answer in JSON')];
  const outputSchema = { name: 'keel_output', schema: { type: 'object' }, strict: true };

  it('asks every request for the format from when it is set, and free text again once it is cleared', () => {
    const prompts = builder();
    expect(prompts.build('m', history).prompt).not.toHaveProperty('outputSchema');
    prompts.outputSchema = outputSchema;
    expect(prompts.build('m', history).prompt.outputSchema).toEqual(outputSchema);
    prompts.outputSchema = null;
    expect(prompts.build('m', history).prompt).not.toHaveProperty('outputSchema');
  });

  it('never asks a summary request for it', () => {
    const prompts = builder();
    prompts.outputSchema = outputSchema;
    expect(prompts.summary('m', history, false)).not.toHaveProperty('outputSchema');
    expect(prompts.summary('m', history, true)).not.toHaveProperty('outputSchema');
  });
});
