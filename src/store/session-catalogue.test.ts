import { appendFileSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assistantMessage, userMessage, type EventMsg } from '../protocol/index.ts';
import { findSession, latestSession, listSessions } from './session-catalogue.ts';
import { acquireSessionLock } from './session-lock.ts';
import { SessionLogWriter } from './session-log-writer.ts';
import type { NewSessionMeta } from './session-record.ts';
import { newMeta, tempHome } from './testing/temp-home.ts';

type Ending = 'completed' | 'interrupted' | 'killed' | 'crashed' | 'none';

const started: EventMsg = { type: 'task_started', model_context_window: null };

/** A session with one task per prompt, the last ending as `ending` says. */
async function session(home: string, options: { prompts: string[]; ending: Ending; meta?: Partial<NewSessionMeta> }): Promise<SessionLogWriter> {
  const writer = await SessionLogWriter.create({ home, meta: newMeta(options.meta) });
  writer.recordEvent({ type: 'session_configured', session_id: 'x', model: 'm', model_provider_id: 'p', cwd: '/', approval_policy: 'never', sandbox_policy: { type: 'read-only' }, rollout_path: writer.path });
  for (const [index, prompt] of options.prompts.entries()) {
    writer.recordEvent(started);
    writer.recordItem(userMessage(prompt));
    writer.recordEvent({ type: 'user_message', message: prompt });
    writer.recordItem(assistantMessage(`answer to ${prompt}`));
    writer.recordEvent({ type: 'token_count', info: null });
    const last = index === options.prompts.length - 1;
    if (last && options.ending === 'interrupted') writer.recordEvent({ type: 'turn_aborted', reason: 'interrupted' });
    else if (!last || options.ending !== 'killed') writer.recordEvent({ type: 'task_complete', last_agent_message: null });
  }
  if (options.ending === 'completed' || options.ending === 'interrupted') {
    writer.recordEvent({ type: 'shutdown_complete' });
    writer.recordEnd('shutdown');
  }
  if (options.ending === 'crashed') writer.recordEnd('crashed', 'TypeError: boom');
  await writer.close();
  return writer;
}

const at = (minute: number): string => `2025-05-06T07:${String(minute).padStart(2, '0')}:00.000Z`;

