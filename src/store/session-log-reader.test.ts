import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assistantMessage, userMessage } from '../protocol/index.ts';
import { parseSessionLog, readSessionLog } from './session-log-reader.ts';
import { SessionLogWriter } from './session-log-writer.ts';
import { newMeta, tempHome } from './testing/temp-home.ts';

const TS = '2025-01-01T00:00:00.000Z';

async function writtenLog(): Promise<string> {
  const writer = await SessionLogWriter.create({ home: tempHome(), meta: newMeta() });
  writer.recordEvent({ type: 'task_started', model_context_window: null });
  writer.recordItem(userMessage('one'));
  writer.recordEvent({ type: 'user_message', message: 'one' });
  writer.recordItem({ type: 'function_call', name: 'shell', arguments: '{"command":["ls"]', call_id: 'c1' });
  writer.recordItem({ type: 'function_call_output', call_id: 'c1', output: 'a\nb' });
  writer.recordItem(assistantMessage('two'));
  writer.recordEvent({ type: 'task_complete', last_agent_message: 'two' });
  writer.recordEnd('shutdown');
  await writer.close();
  return writer.path;
}

function replaceLine(path: string, lineNumber: number, text: string): void {
  const lines = readFileSync(path, 'utf8').split('\n');
  lines[lineNumber - 1] = text;
  writeFileSync(path, lines.join('\n'));
}

