/**
 * Logs that are not as keel left them, and sessions wanted by two processes, through the real binary: a line torn by
 * a crash mid-write, a damaged line in the middle, a header from a newer keel, a resume from another directory, and
 * two resumes of one session racing for it.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { readSessionLog, sessionLogPath } from '../../src/store/index.ts';
import { runKeel, startKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { freshPlace, keelEnv, messageTexts, onlyLogPath, outputOf, replay, withoutId, type Place } from './crash-session.ts';

type Item = Record<string, unknown>;

/** A finished session: a message with a shell call, its output, and a final answer. Returns the log's path. */
async function finishedSession(place: Place): Promise<{ path: string; sessionId: string }> {
  const server = await useScriptedServer([
    respond(text('Let me check.'), functionCall('shell', { command: ['bash', '-c', 'echo checked'] }, 'call_check')),
    respond(text('It is checked.')),
  ]);
  const run = await runKeel(['exec', '--json', 'check it'], { env: keelEnv(server.url, place.home), cwd: place.cwd });
  expect(run.code).toBe(0);
  const path = onlyLogPath(place.home);
  return { path, sessionId: (await readSessionLog(path)).meta.session_id };
}

function logLines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').slice(0, -1);
}

/** 1-based number of the first line recording this item type (and text or call id). */
function lineNumberOf(path: string, match: (item: Item) => boolean): number {
  const index = logLines(path).findIndex((line) => {
    const record = JSON.parse(line) as { type: string; item?: Item };
    return record.type === 'item' && record.item !== undefined && match(record.item);
  });
  if (index < 0) throw new Error('no such item in the log');
  return index + 1;
}

describe('damaged logs', () => {
  it('resumes a log whose last line was torn by a crash mid-write, and leaves no damage behind', async () => {
    const place = freshPlace();
    const { path } = await finishedSession(place);
    // The final answer's item line, cut in the middle: what a power cut during that write leaves.
    const answerLine = lineNumberOf(path, (item) => item.type === 'message' && JSON.stringify(item).includes('It is checked.'));
    const lines = logLines(path);
    const torn = lines[answerLine - 1]!.slice(0, 60);
    truncateSync(path, Buffer.byteLength(`${lines.slice(0, answerLine - 1).join('\n')}\n${torn}`));
    const before = await readSessionLog(path);
    expect(before.tornTail).toBe(true);
    expect(before.problems).toEqual([]);

    const server = await useScriptedServer([respond(text('Checked again.'))]);
    // The torn answer never counted: the history ends with the command's output, so the task goes on by itself.
    const resumed = await runKeel(['exec', 'resume', '--json', '--last'], { env: keelEnv(server.url, place.home), cwd: place.cwd });
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const input = server.requests[0]!.body.input as Item[];
    expect(messageTexts(input, 'assistant')).toEqual(['Let me check.']);
    expect(JSON.parse(outputOf(input, 'call_check')!)).toMatchObject({ output: 'checked\n', metadata: { exit_code: 0 } });

    const after = await readSessionLog(path);
    expect(after.problems).toEqual([]);
    expect(after.tornTail).toBe(false);
    const history = replay(after.items);
    expect(history.items.map(withoutId).slice(0, input.length)).toEqual(input);
    // The torn bytes are not thrown away: the resumed record keeps them.
    const resumedRecord = logLines(path).map((line) => JSON.parse(line) as { type: string; torn_tail?: string }).find((record) => record.type === 'resumed');
    expect(resumedRecord?.torn_tail).toBe(torn);
  });

  it('reports a damaged line in the middle with its line number, and still resumes into a valid history', async () => {
    const place = freshPlace();
    const { path } = await finishedSession(place);
    // The call's own line is damaged: its output, further down, is left without a call and must not be sent.
    const callLine = lineNumberOf(path, (item) => item.type === 'function_call');
    const lines = logLines(path);
    lines[callLine - 1] = lines[callLine - 1]!.slice(0, 50) + '\u0000garbage';
    writeFileSync(path, `${lines.join('\n')}\n`);

    const server = await useScriptedServer([respond(text('Going on.'))]);
    const resumed = await runKeel(['exec', 'resume', '--json', '--last', 'go on'], { env: keelEnv(server.url, place.home), cwd: place.cwd });
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`${path}:${callLine}:`);
    expect(resumed.stderr.trim().split('\n')).toHaveLength(1);
    // Accepted by the strict server: no output without its call.
    expect(server.requests.map((request) => request.status)).toEqual([200]);
    const input = server.requests[0]!.body.input as Item[];
    expect(input.some((item) => item.type === 'function_call_output')).toBe(false);
    expect(messageTexts(input, 'assistant')).toEqual(['Let me check.', 'It is checked.']);
    expect(messageTexts(input, 'user').at(-1)).toBe('go on');
  });

  it('refuses a log written in a newer format, by id and with --last, with a clear message', async () => {
    const place = freshPlace();
    const older = await finishedSession(place);
    // The newest session of this directory, written by a keel from the future: same story, format version 99.
    const newerId = randomUUID();
    const newerPath = sessionLogPath(place.home, newerId, new Date('2099-01-01T00:00:00Z'));
    const lines = logLines(older.path).map((line) => line.replaceAll(older.sessionId, newerId));
    lines[0] = JSON.stringify({ ...JSON.parse(lines[0]!), format_version: 99, started_at: '2099-01-01T00:00:00.000Z' });
    mkdirSync(dirname(newerPath), { recursive: true });
    writeFileSync(newerPath, `${lines.join('\n')}\n`, { mode: 0o600 });
    const untouched = [readFileSync(older.path, 'utf8'), readFileSync(newerPath, 'utf8')];

    const server = await useScriptedServer([]);
    // --last must not skip the newest session and quietly resume an older one instead.
    // No retries: should keel send anything, the strict server's refusal fails the test at once.
    for (const args of [['exec', 'resume', '--stream-max-retries', '0', newerId.slice(0, 8), 'go on'], ['exec', 'resume', '--stream-max-retries', '0', '--last', 'go on']]) {
      const resumed = await runKeel(args, { env: keelEnv(server.url, place.home), cwd: place.cwd });
      expect(resumed.stderr, args.join(' ')).toContain('newer keel');
      expect(resumed.stderr, args.join(' ')).toContain('99');
      expect(resumed.code, args.join(' ')).toBe(2);
    }
    expect(server.requests).toEqual([]);
    // Nothing was appended to either file.
    expect([readFileSync(older.path, 'utf8'), readFileSync(newerPath, 'utf8')]).toEqual(untouched);
  });
});

