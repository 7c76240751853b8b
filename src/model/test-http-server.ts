/**
 * A real HTTP server on 127.0.0.1 (port 0) for the model layer's client tests: each request is captured and
 * handed to the test's handler, which answers it by hand (SSE, errors, drops, silence). Used only by tests.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Resolves when the client's connection is gone (closed by the client or destroyed by the handler). */
  closed: Promise<void>;
}

export type TestHandler = (request: CapturedRequest, response: ServerResponse) => void;

export interface TestHttpServer {
  /** Base URL, e.g. `http://127.0.0.1:41234/v1`. */
  baseUrl: string;
  requests: CapturedRequest[];
  close(): Promise<void>;
}

export async function startTestHttpServer(handler: TestHandler): Promise<TestHttpServer> {
  const requests: CapturedRequest[] = [];
  const server = createServer((req, res) => {
    const socket = req.socket;
    const closed = new Promise<void>((resolve) => {
      if (socket.destroyed) resolve();
      else socket.once('close', () => resolve());
    });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const captured: CapturedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        closed,
      };
      requests.push(captured);
      handler(captured, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One SSE message as a server writes it. */
export function sse(data: unknown, event?: string): string {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return `${event === undefined ? '' : `event: ${event}\n`}data: ${text}\n\n`;
}

/** Starts a 200 `text/event-stream` response. */
export function startSse(response: ServerResponse, headers: Record<string, string> = {}): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  response.flushHeaders();
}
