/**
 * Bounded capture of a stream of text: keeps the first `headBytes` and the last `tailBytes` bytes (UTF-8) and
 * counts everything, so a command that prints gigabytes costs a fixed amount of memory. What it keeps is enough for
 * `truncateExtremes` to produce the same result as truncating the whole text, when each end is at least half the
 * truncation budget.
 */
import {
  charBoundaryAtOrAfter,
  charBoundaryAtOrBefore,
  countLines,
  countNewlines,
  type TextExtremes,
} from './truncate.ts';

export interface HeadTailBufferOptions {
  headBytes?: number;
  tailBytes?: number;
}

export const DEFAULT_HEAD_TAIL_BYTES = 64 * 1024;

// Many tiny pushes (a byte at a time) would otherwise cost an object per byte; joining now and then keeps the
// overhead proportional to the bytes kept.
const MAX_CHUNKS = 256;

export class HeadTailBuffer {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private readonly head: Buffer[] = [];
  private headLength = 0;
  /** Chunks whose total may exceed `tailLimit` by less than the first chunk; trimmed when read. */
  private tail: Buffer[] = [];
  private tailLength = 0;
  private total = 0;
  private newlines = 0;
  private lastByte: number | undefined;

  constructor(options: HeadTailBufferOptions = {}) {
    this.headLimit = options.headBytes ?? DEFAULT_HEAD_TAIL_BYTES;
    this.tailLimit = options.tailBytes ?? DEFAULT_HEAD_TAIL_BYTES;
  }

  /** Appends text (or raw bytes, which are copied: the caller may reuse its buffer). */
  push(chunk: string | Uint8Array): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    if (bytes.length === 0) return;
    this.total += bytes.length;
    this.newlines += countNewlines(bytes);
    this.lastByte = bytes[bytes.length - 1];

    let rest = bytes;
    if (this.headLength < this.headLimit) {
      const take = Math.min(rest.length, this.headLimit - this.headLength);
      this.head.push(rest.subarray(0, take));
      this.headLength += take;
      if (this.head.length > MAX_CHUNKS) this.head.splice(0, this.head.length, Buffer.concat(this.head));
      rest = rest.subarray(take);
    }
    if (rest.length === 0 || this.tailLimit === 0) return;
    if (rest.length >= this.tailLimit) {
      // Copy, so the big chunk this slice came from can be collected.
      this.tail = [Buffer.from(rest.subarray(rest.length - this.tailLimit))];
      this.tailLength = this.tailLimit;
      return;
    }
    this.tail.push(rest);
    this.tailLength += rest.length;
    let first = this.tail[0];
    while (first !== undefined && this.tailLength - first.length >= this.tailLimit) {
      this.tail.shift();
      this.tailLength -= first.length;
      first = this.tail[0];
    }
    if (this.tail.length > MAX_CHUNKS) {
      const joined = Buffer.concat(this.tail);
      const kept = joined.subarray(Math.max(0, joined.length - this.tailLimit));
      this.tail = [kept];
      this.tailLength = kept.length;
    }
  }

  get totalBytes(): number {
    return this.total;
  }

  get totalLines(): number {
    return countLines(this.total, this.newlines, this.lastByte);
  }

  /** Bytes neither in the kept head nor in the kept tail. */
  get droppedBytes(): number {
    return this.total - this.headLength - Math.min(this.tailLength, this.tailLimit);
  }

  /** Bytes held in memory right now (bounded by head + tail + one chunk). */
  get retainedBytes(): number {
    return this.headLength + this.tailLength;
  }

  extremes(): TextExtremes {
    if (this.droppedBytes === 0) {
      const whole = Buffer.concat([...this.head, ...this.tail]);
      return { head: whole, tail: whole, totalBytes: this.total, newlineCount: this.newlines };
    }
    const tail = Buffer.concat(this.tail);
    return {
      head: Buffer.concat(this.head),
      tail: tail.subarray(tail.length - this.tailLimit),
      totalBytes: this.total,
      newlineCount: this.newlines,
    };
  }

  /** Everything kept, with a marker where bytes were dropped; cuts are moved to character boundaries. */
  render(): string {
    const { head, tail, totalBytes } = this.extremes();
    if (this.droppedBytes === 0) return head.toString('utf8');
    const headEnd = charBoundaryAtOrBefore(head, head.length);
    const tailStart = charBoundaryAtOrAfter(tail, 0);
    const omitted = totalBytes - headEnd - (tail.length - tailStart);
    return (
      head.toString('utf8', 0, headEnd) +
      `\n[... omitted ${omitted} of ${totalBytes} bytes ...]\n` +
      tail.toString('utf8', tailStart)
    );
  }
}
