import { describe, expect, it } from 'vitest';
import type { Agent } from '../core/agent.ts';
import type { Op } from '../protocol/index.ts';
import { withImagesOnFirstTurn } from './first-turn-images.ts';

function recordingAgent(): Agent & { ops: Op[] } {
  const ops: Op[] = [];
  return { sessionId: 's', events: (async function* () {})(), ops, submit: (op) => String(ops.push(op)) };
}

describe('withImagesOnFirstTurn', () => {
  it('adds the images to the first user turn only, after its text, and passes every other op through', () => {
    const inner = recordingAgent();
    const image = { type: 'image' as const, image_url: 'data:image/png;base64,AAAA', name: 'a.png' };
    const agent = withImagesOnFirstTurn(inner, [image]);
    agent.submit({ type: 'add_to_history', text: 'look' });
    agent.submit({ type: 'user_turn', items: [{ type: 'text', text: 'look' }] });
    agent.submit({ type: 'user_turn', items: [{ type: 'text', text: 'again' }] });
    expect(inner.ops).toEqual([
      { type: 'add_to_history', text: 'look' },
      { type: 'user_turn', items: [{ type: 'text', text: 'look' }, image] },
      { type: 'user_turn', items: [{ type: 'text', text: 'again' }] },
    ]);
    expect(agent.sessionId).toBe('s');
  });

  it('is the agent itself when there are no images', () => {
    const inner = recordingAgent();
    expect(withImagesOnFirstTurn(inner, [])).toBe(inner);
  });
});
