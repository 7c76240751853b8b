import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendPrompt, historyMetadata, historyPath, lookupPrompt, type HistoryEntry } from './prompt-history.ts';
import { startStoreChild } from './testing/run-store-child.ts';
import { tempHome } from './testing/temp-home.ts';

function entries(home: string): HistoryEntry[] {
  return readFileSync(historyPath(home), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as HistoryEntry);
}

describe('appendPrompt', () => {
  it('appends one line per prompt to a 0600 file, and narrows a file that was made wider', async () => {
    const home = join(tempHome(), 'new-home');
    await appendPrompt({ home, sessionId: 's1', text: 'first\nwith a newline', now: () => 1_700_000_000_999 });
    expect(statSync(historyPath(home)).mode & 0o777).toBe(0o600);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    chmodSync(historyPath(home), 0o644);
    await appendPrompt({ home, sessionId: 's2', text: 'second', now: () => 1_700_000_001_000 });
    expect(statSync(historyPath(home)).mode & 0o777).toBe(0o600);
    expect(readFileSync(historyPath(home), 'utf8')).toBe(
      '{"session_id":"s1","ts":1700000000,"text":"first\\nwith a newline"}\n{"session_id":"s2","ts":1700000001,"text":"second"}\n',
    );
    expect(existsSync(`${historyPath(home)}.lock`)).toBe(false);
  });

  it('redacts secrets', async () => {
    const home = tempHome();
    await appendPrompt({ home, sessionId: 's', text: 'use sk-abcdef0123456789 please', secrets: ['sk-abcdef0123456789'] });
    expect(entries(home)[0]!.text).toBe('use [redacted] please');
  });

  it('ends a line cut short by a power loss before appending, so the new line stays whole', async () => {
    const home = tempHome();
    await appendPrompt({ home, sessionId: 's', text: 'one' });
    appendFileSync(historyPath(home), '{"session_id":"s","ts":1,"te');
    await appendPrompt({ home, sessionId: 's', text: 'two' });
    const { logId, count } = await historyMetadata(home);
    expect(count).toBe(3);
    expect(await lookupPrompt(home, logId, 1)).toBeNull();
    expect(await lookupPrompt(home, logId, 2)).toMatchObject({ text: 'two' });
  });

  it('trims the oldest lines past the cap down to 80 % of it, keeping the newest', async () => {
    const home = tempHome();
    const maxBytes = 2000;
    for (let i = 0; i < 100; i++) await appendPrompt({ home, sessionId: 's', text: `prompt ${String(i).padStart(3, '0')}`, maxBytes });
    const size = statSync(historyPath(home)).size;
    expect(size).toBeLessThanOrEqual(maxBytes);
    const texts = entries(home).map((entry) => entry.text);
    expect(texts.at(-1)).toBe('prompt 099');
    // Consecutive and newest: nothing in between was lost.
    const first = Number(texts[0]!.slice(-3));
    expect(texts).toEqual(Array.from({ length: 100 - first }, (_, i) => `prompt ${String(first + i).padStart(3, '0')}`));
    expect(statSync(historyPath(home)).mode & 0o777).toBe(0o600);
  });

  it('keeps the newest line alone when it is larger than the cap', async () => {
    const home = tempHome();
    await appendPrompt({ home, sessionId: 's', text: 'small', maxBytes: 100 });
    await appendPrompt({ home, sessionId: 's', text: 'x'.repeat(500), maxBytes: 100 });
    expect(entries(home).map((entry) => entry.text.length)).toEqual([500]);
  });

  it('takes over a lock left by a dead process, and gives up on a live holder after its deadline', async () => {
    const home = tempHome();
    const lock = `${historyPath(home)}.lock`;
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(lock, JSON.stringify({ pid: dead, hostname: hostname(), process_start: null, token: 'x' }));
    await appendPrompt({ home, sessionId: 's', text: 'after a dead holder' });
    expect(existsSync(lock)).toBe(false);
    writeFileSync(lock, JSON.stringify({ pid: process.pid, hostname: hostname(), process_start: null, token: 'y' }));
    await expect(
      appendPrompt({ home, sessionId: 's', text: 'blocked', lockTiming: { staleMs: 60_000, deadlineMs: 50 } }),
    ).rejects.toMatchObject({ kind: 'history_busy' });
    expect(entries(home).map((entry) => entry.text)).toEqual(['after a dead holder']);
  });

  it('writes every line whole when 20 processes append 50 prompts each at once', async () => {
    const home = tempHome();
    const children = Array.from({ length: 20 }, (_, index) => startStoreChild('append-prompts.ts', [home, `p${index}`, '50']));
    try {
      await Promise.all(children.map((child) => child.line('ready')));
      for (const child of children) child.process.stdin!.write('go\n');
      await Promise.all(children.map((child) => child.line('done')));
    } finally {
      for (const child of children) child.process.kill('SIGKILL');
    }
    const text = readFileSync(historyPath(home), 'utf8');
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(1000);
    const parsed = lines.map((line) => JSON.parse(line) as HistoryEntry);
    for (let index = 0; index < 20; index++) {
      const mine = parsed.filter((entry) => entry.session_id === `p${index}`).map((entry) => entry.text);
      expect(mine).toEqual(Array.from({ length: 50 }, (_, i) => `p${index} prompt ${i} ${'x'.repeat(100)}`));
    }
  });

  it('stays whole and keeps each writer’s newest prompts when concurrent appends also trim', async () => {
    const home = tempHome();
    const maxBytes = 8 * 1024;
    const children = Array.from({ length: 6 }, (_, index) => startStoreChild('append-prompts.ts', [home, `t${index}`, '40', String(maxBytes)]));
    try {
      await Promise.all(children.map((child) => child.line('ready')));
      for (const child of children) child.process.stdin!.write('go\n');
      await Promise.all(children.map((child) => child.line('done')));
    } finally {
      for (const child of children) child.process.kill('SIGKILL');
    }
    expect(statSync(historyPath(home)).size).toBeLessThanOrEqual(maxBytes);
    const parsed = entries(home);
    // Each writer's lines that survived are its latest ones, in order, ending with its last.
    const last = parsed.at(-1)!;
    expect(last.text).toMatch(/ prompt 39 /);
    for (let index = 0; index < 6; index++) {
      const mine = parsed.filter((entry) => entry.session_id === `t${index}`).map((entry) => Number(entry.text.split(' ')[2]));
      expect(mine).toEqual(mine.map((_, i) => mine[0]! + i));
    }
  });
});

