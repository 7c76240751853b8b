import { describe, expect, it } from 'vitest';
import { testPrompt } from '../test-prompt.ts';
import { buildResponsesRequest } from './request.ts';

describe('buildResponsesRequest', () => {
  it('builds a stateless request: full history, reasoning as received, no other ids, no previous_response_id', () => {
    const body = buildResponsesRequest(testPrompt({ promptCacheKey: 'conv-1', reasoning: {} }));
    expect(body).toEqual({
      model: 'test-model',
      instructions: 'You are keel.',
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'list files' }] },
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'thinking' }], encrypted_content: 'enc' },
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
      include: ['reasoning.encrypted_content'],
    });
  });

  it('sends no reasoning items to a model that does not reason (after a switch away from one), statelessly', () => {
    expect(buildResponsesRequest(testPrompt()).input.map((item) => item['type'])).toEqual(['message', 'function_call', 'function_call_output', 'message']);
    // Stateful, the calls keep their ids and need the reasoning item they came with.
    expect(buildResponsesRequest(testPrompt({ store: true })).input.map((item) => item['type'])).toContain('reasoning');
  });

  it('builds a stateful request: item ids kept, previous_response_id sent', () => {
    const body = buildResponsesRequest(testPrompt({ store: true, previousResponseId: 'resp_9' }));
    expect(body.store).toBe(true);
    expect(body.previous_response_id).toBe('resp_9');
    expect(body.input.map((item) => item['id'])).toEqual([undefined, 'rs_1', 'fc_1', undefined, 'msg_1']);
  });

  it('sends reasoning only for a reasoning model, and include exactly when that model is asked statelessly', () => {
    const plain = buildResponsesRequest(testPrompt());
    for (const key of ['reasoning', 'include', 'text', 'previous_response_id', 'prompt_cache_key']) expect(key in plain).toBe(false);

    const stateless = buildResponsesRequest(testPrompt({ reasoning: { effort: 'high', summary: 'auto' } }));
    expect(stateless.reasoning).toEqual({ effort: 'high', summary: 'auto' });
    expect(stateless.include).toEqual(['reasoning.encrypted_content']);

    const stateful = buildResponsesRequest(testPrompt({ store: true, reasoning: { effort: 'xhigh' } }));
    expect(stateful.reasoning).toEqual({ effort: 'xhigh' });
    expect('include' in stateful).toBe(false);
  });

  it('leaves the reasoning parameter out when nothing is tuned, but still asks for the encrypted reasoning', () => {
    const body = buildResponsesRequest(testPrompt({ reasoning: {} }));
    expect('reasoning' in body).toBe(false);
    expect(body.include).toEqual(['reasoning.encrypted_content']);
  });

  it('sends verbosity as text.verbosity', () => {
    expect(buildResponsesRequest(testPrompt({ verbosity: 'low' })).text).toEqual({ verbosity: 'low' });
  });

  it('sends an output schema as text.format, beside the verbosity', () => {
    const outputSchema = { name: 'keel_output', schema: { type: 'object', properties: { ok: { type: 'boolean' } } }, strict: true };
    const format = { type: 'json_schema', ...outputSchema };
    expect(buildResponsesRequest(testPrompt({ outputSchema })).text).toEqual({ format });
    expect(buildResponsesRequest(testPrompt({ outputSchema, verbosity: 'low' })).text).toEqual({ verbosity: 'low', format });
    expect(buildResponsesRequest(testPrompt()).text).toBeUndefined();
  });

  it('never sends raw reasoning text, which the API refuses in input', () => {
    const reasoning = { type: 'reasoning' as const, id: 'rs_2', summary: [], content: [{ type: 'reasoning_text', text: 'raw' }], encrypted_content: 'e2' };
    const body = buildResponsesRequest(testPrompt({ input: [reasoning], reasoning: {} }));
    expect(body.input).toEqual([{ type: 'reasoning', id: 'rs_2', summary: [], encrypted_content: 'e2' }]);
  });

  it('leaves out a reasoning item the server could neither decrypt nor find', () => {
    const noEncrypted = { type: 'reasoning' as const, id: 'rs_3', summary: [{ type: 'summary_text' as const, text: 'seen' }], encrypted_content: null };
    const noId = { type: 'reasoning' as const, summary: [] };
    // Stateless: an id without encrypted content names an item that was never kept (the API answers 404).
    expect(buildResponsesRequest(testPrompt({ input: [noEncrypted, noId], reasoning: {} })).input).toEqual([]);
    // Stateful: the server holds the item with that id; one without id or encrypted content is of no use to it.
    expect(buildResponsesRequest(testPrompt({ store: true, input: [noEncrypted, noId] })).input).toEqual([noEncrypted]);
  });

  it('passes a custom tool without a format as is', () => {
    const body = buildResponsesRequest(testPrompt({ tools: [{ type: 'custom', name: 'free', description: 'd' }] }));
    expect(body.tools).toEqual([{ type: 'custom', name: 'free', description: 'd' }]);
  });

  it('does not alter the prompt it reads', () => {
    const prompt = testPrompt({ reasoning: { effort: 'low' }, verbosity: 'high' });
    const before = JSON.stringify(prompt);
    buildResponsesRequest(prompt);
    expect(JSON.stringify(prompt)).toBe(before);
  });
});
