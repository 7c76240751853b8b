import { describe, expect, it } from 'vitest';
import { testPrompt } from '../test-prompt.ts';
import { buildChatRequest, chatMessages } from './request.ts';

describe('buildChatRequest', () => {
  it('converts a conversation, with instructions as the first system message and function tools only', () => {
    const body = buildChatRequest(testPrompt());
    expect(body).toEqual({
      model: 'test-model',
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: 'system', content: 'You are keel.' },
        { role: 'user', content: 'list files' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'shell', arguments: '{"command":["ls"]}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'a.txt' },
        { role: 'assistant', content: 'one file' },
      ],
      tools: [{ type: 'function', function: { name: 'shell', description: 'run', parameters: { type: 'object', properties: {} } } }],
    });
  });

  it('omits tools when there are none a chat server can take', () => {
    const body = buildChatRequest(testPrompt({ tools: [{ type: 'custom', name: 'apply_patch', description: 'p' }] }));
    expect('tools' in body).toBe(false);
  });
});

describe('chatMessages', () => {
  it('groups the tool calls of one response into one assistant message, after its text', () => {
    const messages = chatMessages('sys', [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'go' }] },
      { type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: 'hmm' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Running two.' }] },
      { type: 'function_call', name: 'a', arguments: '{"x":1}', call_id: 'c1' },
      { type: 'function_call', name: 'b', arguments: '{}', call_id: 'c2' },
      { type: 'function_call_output', call_id: 'c1', output: 'out1' },
      { type: 'function_call_output', call_id: 'c2', output: 'out2' },
      { type: 'function_call', name: 'a', arguments: '{}', call_id: 'c3' },
      { type: 'function_call_output', call_id: 'c3', output: 'out3' },
    ]);
    expect(messages).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: 'Running two.',
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'a', arguments: '{"x":1}' } },
          { id: 'c2', type: 'function', function: { name: 'b', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'out1' },
      { role: 'tool', tool_call_id: 'c2', content: 'out2' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c3', type: 'function', function: { name: 'a', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c3', content: 'out3' },
    ]);
  });

  it('replays a custom tool call as a function call with {"input": …} arguments', () => {
    const messages = chatMessages('', [
      { type: 'custom_tool_call', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch', call_id: 'c9' },
      { type: 'custom_tool_call_output', call_id: 'c9', output: 'Done' },
    ]);
    expect(messages).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'c9', type: 'function', function: { name: 'apply_patch', arguments: '{"input":"*** Begin Patch\\n*** End Patch"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c9', content: 'Done' },
    ]);
  });

  it('turns developer messages into system messages, merging the leading ones into the first', () => {
    const messages = chatMessages('base', [
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'policy' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'later' }] },
    ]);
    expect(messages).toEqual([
      { role: 'system', content: 'base\n\npolicy' },
      { role: 'user', content: 'hi' },
      { role: 'system', content: 'later' },
    ]);
  });

  it('sends user images in the multi-part form', () => {
    const messages = chatMessages('', [
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'see' },
          { type: 'input_image', image_url: 'data:image/png;base64,AAAA' },
        ],
      },
    ]);
    expect(messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'see' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        ],
      },
    ]);
  });

  it('replays a local shell call as a function call', () => {
    const messages = chatMessages('', [
      { type: 'local_shell_call', call_id: 'ls1', status: 'completed', action: { type: 'exec', command: ['ls'] } },
      { type: 'function_call_output', call_id: 'ls1', output: 'x' },
    ]);
    expect(messages[0]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'ls1', type: 'function', function: { name: 'local_shell', arguments: '{"type":"exec","command":["ls"]}' } }],
    });
  });
});
