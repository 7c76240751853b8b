import { describe, expect, it } from 'vitest';
import { testPrompt } from '../test-prompt.ts';
import type { ChatReasoningOrigin, ResponseItem } from '../../protocol/index.ts';
import { chatMessages, type ChatAssistantMessage } from './chat-messages.ts';
import { buildChatRequest } from './request.ts';

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

  it('sends an output schema as response_format, and no response_format without one', () => {
    const outputSchema = { name: 'keel_output', schema: { type: 'object', properties: {} }, strict: true };
    expect(buildChatRequest(testPrompt({ outputSchema })).response_format).toEqual({ type: 'json_schema', json_schema: outputSchema });
    expect(buildChatRequest(testPrompt())).not.toHaveProperty('response_format');
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

describe('chatMessages: reasoning sent back', () => {
  const user = (text: string): ResponseItem => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
  const thought = (text: string, chat_field?: ChatReasoningOrigin): ResponseItem => ({
    type: 'reasoning',
    summary: [],
    content: [chat_field === undefined ? { type: 'reasoning_text', text } : { type: 'reasoning_text', text, chat_field }],
  });
  const call = (id: string): ResponseItem => ({ type: 'function_call', name: 'shell', arguments: '{}', call_id: id });
  const output = (id: string): ResponseItem => ({ type: 'function_call_output', call_id: id, output: 'ok' });
  const answer = (text: string): ResponseItem => ({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });

  it('in the field the server streamed it in, on the assistant message of its response', () => {
    const messages = chatMessages('', [user('go'), thought('use ls', 'reasoning'), call('c1'), output('c1'), thought('done', 'reasoning'), answer('listed')]);
    expect(messages).toEqual([
      { role: 'user', content: 'go' },
      { role: 'assistant', content: null, reasoning: 'use ls', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'shell', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'ok' },
      { role: 'assistant', content: 'listed', reasoning: 'done' },
    ]);
  });

  it('as reasoning_content, with an empty one on tool-calling messages that had none (DeepSeek requires it)', () => {
    const messages = chatMessages('', [user('go'), call('c0'), output('c0'), thought('think', 'reasoning_content'), answer('Two.'), call('c1'), call('c2'), output('c1'), output('c2')]);
    expect(messages[1]).toMatchObject({ role: 'assistant', reasoning_content: '' });
    expect(messages[3]).toMatchObject({ role: 'assistant', content: 'Two.', reasoning_content: 'think' });
    expect((messages[3] as ChatAssistantMessage).tool_calls).toHaveLength(2);
    expect('reasoning' in messages[3]!).toBe(false);
  });

  it('under both names when the server sent both', () => {
    const messages = chatMessages('', [user('go'), thought('hm', 'reasoning_content_and_reasoning'), answer('ok')]);
    expect(messages[1]).toEqual({ role: 'assistant', content: 'ok', reasoning_content: 'hm', reasoning: 'hm' });
  });

  it('not when it came as <think> tags, nor from the Responses API, nor without a message to travel on', () => {
    const messages = chatMessages('', [
      user('a'),
      thought('tagged', 'content'),
      answer('one'),
      user('b'),
      thought('from responses'),
      answer('two'),
      user('c'),
      thought('lonely', 'reasoning'),
      user('d'),
    ]);
    expect(messages).toEqual([
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'one' },
      { role: 'user', content: 'b' },
      { role: 'assistant', content: 'two' },
      { role: 'user', content: 'c\n\nd' },
    ]);
  });
});

describe('chatMessages: what servers refuse', () => {
  it('replays arguments that are not a JSON object as {} and valid ones byte for byte', () => {
    const messages = chatMessages('', [
      { type: 'function_call', name: 'a', arguments: '{"x": 1}', call_id: 'c1' },
      { type: 'function_call', name: 'b', arguments: '{"x": ', call_id: 'c2' },
      { type: 'function_call', name: 'c', arguments: '', call_id: 'c3' },
      { type: 'function_call', name: 'd', arguments: '[1]', call_id: 'c4' },
      { type: 'function_call_output', call_id: 'c1', output: '1' },
      { type: 'function_call_output', call_id: 'c2', output: '2' },
      { type: 'function_call_output', call_id: 'c3', output: '3' },
      { type: 'function_call_output', call_id: 'c4', output: '4' },
    ]);
    const sent = (messages[0] as ChatAssistantMessage).tool_calls!.map((call) => call.function.arguments);
    expect(sent).toEqual(['{"x": 1}', '{}', '{}', '{}']);
  });

  it('joins consecutive user messages: text stays a string, images make it multi-part', () => {
    const messages = chatMessages('sys', [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'AGENTS.md' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context/>' }] },
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'what is this?' },
          { type: 'input_image', image_url: 'data:image/png;base64,AAAA' },
        ],
      },
    ]);
    expect(messages).toEqual([
      { role: 'system', content: 'sys' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'AGENTS.md\n\n<environment_context/>' },
          { type: 'text', text: 'what is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        ],
      },
    ]);
  });
});
