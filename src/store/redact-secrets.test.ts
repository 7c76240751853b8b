import { describe, expect, it } from 'vitest';
import { createLineSerializer } from './redact-secrets.ts';

describe('createLineSerializer', () => {
  it('is plain JSON when there is nothing to redact', () => {
    expect(createLineSerializer()({ a: 'b' })).toBe('{"a":"b"}');
    expect(createLineSerializer(['', 'absent-secret'])({ a: 'b' })).toBe('{"a":"b"}');
  });

  it('replaces every occurrence, longest secret first, and keeps the line valid JSON', () => {
    const serialize = createLineSerializer(['abc', 'abcdef', 'q"uote']);
    const line = serialize({ text: 'abcdef and abc', 'key abc': ['q"uote', 1, null] });
    expect(JSON.parse(line)).toEqual({ text: '[redacted] and [redacted]', 'key [redacted]': ['[redacted]', 1, null] });
  });

  it('finds a secret that only appears in its escaped JSON spelling', () => {
    const serialize = createLineSerializer(['tab\there']);
    const line = serialize({ text: 'x tab\there y' });
    expect(line).toBe('{"text":"x [redacted] y"}');
  });
});
