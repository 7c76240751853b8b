/**
 * Reads the lines of a file from its end towards its start, in chunks that double in size, stopping when the
 * caller has what it needs or after `maxBytes`. A listing of thousands of sessions reads a few KiB of each file
 * instead of the whole file; the growth keeps the bytes copied proportional to the bytes read.
 */
import { readSync } from 'node:fs';

const NEWLINE = 0x0a;

export interface BackwardLineReaderOptions {
  /** Never read more than this many bytes from the end (default: the whole file). */
  maxBytes?: number;
  /** The size of the first read; later reads double what is held (default 8 KiB). */
  firstChunk?: number;
}

/** The bytes after the file's last newline: an unterminated (often torn) last line. */
export interface TrailingBytes {
  /** File offset where the trailing bytes begin. */
  offset: number;
  text: string;
}

export class BackwardLineReader {
  private buffer: Buffer = Buffer.alloc(0);
  /** File offset of `buffer[0]`; the buffer always reaches the end of the file. */
  private bufferStart: number;
  private readonly floor: number;
  private readonly firstChunk: number;
  /** File offset of the newline that ends the next line to return; -1 when every line was returned. */
  private end: number;
  /** Null when the unterminated last line is longer than `maxBytes` (nothing else is returned then). */
  readonly trailing: TrailingBytes | null;

  constructor(
    private readonly fd: number,
    private readonly size: number,
    options: BackwardLineReaderOptions = {},
  ) {
    this.floor = Math.max(0, size - (options.maxBytes ?? size));
    this.firstChunk = options.firstChunk ?? 8192;
    this.bufferStart = size;
    const lastNewline = this.findNewlineBefore(size);
    if (lastNewline === null) {
      this.end = -1;
      this.trailing = this.bufferStart === 0 ? { offset: 0, text: this.text(0, size) } : null;
    } else {
      this.end = lastNewline;
      this.trailing = { offset: lastNewline + 1, text: this.text(lastNewline + 1, size) };
    }
  }

  /** Bytes read from the file so far. */
  get bytesRead(): number {
    return this.size - this.bufferStart;
  }

  /** True once every line back to the start of the file was returned. */
  get reachedStart(): boolean {
    return this.end < 0 && this.bufferStart === 0;
  }

  /** The next complete line going backwards (without its newline), or null at the start of the file or the cap. */
  next(): string | null {
    if (this.end < 0) return null;
    const lineEnd = this.end;
    const previous = this.findNewlineBefore(lineEnd);
    if (previous === null) {
      // No newline before this line within reach: it is the first line if the start of the file was reached,
      // otherwise it begins before the cap and cannot be returned whole.
      this.end = -1;
      return this.bufferStart === 0 ? this.text(0, lineEnd) : null;
    }
    this.end = previous;
    return this.text(previous + 1, lineEnd);
  }

  /** File offset of the last newline before `offset`, reading further back as needed; null if none within reach. */
  private findNewlineBefore(offset: number): number | null {
    for (;;) {
      const searchFrom = offset - 1 - this.bufferStart;
      if (searchFrom >= 0) {
        const found = this.buffer.lastIndexOf(NEWLINE, searchFrom);
        if (found >= 0) return this.bufferStart + found;
      }
      if (!this.grow()) return null;
    }
  }

  private grow(): boolean {
    if (this.bufferStart <= this.floor) return false;
    const want = Math.max(this.firstChunk, this.buffer.length);
    const start = Math.max(this.floor, this.bufferStart - want);
    const chunk = Buffer.allocUnsafe(this.bufferStart - start);
    let filled = 0;
    while (filled < chunk.length) {
      const read = readSync(this.fd, chunk, filled, chunk.length - filled, start + filled);
      // Files only grow at the end; bytes missing before what was read mean the file was replaced or truncated.
      if (read === 0) throw new Error(`the file shrank while it was read (offset ${start + filled})`);
      filled += read;
    }
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([chunk, this.buffer]);
    this.bufferStart = start;
    return true;
  }

  private text(from: number, to: number): string {
    return this.buffer.toString('utf8', from - this.bufferStart, to - this.bufferStart);
  }
}
