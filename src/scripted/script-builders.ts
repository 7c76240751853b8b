/**
 * Builders that make scripts read like the conversation they stand for:
 *
 *   respond(text('Listing files.'), functionCall('shell', { command: ['ls'] }, 'call_1'))
 *   httpError(429, { headers: { 'retry-after': '1' } })
 *   failed('server_error', 'boom')
 */
import { apiError } from './api-error.ts';
import type {
  ExpectHook,
  FailedStep,
  HttpErrorStep,
  ResponseStep,
  ScriptOutput,
  StreamFaults,
} from './script.ts';

export function text(value: string): ScriptOutput {
  return { type: 'text', text: value };
}

export function reasoning(...summary: string[]): ScriptOutput {
  return { type: 'reasoning', summary };
}

/**
 * `args` that is a string is sent verbatim (script malformed JSON this way); anything else is JSON-encoded.
 * Without `callId` the server generates `call_N`.
 */
export function functionCall(name: string, args: unknown, callId?: string): ScriptOutput {
  const encoded = typeof args === 'string' ? args : JSON.stringify(args);
  return callId === undefined
    ? { type: 'function_call', name, arguments: encoded }
    : { type: 'function_call', name, arguments: encoded, call_id: callId };
}

export function customToolCall(name: string, input: string, callId?: string): ScriptOutput {
  return callId === undefined
    ? { type: 'custom_tool_call', name, input }
    : { type: 'custom_tool_call', name, input, call_id: callId };
}

/** Everything a response step has besides its outputs; recognised as the trailing argument of `respond`. */
export type RespondOptions = Omit<ResponseStep, 'type' | 'outputs'>;

export function respond(...parts: [...ScriptOutput[], RespondOptions] | ScriptOutput[]): ResponseStep {
  const outputs: ScriptOutput[] = [];
  let options: RespondOptions = {};
  for (const part of parts) {
    // Outputs always carry `type`; the options object never does.
    if ('type' in part) outputs.push(part);
    else options = part;
  }
  return { type: 'response', outputs, ...options };
}

export interface HttpErrorOptions {
  headers?: Record<string, string>;
  /** The whole JSON body; overrides `message`/`type`/`code`. */
  body?: unknown;
  /** Shape the default OpenAI envelope instead of giving a whole body. */
  message?: string;
  type?: string;
  code?: string | null;
  expect?: ExpectHook;
}

export function httpError(status: number, options: HttpErrorOptions = {}): HttpErrorStep {
  const step: HttpErrorStep = { type: 'http_error', status };
  if (options.headers) step.headers = options.headers;
  if (options.body !== undefined) step.body = options.body;
  else if (options.message !== undefined || options.type !== undefined || options.code !== undefined) {
    step.body = apiError(
      options.message ?? `Scripted HTTP error ${status}.`,
      options.type ?? (status >= 500 ? 'server_error' : 'invalid_request_error'),
      null,
      options.code ?? null,
    );
  }
  if (options.expect) step.expect = options.expect;
  return step;
}

export interface FailedOptions {
  id?: string;
  faults?: StreamFaults;
  expect?: ExpectHook;
}

export function failed(code: string, message: string, options: FailedOptions = {}): FailedStep {
  return { type: 'failed', code, message, ...options };
}
