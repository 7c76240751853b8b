/**
 * How the scripted server cuts text into stream deltas. Real servers cut on token boundaries; cutting on words
 * (text) and into a few pieces (JSON arguments) is enough to make clients prove they concatenate.
 */

/** Words with the whitespace that follows them; joined they give back `text` exactly. Empty text gives one "". */
export function splitWords(text: string): string[] {
  const words = text.match(/\s*\S+\s*/gu);
  return words && words.length > 0 ? words : [text];
}

/**
 * `text` cut into `pieces` parts of similar length, never inside a code point. Text shorter than `pieces`
 * characters gives one part per character (and "" gives one empty part) so the result always joins back to `text`.
 */
export function splitPieces(text: string, pieces: number): string[] {
  const chars = Array.from(text);
  if (chars.length === 0) return [''];
  const size = Math.ceil(chars.length / Math.max(1, pieces));
  const parts: string[] = [];
  for (let start = 0; start < chars.length; start += size) parts.push(chars.slice(start, start + size).join(''));
  return parts;
}
