import { describe, expect, it } from 'vitest';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS, endpointUrl, requestBase } from './client-options.ts';

describe('endpointUrl', () => {
  it('joins base and path whatever the slashes', () => {
    expect(endpointUrl('https://api.example.com/v1', 'responses')).toBe('https://api.example.com/v1/responses');
    expect(endpointUrl('https://api.example.com/v1/', '/chat/completions')).toBe('https://api.example.com/v1/chat/completions');
  });

  it('appends encoded query params', () => {
    expect(endpointUrl('http://h/v1', 'responses', { 'api-version': '2025-01 preview', a: '&' })).toBe(
      'http://h/v1/responses?api-version=2025-01+preview&a=%26',
    );
    expect(endpointUrl('http://h/v1', 'responses', {})).toBe('http://h/v1/responses');
  });
});

describe('requestBase', () => {
  it('fills defaults', () => {
    const base = requestBase({ baseUrl: 'http://h' }, 'responses');
    expect(base.connectTimeoutMs).toBe(DEFAULT_CONNECT_TIMEOUT_MS);
    expect(base.idleTimeoutMs).toBe(DEFAULT_IDLE_TIMEOUT_MS);
    expect(base.headers).toEqual({ 'Content-Type': 'application/json', Accept: 'text/event-stream' });
  });

  it("lets the user's headers replace keel's own, case-insensitively", () => {
    const base = requestBase({ baseUrl: 'http://h', apiKey: 'k', headers: { authorization: 'Token t', 'X-Org': 'o' } }, 'responses');
    expect(base.headers).toEqual({ 'Content-Type': 'application/json', Accept: 'text/event-stream', authorization: 'Token t', 'X-Org': 'o' });
  });
});
