/**
 * Decides how the server answers one request: with a rules 400, with a failure of the server's own (wrong path,
 * exhausted script, failed `expect`), or with the next script step. Only the last consumes a step.
 */
import { apiError, type ApiErrorBody } from './api-error.ts';
import type { ReceivedRequest } from './captured-request.ts';
import { checkChatRequest } from './chat-rules.ts';
import type { ResponseStore } from './response-store.ts';
import { checkResponsesRequest } from './responses-rules.ts';
import type { ScriptStep } from './script.ts';

export type Decision =
  | { type: 'refuse'; status: number; body: ApiErrorBody; violation: string }
  | { type: 'answer'; stepIndex: number; step: ScriptStep; conversation: unknown[]; notes: string[] };

export interface DecideInput {
  request: ReceivedRequest;
  /** False when the body was not valid JSON (`request.body` then holds the raw text). */
  bodyIsJson: boolean;
  script: readonly ScriptStep[];
  /** Index of the next unconsumed step. */
  cursor: number;
  store: ResponseStore;
}

function refuse(status: number, body: ApiErrorBody, violation: string): Decision {
  return { type: 'refuse', status, body, violation };
}

export function decideAnswer({ request, bodyIsJson, script, cursor, store }: DecideInput): Decision {
  if (request.api === 'unknown') {
    const message = `Invalid URL (${request.method} ${request.path})`;
    return refuse(404, apiError(message), `${message}: the scripted server serves POST /v1/responses and /v1/chat/completions`);
  }
  if (!bodyIsJson) {
    const message = 'We could not parse the JSON body of your request. The API expects a JSON payload.';
    return refuse(400, apiError(message), `rejected 400: ${message}`);
  }
  const verdict =
    request.api === 'responses' ? checkResponsesRequest(request.body, store) : checkChatRequest(request.body);
  if (verdict.type === 'reject') return refuse(verdict.status, verdict.body, `rejected ${verdict.status}: ${verdict.body.error.message}`);
  if (request.body.stream !== true) {
    // Not a rule of the API (it would answer with JSON), but keel always streams: a missing flag is a bug.
    const message = 'Scripted server: only streaming requests ("stream": true) are supported.';
    return refuse(400, apiError(message, 'invalid_request_error', 'stream'), `rejected 400: ${message}`);
  }
  const step = script[cursor];
  if (!step) {
    const message = `Scripted server: the script is exhausted (${script.length} steps consumed); no step answers this request.`;
    return refuse(500, apiError(message, 'server_error'), 'unexpected request: the script is exhausted');
  }
  if (step.expect) {
    try {
      step.expect(request);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      const message = `Scripted server: step ${cursor} rejected the request: ${detail}`;
      return refuse(500, apiError(message, 'server_error'), `step ${cursor} expect failed: ${detail}`);
    }
  }
  return { type: 'answer', stepIndex: cursor, step, conversation: verdict.conversation, notes: verdict.notes };
}