describe('listSessions', () => {
  it('lists newest first with id, start, cwd, model, first prompt, task count and how each ended', async () => {
    const home = tempHome();
    const completed = await session(home, { prompts: ['fix the build', 'and the tests'], ending: 'completed', meta: { started_at: at(1) } });
    const interrupted = await session(home, { prompts: ['refactor'], ending: 'interrupted', meta: { started_at: at(2) } });
    const killed = await session(home, { prompts: ['long job'], ending: 'killed', meta: { started_at: at(3) } });
    const crashed = await session(home, { prompts: ['oops'], ending: 'crashed', meta: { started_at: at(4) } });
    const running = await session(home, { prompts: ['still going'], ending: 'killed', meta: { started_at: at(5) } });
    const lock = await acquireSessionLock(running.path);
    try {
      const listed = await listSessions({ home });
      expect(listed.map((summary) => [summary.path, summary.status, summary.turns, summary.firstPrompt])).toEqual([
        [running.path, 'running', 1, 'still going'],
        [crashed.path, 'crashed', 1, 'oops'],
        [killed.path, 'killed', 1, 'long job'],
        [interrupted.path, 'interrupted', 1, 'refactor'],
        [completed.path, 'completed', 2, 'fix the build'],
      ]);
      expect(listed[4]).toMatchObject({ startedAt: at(1), cwd: '/work/project', model: 'gpt-test', lastActivity: expect.stringMatching(/^\d{4}-/) });
    } finally {
      lock.release();
    }
    expect((await listSessions({ home, limit: 1 })).map((summary) => summary.status)).toEqual(['killed']);
  });

  it('counts tasks across resumes and reports the status of the last run', async () => {
    const home = tempHome();
    const first = await session(home, { prompts: ['one', 'two'], ending: 'completed' });
    const resumed = await SessionLogWriter.openExisting({ path: first.path, keelVersion: '0.2.0' });
    resumed.recordEvent(started);
    resumed.recordItem(userMessage('three'));
    await resumed.close();
    const [summary] = await listSessions({ home });
    expect(summary).toMatchObject({ turns: 3, status: 'killed', firstPrompt: 'one' });
  });

  it('keeps to the given directory and what is inside it, by path and by real path', async () => {
    const home = tempHome();
    const inside = await session(home, { prompts: ['a'], ending: 'completed', meta: { cwd: '/repo/sub/dir' } });
    const equal = await session(home, { prompts: ['b'], ending: 'completed', meta: { cwd: '/repo' } });
    await session(home, { prompts: ['c'], ending: 'completed', meta: { cwd: '/repository' } });
    await session(home, { prompts: ['d'], ending: 'completed', meta: { cwd: '/elsewhere' } });
    const paths = (await listSessions({ home, cwd: '/repo/' })).map((summary) => summary.path).sort();
    expect(paths).toEqual([inside.path, equal.path].sort());
    expect(await listSessions({ home })).toHaveLength(4);
    expect((await latestSession({ home, cwd: '/elsewhere' }))?.firstPrompt).toBe('d');
    expect(await latestSession({ home, cwd: '/nowhere' })).toBeNull();
  });

  it('reads only the head and the tail: a middle of garbage, or of 4 GiB, does not matter', async () => {
    const home = tempHome();
    const writer = await SessionLogWriter.create({ home, meta: newMeta() });
    writer.recordEvent(started);
    writer.recordItem(userMessage('big one'));
    writer.recordEvent({ type: 'user_message', message: 'big one' });
    await writer.close();
    const garbage = Buffer.alloc(3 * 1024 * 1024, 'not json at all, {"type":"event","turn":99 ');
    for (let line = 0; line < 4; line++) appendFileSync(writer.path, Buffer.concat([garbage, Buffer.from('\n')]));
    const ending = await SessionLogWriter.openExisting({ path: writer.path, keelVersion: '0.1.0' });
    ending.recordEvent({ type: 'task_complete', last_agent_message: null });
    ending.recordEnd('shutdown');
    await ending.close();
    expect(await listSessions({ home })).toMatchObject([{ firstPrompt: 'big one', turns: 1, status: 'completed' }]);

    // A sparse file: whole-file reading would have to go through 4 GiB of zeros (and could not hold them).
    const sparseHome = tempHome();
    const head = await session(sparseHome, { prompts: ['sparse'], ending: 'killed' });
    truncateSync(head.path, 4 * 1024 ** 3);
    appendFileSync(head.path, `\n${JSON.stringify({ ts: at(59), type: 'event', turn: 7, event: { type: 'task_complete', last_agent_message: null } })}\n`);
    appendFileSync(head.path, `${JSON.stringify({ ts: at(59), type: 'session_end', reason: 'shutdown' })}\n`);
    expect(await listSessions({ home: sparseHome })).toMatchObject([{ path: head.path, firstPrompt: 'sparse', turns: 7, status: 'completed', lastActivity: at(59) }]);
  });

  it('shows the start of a first prompt longer than the head it reads', async () => {
    const home = tempHome();
    // 100 KB: cut by a 64 KiB head, whole in the default 256 KiB (item and event each hold it).
    const long = `${'é'.repeat(50_000)} end`;
    await session(home, { prompts: [long], ending: 'completed' });
    const [summary] = await listSessions({ home, limits: { headBytes: 1024, headBytesMax: 64 * 1024, tailBytesMax: 1024 * 1024 } });
    expect(/^é+…$/.test(summary!.firstPrompt!)).toBe(true);
    expect(summary!.firstPrompt!.length).toBeGreaterThan(1000);
    const [whole] = await listSessions({ home });
    expect(whole!.firstPrompt === long).toBe(true);
  });

  it('shows the first prompt of a session whose first message carries a large image', async () => {
    const home = tempHome();
    const writer = await SessionLogWriter.create({ home, meta: newMeta() });
    writer.recordEvent(started);
    const image = `data:image/png;base64,${'iVBORw0KGgo'.repeat(100_000)}`;
    writer.recordItem({
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_text', text: 'what is "this"?' },
        { type: 'input_image', image_url: image },
      ],
    });
    writer.recordEvent({ type: 'user_message', message: 'what is "this"?', images: ['shot.png'] });
    writer.recordEvent({ type: 'task_complete', last_agent_message: null });
    writer.recordEnd('shutdown');
    await writer.close();
    // The 1.1 MB line is past any head a listing reads; the text before the image is all it needs.
    expect(await listSessions({ home })).toMatchObject([{ firstPrompt: 'what is "this"?', turns: 1, status: 'completed' }]);
  });

  it('shows no first prompt for a session that never got one, and skips files that are not sessions, saying so', async () => {
    const home = tempHome();
    const empty = await session(home, { prompts: [], ending: 'completed' });
    const stray = join(dirname(empty.path), '2025-01-01T00-00-00-00000000-0000-4000-8000-000000000000.jsonl');
    writeFileSync(stray, 'not a session\n');
    writeFileSync(join(dirname(empty.path), 'notes.txt'), 'ignored: not named like a log');
    const unreadable: string[] = [];
    const listed = await listSessions({ home, onUnreadable: (path) => unreadable.push(path) });
    expect(listed).toMatchObject([{ path: empty.path, firstPrompt: null, turns: 0, status: 'completed' }]);
    expect(unreadable).toEqual([stray]);
  });

  it('lists nothing when there are no sessions yet', async () => {
    expect(await listSessions({ home: tempHome() })).toEqual([]);
  });
});

describe('findSession', () => {
  it('resolves a full id, a unique prefix in any case, and a path; reports unknown and ambiguous ones', async () => {
    const home = tempHome();
    const a = await session(home, { prompts: ['a'], ending: 'completed', meta: { session_id: 'abcd1234-0000-4000-8000-000000000001' } });
    const b = await session(home, { prompts: ['b'], ending: 'completed', meta: { session_id: 'abcd1234-0000-4000-8000-000000000002', started_at: at(30) } });
    expect(await findSession({ home, idOrPrefix: 'abcd1234-0000-4000-8000-000000000001' })).toBe(a.path);
    expect(await findSession({ home, idOrPrefix: 'ABCD1234-0000-4000-8000-0000000000' + '02' })).toBe(b.path);
    expect(await findSession({ home, idOrPrefix: a.path })).toBe(a.path);
    await expect(findSession({ home, idOrPrefix: 'abcd' })).rejects.toMatchObject({
      kind: 'ambiguous',
      detail: { candidates: expect.arrayContaining([{ id: 'abcd1234-0000-4000-8000-000000000001', path: a.path }]) },
      message: expect.stringContaining('"abcd" matches 2 sessions'),
    });
    await expect(findSession({ home, idOrPrefix: 'ffff' })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(findSession({ home, idOrPrefix: '../etc' })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('finds nothing in a home without sessions', async () => {
    const home = tempHome();
    mkdirSync(join(home, 'sessions'));
    await expect(findSession({ home, idOrPrefix: 'a' })).rejects.toMatchObject({ kind: 'not_found' });
  });
});
