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

  it('streams reasoning from reasoning_content or reasoning and emits it first', () => {
    const events = run([chunk({ reasoning_content: 'think ' }), chunk({ reasoning: 'more' }), chunk({ content: 'ok' }), chunk({}, 'stop'), '[DONE]']);
    expect(events).toEqual([
      { type: 'created', responseId: null },
      { type: 'reasoning_content_delta', delta: 'think ' },
      { type: 'reasoning_content_delta', delta: 'more' },
      { type: 'text_delta', delta: 'ok' },
      { type: 'output_item_done', item: { type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: 'think more' }] } },
      { type: 'output_item_done', item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'ok' }] } },
      { type: 'completed', responseId: null, usage: null, endTurn: null },
    ]);
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
