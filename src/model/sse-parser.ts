/**
 * An incremental Server-Sent-Events parser (the WHATWG `text/event-stream` framing) for model streams.
 *
 * Bytes are decoded with a streaming `TextDecoder`, so a chunk boundary inside a multi-byte character is harmless;
 * lines are then found with `indexOf` on the decoded text rather than by walking bytes, which keeps parsing far
 * faster than the network. Only `data` and `event` matter to model streams: `id`, `retry` and unknown fields are
 * read and dropped.
 */

export interface SseMessage {
  /** The `event:` field, when the message had one. */
  event?: string;
  /** The `data:` lines of the message joined with `\n`. */
  data: string;
}

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  /** Pieces of a line whose end has not arrived yet; joined once, when it does (no quadratic re-scanning). */
  private readonly partialLine: string[] = [];
  /** The previous text ended with CR: a LF starting the next text belongs to that line ending. */
  private skipLeadingLf = false;
  private data: string | null = null;
  private event: string | undefined = undefined;
  private out: SseMessage[] = [];

  /** Feeds bytes; returns the messages completed by them, in order. */
  push(chunk: Uint8Array): SseMessage[] {
    this.scan(this.decoder.decode(chunk, { stream: true }));
    return this.take();
  }

  /**
   * The stream ended cleanly. Unlike a browser, a final line without its line ending and a final message without
   * its blank line are delivered: some servers close right after `data: [DONE]`. A connection that breaks should
   * not be flushed (the caller simply stops pushing), so a torn line never reaches the JSON parser.
   */
  end(): SseMessage[] {
    this.scan(this.decoder.decode());
    if (this.partialLine.length > 0) {
      const line = this.partialLine.join('');
      this.partialLine.length = 0;
      this.line(line);
    }
    this.dispatch();
    return this.take();
  }

  private take(): SseMessage[] {
    const messages = this.out;
    if (messages.length > 0) this.out = [];
    return messages;
  }

  private scan(text: string): void {
    let pos = 0;
    const length = text.length;
    if (length === 0) return;
    if (this.skipLeadingLf) {
      this.skipLeadingLf = false;
      if (text.charCodeAt(0) === LF) pos = 1;
    }
    // Indices of the next LF / CR at or after `pos`, searched again only once passed; -1 means none left.
    let nextLf = text.indexOf('\n', pos);
    let nextCr = text.indexOf('\r', pos);
    while (pos < length) {
      if (nextLf !== -1 && nextLf < pos) nextLf = text.indexOf('\n', pos);
      if (nextCr !== -1 && nextCr < pos) nextCr = text.indexOf('\r', pos);
      const end = nextCr === -1 ? nextLf : nextLf === -1 ? nextCr : Math.min(nextLf, nextCr);
      if (end === -1) {
        this.partialLine.push(pos === 0 ? text : text.slice(pos));
        return;
      }
      let line = text.slice(pos, end);
      if (this.partialLine.length > 0) {
        this.partialLine.push(line);
        line = this.partialLine.join('');
        this.partialLine.length = 0;
      }
      this.line(line);
      pos = end + 1;
      if (text.charCodeAt(end) === CR) {
        if (pos === length) this.skipLeadingLf = true;
        else if (text.charCodeAt(pos) === LF) pos++;
      }
    }
  }

  private line(line: string): void {
    if (line.length === 0) {
      this.dispatch();
      return;
    }
    const first = line.charCodeAt(0);
    if (first === COLON) return; // comment (servers send these as keepalives)
    const colon = line.indexOf(':');
    const nameEnd = colon === -1 ? line.length : colon;
    let valueStart = colon === -1 ? line.length : colon + 1;
    if (line.charCodeAt(valueStart) === SPACE) valueStart++;
    if (nameEnd === 4 && line.startsWith('data')) {
      const value = line.slice(valueStart);
      this.data = this.data === null ? value : `${this.data}\n${value}`;
    } else if (nameEnd === 5 && line.startsWith('event')) {
      this.event = line.slice(valueStart);
    }
    // `id`, `retry` and unknown fields carry nothing a model stream needs.
  }

  private dispatch(): void {
    const data = this.data;
    const event = this.event;
    this.data = null;
    this.event = undefined;
    // As in the standard, a message whose data is empty is not delivered.
    if (data === null || data.length === 0) return;
    this.out.push(event === undefined || event.length === 0 ? { data } : { event, data });
  }
}
