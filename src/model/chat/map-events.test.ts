import { describe, expect, it } from 'vitest';
import type { ModelEvent } from '../model-event.ts';
import { ChatEventMapper } from './map-events.ts';

/** Feeds chunks (objects are JSON-encoded; strings are sent as is) and collects every event. */
function run(chunks: unknown[], end: 'eof' | 'none' = 'none', mapper = new ChatEventMapper({ fallbackKey: 'gen' })): ModelEvent[] {
  const events: ModelEvent[] = [];
  for (const chunk of chunks) events.push(...mapper.onMessage({ data: typeof chunk === 'string' ? chunk : JSON.stringify(chunk) }));
  if (end === 'eof') events.push(...mapper.onEnd({ type: 'eof' }));
  return events;
}

function chunk(delta: Record<string, unknown>, finish: string | null = null, id = 'chatcmpl-1'): Record<string, unknown> {
  return { id, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] };
}

const usageChunk = {
  id: 'chatcmpl-1',
  choices: [],
  usage: { prompt_tokens: 50, completion_tokens: 7, total_tokens: 57, prompt_tokens_details: { cached_tokens: 10 } },
};

const thought = (text: string, chat_field: string) => ({ type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text, chat_field }] });
const answer = (text: string) => ({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });
const items = (events: ModelEvent[]) => events.flatMap((event) => (event.type === 'output_item_done' ? [event.item] : []));
const textOf = (events: ModelEvent[]) => events.map((event) => (event.type === 'text_delta' ? event.delta : '')).join('');
const reasoningOf = (events: ModelEvent[]) => events.map((event) => (event.type === 'reasoning_content_delta' ? event.delta : '')).join('');

