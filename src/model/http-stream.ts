/**
 * The transport both wire adapters share: POST a JSON body, then read the answer as SSE messages, with a
 * connect timeout, an idle timeout, bounded error bodies and quiet cancellation. It knows nothing of what the
 * messages mean; adapters map them (see stream-model-events.ts).
 */
import { classifyHttpError, describeCause } from './model-error.ts';
import type { ModelError } from './model-event.ts';
import { SseParser, type SseMessage } from './sse-parser.ts';

export interface HttpStreamRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** From sending the request until the response headers arrive. */
  connectTimeoutMs: number;
  /** Longest wait for the next bytes of the body; every received byte restarts it. */
  idleTimeoutMs: number;
  /** The clock HTTP-date `Retry-After` headers are measured against. */
  now: () => number;
}

/** How a successful (2xx) response's body ended. Whether that is a clean finish is for the adapter to say. */
export type StreamEnd =
  | { type: 'eof' }
  | { type: 'dropped'; reason: string }
  | { type: 'idle_timeout'; idleTimeoutMs: number };

export type TransportEvent =
  | { type: 'message'; message: SseMessage }
  /** The body ended; always the last event of a 2xx response. */
  | { type: 'end'; end: StreamEnd }
  /** No usable response: transport failure, connect timeout, or a non-2xx status. Always the last event. */
  | { type: 'failed'; error: ModelError };

/** Error bodies are read only this far: enough for any JSON error, not enough to hurt on a runaway proxy page. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * Yields the SSE messages of the response, then one `end` or `failed`. When `signal` aborts it returns without
 * another event. Closing the iterator early (`break`, `return()`) or aborting cancels the request and releases
 * the connection; so does reaching the end.
 */
export async function* openSseStream(
  request: HttpStreamRequest,
  signal: AbortSignal,
): AsyncGenerator<TransportEvent, void, undefined> {
  if (signal.aborted) return;
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  // Which deadline, if any, cut the request; checked after fetch or a read rejects because of the abort.
  let expired: 'connect' | 'idle' | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (phase: 'connect' | 'idle', ms: number): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      expired = phase;
      controller.abort();
    }, ms);
  };
  const disarm = (): void => clearTimeout(timer);

  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    let response: Response;
    arm('connect', request.connectTimeoutMs);
    try {
      response = await fetch(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
      });
    } catch (error) {
      disarm();
      if (signal.aborted) return;
      yield {
        type: 'failed',
        error:
          expired === 'connect'
            ? { kind: 'network', message: `no response from the model within ${seconds(request.connectTimeoutMs)}` }
            : { kind: 'network', message: `cannot reach the model: ${describeCause(error)}` },
      };
      return;
    }
    disarm();

    reader = response.body?.getReader();
    if (!response.ok) {
      const body = reader ? await readBounded(reader, () => arm('idle', request.idleTimeoutMs), disarm) : '';
      if (signal.aborted) return;
      yield { type: 'failed', error: classifyHttpError({ status: response.status, headers: response.headers, body }, request.now) };
      return;
    }
    if (!reader) {
      yield { type: 'end', end: { type: 'eof' } };
      return;
    }

    const parser = new SseParser();
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      // The idle clock runs only while we wait on the network, not while the consumer handles a message.
      arm('idle', request.idleTimeoutMs);
      try {
        chunk = await reader.read();
      } catch (error) {
        disarm();
        if (signal.aborted) return;
        yield {
          type: 'end',
          end: expired === 'idle' ? { type: 'idle_timeout', idleTimeoutMs: request.idleTimeoutMs } : { type: 'dropped', reason: describeCause(error) },
        };
        return;
      }
      disarm();
      if (chunk.done) {
        reader = undefined;
        for (const message of parser.end()) yield { type: 'message', message };
        yield { type: 'end', end: { type: 'eof' } };
        return;
      }
      for (const message of parser.push(chunk.value)) {
        yield { type: 'message', message };
        if (signal.aborted) return;
      }
    }
  } finally {
    disarm();
    signal.removeEventListener('abort', onAbort);
    // Whatever is left unread is not wanted: abort so the socket is closed now instead of drained or pooled.
    if (reader) {
      controller.abort();
      reader.cancel().catch(() => {
        // The stream may already be errored by the abort; there is nothing left to release.
      });
    }
  }
}

/**
 * Reads at most MAX_ERROR_BODY_BYTES of an error body. A broken or stalled body yields what arrived: the status
 * alone already classifies the failure.
 */
async function readBounded(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  arm: () => void,
  disarm: () => void,
): Promise<string> {
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let received = 0;
  try {
    while (received < MAX_ERROR_BODY_BYTES) {
      arm();
      const chunk = await reader.read();
      disarm();
      if (chunk.done) break;
      const room = MAX_ERROR_BODY_BYTES - received;
      const bytes = chunk.value.byteLength > room ? chunk.value.subarray(0, room) : chunk.value;
      received += bytes.byteLength;
      text += decoder.decode(bytes, { stream: true });
    }
  } catch {
    disarm(); // the body broke off or timed out; classify with what we have
  }
  return text + decoder.decode();
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}
