/**
 * Turns the bytes of a command's stdout and stderr into text deltas for the UI and one bounded, interleaved capture
 * for the model. Each stream has its own decoder, so a character split between two reads (or two pipes' reads
 * interleaving) is never torn: deltas are cut only on character boundaries.
 */
import { StringDecoder } from 'node:string_decoder';
import { HeadTailBuffer, type HeadTailBufferOptions } from '../../util/head-tail-buffer.ts';

export type OutputStream = 'stdout' | 'stderr';

export const DEFAULT_MAX_DELTAS = 10_000;

export interface OutputCaptureOptions {
  /** Called for each decoded piece of text, at most `maxDeltas` times; capture goes on after that. */
  onDelta(stream: OutputStream, chunk: string): void;
  maxDeltas?: number;
  buffer?: HeadTailBufferOptions;
}

export class OutputCapture {
  /** stdout and stderr interleaved in arrival order. */
  readonly aggregated: HeadTailBuffer;
  private readonly decoders: Record<OutputStream, StringDecoder | null> = {
    stdout: new StringDecoder('utf8'),
    stderr: new StringDecoder('utf8'),
  };
  private readonly maxDeltas: number;
  private deltas = 0;

  constructor(private readonly options: OutputCaptureOptions) {
    this.aggregated = new HeadTailBuffer(options.buffer);
    this.maxDeltas = options.maxDeltas ?? DEFAULT_MAX_DELTAS;
  }

  get deltaCount(): number {
    return this.deltas;
  }

  write(stream: OutputStream, bytes: Buffer): void {
    const decoder = this.decoders[stream];
    if (decoder === null) return;
    this.accept(stream, decoder.write(bytes));
  }

  /** The stream ended (or was abandoned): flushes a trailing partial character as U+FFFD. Idempotent. */
  end(stream: OutputStream): void {
    const decoder = this.decoders[stream];
    if (decoder === null) return;
    this.decoders[stream] = null;
    this.accept(stream, decoder.end());
  }

  private accept(stream: OutputStream, text: string): void {
    if (text.length === 0) return;
    this.aggregated.push(text);
    if (this.deltas >= this.maxDeltas) return;
    this.deltas++;
    this.options.onDelta(stream, text);
  }
}
