import { appendFileSync, closeSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assistantMessage, userMessage, type ResponseItem } from '../protocol/index.ts';
import { readSessionLog } from './session-log-reader.ts';
import { SessionLogWriter } from './session-log-writer.ts';
import type { StoreError } from './store-error.ts';
import { startStoreChild } from './testing/run-store-child.ts';
import { newMeta, tempHome } from './testing/temp-home.ts';

function lines(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const fixedClock = () => new Date('2025-03-04T05:06:07.089Z');

describe('SessionLogWriter.create', () => {
  it('writes the header first, in a 0600 file under sessions/YYYY/MM/DD/ (0700), named by UTC start and id', async () => {
    const home = tempHome();
    const meta = newMeta({ session_id: '0b5f7c1e-2f4a-4c1e-9d7a-1234567890ab' });
    const writer = await SessionLogWriter.create({ home, meta, clock: fixedClock });
    await writer.close();
    expect(writer.path).toBe(join(home, 'sessions/2025/03/04/2025-03-04T05-06-07-0b5f7c1e-2f4a-4c1e-9d7a-1234567890ab.jsonl'));
    expect(statSync(writer.path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(writer.path)).mode & 0o777).toBe(0o700);
    expect(lines(writer.path)).toEqual([
      {
        ts: '2025-03-04T05:06:07.089Z',
        type: 'session_meta',
        format_version: 1,
        ...meta,
        started_at: '2025-03-04T05:06:07.089Z',
      },
    ]);
  });

  it('refuses to create a log that already exists (the file is created exclusively)', async () => {
    const home = tempHome();
    const meta = newMeta();
    await (await SessionLogWriter.create({ home, meta, clock: fixedClock })).close();
    await expect(SessionLogWriter.create({ home, meta, clock: fixedClock })).rejects.toMatchObject({ kind: 'io' });
  });

  it('records items and kept events in order, numbering tasks, dropping deltas', async () => {
    const writer = await SessionLogWriter.create({ home: tempHome(), meta: newMeta() });
    writer.recordEvent({ type: 'task_started', model_context_window: null });
    writer.recordItem(userMessage('hello'));
    writer.recordEvent({ type: 'agent_message_delta', delta: 'hi' });
    writer.recordEvent({ type: 'exec_command_output_delta', call_id: 'c', stream: 'stdout', chunk: 'x' });
    writer.recordEvent({ type: 'agent_message', message: 'hi there' });
    writer.recordItem(assistantMessage('hi there'));
    writer.recordEvent({ type: 'task_complete', last_agent_message: 'hi there' });
    writer.recordEvent({ type: 'task_started', model_context_window: null });
    writer.recordEvent({ type: 'turn_aborted', reason: 'interrupted' });
    writer.recordEnd('shutdown');
    await writer.close();
    const records = lines(writer.path).slice(1);
    expect(records.map((record) => [record.type, (record.event as { type?: string } | undefined)?.type ?? null, record.turn ?? null])).toEqual([
      ['event', 'task_started', 1],
      ['item', null, null],
      ['event', 'agent_message', 1],
      ['item', null, null],
      ['event', 'task_complete', 1],
      ['event', 'task_started', 2],
      ['event', 'turn_aborted', 2],
      ['session_end', null, null],
    ]);
    expect(writer.turns).toBe(2);
  });

  it('loses nothing recorded before a SIGKILL, without any flush', async () => {
    const home = tempHome();
    const child = startStoreChild('write-then-kill.ts', [home, '200']);
    const path = (await child.line('path ')).slice('path '.length);
    expect(await child.exited).toMatchObject({ signal: 'SIGKILL' });
    const log = await readSessionLog(path);
    expect(log.items).toHaveLength(200);
    expect(log.items[199]).toEqual(assistantMessage('answer 199'));
    expect(log.events.map((entry) => entry.event.type)).toEqual(['task_started', 'agent_message']);
    expect(log).toMatchObject({ turns: 1, ended: null, tornTail: false, problems: [] });
  });

  it('never writes a secret: values, keys, escaped spellings and Authorization headers are redacted', async () => {
    const secret = 'sk-test-9f8e7d6c5b4a3210';
    const odd = 'key"with\\quotes';
    const writer = await SessionLogWriter.create({ home: tempHome(), meta: newMeta(), secrets: [secret, odd, ''] });
    writer.recordItem(userMessage(`my key is ${secret}, twice: ${secret}`));
    writer.recordItem({
      type: 'local_shell_call',
      call_id: 'c1',
      status: 'completed',
      action: { type: 'exec', command: ['curl', '-H', `Authorization: Bearer ${secret}`], env: { [secret]: odd } },
    });
    writer.recordEvent({ type: 'warning', message: `header {"Authorization":"Bearer ${secret}"} and ${odd}` });
    await writer.close();
    const text = readFileSync(writer.path, 'utf8');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(JSON.stringify(odd).slice(1, -1));
    const log = await readSessionLog(writer.path);
    expect(log.problems).toEqual([]);
    expect(log.items[0]).toEqual(userMessage('my key is [redacted], twice: [redacted]'));
    expect(log.items[1]).toMatchObject({ action: { command: ['curl', '-H', 'Authorization: Bearer [redacted]'], env: { '[redacted]': '[redacted]' } } });
    expect(log.events[0]!.event).toEqual({ type: 'warning', message: 'header {"Authorization":"Bearer [redacted]"} and [redacted]' });
  });

  it('keeps a reasoning item whole, encrypted content included: it is the model\'s, not a secret of the user\'s', async () => {
    const reasoning: ResponseItem = {
      type: 'reasoning',
      id: 'rs_0a1b',
      summary: [{ type: 'summary_text', text: 'Check the tests first.' }],
      encrypted_content: `gAAAAAB${'Zm9vYmFy+/='.repeat(400)}`,
    };
    const writer = await SessionLogWriter.create({ home: tempHome(), meta: newMeta(), secrets: ['sk-test-9f8e7d6c5b4a3210'] });
    writer.recordItem(reasoning);
    await writer.close();
    const log = await readSessionLog(writer.path);
    expect(log.problems).toEqual([]);
    expect(log.items).toStrictEqual([reasoning]);
  });

  it('reports a failing write once, never throws, and keeps the log an exact prefix of the session', async () => {
    const errors: StoreError[] = [];
    const writer = await SessionLogWriter.create({ home: tempHome(), meta: newMeta(), onError: (error) => errors.push(error) });
    writer.recordItem(userMessage('kept'));
    // Pull the file out from under the writer, as a failing disk would: its descriptor stops working.
    closeSync(descriptorOf(writer.path));
    expect(() => writer.recordItem(userMessage('lost 1'))).not.toThrow();
    writer.recordItem(userMessage('lost 2'));
    await expect(writer.flush()).resolves.toBeUndefined();
    await writer.close();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: 'io', message: expect.stringContaining('cannot append to') });
    expect((await readSessionLog(writer.path)).items).toEqual([userMessage('kept')]);
  });

  it('flushes, closes once, and reports a record that arrives after close', async () => {
    const errors: StoreError[] = [];
    const writer = await SessionLogWriter.create({ home: tempHome(), meta: newMeta(), onError: (error) => errors.push(error) });
    writer.recordItem(userMessage('one'));
    await Promise.all([writer.flush(), writer.flush()]);
    await Promise.all([writer.close(), writer.close()]);
    writer.recordItem(userMessage('too late'));
    expect(errors.map((error) => error.message)).toEqual([expect.stringContaining('the writer is closed')]);
    expect((await readSessionLog(writer.path)).items).toEqual([userMessage('one')]);
  });
});

