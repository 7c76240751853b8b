/**
 * The scripted model server: a real HTTP server (127.0.0.1, port 0 by default) that answers `POST /v1/responses`
 * with Responses SSE and `POST /v1/chat/completions` with Chat SSE, one script step per request, after checking
 * each request against the real API's rules. It captures every request and records every violation: a rules 400,
 * an unexpected request once the script is exhausted, a failed `expect`, a wrong path.
 *
 * Used by keel's tests (through test/support/scripted-model.ts), by `keel demo`, and by users' offline tests.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { CapturedRequest, ReceivedRequest, ScriptedApi } from './captured-request.ts';
import { decideAnswer } from './decide-answer.ts';
import { IdSource } from './id-source.ts';
import { validateScript } from './parse-script-json.ts';
import { ResponseStore } from './response-store.ts';
import type { ChatFlavor, ScriptStep } from './script.ts';
import { sendJson, serveChatStream, serveHttpError, serveResponsesStream, type ServeContext } from './serve-step.ts';

export interface ScriptedServerOptions {
  script: ScriptStep[];
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Default shape of Chat chunks, e.g. `{toolCallIds: false, usage: false}` to imitate a local server. */
  chat?: ChatFlavor;
}

export interface ScriptedServer {
  /** Base URL ending in `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  url: string;
  /** Every request in the order the server decided its answer. Live: grows as requests arrive. */
  requests: CapturedRequest[];
  /** Human-readable descriptions of everything a strict test must fail on. Live. */
  violations: string[];
  /**
   * Resolves with the captured requests once at least `n` have been answered or rejected. A stream counts as
   * answered once its headers are sent, so this also resolves for stalled streams. Rejects if the server closes
   * first.
   */
  waitForRequests(n: number): Promise<CapturedRequest[]>;
  /** Steps not yet consumed. */
  remainingSteps(): number;
  /** Stops listening and destroys every open connection, stalled ones included. Idempotent. */
  close(): Promise<void>;
}

function routeOf(method: string, path: string): ScriptedApi {
  if (method !== 'POST') return 'unknown';
  if (path === '/v1/responses') return 'responses';
  return path === '/v1/chat/completions' ? 'chat' : 'unknown';
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string): { json: boolean; body: unknown } {
  try {
    return { json: true, body: JSON.parse(text) };
  } catch {
    return { json: false, body: text }; // not JSON: the rules answer 400, and tests can still see what was sent
  }
}

export async function startScriptedServer(options: ScriptedServerOptions): Promise<ScriptedServer> {
  validateScript(options.script);
  const script = [...options.script];
  const requests: CapturedRequest[] = [];
  const violations: string[] = [];
  const waiters: Array<{ n: number; resolve: (all: CapturedRequest[]) => void; reject: (error: Error) => void }> = [];
  const sockets = new Set<Socket>();
  const closing = new AbortController();
  const store = new ResponseStore();
  const ids = new IdSource();
  let cursor = 0;

  function capture(request: CapturedRequest): void {
    requests.push(request);
    for (const waiter of [...waiters]) {
      if (requests.length < waiter.n) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve([...requests]);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text: string;
    try {
      text = await readBody(req);
    } catch {
      return; // the client went away before its request arrived: there is no request to answer or record
    }
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const parsed = parseBody(text);
    const received: ReceivedRequest = { api: routeOf(method, path), method, path, headers: headersOf(req), body: parsed.body };
    const number = requests.length;
    const label = `request #${number} (${method} ${path})`;
    const decision = decideAnswer({ request: received, bodyIsJson: parsed.json, script, cursor, store });
    const ctx: ServeContext = {
      ids,
      store,
      signal: closing.signal,
      chatFlavor: options.chat ?? {},
      requestId: `req_${number + 1}`,
    };
    if (decision.type === 'refuse') {
      violations.push(`${label}: ${decision.violation}`);
      capture({ ...received, status: decision.status, step: null });
      sendJson(res, decision.status, decision.body, { 'x-request-id': ctx.requestId });
      return;
    }
    cursor += 1;
    for (const note of decision.notes) violations.push(`${label}: ${note}`);
    const { step } = decision;
    capture({ ...received, status: step.type === 'http_error' ? step.status : 200, step: decision.stepIndex });
    if (step.type === 'http_error') serveHttpError(res, step, ctx);
    else if (received.api === 'chat') await serveChatStream(res, step, received.body, ctx);
    else await serveResponsesStream(res, step, received.body, decision.conversation, ctx);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the server itself: make it loud in the test rather than a hung client.
      violations.push(`scripted server failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { error: { message: 'scripted server failure', type: 'server_error' } });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('scripted server: no TCP address');
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}/v1`,
    requests,
    violations,
    waitForRequests(n) {
      if (requests.length >= n) return Promise.resolve([...requests]);
      if (closing.signal.aborted) return Promise.reject(new Error(`scripted server closed with ${requests.length} of ${n} requests`));
      return new Promise((resolve, reject) => waiters.push({ n, resolve, reject }));
    },
    remainingSteps: () => script.length - cursor,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        for (const waiter of waiters.splice(0)) {
          waiter.reject(new Error(`scripted server closed with ${requests.length} of ${waiter.n} requests`));
        }
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}
