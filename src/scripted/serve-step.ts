/**
 * Writes a script step to the wire in the format of the endpoint the request came to.
 */
import type { ServerResponse } from 'node:http';
import { defaultHttpErrorBody } from './api-error.ts';
import { renderChatChunks } from './chat-chunks.ts';
import type { IdSource } from './id-source.ts';
import type { ResponseStore } from './response-store.ts';
import { renderResponsesEvents } from './responses-events.ts';
import type { ChatFlavor, FailedStep, HttpErrorStep, ResponseStep } from './script.ts';
import { sendFrames, type SendOutcome } from './send-frames.ts';

export interface ServeContext {
  ids: IdSource;
  store: ResponseStore;
  /** Aborted when the server closes: ends pauses and stalls. */
  signal: AbortSignal;
  /** The server's default chat flavor; a step's own flavor overrides it field by field. */
  chatFlavor: ChatFlavor;
  requestId: string;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function serveHttpError(res: ServerResponse, step: HttpErrorStep, ctx: ServeContext): void {
  const body = step.body === undefined ? defaultHttpErrorBody(step.status) : step.body;
  sendJson(res, step.status, body, { 'x-request-id': ctx.requestId, ...step.headers });
}

function startStream(res: ServerResponse, ctx: ServeContext, headers: Record<string, string> | undefined): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'x-request-id': ctx.requestId,
    ...headers,
  });
  // Headers go out at once, so a stalled or dropped stream still looks like a started 200 to the client.
  res.flushHeaders();
}

function nextResponseId(ctx: ServeContext): string {
  let id = ctx.ids.next('resp');
  // A scripted id may already hold a generated one's name; never shadow a stored response.
  while (ctx.store.has(id)) id = ctx.ids.next('resp');
  return id;
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

export async function serveResponsesStream(
  res: ServerResponse,
  step: ResponseStep | FailedStep,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- already checked by the rules
  body: any,
  conversation: readonly unknown[],
  ctx: ServeContext,
): Promise<SendOutcome> {
  const responseId = step.id ?? nextResponseId(ctx);
  const include: unknown = body.include;
  const rendered = renderResponsesEvents(step, {
    responseId,
    model: body.model,
    ids: ctx.ids,
    encryptedReasoning: Array.isArray(include) && include.includes('reasoning.encrypted_content'),
    createdAt: now(),
  });
  startStream(res, ctx, step.type === 'response' ? step.headers : undefined);
  const stores = step.type === 'response' && body.store !== false;
  return sendFrames(res, rendered.frames, step.faults ?? {}, ctx.signal, {
    beforeLastFrame: () => {
      if (stores) ctx.store.save(responseId, [...conversation, ...rendered.output]);
    },
  });
}

export async function serveChatStream(
  res: ServerResponse,
  step: ResponseStep | FailedStep,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- already checked by the rules
  body: any,
  ctx: ServeContext,
): Promise<SendOutcome> {
  const frames = renderChatChunks(step, {
    completionId: step.id ?? ctx.ids.next('chatcmpl'),
    model: body.model,
    created: now(),
    ids: ctx.ids,
    includeUsage: body.stream_options?.include_usage === true,
    flavor: { ...ctx.chatFlavor, ...(step.type === 'response' ? step.chat : undefined) },
  });
  startStream(res, ctx, step.type === 'response' ? step.headers : undefined);
  return sendFrames(res, frames, step.faults ?? {}, ctx.signal);
}
