import { describe, expect, it } from 'vitest';
import { createLineSerializer } from './redact-secrets.ts';

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
