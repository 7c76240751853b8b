import { describe, expect, it } from 'vitest';
import type { Op } from '../protocol/index.ts';
import { giveBack, sendPrompt } from './send-prompt.ts';
import type { ViewEvent } from './view-state.ts';

const shot = { type: 'image' as const, image_url: 'data:image/png;base64,AA==', name: 'shot.png' };

/** What sendPrompt did, in order. */
function sent(text: string, images = [shot]): Array<Op | ViewEvent | string> {
  const done: Array<Op | ViewEvent | string> = [];
  sendPrompt(
    {
      submit: (op) => {
        done.push(op);
        return `sub-${done.length}`;
      },
      dispatch: (event) => done.push(event),
      remember: (remembered) => done.push(`remember ${remembered}`),
    },
    text,
    images,
  );
  return done;
}

describe('sendPrompt', () => {
  it('keeps the text in the history, sends it with the images after it, and tells the state under which submission', () => {
    expect(sent('what is this?')).toEqual([
      'remember what is this?',
      { type: 'add_to_history', text: 'what is this?' },
      { type: 'user_turn', items: [{ type: 'text', text: 'what is this?' }, shot] },
      { type: 'prompt_sent', prompt: { submission: 'sub-3', text: 'what is this?', images: [shot] } },
    ]);
  });

  it('sends images alone without a text item, and keeps nothing in the history', () => {
    expect(sent('  ')).toEqual([
      { type: 'user_turn', items: [shot] },
      { type: 'prompt_sent', prompt: { submission: 'sub-1', text: '', images: [shot] } },
    ]);
  });
});

describe('giveBack', () => {
  const prompt = { submission: 'sub-2', text: 'look', images: [shot] };

  it('puts the prompt back into the box, and says so', () => {
    const notes: string[] = [];
    giveBack(prompt, { giveBack: () => true }, (text) => notes.push(text));
    expect(notes).toEqual(['the prompt is back in the box: change it and send it again']);
  });

  it('says what became of it when the box holds something new', () => {
    const notes: string[] = [];
    giveBack(prompt, { giveBack: () => false }, (text) => notes.push(text));
    giveBack({ ...prompt, text: '', images: [shot, shot] }, { giveBack: () => false }, (text) => notes.push(text));
    expect(notes).toEqual([
      'the prompt was not sent (Up recalls its text); attach its image again to send it',
      'the prompt was not sent; attach its 2 images again to send them',
    ]);
  });
});
