/**
 * Every code of the table, run through every way a code reaches keel: a real HTTP error response read by the shared
 * transport, both in-band Responses shapes, and a Chat error chunk. All must agree with the table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelErrorKind } from '../protocol/index.ts';
import { ChatEventMapper } from './chat/map-events.ts';
import { ERROR_CODES, kindForErrorCode } from './error-codes.ts';
import { openSseStream } from './http-stream.ts';
import type { ModelEvent } from './model-event.ts';
import { ResponsesEventMapper } from './responses/map-events.ts';
import { startTestHttpServer, type TestHttpServer } from './test-http-server.ts';

/** The request body tells the server which status and error body to answer with. */
interface ScriptedAnswer {
  status: number;
  error: Record<string, unknown>;
}

let server: TestHttpServer;

beforeAll(async () => {
  server = await startTestHttpServer((request, response) => {
    const answer = JSON.parse(request.body) as ScriptedAnswer;
    // One connection per answer: the test server listens for each request's close on its socket, and dozens of
    // requests over one kept-alive socket would trip Node's listener-leak warning.
    response.writeHead(answer.status, { 'content-type': 'application/json', connection: 'close' });
    response.end(JSON.stringify({ error: answer.error }));
  });
});

afterAll(async () => {
  await server.close();
});

async function httpKind(answer: ScriptedAnswer): Promise<ModelErrorKind | string> {
  const request = {
    url: `${server.baseUrl}/responses`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(answer),
    connectTimeoutMs: 10_000,
    idleTimeoutMs: 10_000,
    now: Date.now,
  };
  const events = [];
  for await (const event of openSseStream(request, new AbortController().signal)) events.push(event);
  const last = events.at(-1);
  return last?.type === 'failed' ? last.error.kind : `no failure: ${JSON.stringify(last)}`;
}

function failedKind(events: ModelEvent[]): ModelErrorKind | string {
  const [event] = events;
  return events.length === 1 && event?.type === 'failed' ? event.error.kind : `not one failure: ${JSON.stringify(events)}`;
}

function responsesKind(data: Record<string, unknown>): ModelErrorKind | string {
  return failedKind(new ResponsesEventMapper().onMessage({ event: String(data['type']), data: JSON.stringify(data) }));
}

function chatKind(error: Record<string, unknown>): ModelErrorKind | string {
  return failedKind(new ChatEventMapper({ fallbackKey: 'gen' }).onMessage({ data: JSON.stringify({ error }) }));
}

/** What each path makes of one code. The statuses are chosen so that their own fallbacks disagree with most kinds. */
async function kindsOnEveryPath(code: string): Promise<Record<string, ModelErrorKind | string>> {
  const message = `scripted ${code}`;
  return {
    'HTTP 400, error.code': await httpKind({ status: 400, error: { message, type: 'invalid_request_error', param: null, code } }),
    'HTTP 429, error.code': await httpKind({ status: 429, error: { message, type: 'requests', param: null, code } }),
    'HTTP 500, error.code': await httpKind({ status: 500, error: { message, type: 'server_error', param: null, code } }),
    'HTTP 429, error.type only': await httpKind({ status: 429, error: { message, type: code, param: null, code: null } }),
    'Responses response.failed': responsesKind({ type: 'response.failed', response: { id: 'resp_1', status: 'failed', error: { code, message } } }),
    'Responses error event': responsesKind({ type: 'error', code, message, param: null }),
    'Chat error chunk, error.code': chatKind({ message, type: 'server_error', param: null, code }),
    'Chat error chunk, error.type only': chatKind({ message, type: code, param: null, code: null }),
  };
}

describe('one table of error codes', () => {
  for (const [code, kind] of Object.entries(ERROR_CODES)) {
    it(`${code} is ${kind} on every path`, async () => {
      const seen = await kindsOnEveryPath(code);
      expect(seen).toEqual(Object.fromEntries(Object.keys(seen).map((path) => [path, kind])));
    });
  }

  it('leaves an unknown code to each path’s own fallback: the status over HTTP, a retried server error in-band', async () => {
    expect(await kindsOnEveryPath('no_such_code')).toEqual({
      'HTTP 400, error.code': 'bad_request',
      'HTTP 429, error.code': 'rate_limited',
      'HTTP 500, error.code': 'server',
      'HTTP 429, error.type only': 'rate_limited',
      'Responses response.failed': 'server',
      'Responses error event': 'server',
      'Chat error chunk, error.code': 'server',
      'Chat error chunk, error.type only': 'server',
    });
  });
});

describe('kindForErrorCode', () => {
  it('takes the first known candidate and skips what is not a string', () => {
    expect(kindForErrorCode('insufficient_quota', 'server_error')).toBe('quota');
    expect(kindForErrorCode(null, 42, 'unknown', 'rate_limit_exceeded')).toBe('rate_limited');
    expect(kindForErrorCode()).toBeUndefined();
  });

  it('does not mistake inherited object properties for codes', () => {
    expect(kindForErrorCode('constructor', 'toString', '__proto__')).toBeUndefined();
  });
});