describe('historyMetadata and lookupPrompt', () => {
  it('gives the inode and line count, and entries by position while the file is the same one', async () => {
    const home = tempHome();
    expect(await historyMetadata(home)).toEqual({ logId: 0, count: 0 });
    expect(await lookupPrompt(home, 0, 0)).toBeNull();
    for (const text of ['a', 'b', 'c']) await appendPrompt({ home, sessionId: 's', text, now: () => 5000 });
    const { logId, count } = await historyMetadata(home);
    expect(logId).toBe(Number(statSync(historyPath(home), { bigint: true }).ino));
    expect(count).toBe(3);
    expect(await lookupPrompt(home, logId, 0)).toEqual({ session_id: 's', ts: 5, text: 'a' });
    expect(await lookupPrompt(home, logId, 2)).toEqual({ session_id: 's', ts: 5, text: 'c' });
    expect(await lookupPrompt(home, logId, 3)).toBeNull();
    expect(await lookupPrompt(home, logId, -1)).toBeNull();
    expect(await lookupPrompt(home, logId + 1, 0)).toBeNull();
  });

  it('answers null for positions of a file that was trimmed since (a new inode)', async () => {
    const home = tempHome();
    await appendPrompt({ home, sessionId: 's', text: 'old', maxBytes: 200 });
    const before = await historyMetadata(home);
    // Four ~48-byte lines push the file past 200 bytes once: one trim, made while the old file still existed, so
    // the new file cannot have the old one's inode (after more trims a freed inode could come back).
    for (let i = 0; i < 4; i++) await appendPrompt({ home, sessionId: 's', text: `new ${i}`, maxBytes: 200 });
    const after = await historyMetadata(home);
    expect(after.logId).not.toBe(before.logId);
    expect(await lookupPrompt(home, before.logId, 0)).toBeNull();
    expect(entries(home).map((entry) => entry.text)).toEqual(['new 1', 'new 2', 'new 3']);
    expect(await lookupPrompt(home, after.logId, 0)).toMatchObject({ text: 'new 1' });
  });
});
