import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statusOf } from './session-summary.ts';
import { readSessionTail, type SessionTail } from './session-tail.ts';
import { tempHome } from './testing/temp-home.ts';

const TS = '2025-01-01T00:00:00.000Z';
const header = JSON.stringify({ ts: TS, type: 'session_meta' });
const event = (turn: number, type: string) => JSON.stringify({ ts: TS, type: 'event', turn, event: { type } });
const end = (reason: string) => JSON.stringify({ ts: '2025-01-02T00:00:00.000Z', type: 'session_end', reason });

function tailOf(content: string, maxBytes?: number): SessionTail {
  const path = join(tempHome(), 'log.jsonl');
  writeFileSync(path, content);
  const fd = openSync(path, 'r');
  try {
    return readSessionTail(fd, Buffer.byteLength(content), maxBytes === undefined ? {} : { maxBytes });
  } finally {
    closeSync(fd);
  }
}

describe('readSessionTail', () => {
  it('finds the end record, the task count and how the last task ended', () => {
    const tail = tailOf([header, event(1, 'task_started'), event(1, 'turn_aborted'), event(1, 'shutdown_complete'), end('shutdown'), ''].join('\n'));
    expect(tail).toMatchObject({ ended: { reason: 'shutdown' }, turns: 1, lastBoundary: 'turn_aborted', lastType: 'session_end', lastActivity: '2025-01-02T00:00:00.000Z', torn: null });
  });

  it('stops reading once it knows enough', () => {
    const filler = Array.from({ length: 2000 }, () => event(1, 'token_count'));
    const tail = tailOf([header, ...filler, event(2, 'task_started'), event(2, 'agent_message'), ''].join('\n'));
    expect(tail.turns).toBe(2);
    expect(tail.bytesRead).toBeLessThan(16 * 1024);
  });

  it('sets a torn last line aside, reads a whole one without its newline, and counts zero tasks in a log without events', () => {
    expect(tailOf(`${header}\n${event(3, 'task_started')}\n{"ts":"x","ty`)).toMatchObject({ turns: 3, torn: { text: '{"ts":"x","ty' } });
    expect(tailOf(`${header}\n${event(3, 'task_complete')}`)).toMatchObject({ turns: 3, torn: null, lastType: 'event' });
    expect(tailOf(`${header}\n${end('crashed')}\n`)).toMatchObject({ turns: 0, ended: { reason: 'crashed' }, lastBoundary: null });
  });

  it('gives up at its cap', () => {
    const tail = tailOf([header, event(1, 'task_started'), 'x'.repeat(5000), ''].join('\n'), 1024);
    expect(tail).toMatchObject({ turns: null, lastActivity: null });
  });
});

describe('statusOf', () => {
  const locked = () => true;
  const free = () => false;
  it('derives the status from the end record, then from the lock', () => {
    expect(statusOf({ ended: { reason: 'crashed' }, lastBoundary: 'task_complete' }, locked)).toBe('crashed');
    expect(statusOf({ ended: { reason: 'shutdown' }, lastBoundary: 'task_complete' }, free)).toBe('completed');
    expect(statusOf({ ended: { reason: 'shutdown' }, lastBoundary: null }, free)).toBe('completed');
    expect(statusOf({ ended: { reason: 'shutdown' }, lastBoundary: 'turn_aborted' }, free)).toBe('interrupted');
    expect(statusOf({ ended: { reason: 'shutdown' }, lastBoundary: 'task_started' }, free)).toBe('interrupted');
    expect(statusOf({ ended: null, lastBoundary: null }, locked)).toBe('running');
    expect(statusOf({ ended: null, lastBoundary: 'task_complete' }, free)).toBe('killed');
  });
});
