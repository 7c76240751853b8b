/**
 * Splits the streamed `content` of a Chat Completions response into thinking and answer, for servers that leave a
 * reasoning model's `<think>…</think>` block in the content (vLLM or SGLang without a reasoning parser, llama.cpp
 * with `--reasoning-format none`, LM Studio without "separate reasoning_content", Ollama for models it does not
 * parse).
 *
 * - `<think>` counts only at the very start of the content (after whitespace): that is where models put it, and a
 *   tag further on is the model writing about tags, not thinking.
 * - The opening tag may be implied: DeepSeek-R1 and Qwen3-Thinking chat templates end the prompt with `<think>`, so
 *   the output is "reasoning…\n</think>\n\nanswer". Until `</think>` arrives that reasoning cannot be told from an
 *   answer, so it streams as text; a `</think>` at the start of a line then reports `implied_reasoning_end`, and
 *   the consumer moves everything so far into the reasoning. A `</think>` inside a line (in backticks, in prose) is
 *   text.
 * - Tags may be split across chunks: a chunk ending in what could be the start of a tag is held back until the next
 *   chunk decides it.
 * - Whitespace around the tags is dropped: models put newlines there that belong to neither the thought nor the
 *   answer.
 */

const OPEN = '<think>';
const CLOSE = '</think>';

export type ContentPiece =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  /**
   * A bare `</think>` closed an implied opening tag: all text so far, then `text`, was reasoning (with the
   * whitespace before the tag, which the consumer trims).
   */
  | { type: 'implied_reasoning_end'; text: string };

type State =
  /** Nothing but whitespace seen: the content may still open with `<think>`. */
  | 'start'
  | 'thinking'
  /** The content did not open with `<think>`; a `</think>` on a line of its own may still close an implied one. */
  | 'untagged'
  /** After `</think>`: everything is answer, tags included. */
  | 'answer';

export class ThinkTagSplitter {
  private state: State = 'start';
  /** Text not yet classified: the start of the content, or a possible tag prefix at the end of the last chunk. */
  private held = '';
  /** Drop whitespace until something else arrives (after a tag). */
  private trimLeading = false;
  /** The last character passed on in the untagged state, to know whether a `</think>` starts a line. */
  private lastChar = '\n';

  push(chunk: string): ContentPiece[] {
    const pieces: ContentPiece[] = [];
    let text = this.held + chunk;
    this.held = '';
    for (;;) {
      switch (this.state) {
        case 'start': {
          const trimmed = text.trimStart();
          if (trimmed.startsWith(OPEN)) {
            this.state = 'thinking';
            this.trimLeading = true;
            text = trimmed.slice(OPEN.length);
            continue;
          }
          if (trimmed === '' || OPEN.startsWith(trimmed)) {
            this.held = text;
            return pieces;
          }
          this.state = 'untagged';
          continue;
        }
        case 'thinking': {
          const at = text.indexOf(CLOSE);
          if (at < 0) {
            // Trailing whitespace waits too: before `</think>` it belongs to neither the thought nor the answer.
            const partial = text.length - partialTagLength(text, CLOSE);
            const keep = text.slice(0, partial).trimEnd().length;
            this.emit(pieces, 'reasoning', text.slice(0, keep));
            this.held = text.slice(keep);
            return pieces;
          }
          this.emit(pieces, 'reasoning', text.slice(0, at).trimEnd());
          this.state = 'answer';
          this.trimLeading = true;
          text = text.slice(at + CLOSE.length);
          continue;
        }
        case 'untagged': {
          const at = closeAtLineStart(text, this.lastChar);
          if (at < 0) {
            const keep = partialTagLength(text, CLOSE);
            this.emitUntagged(pieces, text.slice(0, text.length - keep));
            this.held = text.slice(text.length - keep);
            return pieces;
          }
          pieces.push({ type: 'implied_reasoning_end', text: text.slice(0, at) });
          this.state = 'answer';
          this.trimLeading = true;
          text = text.slice(at + CLOSE.length);
          continue;
        }
        case 'answer':
          this.emit(pieces, 'text', text);
          return pieces;
      }
    }
  }

  /** The content is complete: what was held back is whatever it was waiting to become. */
  end(): ContentPiece[] {
    const held = this.held;
    this.held = '';
    if (held === '') return [];
    const pieces: ContentPiece[] = [];
    this.emit(pieces, this.state === 'thinking' ? 'reasoning' : 'text', held);
    return pieces;
  }

  private emitUntagged(pieces: ContentPiece[], text: string): void {
    if (text === '') return;
    this.lastChar = text.at(-1)!;
    this.emit(pieces, 'text', text);
  }

  private emit(pieces: ContentPiece[], type: 'text' | 'reasoning', text: string): void {
    let out = text;
    if (this.trimLeading) {
      out = out.trimStart();
      if (out !== '') this.trimLeading = false;
    }
    if (out !== '') pieces.push({ type, text: out });
  }
}

/** How many characters at the end of `text` could begin `tag` (so must wait for the next chunk). */
function partialTagLength(text: string, tag: string): number {
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
    if (tag.startsWith(text.slice(text.length - length))) return length;
  }
  return 0;
}

/** The index of the first `</think>` that starts a line (`before` is the character preceding `text`), or -1. */
function closeAtLineStart(text: string, before: string): number {
  for (let at = text.indexOf(CLOSE); at >= 0; at = text.indexOf(CLOSE, at + 1)) {
    const previous = at === 0 ? before : text[at - 1]!;
    if (previous === '\n') return at;
  }
  return -1;
}
