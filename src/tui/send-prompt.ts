/**
 * A prompt going to the engine, the one way every prompt goes (typed, from the command line, waited for images), and
 * back to the person when the engine refuses it.
 */
import type { Op, UserInput } from '../protocol/index.ts';
import type { ImageUserInput } from '../util/load-image.ts';
import type { SentPrompt, ViewEvent } from './view-state.ts';

export interface PromptTarget {
  /** Submits to the engine; returns the submission id. */
  submit(op: Op): string;
  dispatch(event: ViewEvent): void;
  /** Makes it the newest prompt Up recalls. */
  remember(text: string): void;
}

/**
 * Its text goes into the prompt history, then one `user_turn` carries the text and, after it, the images. `text` may
 * be blank when images go alone: then only they are sent, and nothing is kept in the history.
 */
export function sendPrompt(target: PromptTarget, text: string, images: readonly ImageUserInput[]): void {
  const blank = text.trim() === '';
  if (!blank) {
    target.remember(text);
    target.submit({ type: 'add_to_history', text });
  }
  const items: UserInput[] = blank ? [...images] : [{ type: 'text', text }, ...images];
  const submission = target.submit({ type: 'user_turn', items });
  // The engine's events for it are read asynchronously, so they come after the state knows the prompt.
  target.dispatch({ type: 'prompt_sent', prompt: { submission, text: blank ? '' : text, images } });
}

/**
 * A prompt the engine refused (see view-state's refusedPrompt) goes back into the prompt box; when the person has
 * typed on meanwhile, their text stays, and `note` says what became of the prompt: nothing is dropped unseen.
 */
export function giveBack(prompt: SentPrompt, box: { giveBack(prompt: SentPrompt): boolean }, note: (text: string) => void): void {
  if (box.giveBack(prompt)) return note('the prompt is back in the box: change it and send it again');
  const count = prompt.images.length;
  const images = count === 0 ? '' : count === 1 ? '; attach its image again to send it' : `; attach its ${count} images again to send them`;
  note(`the prompt was not sent${prompt.text === '' ? '' : ' (Up recalls its text)'}${images}`);
}
