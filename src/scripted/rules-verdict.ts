/**
 * What the API's rules say about a request: accept it (with the conversation it amounts to, for Responses), or
 * reject it with the error the real API would send (a 400, or a 404 for an item id it cannot find). `notes` are breaches of keel's own invariant that the real API
 * tolerates: the request is answered normally but the breach is recorded as a violation.
 */
import { apiError, type ApiErrorBody } from './api-error.ts';

export type RulesVerdict =
  | { type: 'accept'; conversation: unknown[]; notes: string[] }
  | { type: 'reject'; status: 400 | 404; body: ApiErrorBody };

export function reject(message: string, param: string | null, code: string | null = null, status: 400 | 404 = 400): RulesVerdict {
  return { type: 'reject', status, body: apiError(message, 'invalid_request_error', param, code) };
}

export function missing(param: string): RulesVerdict {
  return reject(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function invalidType(param: string, expected: string, value: unknown): RulesVerdict {
  return reject(
    `Invalid type for '${param}': expected ${expected}, but got ${describeType(value)} instead.`,
    param,
    'invalid_type',
  );
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