describe('readSessionLog', () => {
  it('gives back the header, the items exactly as recorded, the events, the task count and how it ended', async () => {
    const path = await writtenLog();
    const log = await readSessionLog(path);
    expect(log.meta).toMatchObject({ type: 'session_meta', format_version: 1, cwd: '/work/project' });
    expect(log.items).toEqual([
      userMessage('one'),
      { type: 'function_call', name: 'shell', arguments: '{"command":["ls"]', call_id: 'c1' },
      { type: 'function_call_output', call_id: 'c1', output: 'a\nb' },
      assistantMessage('two'),
    ]);
    expect(log.events.map((entry) => [entry.event.type, entry.turn])).toEqual([
      ['task_started', 1],
      ['user_message', 1],
      ['task_complete', 1],
    ]);
    expect(log).toMatchObject({ turns: 1, ended: { reason: 'shutdown' }, resumedCount: 0, tornTail: false, problems: [] });
  });

  it('tolerates a torn last line without calling it a problem', async () => {
    const path = await writtenLog();
    appendFileSync(path, '{"ts":"2025-01-01T00:00:00.000Z","type":"item","item":{"type":"message","ro');
    const log = await readSessionLog(path);
    expect(log).toMatchObject({ tornTail: true, problems: [] });
    expect(log.items).toHaveLength(4);
  });

  it('reads a whole last record that lost only its newline', async () => {
    const path = await writtenLog();
    appendFileSync(path, JSON.stringify({ ts: TS, type: 'item', item: userMessage('last') }));
    const log = await readSessionLog(path);
    expect(log).toMatchObject({ tornTail: false, problems: [] });
    expect(log.items.at(-1)).toEqual(userMessage('last'));
  });

  it('reports a damaged line in the middle with its line number, and reads the rest', async () => {
    const path = await writtenLog();
    replaceLine(path, 4, '{"ts":"2025-01-01T00:00:00.000Z","type":"ite\u0000garbage');
    const log = await readSessionLog(path);
    expect(log.problems).toEqual([{ line: 4, message: expect.stringMatching(/^not valid JSON/) }]);
    expect(log.items).toEqual([
      userMessage('one'),
      { type: 'function_call', name: 'shell', arguments: '{"command":["ls"]', call_id: 'c1' },
      { type: 'function_call_output', call_id: 'c1', output: 'a\nb' },
      assistantMessage('two'),
    ]);
    expect(log.events.map((entry) => entry.event.type)).toEqual(['task_started', 'task_complete']);
  });

  it('reports records that parse but do not validate, and empty lines', async () => {
    const path = await writtenLog();
    replaceLine(path, 3, JSON.stringify({ ts: TS, type: 'item', item: { type: 'message', role: 'user' } }));
    replaceLine(path, 5, '');
    const log = await readSessionLog(path);
    expect(log.problems).toEqual([
      { line: 3, message: expect.stringMatching(/^invalid item record: item\.content: /) },
      { line: 5, message: 'empty line' },
    ]);
  });

  it('reports an unknown record type, unless the record says it may be skipped', async () => {
    const path = await writtenLog();
    appendFileSync(path, `${JSON.stringify({ ts: TS, type: 'bookmark', name: 'x' })}\n`);
    appendFileSync(path, `${JSON.stringify({ ts: TS, type: 'annotation', skippable: true })}\n`);
    appendFileSync(path, `${JSON.stringify({ ts: TS, type: 'session_meta', format_version: 1 })}\n`);
    const log = await readSessionLog(path);
    expect(log.problems).toEqual([
      { line: 10, message: 'unknown record type "bookmark" (written by a newer keel?)' },
      { line: 12, message: 'a second session header in the middle of the log' },
    ]);
  });

  it('refuses a newer format with a message saying which version and to upgrade', async () => {
    const path = join(tempHome(), 'newer.jsonl');
    writeFileSync(path, `${JSON.stringify({ ts: TS, type: 'session_meta', format_version: 2, everything: 'different' })}\n{"type":"x"}\n`);
    await expect(readSessionLog(path)).rejects.toMatchObject({
      kind: 'newer_format',
      detail: { version: 2, supported: 1 },
      message: expect.stringMatching(/format version 2\).*up to 1\. Upgrade keel to open it\./),
    });
  });

  it('reads a log whose version is older than the newest it knows', async () => {
    const path = await writtenLog();
    // This keel's format (1) read by a keel that knows version 2: older versions stay readable.
    const log = parseSessionLog(readFileSync(path), path, { supported: 2 });
    expect(log.items).toHaveLength(4);
    expect(log.problems).toEqual([]);
  });

  it('refuses an empty file, a file without a header, and a damaged header', async () => {
    const home = tempHome();
    const cases: Array<[string, RegExp]> = [
      ['', /the file is empty/],
      [`${JSON.stringify({ ts: TS, type: 'item', item: userMessage('x') })}\n`, /first line is not a session header/],
      ['{"ts":"2025-01-01T00:00:00.000Z","type":"session_me', /not JSON/],
      [`${JSON.stringify({ ts: TS, type: 'session_meta', format_version: 1 })}\n`, /header is damaged \(session_id: /],
    ];
    for (const [index, [content, message]] of cases.entries()) {
      const path = join(home, `case-${index}.jsonl`);
      writeFileSync(path, content);
      await expect(readSessionLog(path)).rejects.toMatchObject({ kind: 'not_a_session', message: expect.stringMatching(message) });
    }
    await expect(readSessionLog(join(home, 'missing.jsonl'))).rejects.toMatchObject({ kind: 'io' });
  });

  it('counts resumes, and forgets an end record once the session was resumed after it', async () => {
    const path = await writtenLog();
    const writer = await SessionLogWriter.openExisting({ path, keelVersion: '0.2.0' });
    writer.recordEvent({ type: 'task_started', model_context_window: null });
    await writer.close();
    const log = await readSessionLog(path);
    expect(log).toMatchObject({ resumedCount: 1, ended: null, turns: 2, problems: [] });
  });

  it('counts tasks from task_started events when a log carries no turn fields', () => {
    const header = { ts: TS, type: 'session_meta', format_version: 1, ...newMeta(), started_at: TS };
    const started = { ts: TS, type: 'event', event: { type: 'task_started', model_context_window: null } };
    const text = [header, started, started].map((record) => JSON.stringify(record)).join('\n') + '\n';
    expect(parseSessionLog(Buffer.from(text), 'hand-made.jsonl').turns).toBe(2);
  });
});
