import { describe, expect, it } from 'vitest';
import {
  callIndex,
  customToolCallOutput,
  functionCallOutput,
  inputsOfType,
  outputIndex,
  outputText,
  requestInput,
  userMessageTexts,
} from './responses-input.ts';

const request = {
  body: {
    input: [
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'rules' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'list ' }, { type: 'input_text', text: 'files' }] },
      { type: 'function_call', name: 'shell', arguments: '{}', call_id: 'call_1' },
      { type: 'function_call_output', call_id: 'call_1', output: 'a.txt' },
      { type: 'custom_tool_call', name: 'apply_patch', input: 'p', call_id: 'call_2' },
      { type: 'custom_tool_call_output', call_id: 'call_2', output: [{ type: 'input_text', text: 'Done' }] },
      { role: 'user', content: 'thanks' },
    ],
  },
};

describe('responses input helpers', () => {
  it('find items by type and calls, outputs and their positions by call_id', () => {
    expect(inputsOfType(request, 'function_call')).toHaveLength(1);
    expect(inputsOfType(request, 'message')).toHaveLength(3);
    expect(functionCallOutput(request, 'call_1')?.output).toBe('a.txt');
    expect(outputText(customToolCallOutput(request, 'call_2'))).toBe('Done');
    expect(callIndex(request, 'call_1')).toBe(2);
    expect(outputIndex(request, 'call_1')).toBe(callIndex(request, 'call_1') + 1);
    expect(outputIndex(request, 'call_2')).toBe(5);
    expect(callIndex(request, 'call_9')).toBe(-1);
    expect(functionCallOutput(request, 'call_2')).toBeUndefined();
  });

  it('read user message texts, whatever the content shape', () => {
    expect(userMessageTexts(request)).toEqual(['list files', 'thanks']);
    expect(userMessageTexts({ body: { input: 'just a string' } })).toEqual(['just a string']);
    expect(requestInput({ body: 'not json' })).toEqual([]);
  });
});
