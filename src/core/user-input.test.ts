import { describe, expect, it } from 'vitest';
import { userMessage } from '../protocol/index.ts';
import { userTurnMessage } from './user-input.ts';

describe('userTurnMessage', () => {
  it('keeps a text-only turn the plain user message it always was', () => {
    expect(userTurnMessage([{ type: 'text', text: 'fix it' }])).toEqual({ item: userMessage('fix it'), text: 'fix it', images: [] });
  });

  it('puts the text first and the images after it, naming them for the event but not for the model', () => {
    const turn = userTurnMessage([
      { type: 'image', image_url: 'data:image/png;base64,AAAA', name: 'shot.png' },
      { type: 'text', text: 'what is wrong here?' },
      { type: 'image', image_url: 'data:image/jpeg;base64,BBBB' },
    ]);
    expect(turn.item.content).toEqual([
      { type: 'input_text', text: 'what is wrong here?' },
      { type: 'input_image', image_url: 'data:image/png;base64,AAAA' },
      { type: 'input_image', image_url: 'data:image/jpeg;base64,BBBB' },
    ]);
    expect(turn.text).toBe('what is wrong here?');
    expect(turn.images).toEqual(['shot.png', 'image']);
  });

  it('sends images alone without an empty text part', () => {
    expect(userTurnMessage([{ type: 'image', image_url: 'data:image/gif;base64,R0lG' }]).item.content).toEqual([
      { type: 'input_image', image_url: 'data:image/gif;base64,R0lG' },
    ]);
  });
});