describe('resuming elsewhere and twice', () => {
  it('resumes by id prefix from another directory, working in the session’s own directory', async () => {
    const place = freshPlace();
    const { sessionId } = await finishedSession(place);
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: ['pwd'] }, 'call_pwd')),
      respond(text('Still there.')),
    ]);
    const elsewhere = mkdtempSync(join(tmpdir(), 'keel-crash-elsewhere-'));
    const resumed = await runKeel(['exec', 'resume', '--json', sessionId.slice(0, 8), 'where are you?'], { env: keelEnv(server.url, place.home), cwd: elsewhere });
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const second = server.requests[1]!.body.input as Item[];
    expect(realpathSync(JSON.parse(outputOf(second, 'call_pwd')!).output.trim())).toBe(realpathSync(place.cwd));
    expect(messageTexts(second, 'user').at(-1)).toBe('where are you?');
  });

  it('says clearly when the session’s directory is gone, and resumes with -C', async () => {
    const place = freshPlace();
    const { sessionId } = await finishedSession(place);
    rmSync(place.cwd, { recursive: true });
    const server = await useScriptedServer([respond(text('Here now.'))]);
    const refused = await runKeel(['exec', 'resume', sessionId, 'go on'], { env: keelEnv(server.url, place.home) });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(place.cwd);
    expect(refused.stderr).toContain('-C');
    const elsewhere = mkdtempSync(join(tmpdir(), 'keel-crash-elsewhere-'));
    const resumed = await runKeel(['exec', 'resume', '-C', elsewhere, sessionId, 'go on'], { env: keelEnv(server.url, place.home) });
    expect(resumed.code).toBe(0);
    expect(server.requests.map((request) => request.status)).toEqual([200]);
  });

  it('lets exactly one of three processes resuming one session at once have it; the others exit 2 naming it', async () => {
    const place = freshPlace();
    const { path, sessionId } = await finishedSession(place);
    // The winner's answer stalls, so it holds the session until it is interrupted.
    const server = await useScriptedServer([respond(text('Working on it.'), { faults: { stallAfterEvents: 3 } })]);
    const runs = [1, 2, 3].map((n) =>
      startKeel(['exec', 'resume', '--json', sessionId, `attempt ${n}`], { env: keelEnv(server.url, place.home), cwd: place.cwd }),
    );
    const winner = await Promise.any(runs.map((run) => run.waitForLine((line) => line.includes('"task_started"')).then(() => run)));
    const losers = runs.filter((run) => run !== winner);
    for (const loser of losers) {
      expect((await loser.exited).code).toBe(2);
      expect(loser.stderr).toContain(String(winner.child.pid));
      expect(loser.stdout).toBe('');
    }
    await server.waitForRequests(1);
    expect(server.requests).toHaveLength(1);
    winner.child.kill('SIGINT');
    expect((await winner.exited).code).toBe(130);

    // Only the winner wrote: one resume, one new prompt, and the log is whole.
    const log = await readSessionLog(path);
    expect(log.problems).toEqual([]);
    expect(log.resumedCount).toBe(1);
    const prompts = log.events.filter((entry) => entry.event.type === 'user_message').map((entry) => (entry.event as { message: string }).message);
    expect(prompts).toHaveLength(2);
    expect(prompts[0]).toBe('check it');
  });
});

describe('secrets and the log', () => {
  it('keeps the log readable when the API key is a short placeholder, as local servers are often given', async () => {
    const place = freshPlace();
    const server = await useScriptedServer([respond(text('Hello back.')), respond(text('Again.'))]);
    const env = { ...keelEnv(server.url, place.home), OPENAI_API_KEY: 'k' };
    expect((await runKeel(['exec', 'say hello'], { env, cwd: place.cwd })).code).toBe(0);

    const log = await readSessionLog(onlyLogPath(place.home));
    expect(log.problems).toEqual([]);
    expect(log.meta.cwd).toBe(place.cwd);
    const resumed = await runKeel(['exec', 'resume', '--last', 'say it again'], { env, cwd: place.cwd });
    expect(resumed.stderr).not.toContain('keel:');
    expect(resumed.code).toBe(0);
    expect(messageTexts(server.requests[1]!.body.input as Item[], 'user')).toContain('say hello');
  });
});
