/**
 * Drives one model request: transport messages go through an adapter's mapper, and the result is held to the
 * `ModelClient` contract — never throw, exactly one terminal event, nothing after it, silence after an abort.
 */
import { describeCause } from './model-error.ts';
import type { ModelError, ModelEvent } from './model-event.ts';
import { openSseStream, type HttpStreamRequest, type StreamEnd } from './http-stream.ts';
import type { SseMessage } from './sse-parser.ts';

/**
 * What a wire adapter supplies: the meaning of each SSE message. One mapper serves one request.
 * A terminal event (`completed` / `failed`) in a returned list ends the stream; anything after it is dropped.
 */
export interface StreamMapper {
  onMessage(message: SseMessage): ModelEvent[];
  /** The body ended before the mapper returned a terminal event. Must return one. */
  onEnd(end: StreamEnd): ModelEvent[];
}

/** The failure for a body that ended without the adapter's own terminal event. */
export function failureForEnd(end: StreamEnd, expected: string): ModelError {
  switch (end.type) {
    case 'eof':
      return { kind: 'stream_incomplete', message: `stream closed before ${expected}` };
    case 'dropped':
      return { kind: 'stream_incomplete', message: `stream closed before ${expected} (${end.reason})` };
    case 'idle_timeout':
      return { kind: 'idle_timeout', message: `no data from the model for ${end.idleTimeoutMs / 1000} s` };
  }
}

/** `body` is built lazily so that even a failure to build it becomes a `failed` event rather than a throw. */
export async function* streamModelEvents(
  request: Omit<HttpStreamRequest, 'body'>,
  buildBody: () => string,
  mapper: StreamMapper,
  signal: AbortSignal,
): AsyncGenerator<ModelEvent, void, undefined> {
  try {
    const body = buildBody();
    for await (const event of openSseStream({ ...request, body }, signal)) {
      const events =
        event.type === 'message'
          ? mapper.onMessage(event.message)
          : event.type === 'end'
            ? mapper.onEnd(event.end)
            : [{ type: 'failed', error: event.error } satisfies ModelEvent];
      for (const out of events) {
        yield out;
        // Leaving the loop closes the transport, which releases the connection.
        if (out.type === 'completed' || out.type === 'failed') return;
        if (signal.aborted) return;
      }
      if (event.type !== 'message') break;
    }
    if (signal.aborted) return;
    // Only reachable if a mapper broke its contract; the caller still gets its one terminal event.
    yield { type: 'failed', error: { kind: 'stream_incomplete', message: 'stream ended without a final event' } };
  } catch (error) {
    // A bug in keel, not the server; the contract says the caller sees an event, never a throw.
    if (signal.aborted) return;
    yield { type: 'failed', error: { kind: 'malformed', message: `could not read the model stream: ${describeCause(error)}` } };
  }
}
