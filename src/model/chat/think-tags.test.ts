import { describe, expect, it } from 'vitest';
import { ThinkTagSplitter, type ContentPiece } from './think-tags.ts';

/** Feeds the chunks and folds the pieces into the reasoning and the answer, as the chat mapper does. */
function split(chunks: string[]): { reasoning: string; text: string } {
  const splitter = new ThinkTagSplitter();
  let reasoning = '';
  let text = '';
  const take = (piece: ContentPiece): void => {
    if (piece.type === 'text') text += piece.text;
    else if (piece.type === 'reasoning') reasoning += piece.text;
    else {
      reasoning = (text + piece.text).trimEnd();
      text = '';
    }
  };
  for (const chunk of chunks) splitter.push(chunk).forEach(take);
  splitter.end().forEach(take);
  return { reasoning, text };
}

/** Every way of cutting `content` into two chunks, and one character at a time. */
function everySplit(content: string): string[][] {
  const cuts = Array.from({ length: content.length + 1 }, (_, at) => [content.slice(0, at), content.slice(at)]);
  return [...cuts, [...content]];
}

const CASES: Array<[string, { reasoning: string; text: string }]> = [
  ['<think>\nplan\n</think>\n\nanswer', { reasoning: 'plan', text: 'answer' }],
  ['<think>one\n\ntwo  \n</think>x', { reasoning: 'one\n\ntwo', text: 'x' }],
  ['<think>ends in space ', { reasoning: 'ends in space ', text: '' }],
  ['  \n<think>a</think>b', { reasoning: 'a', text: 'b' }],
  ['implied thought\n</think>\n\nanswer', { reasoning: 'implied thought', text: 'answer' }],
  ['no tags at all', { reasoning: '', text: 'no tags at all' }],
  ['say `</think>` and <think>', { reasoning: '', text: 'say `</think>` and <think>' }],
  ['<think>never closed', { reasoning: 'never closed', text: '' }],
  ['<thin', { reasoning: '', text: '<thin' }],
  ['<think>a</think>b</think>c', { reasoning: 'a', text: 'b</think>c' }],
];

describe('ThinkTagSplitter', () => {
  for (const [content, expected] of CASES) {
    it(`splits ${JSON.stringify(content)} the same however it is chunked`, () => {
      for (const chunks of everySplit(content)) expect(split(chunks), JSON.stringify(chunks)).toEqual(expected);
    });
  }
});
