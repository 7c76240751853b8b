import { describe, expect, it } from 'vitest';
import { testPrompt } from '../test-prompt.ts';
import { buildResponsesRequest } from './request.ts';

describe('buildResponsesRequest', () => {
  it('builds a stateless request: full history, no ids, no previous_response_id', () => {
    const body = buildResponsesRequest(testPrompt({ promptCacheKey: 'conv-1' }));
    expect(body).toEqual({
      model: 'test-model',
      instructions: 'You are keel.',
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'list files' }] },
        { type: 'reasoning', summary: [{ type: 'summary_text', text: 'thinking' }], encrypted_content: 'enc' },
        { type: 'function_call', name: 'shell', arguments: '{"command":["ls"]}', call_id: 'call_1' },
        { type: 'function_call_output', call_id: 'call_1', output: 'a.txt' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'one file' }] },
      ],
      tools: [
        { type: 'function', name: 'shell', description: 'run', strict: false, parameters: { type: 'object', properties: {} } },
        { type: 'custom', name: 'apply_patch', description: 'patch', format: { type: 'grammar', syntax: 'lark', definition: 'start: x' } },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      store: false,
      stream: true,
      prompt_cache_key: 'conv-1',
    });
    expect(JSON.stringify(body)).not.toContain('"id"');
  });

  it('builds a stateful request: item ids kept, previous_response_id sent', () => {
    const body = buildResponsesRequest(testPrompt({ store: true, previousResponseId: 'resp_9' }));
    expect(body.store).toBe(true);
    expect(body.previous_response_id).toBe('resp_9');
    expect(body.input.map((item) => item['id'])).toEqual([undefined, 'rs_1', 'fc_1', undefined, 'msg_1']);
  });

  it('sends reasoning and include only when reasoning is configured', () => {
    const without = buildResponsesRequest(testPrompt());
    expect('reasoning' in without).toBe(false);
    expect('include' in without).toBe(false);
    expect('previous_response_id' in without).toBe(false);
    expect('prompt_cache_key' in without).toBe(false);

    const withReasoning = buildResponsesRequest(testPrompt({ reasoning: { effort: 'high', summary: 'auto' } }));
    expect(withReasoning.reasoning).toEqual({ effort: 'high', summary: 'auto' });
    expect(withReasoning.include).toEqual(['reasoning.encrypted_content']);
    expect(buildResponsesRequest(testPrompt({ reasoning: { effort: 'low' } })).reasoning).toEqual({ effort: 'low' });
  });

  it('leaves out raw reasoning text, which the API does not take back', () => {
    const body = buildResponsesRequest(
      testPrompt({ input: [{ type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: 'raw' }] }] }),
    );
    expect(body.input).toEqual([{ type: 'reasoning', summary: [] }]);
  });

  it('passes a custom tool without a format as is', () => {
    const body = buildResponsesRequest(testPrompt({ tools: [{ type: 'custom', name: 'free', description: 'd' }] }));
    expect(body.tools).toEqual([{ type: 'custom', name: 'free', description: 'd' }]);
  });

  it('does not alter the prompt it reads', () => {
    const prompt = testPrompt();
    const before = JSON.stringify(prompt);
    buildResponsesRequest(prompt);
    expect(JSON.stringify(prompt)).toBe(before);
  });
});
