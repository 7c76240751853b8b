/**
 * A prompt for the model layer's tests: a conversation with a tool call, its output and reasoning, ids on the
 * items as the server returned them. Used only by tests.
 */
import type { Prompt } from './model-event.ts';

export function testPrompt(overrides: Partial<Prompt> = {}): Prompt {
  return {
    model: 'test-model',
    instructions: 'You are keel.',
    input: [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'list files' }] },
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'thinking' }], encrypted_content: 'enc' },
      { type: 'function_call', id: 'fc_1', name: 'shell', arguments: '{"command":["ls"]}', call_id: 'call_1' },
      { type: 'function_call_output', call_id: 'call_1', output: 'a.txt' },
      { type: 'message', id: 'msg_1', role: 'assistant', content: [{ type: 'output_text', text: 'one file' }] },
    ],
    tools: [
      { type: 'function', name: 'shell', description: 'run', strict: false, parameters: { type: 'object', properties: {} } },
      { type: 'custom', name: 'apply_patch', description: 'patch', format: { type: 'grammar', syntax: 'lark', definition: 'start: x' } },
    ],
    parallelToolCalls: false,
    store: false,
    ...overrides,
  };
}