describe('ChatEventMapper', () => {
  it('streams text and completes at [DONE] with the message and usage', () => {
    const events = run([chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hel' }), chunk({ content: 'lo' }), chunk({}, 'stop'), usageChunk, '[DONE]']);
    expect(events).toEqual([
      { type: 'created', responseId: null },
      { type: 'text_delta', delta: 'Hel' },
      { type: 'text_delta', delta: 'lo' },
      { type: 'output_item_done', item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello' }] } },
      {
        type: 'completed',
        responseId: null,
        usage: { input_tokens: 50, cached_input_tokens: 10, output_tokens: 7, reasoning_output_tokens: 0, total_tokens: 57 },
        endTurn: null,
      },
    ]);
  });

  it('aggregates two interleaved tool calls with arguments split across chunks, in index order', () => {
    const events = run([
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'shell', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'read', arguments: '{"pa' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"command":' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: 'th":"x"}' } }, { index: 0, function: { arguments: '["ls"]}' } }] }),
      chunk({}, 'tool_calls'),
      '[DONE]',
    ]);
    expect(events.filter((event) => event.type === 'output_item_done')).toEqual([
      { type: 'output_item_done', item: { type: 'function_call', name: 'shell', arguments: '{"command":["ls"]}', call_id: 'call_a' } },
      { type: 'output_item_done', item: { type: 'function_call', name: 'read', arguments: '{"path":"x"}', call_id: 'call_b' } },
    ]);
    expect(events.at(-1)).toEqual({ type: 'completed', responseId: null, usage: null, endTurn: null });
  });

  it('latches the first id and name when a server repeats them on every fragment', () => {
    const events = run([
      chunk({ tool_calls: [{ index: 0, id: 'call_1', function: { name: 'shell', arguments: '{' } }] }),
      chunk({ tool_calls: [{ index: 0, id: 'call_1', function: { name: 'shell', arguments: '}' } }] }),
      chunk({}, 'tool_calls'),
      '[DONE]',
    ]);
    expect(events.filter((event) => event.type === 'output_item_done')).toEqual([
      { type: 'output_item_done', item: { type: 'function_call', name: 'shell', arguments: '{}', call_id: 'call_1' } },
    ]);
  });

  it('generates stable ids from the chunk id when the server sends none', () => {
    const events = run([
      chunk({ tool_calls: [{ index: 0, function: { name: 'a', arguments: '{}' } }, { index: 1, function: { name: 'b', arguments: '{}' } }] }, null, 'chatcmpl-xyz'),
      chunk({}, 'tool_calls', 'chatcmpl-xyz'),
      '[DONE]',
    ]);
    const ids = events.flatMap((event) => (event.type === 'output_item_done' && event.item.type === 'function_call' ? [event.item.call_id] : []));
    expect(ids).toEqual(['call_chatcmpl-xyz_0', 'call_chatcmpl-xyz_1']);
  });

  it('falls back to a generated key when neither call ids nor chunk ids exist', () => {
    const events = run([{ choices: [{ delta: { tool_calls: [{ function: { name: 'a', arguments: '{}' } }] }, finish_reason: 'tool_calls' }] }, '[DONE]']);
    expect(events.find((event) => event.type === 'output_item_done')).toEqual({
      type: 'output_item_done',
      item: { type: 'function_call', name: 'a', arguments: '{}', call_id: 'call_gen_0' },
    });
    // Without an injected key, two streams never share generated ids.
    const a = run([{ choices: [{ delta: { tool_calls: [{ function: { name: 'a' } }] }, finish_reason: 'tool_calls' }] }, '[DONE]'], 'none', new ChatEventMapper());
    const b = run([{ choices: [{ delta: { tool_calls: [{ function: { name: 'a' } }] }, finish_reason: 'tool_calls' }] }, '[DONE]'], 'none', new ChatEventMapper());
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
  });

  it('handles text and a tool call in the same chunk: message first, then the call', () => {
    const events = run([
      chunk({ content: 'Let me look.', tool_calls: [{ index: 0, id: 'call_1', function: { name: 'shell', arguments: '{}' } }] }, 'tool_calls'),
      '[DONE]',
    ]);
    expect(events).toEqual([
      { type: 'created', responseId: null },
      { type: 'text_delta', delta: 'Let me look.' },
      { type: 'output_item_done', item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Let me look.' }] } },
      { type: 'output_item_done', item: { type: 'function_call', name: 'shell', arguments: '{}', call_id: 'call_1' } },
      { type: 'completed', responseId: null, usage: null, endTurn: null },
    ]);
  });

  it('streams reasoning_content (DeepSeek) as reasoning, first, recording the field', () => {
    // DeepSeek's API: `content: null` while thinking, `reasoning_content: null` while answering.
    const deepseek = (delta: Record<string, unknown>, finish: string | null = null) => ({
      id: 'ds-1',
      object: 'chat.completion.chunk',
      model: 'deepseek-reasoner',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    });
    const events = run([
      deepseek({ role: 'assistant', content: null, reasoning_content: '' }),
      deepseek({ content: null, reasoning_content: 'think ' }),
      deepseek({ content: null, reasoning_content: 'more' }),
      deepseek({ content: 'ok', reasoning_content: null }),
      deepseek({ content: '', reasoning_content: null }, 'stop'),
      '[DONE]',
    ]);
    expect(events).toEqual([
      { type: 'created', responseId: null },
      { type: 'reasoning_content_delta', delta: 'think ' },
      { type: 'reasoning_content_delta', delta: 'more' },
      { type: 'text_delta', delta: 'ok' },
      { type: 'output_item_done', item: thought('think more', 'reasoning_content') },
      { type: 'output_item_done', item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'ok' }] } },
      { type: 'completed', responseId: null, usage: null, endTurn: null },
    ]);
  });

  it('streams llama.cpp server chunks (reasoning_content, timings on the last chunk)', () => {
    const llama = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) => ({
      choices: [{ finish_reason: finish, index: 0, delta }],
      created: 1762593253,
      id: 'chatcmpl-DHvc',
      model: 'gpt-oss:120b',
      system_fingerprint: 'b6881-8b11deea4',
      object: 'chat.completion.chunk',
      ...extra,
    });
    const events = run([
      llama({ role: 'assistant', content: null }),
      llama({ reasoning_content: 'We' }),
      llama({ reasoning_content: ' should greet.' }),
      llama({ content: 'Hello!' }),
      llama({}, 'stop', { usage: { completion_tokens: 247, prompt_tokens: 1085, total_tokens: 1332 }, timings: { prompt_n: 1085 } }),
      '[DONE]',
    ]);
    expect(items(events)).toEqual([thought('We should greet.', 'reasoning_content'), answer('Hello!')]);
    expect(textOf(events)).toBe('Hello!');
  });

  it('streams Ollama chunks (reasoning, role and empty content on every chunk)', () => {
    const ollama = (delta: Record<string, unknown>, finish: string | null = null) => ({
      id: 'chatcmpl-123',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'qwen3:8b',
      system_fingerprint: 'fp_ollama',
      choices: [{ index: 0, delta: { role: 'assistant', content: '', ...delta }, finish_reason: finish }],
    });
    const events = run([ollama({ reasoning: 'The user' }), ollama({ reasoning: ' says hi.' }), ollama({ content: 'Hi!' }), ollama({}, 'stop'), '[DONE]']);
    expect(items(events)).toEqual([thought('The user says hi.', 'reasoning'), answer('Hi!')]);
    expect(reasoningOf(events)).toBe('The user says hi.');
  });

  it('streams vLLM chunks (reasoning since the rename) and OpenRouter chunks (reasoning beside reasoning_details)', () => {
    const vllm = run([chunk({ role: 'assistant', content: '' }), chunk({ reasoning: 'Okay.' }), chunk({ content: 'Yes.' }), chunk({}, 'stop'), '[DONE]']);
    expect(items(vllm)).toEqual([thought('Okay.', 'reasoning'), answer('Yes.')]);
    const openrouter = run([
      chunk({ role: 'assistant', content: '', reasoning: 'Plan', reasoning_details: [{ type: 'reasoning.text', text: 'Plan', format: 'unknown', index: 0 }] }),
      chunk({ content: 'Done.' }),
      chunk({}, 'stop'),
      '[DONE]',
    ]);
    expect(items(openrouter)).toEqual([thought('Plan', 'reasoning'), answer('Done.')]);
  });

  it('records a server that sends the same text under both names (an alias kept for old clients)', () => {
    const events = run([chunk({ reasoning_content: 'hm', reasoning: 'hm' }), chunk({ content: 'ok' }, 'stop'), '[DONE]']);
    expect(reasoningOf(events)).toBe('hm');
    expect(items(events)[0]).toEqual(thought('hm', 'reasoning_content_and_reasoning'));
  });

  it('takes <think>…</think> in the content as reasoning, with the tags split across chunks', () => {
    const events = run([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: '<th' }),
      chunk({ content: 'ink>\n' }),
      chunk({ content: 'Let me think' }),
      chunk({ content: '.\n</thi' }),
      chunk({ content: 'nk>\n\nThe answer' }),
      chunk({ content: ' is 4.' }),
      chunk({}, 'stop'),
      '[DONE]',
    ]);
    expect(reasoningOf(events)).toBe('Let me think.');
    expect(textOf(events)).toBe('The answer is 4.');
    expect(items(events)).toEqual([thought('Let me think.', 'content'), answer('The answer is 4.')]);
  });

  it('takes everything before a bare </think> line as reasoning when the template opened the tag (DeepSeek-R1, Qwen3-Thinking)', () => {
    const events = run([chunk({ content: 'Okay, the user' }), chunk({ content: ' wants 2+2.\n' }), chunk({ content: '</think>\n\n' }), chunk({ content: '4' }), chunk({}, 'stop'), '[DONE]']);
    // The thinking streamed as text before the tag showed what it was; the items say what it was.
    expect(items(events)).toEqual([thought('Okay, the user wants 2+2.', 'content'), answer('4')]);
  });

  it('keeps a </think> inside a line, and a <think> after the start, as answer text', () => {
    const events = run([chunk({ content: 'Use `</think>` to close; ' }), chunk({ content: 'write <think> to open.' }), chunk({}, 'stop'), '[DONE]']);
    expect(items(events)).toEqual([answer('Use `</think>` to close; write <think> to open.')]);
  });

  it('says reasoning once when a server sends both the field and the tags (llama.cpp deepseek-legacy)', () => {
    const events = run([
      chunk({ reasoning_content: 'Hmm.', content: '<think>Hmm.' }),
      chunk({ content: '</think>Hi' }),
      chunk({}, 'stop'),
      '[DONE]',
    ]);
    expect(reasoningOf(events)).toBe('Hmm.');
    expect(items(events)).toEqual([thought('Hmm.', 'reasoning_content'), answer('Hi')]);
  });

  it('keeps unfinished thinking as reasoning when the stream stops inside <think>', () => {
    const events = run([chunk({ content: '<think>still going' }), chunk({ content: ' </th' }), chunk({}, 'length'), '[DONE]']);
    expect(items(events)).toEqual([thought('still going </th', 'content')]);
  });

  it('completes when the body ends after a finish_reason without [DONE]', () => {
    const events = run([chunk({ content: 'hi' }), chunk({}, 'stop')], 'eof');
    expect(events.at(-1)).toEqual({ type: 'completed', responseId: null, usage: null, endTurn: null });
  });

  it('fails stream_incomplete when the body ends with neither finish_reason nor [DONE]', () => {
    const events = run([chunk({ content: 'hi' })], 'eof');
    expect(events.at(-1)).toEqual({
      type: 'failed',
      error: { kind: 'stream_incomplete', message: 'stream closed before a finish_reason or [DONE]' },
    });
  });

  it('fails malformed on a chunk that is not JSON', () => {
    const events = run([chunk({ content: 'a' }), '{"choices": [']);
    expect(events.at(-1)).toEqual({ type: 'failed', error: { kind: 'malformed', message: 'chat chunk is not JSON: "{\\"choices\\": ["' } });
  });

  it('maps an error sent inside the stream', () => {
    expect(run([{ error: { message: 'too long', code: 'context_length_exceeded' } }])).toEqual([
      { type: 'failed', error: { kind: 'context_window_exceeded', message: 'too long' } },
    ]);
    expect(run([{ error: 'boom' }])).toEqual([{ type: 'failed', error: { kind: 'server', message: 'boom' } }]);
  });
});
