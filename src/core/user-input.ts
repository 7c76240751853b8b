/**
 * What a user turn's inputs become: one user message for the history (text and images in the order given) and
 * what the `user_message` event says about it (the text, and the images by name: their data is in the history
 * already, and a 20 MB image should not be written to the log twice).
 */
import type { ContentPart, MessageItem, UserInput } from '../protocol/index.ts';

export interface UserTurnMessage {
  item: MessageItem;
  /** The texts joined by newlines. */
  text: string;
  /** The images' names, `image` for one without a name; empty when there are none. */
  images: string[];
}

export function userTurnMessage(inputs: readonly UserInput[]): UserTurnMessage {
  const texts: string[] = [];
  const images: string[] = [];
  const content: ContentPart[] = [];
  for (const input of inputs) {
    switch (input.type) {
      case 'text':
        texts.push(input.text);
        break;
      case 'image':
        images.push(input.name ?? 'image');
        break;
    }
  }
  const text = texts.join('\n');
  // The text first: a listing finds a session's first prompt at the start of its user message (session-summary.ts).
  if (texts.length > 0 || images.length === 0) content.push({ type: 'input_text', text });
  for (const input of inputs) if (input.type === 'image') content.push({ type: 'input_image', image_url: input.image_url });
  return { item: { type: 'message', role: 'user', content }, text, images };
}

/**
 * Why a turn with images is refused before anything is sent, or null. Only a model known not to take images
 * (catalogue or config) is refused; for an unknown one the server decides.
 */
export function imagesRefusal(inputs: readonly UserInput[], model: string, acceptsImages: boolean | null): string | null {
  if (acceptsImages !== false || !inputs.some((input) => input.type === 'image')) return null;
  return (
    `${model} does not take images, so this prompt was not sent: send it without the image, switch to a model ` +
    `that takes images (/model), or set model_supports_images = true in config.toml if ${model} does`
  );
}
