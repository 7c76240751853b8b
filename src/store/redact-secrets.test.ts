import { describe, expect, it } from 'vitest';
import { createLineSerializer, createTextRedactor, redactCredentialUrls } from './redact-secrets.ts';

describe('createLineSerializer', () => {
  it('is plain JSON when there is nothing to redact', () => {
    expect(createLineSerializer()({ a: 'b' })).toBe('{"a":"b"}');
    expect(createLineSerializer(['', 'absent-secret'])({ a: 'b' })).toBe('{"a":"b"}');
  });

  it('replaces every occurrence, longest secret first, and keeps the line valid JSON', () => {
    const short = 'sk-abcdefghij';
    const long = `${short}KLMNOP`;
    const quoted = 'sk-q"uote-0123456';
    const serialize = createLineSerializer([short, long, quoted]);
    const line = serialize({ text: `${long} and ${short}`, [`key ${short}`]: [quoted, 1, null] });
    expect(JSON.parse(line)).toEqual({ text: '[redacted] and [redacted]', 'key [redacted]': ['[redacted]', 1, null] });
  });

  it('finds a secret that only appears in its escaped JSON spelling', () => {
    const serialize = createLineSerializer(['sk-tab\there-0123']);
    const line = serialize({ text: 'x sk-tab\there-0123 y' });
    expect(line).toBe('{"text":"x [redacted] y"}');
  });
});

it('leaves strings too short to be API keys alone, so field names and words survive', () => {
  const serialize = createLineSerializer(['k', 'none']);
  expect(serialize({ keel_version: 'none of it' })).toBe('{"keel_version":"none of it"}');
});

describe('credentials in URLs', () => {
  it('hides the password of any URL and the user part of a web URL, wherever the text comes from', () => {
    expect(redactCredentialUrls('psql postgres://app:hunter2@db:5432/app')).toBe('psql postgres://app:[redacted]@db:5432/app');
    expect(redactCredentialUrls('git clone https://x-access-token:ghp_abc@github.com/o/r')).toBe('git clone https://x-access-token:[redacted]@github.com/o/r');
    expect(redactCredentialUrls('remote https://ghp_abc123@github.com/o/r and https://:tok@h/')).toBe('remote https://[redacted]@github.com/o/r and https://:[redacted]@h/');
    expect(redactCredentialUrls('x\nredis://:pw@cache')).toBe('x\nredis://:[redacted]@cache');
  });

  it('leaves URLs without credentials, ssh accounts and look-alikes alone', () => {
    for (const text of ['https://example.com/a@b', 'ssh://git@github.com/o/r', 'git@github.com:o/r.git', 'http://localhost:4873/@scope/pkg', 'mailto:me@example.com']) {
      expect(redactCredentialUrls(text)).toBe(text);
    }
  });

  it('is applied to every line, with no secrets given, and keeps the line valid JSON', () => {
    const serialize = createLineSerializer();
    const line = serialize({ output: 'connecting to "postgres://u:p4ss@db/x"\n', url: 'https://tok@h' });
    expect(JSON.parse(line)).toEqual({ output: 'connecting to "postgres://u:[redacted]@db/x"\n', url: 'https://[redacted]@h' });
    expect(serialize({ url: 'ssh://git@host/x' })).toBe('{"url":"ssh://git@host/x"}');
  });

  it('gives a text redactor for text that is not a line (the notify hook)', () => {
    const redact = createTextRedactor(['sk-0123456789abcdef']);
    expect(redact('key sk-0123456789abcdef, db mysql://root:pw@localhost')).toBe('key [redacted], db mysql://root:[redacted]@localhost');
  });
});
