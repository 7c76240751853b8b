/**
 * How images are named on screen, in one spelling everywhere (the prompt box, the transcript, the queued prompts, and
 * `keel exec`'s output): `[image: name.png]`. The image itself is never drawn.
 */
import type { Attachment } from './input/image-attachments.ts';
import { sanitize } from '../util/text/sanitize.ts';
import { span, type Line, type Span } from '../util/text/styled.ts';
import { wrapLines } from '../util/text/wrap.ts';

/** Names come from file names and session logs: made safe to draw. */
export function imageLabel(name: string): string {
  return `[image: ${sanitize(name)}]`;
}

/** A prompt in one line: its text, then its images (a queued prompt). */
export function promptLabel(text: string, imageNames: readonly string[]): string {
  return [text, ...imageNames.map(imageLabel)].filter((part) => part !== '').join(' ');
}

/**
 * The prompt box's row of attachments, wrapped to `width` and indented under the prompt sign. `waiting`: Enter was
 * pressed while an image was still being read, so the prompt goes once it is.
 */
export function attachmentRows(attachments: readonly Attachment[], waiting: boolean, width: number): Line[] {
  if (attachments.length === 0) return [];
  const spans: Span[] = [span('  ')];
  attachments.forEach((attachment, index) => {
    if (index > 0) spans.push(span(' '));
    spans.push(span(imageLabel(attachment.name), { color: 'cyan' }));
    if (attachment.type === 'loading') spans.push(span(' reading…', { dim: true }));
  });
  if (waiting) spans.push(span(' · sent once read', { dim: true }));
  return wrapLines([{ spans, indent: 2 }], width);
}
