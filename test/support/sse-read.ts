/**
 * A minimal, independent SSE reader for tests of wire formats: it parses what arrives over a real `fetch`
 * response, so a test sees exactly the frames a client would, including a malformed one or a cut stream.
 */

export interface SseMessage {
  event?: string;
  data: string;
}

/** Parses complete SSE blocks; returns them and the unterminated remainder. */
export function parseSseBlocks(text: string): { messages: SseMessage[]; rest: string } {
  const messages: SseMessage[] = [];
  const blocks = text.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    const data: string[] = [];
    let event: string | undefined;
    for (const line of block.split('\n')) {
      if (line.startsWith(':') || line === '') continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    messages.push(event === undefined ? { data: data.join('\n') } : { event, data: data.join('\n') });
  }
  return { messages, rest };
}

/** Yields frames as they arrive. Throws what the body stream throws (e.g. when the server drops the connection). */
export async function* sseMessages(response: Response): AsyncGenerator<SseMessage> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    const { messages, rest } = parseSseBlocks(buffer);
    buffer = rest;
    yield* messages;
  }
}

export interface SseReadResult {
  messages: SseMessage[];
  /** What ended the stream early, if it did not end cleanly. */
  error?: unknown;
}

/** Reads the whole stream, keeping what arrived before an error. */
export async function readSse(response: Response): Promise<SseReadResult> {
  const messages: SseMessage[] = [];
  try {
    for await (const message of sseMessages(response)) messages.push(message);
    return { messages };
  } catch (error) {
    return { messages, error };
  }
}

/** The JSON payloads of the frames, `[DONE]` and malformed data left out. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON, read as tests read it
export function jsonPayloads(messages: readonly SseMessage[]): any[] {
  return messages.flatMap((message) => {
    try {
      return [JSON.parse(message.data)];
    } catch {
      return []; // `[DONE]` and deliberately malformed frames are not payloads
    }
  });
}

/** POSTs a JSON body (or raw text) the way a model client does. */
export function postJson(url: string, body: unknown, init: { signal?: AbortSignal; headers?: Record<string, string> } = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer test', ...init.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: init.signal,
  });
}

/** A JSON response body, typed loosely for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON, read as tests read it
export async function readJson(response: Response): Promise<any> {
  return response.json();
}