describe('SessionLogWriter.openExisting', () => {
  async function startedLog(): Promise<string> {
    const writer = await SessionLogWriter.create({ home: tempHome(), meta: newMeta() });
    writer.recordEvent({ type: 'task_started', model_context_window: null });
    writer.recordItem(userMessage('first'));
    writer.recordEvent({ type: 'task_started', model_context_window: null });
    writer.recordEvent({ type: 'token_count', info: null });
    await writer.close();
    return writer.path;
  }

  it('appends a resumed record and goes on numbering tasks from the count in the tail', async () => {
    const path = await startedLog();
    const writer = await SessionLogWriter.openExisting({ path, keelVersion: '0.2.0' });
    expect(writer.turns).toBe(2);
    writer.recordEvent({ type: 'task_started', model_context_window: null });
    writer.recordItem(userMessage('second'));
    await writer.close();
    const records = lines(path);
    expect(records.at(-3)).toMatchObject({ type: 'resumed', keel_version: '0.2.0', pid: process.pid });
    expect(records.at(-2)).toMatchObject({ type: 'event', turn: 3 });
    const log = await readSessionLog(path);
    expect(log).toMatchObject({ turns: 3, resumedCount: 1, problems: [], tornTail: false });
    expect(log.items).toEqual([userMessage('first'), userMessage('second')]);
  });

  it('moves a torn last line into the resumed record, so appending does not damage the middle of the file', async () => {
    const path = await startedLog();
    appendFileSync(path, '{"ts":"2025-01-01T00:00:00.000Z","type":"item","item":{"type":"mess');
    expect((await readSessionLog(path)).tornTail).toBe(true);
    const writer = await SessionLogWriter.openExisting({ path, keelVersion: '0.2.0' });
    writer.recordItem(userMessage('after'));
    await writer.close();
    const log = await readSessionLog(path);
    expect(log).toMatchObject({ tornTail: false, problems: [], resumedCount: 1 });
    expect(log.items.at(-1)).toEqual(userMessage('after'));
    expect(lines(path).find((record) => record.type === 'resumed')).toMatchObject({
      torn_tail: '{"ts":"2025-01-01T00:00:00.000Z","type":"item","item":{"type":"mess',
    });
  });

  it('ends a whole last record that lost only its newline before appending', async () => {
    const path = await startedLog();
    appendFileSync(path, JSON.stringify({ ts: '2025-01-01T00:00:00.000Z', type: 'item', item: userMessage('no newline') }));
    const writer = await SessionLogWriter.openExisting({ path, keelVersion: '0.2.0' });
    await writer.close();
    const log = await readSessionLog(path);
    expect(log.problems).toEqual([]);
    expect(log.items.map((item: ResponseItem) => item.type === 'message' && item.content[0])).toContainEqual({ type: 'input_text', text: 'no newline' });
  });

  it('refuses a file in a newer format and a file that is not a session, leaving them untouched', async () => {
    const home = tempHome();
    const newer = join(home, 'newer.jsonl');
    const header = { ts: 'x', type: 'session_meta', format_version: 99 };
    writeFileSync(newer, `${JSON.stringify(header)}\n`);
    await expect(SessionLogWriter.openExisting({ path: newer, keelVersion: '0.2.0' })).rejects.toMatchObject({ kind: 'newer_format' });
    const other = join(home, 'other.jsonl');
    writeFileSync(other, 'hello\n');
    await expect(SessionLogWriter.openExisting({ path: other, keelVersion: '0.2.0' })).rejects.toMatchObject({ kind: 'not_a_session' });
    expect(readFileSync(newer, 'utf8')).toBe(`${JSON.stringify(header)}\n`);
    expect(readFileSync(other, 'utf8')).toBe('hello\n');
    await expect(SessionLogWriter.openExisting({ path: join(home, 'missing.jsonl'), keelVersion: '0' })).rejects.toMatchObject({ kind: 'io' });
  });
});

/** The descriptor this process holds open on `path`. */
function descriptorOf(path: string): number {
  for (const entry of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${entry}`) === path) return Number(entry);
    } catch {
      // The descriptor used to list the directory itself is gone by now.
    }
  }
  throw new Error(`no open descriptor on ${path}`);
}
