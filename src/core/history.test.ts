import { describe, expect, it } from 'vitest';
import { assistantMessage, userMessage, type ResponseItem } from '../protocol/index.ts';
import { ConversationHistory } from './history.ts';

const call = (id: string): ResponseItem => ({ type: 'function_call', name: 'shell', arguments: '{}', call_id: id });
const out = (id: string, output = 'ok'): ResponseItem => ({ type: 'function_call_output', call_id: id, output });
const custom = (id: string): ResponseItem => ({ type: 'custom_tool_call', name: 'apply_patch', input: 'x', call_id: id });

describe('ConversationHistory', () => {
  it('places an output right after its call, whatever came in between', () => {
    const history = new ConversationHistory([userMessage('hi'), call('a'), call('b')]);
    history.record(out('a'));
    history.record(out('b'));
    expect(history.items.map((i) => ('call_id' in i ? `${i.type}:${i.call_id}` : i.type))).toEqual([
      'message',
      'function_call:a',
      'function_call_output:a',
      'function_call:b',
      'function_call_output:b',
    ]);
  });

  it('gives every open call an aborted output right after it, of the kind its call needs, and returns them', () => {
    const history = new ConversationHistory([userMessage('go'), call('a'), custom('c'), assistantMessage('partial')]);
    const added = history.normalize();
    expect(added).toEqual([
      { type: 'function_call_output', call_id: 'a', output: 'aborted' },
      { type: 'custom_tool_call_output', call_id: 'c', output: 'aborted' },
    ]);
    expect(history.items[2]).toEqual(added[0]);
    expect(history.items[4]).toEqual(added[1]);
    expect(history.openCalls()).toEqual([]);
  });

  it('keeps the synthetic outputs in the history, so a second normalize changes nothing', () => {
    const history = new ConversationHistory([call('a')]);
    history.normalize();
    const before = [...history.items];
    expect(history.normalize()).toEqual([]);
    expect(history.items).toEqual(before);
  });

  it('drops outputs without a call and second outputs for one call', () => {
    const history = new ConversationHistory([out('ghost'), call('a'), out('a', 'first'), out('a', 'second')]);
    history.normalize();
    expect(history.items).toEqual([call('a'), out('a', 'first')]);
  });

  it('answers a local shell call by its id when it has no call_id', () => {
    const local: ResponseItem = { type: 'local_shell_call', id: 'ls1', status: 'completed', action: { type: 'exec', command: ['ls'] } };
    const history = new ConversationHistory([local]);
    expect(history.normalize()).toEqual([{ type: 'function_call_output', call_id: 'ls1', output: 'aborted' }]);
  });
});
