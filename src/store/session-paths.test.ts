import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileStamp, keelHome, parseSessionFileName, sessionLogPath } from './session-paths.ts';

const ID = '01234567-89ab-4cde-8f01-23456789abcd';

describe('session paths', () => {
  it('uses KEEL_HOME, or ~/.keel when it is unset or empty', () => {
    expect(keelHome({ KEEL_HOME: '/k' }, () => '/home/u')).toBe('/k');
    expect(keelHome({}, () => '/home/u')).toBe(join('/home/u', '.keel'));
    expect(keelHome({ KEEL_HOME: '' }, () => '/home/u')).toBe(join('/home/u', '.keel'));
  });

  it('places a log by its UTC start date and names it by stamp and id, and parses the name back', () => {
    const startedAt = new Date('2024-12-31T23:59:58.123Z');
    const path = sessionLogPath('/k', ID.toUpperCase(), startedAt);
    expect(path).toBe(`/k/sessions/2024/12/31/2024-12-31T23-59-58-${ID}.jsonl`);
    expect(fileStamp(startedAt)).toBe('2024-12-31T23-59-58');
    expect(parseSessionFileName(`2024-12-31T23-59-58-${ID}.jsonl`)).toEqual({ stamp: '2024-12-31T23-59-58', sessionId: ID });
    expect(parseSessionFileName(`2024-12-31T23-59-58-${ID}.jsonl.lock`)).toBeNull();
  });

  it('refuses a session id that is not a UUID (it becomes part of a path)', () => {
    expect(() => sessionLogPath('/k', '../../etc/passwd', new Date())).toThrow(TypeError);
  });
});
