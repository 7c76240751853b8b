import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { assistantMessage, userMessage } from '../protocol/index.ts';
import { findSessionById } from './session-catalogue.ts';
import { parseSessionLog, readSessionLog } from './session-log-reader.ts';
import { SessionLogWriter } from './session-log-writer.ts';
import { exportSessionLog, importSessionLog, remapCwd, TransferError } from './session-transfer.ts';
import { newMeta, tempHome } from './testing/temp-home.ts';

const OLD = '/work/project';
const NEW = '/home/me/checkout';
const environment = (cwd: string) => userMessage(`<environment_context>\n  <cwd>${cwd}</cwd>\n  <shell>bash</shell>\n</environment_context>`);

/** A small finished session that names its directory everywhere a session can. */
async function recorded(home: string, startedAt = '2025-05-06T07:08:09.000Z'): Promise<{ path: string; id: string }> {
  const meta = newMeta({ cwd: OLD, started_at: startedAt });
  const writer = await SessionLogWriter.create({ home, meta });
  writer.recordEvent({ type: 'session_configured', session_id: meta.session_id, model: 'm', model_provider_id: 'p', cwd: OLD, approval_policy: 'never', sandbox_policy: { type: 'read-only' }, rollout_path: writer.path });
  writer.recordEvent({ type: 'task_started', model_context_window: null });
  writer.recordItem(environment(OLD));
  writer.recordItem(userMessage(`look in ${OLD}/src`));
  writer.recordEvent({ type: 'exec_command_begin', call_id: 'c1', command: ['ls'], cwd: `${OLD}/src` });
  writer.recordItem(environment(`${OLD}/src`));
  writer.recordItem(environment('/elsewhere'));
  writer.recordItem(assistantMessage('done'));
  writer.recordEvent({ type: 'task_complete', last_agent_message: 'done' });
  writer.recordEnd('shutdown');
  await writer.close();
  return { path: writer.path, id: meta.session_id };
}

async function gzipped(path: string): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await exportSessionLog(path, out);
  return Buffer.concat(chunks);
}

describe('remapCwd', () => {
  it('moves the header, session_configured and keel\'s environment message, directories inside included', async () => {
    const { path } = await recorded(tempHome());
    const before = readFileSync(path);
    const after = remapCwd(before, OLD, NEW);
    const log = await readSessionLog(path);
    const moved = parseSessionLog(after, path);
    expect(moved.problems).toEqual([]);
    expect(moved.meta).toEqual({ ...log.meta, cwd: NEW });
    expect(moved.events.find((entry) => entry.event.type === 'session_configured')?.event).toMatchObject({ cwd: NEW });
    const texts = moved.items.map((item) => JSON.stringify(item));
    expect(texts[0]).toContain(`<cwd>${NEW}</cwd>`);
    expect(texts[2]).toContain(`<cwd>${NEW}/src</cwd>`);
    // Another directory is not inside the old one; the user's own words and the commands' records stay as they were.
    expect(texts[3]).toContain('<cwd>/elsewhere</cwd>');
    expect(texts[1]).toContain(`look in ${OLD}/src`);
    expect(moved.events.find((entry) => entry.event.type === 'exec_command_begin')?.event).toMatchObject({ cwd: `${OLD}/src` });
    // Lines that do not name the directory are kept byte for byte.
    const kept = before.toString('utf8').split('\n').filter((line) => !line.includes(OLD));
    const result = after.toString('utf8').split('\n');
    for (const line of kept) expect(result).toContain(line);
  });

  it('does not take a directory that only starts with the same letters for one inside it', () => {
    const line = JSON.stringify({ ts: 't', type: 'item', item: environment(`${OLD}-old`) });
    expect(remapCwd(Buffer.from(`${line}\n`), OLD, NEW).toString('utf8')).toBe(`${line}\n`);
  });
});

describe('export and import', () => {
  it('exports the log gzipped as it is, and imports it under its start date with the new directory', async () => {
    const { path, id } = await recorded(tempHome());
    const file = await gzipped(path);
    expect(gunzipSync(file).equals(readFileSync(path))).toBe(true);

    const home = tempHome();
    const imported = await importSessionLog({ home, bytes: file, file: 'session.jsonl.gz', cwd: NEW });
    expect(imported).toMatchObject({ sessionId: id, cwdBefore: OLD, cwd: NEW, tornTail: false });
    expect(imported.path).toBe(join(home, 'sessions', '2025', '05', '06', basename(path)));
    expect(findSessionById(home, id)).toBe(imported.path);
    expect(statSync(imported.path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(imported.path)).mode & 0o777).toBe(0o700);
    expect((await readSessionLog(imported.path)).meta.cwd).toBe(NEW);
  });

  it('takes a plain log too, and keeps its directory without --cwd', async () => {
    const { path } = await recorded(tempHome());
    const imported = await importSessionLog({ home: tempHome(), bytes: readFileSync(path), file: 'plain.jsonl' });
    expect(readFileSync(imported.path).equals(readFileSync(path))).toBe(true);
  });

  it('refuses an id already present, under any date', async () => {
    const home = tempHome();
    const { path, id } = await recorded(home);
    const bytes = readFileSync(path).toString('utf8').replace('2025-05-06T07:08:09.000Z', '2024-01-02T03:04:05.000Z');
    const error = await importSessionLog({ home, bytes: Buffer.from(bytes), file: 'f' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransferError);
    expect(error).toMatchObject({ kind: 'exists', detail: { sessionId: id, path } });
  });

  it('refuses damage with every problem named, and a header whose id could not be a file name', async () => {
    const { path } = await recorded(tempHome());
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[3] = '{"broken';
    lines[4] = '{"ts":"t","type":"mystery"}';
    const home = tempHome();
    const damaged = await importSessionLog({ home, bytes: gzipSync(lines.join('\n')), file: 'd.gz' }).catch((caught: unknown) => caught);
    expect(damaged).toMatchObject({ kind: 'damaged' });
    expect((damaged as TransferError).message).toMatch(/line 4: not valid JSON.*\n {2}line 5: unknown record type "mystery"/s);

    const header = JSON.parse(lines[0]!) as Record<string, unknown>;
    const climbing = [JSON.stringify({ ...header, session_id: '../../escape' }), ...readFileSync(path, 'utf8').split('\n').slice(1)].join('\n');
    const refused = await importSessionLog({ home, bytes: Buffer.from(climbing), file: 'c' }).catch((caught: unknown) => caught);
    expect((refused as TransferError).message).toContain('is not a UUID');
    expect(findSessionById(home, header.session_id as string)).toBeNull();
  });
});
