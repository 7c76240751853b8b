import { expect, it } from 'vitest';
import { assistantMessage, userMessage, type ResponseItem } from '../protocol/index.ts';
import { endsMidTask, outputsForOpenCalls, STARTED_THEN_LOST } from './resume-history.ts';

const call = (id: string): ResponseItem => ({ type: 'function_call', name: 'shell', arguments: '{}', call_id: id });

it('tells the model which open calls had started and which never did', () => {
  const items = [userMessage('go'), call('ran'), call('queued')];
  expect(outputsForOpenCalls(items, new Set(['ran']))).toEqual([
    { type: 'function_call_output', call_id: 'ran', output: STARTED_THEN_LOST },
    { type: 'function_call_output', call_id: 'queued', output: 'aborted' },
  ]);
});

it('leaves answered calls alone', () => {
  const items = [call('a'), { type: 'function_call_output', call_id: 'a', output: 'ok' } as ResponseItem];
  expect(outputsForOpenCalls(items, new Set(['a']))).toEqual([]);
});

it('knows whether the model still owed an answer', () => {
  expect(endsMidTask([userMessage('hi')])).toBe(true);
  expect(endsMidTask([userMessage('hi'), assistantMessage('hello')])).toBe(false);
  expect(endsMidTask([userMessage('hi'), call('a'), { type: 'function_call_output', call_id: 'a', output: 'x' }])).toBe(true);
  expect(endsMidTask([])).toBe(false);
});
