import { describe, expect, it } from 'vitest';
import type { ModelEvent } from '../model-event.ts';
import { ResponsesEventMapper } from './map-events.ts';
import { parseTryAgainMs } from './response-failure.ts';

function map(data: unknown, event?: string): ModelEvent[] {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return new ResponsesEventMapper().onMessage(event === undefined ? { data: text } : { event, data: text });
}

function failedError(events: ModelEvent[]) {
  expect(events).toHaveLength(1);
  const [event] = events;
  if (event?.type !== 'failed') throw new Error(`expected failed, got ${JSON.stringify(event)}`);
  return event.error;
}

describe('ResponsesEventMapper', () => {
  it('maps response.created to its id', () => {
    expect(map({ type: 'response.created', response: { id: 'resp_1' } })).toEqual([{ type: 'created', responseId: 'resp_1' }]);
  });

  it('maps output items, validated, with server-only fields dropped', () => {
    const item = { type: 'function_call', id: 'fc_1', status: 'completed', name: 'shell', arguments: '{}', call_id: 'call_1' };
    expect(map({ type: 'response.output_item.done', output_index: 0, item })).toEqual([
      { type: 'output_item_done', item: { type: 'function_call', id: 'fc_1', name: 'shell', arguments: '{}', call_id: 'call_1' } },
    ]);
    const added = { type: 'message', id: 'msg_1', status: 'in_progress', role: 'assistant', content: [] };
    expect(map({ type: 'response.output_item.added', item: added })).toEqual([
      { type: 'output_item_added', item: { type: 'message', id: 'msg_1', role: 'assistant', content: [] } },
    ]);
  });

  it('keeps a reasoning item with its encrypted content', () => {
    const item = { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'plan' }], encrypted_content: 'xyz' };
    expect(map({ type: 'response.output_item.done', item })).toEqual([{ type: 'output_item_done', item }]);
  });

  it('keeps a refusal as text and drops message parts keel does not model', () => {
    const item = {
      type: 'message',
      role: 'assistant',
      content: [
        { type: 'output_text', text: 'a', annotations: [] },
        { type: 'refusal', refusal: 'no' },
        { type: 'future_part', x: 1 },
      ],
    };
    expect(map({ type: 'response.output_item.done', item })).toEqual([
      {
        type: 'output_item_done',
        item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'a' }, { type: 'output_text', text: 'no' }] },
      },
    ]);
  });

  it('skips items of types keel does not model', () => {
    expect(map({ type: 'response.output_item.done', item: { type: 'web_search_call', id: 'ws_1', status: 'completed' } })).toEqual([]);
    expect(map({ type: 'response.output_item.added', item: { type: 'image_generation_call' } })).toEqual([]);
  });

  it('fails malformed on a known item that does not fit its schema', () => {
    const error = failedError(map({ type: 'response.output_item.done', item: { type: 'function_call', name: 'shell', arguments: '{}' } }));
    expect(error.kind).toBe('malformed');
    expect(error.message).toContain('invalid function_call item at call_id');
  });

  it('maps text, reasoning summary and reasoning content deltas', () => {
    expect(map({ type: 'response.output_text.delta', item_id: 'm', delta: 'Hel' })).toEqual([{ type: 'text_delta', delta: 'Hel' }]);
    expect(map({ type: 'response.reasoning_summary_text.delta', delta: 'S', summary_index: 2 })).toEqual([
      { type: 'reasoning_summary_delta', delta: 'S', summaryIndex: 2 },
    ]);
    expect(map({ type: 'response.reasoning_text.delta', delta: 'R', content_index: 0 })).toEqual([
      { type: 'reasoning_content_delta', delta: 'R' },
    ]);
  });

  it('maps response.completed with usage and end_turn', () => {
    const response = {
      id: 'resp_1',
      end_turn: false,
      usage: {
        input_tokens: 100,
        input_tokens_details: { cached_tokens: 40 },
        output_tokens: 20,
        output_tokens_details: { reasoning_tokens: 5 },
        total_tokens: 120,
      },
    };
    expect(map({ type: 'response.completed', response })).toEqual([
      {
        type: 'completed',
        responseId: 'resp_1',
        usage: { input_tokens: 100, cached_input_tokens: 40, output_tokens: 20, reasoning_output_tokens: 5, total_tokens: 120 },
        endTurn: false,
      },
    ]);
  });

  it('maps response.completed without usage or end_turn to nulls', () => {
    expect(map({ type: 'response.completed', response: { id: 'resp_2' } })).toEqual([
      { type: 'completed', responseId: 'resp_2', usage: null, endTurn: null },
    ]);
  });

  it('maps response.failed by its code', () => {
    const failed = (code: string, message: string) => failedError(map({ type: 'response.failed', response: { error: { code, message } } }));
    expect(failed('context_length_exceeded', 'too long')).toEqual({ kind: 'context_window_exceeded', message: 'too long' });
    expect(failed('insufficient_quota', 'pay up')).toEqual({
      kind: 'quota',
      message: 'Quota exceeded. Check your plan and billing details. pay up',
    });
    expect(failed('rate_limit_exceeded', 'Rate limit reached. Please try again in 1.5s.')).toEqual({
      kind: 'rate_limited',
      message: 'Rate limit reached. Please try again in 1.5s.',
      retryAfterMs: 1500,
    });
    expect(failed('rate_limit_exceeded', 'slow down')).toEqual({ kind: 'rate_limited', message: 'slow down' });
    expect(failed('server_error', 'oops')).toEqual({ kind: 'server', message: 'oops' });
    expect(failedError(map({ type: 'response.failed', response: {} })).kind).toBe('server');
  });

  it('maps response.incomplete to stream_incomplete with the reason', () => {
    const error = failedError(map({ type: 'response.incomplete', response: { incomplete_details: { reason: 'max_output_tokens' } } }));
    expect(error).toEqual({ kind: 'stream_incomplete', message: 'response incomplete: max_output_tokens' });
  });

  it('maps a stream-level error event', () => {
    expect(failedError(map({ type: 'error', code: 'context_length_exceeded', message: 'long' })).kind).toBe('context_window_exceeded');
  });

  it('fails malformed on data that is not JSON, naming the event and quoting it', () => {
    const error = failedError(map('{"type":"response.output_text.delta","delta":', 'response.output_text.delta'));
    expect(error.kind).toBe('malformed');
    expect(error.message).toBe('event "response.output_text.delta" is not JSON: "{\\"type\\":\\"response.output_text.delta\\",\\"delta\\":"');
    const long = failedError(map(`x${'y'.repeat(1000)}`));
    expect(long.message.length).toBeLessThan(200);
  });

  it('ignores unknown and uninteresting event types', () => {
    for (const type of ['response.in_progress', 'response.output_text.done', 'response.function_call_arguments.delta', 'response.brand_new']) {
      expect(map({ type }), type).toEqual([]);
    }
  });

  it('takes the type from the SSE event name when the data has none', () => {
    expect(map({ delta: 'x' }, 'response.output_text.delta')).toEqual([{ type: 'text_delta', delta: 'x' }]);
  });

  it('reports a stream that ends early', () => {
    const mapper = new ResponsesEventMapper();
    expect(mapper.onEnd({ type: 'eof' })).toEqual([
      { type: 'failed', error: { kind: 'stream_incomplete', message: 'stream closed before response.completed' } },
    ]);
    expect(mapper.onEnd({ type: 'idle_timeout', idleTimeoutMs: 300_000 })).toEqual([
      { type: 'failed', error: { kind: 'idle_timeout', message: 'no data from the model for 300 s' } },
    ]);
  });
});

describe('parseTryAgainMs', () => {
  it('reads seconds, milliseconds and words', () => {
    expect(parseTryAgainMs('Please try again in 1.5s.')).toBe(1500);
    expect(parseTryAgainMs('Please try again in 28ms.')).toBe(28);
    expect(parseTryAgainMs('try again in 35 seconds')).toBe(35_000);
    expect(parseTryAgainMs('Try again in 1 second')).toBe(1000);
    expect(parseTryAgainMs('Please try again later.')).toBeUndefined();
  });
});
