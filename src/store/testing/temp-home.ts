/** A fresh KEEL_HOME per test and the header of a made-up session. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewSessionMeta } from '../session-record.ts';

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'keel-store-'));
}

export function newMeta(overrides: Partial<NewSessionMeta> = {}): NewSessionMeta {
  return {
    session_id: randomUUID(),
    keel_version: '0.1.0',
    cwd: '/work/project',
    model: 'gpt-test',
    model_provider: 'openai',
    git: { branch: 'main', commit: 'abc123' },
    source: 'exec',
    ...overrides,
  };
}
