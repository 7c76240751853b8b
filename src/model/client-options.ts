/**
 * What every HTTP model client is configured with, and the request parts that follow from it alone.
 */
import type { HttpStreamRequest } from './http-stream.ts';

export interface ClientOptions {
  /** E.g. `https://api.openai.com/v1`; the adapter appends its path (`/responses`, `/chat/completions`). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` when given; local servers often need none. */
  apiKey?: string;
  /** Extra headers; on a name clash (case-insensitive) they replace keel's own. */
  headers?: Record<string, string>;
  queryParams?: Record<string, string>;
  /** Until the response headers arrive. Default 30 s. */
  connectTimeoutMs?: number;
  /** Longest silence inside the body (SSE comments count as data). Default 300 s. */
  idleTimeoutMs?: number;
  /** Clock for HTTP-date `Retry-After`; tests inject one. */
  now?: () => number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;

/** Everything of an HTTP stream request except its body. */
export function requestBase(options: ClientOptions, path: string): Omit<HttpStreamRequest, 'body'> {
  return {
    url: endpointUrl(options.baseUrl, path, options.queryParams),
    headers: requestHeaders(options),
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    now: options.now ?? Date.now,
  };
}

/** `baseUrl` with or without a trailing slash gives the same URL; query params are appended encoded. */
export function endpointUrl(baseUrl: string, path: string, queryParams?: Record<string, string>): string {
  const url = `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  const query = new URLSearchParams(queryParams ?? {}).toString();
  if (query.length === 0) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

function requestHeaders(options: ClientOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'text/event-stream',
  };
  if (options.apiKey) headers['Authorization'] = `Bearer ${options.apiKey}`;
  // Header names are case-insensitive: a user's `authorization` must replace ours, not be sent beside it.
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    for (const existing of Object.keys(headers)) {
      if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    }
    headers[name] = value;
  }
  return headers;
}
