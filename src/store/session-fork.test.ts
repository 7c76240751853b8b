import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assistantMessage, userMessage, type ContentPart, type ResponseItem } from '../protocol/index.ts';
import { findSessionById } from './session-catalogue.ts';
import { forkSession } from './session-fork.ts';
import { readSessionLog } from './session-log-reader.ts';
import { SessionLogWriter } from './session-log-writer.ts';
import { listPrompts } from './session-prompts.ts';
import { summarizeSession } from './session-summary.ts';
import { newMeta, tempHome } from './testing/temp-home.ts';

const environment = userMessage('<environment_context>\n  <cwd>/work/project</cwd>\n</environment_context>');
const PIXEL = 'data:image/png;base64,iVBORw0KGgo=';

interface TaskScript {
  prompt: string;
  answer: string;
  /** A shell call and its output, between the prompt and the answer. */
  call?: string;
  /** The task wrote files: snapshots before and after, as the snapshot store records them. */
  snapshot?: string;
  image?: string;
  /** Prompts sent while the task ran, each recorded after the call. */
  queued?: string[];
}

/** One task as the engine records it: task_started, the prompt's item then its event, tool work, the answer. */
function recordTask(writer: SessionLogWriter, task: TaskScript): void {
  writer.recordEvent({ type: 'task_started', model_context_window: null });
  if (writer.turns === 1) writer.recordItem(environment);
  const content: ContentPart[] = [{ type: 'input_text', text: task.prompt }];
  if (task.image !== undefined) content.push({ type: 'input_image', image_url: PIXEL });
  writer.recordItem({ type: 'message', role: 'user', content });
  writer.recordEvent(task.image === undefined ? { type: 'user_message', message: task.prompt } : { type: 'user_message', message: task.prompt, images: [task.image] });
  if (task.snapshot !== undefined) {
    writer.recordEvent({ type: 'task_snapshot', phase: 'before', snapshot_id: `${task.snapshot}-before`, root: '/work/project', skipped: [] });
  }
  if (task.call !== undefined) {
    writer.recordItem({ type: 'function_call', name: 'shell', arguments: '{"command":["ls"]}', call_id: task.call });
    writer.recordEvent({ type: 'exec_command_begin', call_id: task.call, command: ['ls'], cwd: '/work/project' });
    writer.recordEvent({ type: 'exec_command_end', call_id: task.call, aggregated_output: 'a.txt\n', exit_code: 0, duration_ms: 5, status: 'completed' });
    writer.recordItem({ type: 'function_call_output', call_id: task.call, output: '{"output":"a.txt\\n"}' });
  }
  for (const queued of task.queued ?? []) {
    writer.recordItem(userMessage(queued));
    writer.recordEvent({ type: 'user_message', message: queued });
  }
  writer.recordItem(assistantMessage(task.answer));
  writer.recordEvent({ type: 'agent_message', message: task.answer });
  if (task.snapshot !== undefined) {
    writer.recordEvent({ type: 'task_snapshot', phase: 'after', snapshot_id: `${task.snapshot}-after`, root: '/work/project', skipped: [] });
  }
  writer.recordEvent({ type: 'task_complete', last_agent_message: task.answer });
}

function configured(writer: SessionLogWriter, sessionId: string) {
  writer.recordEvent({ type: 'session_configured', session_id: sessionId, model: 'gpt-test', model_provider_id: 'openai', cwd: '/work/project', approval_policy: 'never', sandbox_policy: { type: 'read-only' }, rollout_path: writer.path });
}

/** A session of four prompts over two runs (resumed after the second), the third with an image and a snapshot. */
async function fourPrompts(home: string): Promise<{ path: string; id: string }> {
  const meta = newMeta({ started_at: '2025-06-01T10:00:00.000Z' });
  const first = await SessionLogWriter.create({ home, meta });
  configured(first, meta.session_id);
  recordTask(first, { prompt: 'list the files', answer: 'There is a.txt.', call: 'call_1', snapshot: 'snap1' });
  recordTask(first, { prompt: 'explain a.txt', answer: 'It is empty.' });
  first.recordEnd('shutdown');
  await first.close();
  const second = await SessionLogWriter.openExisting({ path: first.path, keelVersion: '0.1.0' });
  configured(second, meta.session_id);
  recordTask(second, { prompt: 'draw it\nas a picture', answer: 'Drawn.', snapshot: 'snap3', image: 'sketch.png', call: 'call_3' });
  recordTask(second, { prompt: 'now delete it', answer: 'Deleted.', snapshot: 'snap4' });
  second.recordEnd('shutdown');
  await second.close();
  return { path: first.path, id: meta.session_id };
}

function sessionLogs(home: string): string[] {
  const found: string[] = [];
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else found.push(path);
    }
  };
  walk(join(home, 'sessions'));
  return found.sort();
}

const texts = (items: readonly ResponseItem[]) => items.map((item) => (item.type === 'message' ? `${item.role}: ${item.content.map((part) => ('text' in part ? part.text : '[image]')).join('')}` : `${item.type}`));

describe('listPrompts', () => {
  it('numbers the prompts of the whole log from 1, across a resume, with their task and images', async () => {
    const { path } = await fourPrompts(tempHome());
    const prompts = await listPrompts(path);
    expect(prompts.map(({ number, text, task, images, queued }) => ({ number, text, task, images, queued }))).toEqual([
      { number: 1, text: 'list the files', task: 1, images: [], queued: false },
      { number: 2, text: 'explain a.txt', task: 2, images: [], queued: false },
      { number: 3, text: 'draw it\nas a picture', task: 3, images: ['sketch.png'], queued: false },
      { number: 4, text: 'now delete it', task: 4, images: [], queued: false },
    ]);
  });
});

describe('forkSession', () => {
  it('at prompt 3 of 4: a new log whose history and events stop just before the prompt; the source is untouched', async () => {
    const home = tempHome();
    const source = await fourPrompts(home);
    const before = readFileSync(source.path);
    const modified = statSync(source.path).mtimeMs;

    const fork = await forkSession({ home, path: source.path, prompt: 3, keelVersion: '9.9.9', source: 'tui' });

    expect(readFileSync(source.path).equals(before)).toBe(true);
    expect(statSync(source.path).mtimeMs).toBe(modified);
    expect(fork.sessionId).not.toBe(source.id);
    expect(findSessionById(home, fork.sessionId)).toBe(fork.path);
    expect(statSync(fork.path).mode & 0o777).toBe(0o600);
    expect(sessionLogs(home)).toEqual([source.path, fork.path].sort());

    const log = await readSessionLog(fork.path);
    expect(log.problems).toEqual([]);
    expect(log.meta).toMatchObject({ session_id: fork.sessionId, keel_version: '9.9.9', source: 'tui', cwd: '/work/project', model: 'gpt-test', forked_from: { session_id: source.id, prompt: 3 } });
    expect(texts(log.items)).toEqual([
      texts([environment])[0],
      'user: list the files',
      'function_call',
      'function_call_output',
      'assistant: There is a.txt.',
      'user: explain a.txt',
      'assistant: It is empty.',
    ]);
    // The earlier tasks' events, as recorded (their times and task numbers), snapshots included; nothing of task 3 on.
    const sourceLog = await readSessionLog(source.path);
    const earlier = sourceLog.events.filter((event) => (event.turn ?? 0) < 3);
    const asFork = (event: (typeof earlier)[number]) =>
      event.event.type === 'session_configured' ? { ...event, event: { ...event.event, session_id: fork.sessionId, rollout_path: fork.path } } : event;
    expect(log.events).toEqual(earlier.map(asFork));
    expect(log.events.filter((event) => event.event.type === 'session_configured')).toHaveLength(2);
    expect(log.events.filter((event) => event.event.type === 'task_snapshot').map((event) => event.turn)).toEqual([1, 1]);
    expect(log.turns).toBe(2);
    expect(log.ended).toEqual({ reason: 'shutdown' });
    expect(log.resumedCount).toBe(0);

    expect(fork.prompt).toMatchObject({ number: 3, text: 'draw it\nas a picture', task: 3, images: ['sketch.png'] });
    expect(fork.prompt.imageInputs).toEqual([{ type: 'image', image_url: PIXEL, name: 'sketch.png' }]);
    expect(fork.snapshot).toEqual({ snapshotId: 'snap3-before', root: '/work/project' });
    expect(fork.problems).toEqual([]);
  });

  it('is listed as a fork of its source, and a resume of it counts tasks on from the ones it copied', async () => {
    const home = tempHome();
    const source = await fourPrompts(home);
    const fork = await forkSession({ home, path: source.path, prompt: 2, keelVersion: '0.1.0', source: 'exec' });
    expect(summarizeSession(fork.path)).toMatchObject({ id: fork.sessionId, firstPrompt: 'list the files', turns: 1, status: 'completed', forkedFrom: { sessionId: source.id, prompt: 2 } });
    expect(summarizeSession(source.path)).toMatchObject({ forkedFrom: null });
    expect(fork.snapshot).toBeNull();

    const resumed = await SessionLogWriter.openExisting({ path: fork.path, keelVersion: '0.1.0' });
    expect(resumed.turns).toBe(1);
    await resumed.close();
  });

  it('at prompt 1: the history is what came before the first prompt, and no task is copied', async () => {
    const home = tempHome();
    const source = await fourPrompts(home);
    const fork = await forkSession({ home, path: source.path, prompt: 1, keelVersion: '0.1.0', source: 'tui' });
    const log = await readSessionLog(fork.path);
    expect(texts(log.items)).toEqual(texts([environment]));
    expect(log.events.map((event) => event.event.type)).toEqual(['session_configured']);
    expect(log.turns).toBe(0);
    expect(fork.snapshot).toEqual({ snapshotId: 'snap1-before', root: '/work/project' });
  });

  it('replays a compaction before the cut as the reader does: the history is its replacement and what follows', async () => {
    const home = tempHome();
    const meta = newMeta();
    const writer = await SessionLogWriter.create({ home, meta });
    recordTask(writer, { prompt: 'first', answer: 'one' });
    recordTask(writer, { prompt: 'second', answer: 'two' });
    writer.recordCompaction({ history: [userMessage('summary of first and second')], reason: 'manual', tokensBefore: 900, tokensAfter: 50, number: 1 });
    recordTask(writer, { prompt: 'third', answer: 'three' });
    recordTask(writer, { prompt: 'fourth', answer: 'four' });
    await writer.close();

    const after = await forkSession({ home, path: writer.path, prompt: 4, keelVersion: '0.1.0', source: 'tui' });
    const resumable = await readSessionLog(after.path, { from: 'last_compaction' });
    expect(texts(resumable.items)).toEqual(['user: summary of first and second', 'user: third', 'assistant: three']);
    expect(resumable.eventsFrom).toBe('last_compaction');
    expect(resumable.turns).toBe(3);

    const before = await forkSession({ home, path: writer.path, prompt: 2, keelVersion: '0.1.0', source: 'tui' });
    const whole = await readSessionLog(before.path, { from: 'last_compaction' });
    expect(whole.compaction).toBeNull();
    expect(texts(whole.items)).toEqual([texts([environment])[0], 'user: first', 'assistant: one']);
  });

  it('at a prompt queued into a running task: that task is copied up to the prompt and closed as interrupted', async () => {
    const home = tempHome();
    const writer = await SessionLogWriter.create({ home, meta: newMeta() });
    recordTask(writer, { prompt: 'build it', answer: 'Built, and tested.', call: 'call_b', snapshot: 'snapB', queued: ['and run the tests'] });
    await writer.close();
    expect((await listPrompts(writer.path)).map(({ task, queued }) => ({ task, queued }))).toEqual([
      { task: 1, queued: false },
      { task: 1, queued: true },
    ]);

    const fork = await forkSession({ home, path: writer.path, prompt: 2, keelVersion: '0.1.0', source: 'tui' });
    const log = await readSessionLog(fork.path);
    expect(texts(log.items)).toEqual([texts([environment])[0], 'user: build it', 'function_call', 'function_call_output']);
    expect(log.events.map((event) => event.event.type)).toEqual(['task_started', 'user_message', 'task_snapshot', 'exec_command_begin', 'exec_command_end', 'turn_aborted']);
    expect(log.turns).toBe(1);
    // Files as they were when the prompt came are in no snapshot: the one before the task would undo work the history keeps.
    expect(fork.snapshot).toBeNull();
  });

  it('answers a call the cut leaves without an output, and reports the damaged line that lost it', async () => {
    const home = tempHome();
    const writer = await SessionLogWriter.create({ home, meta: newMeta() });
    recordTask(writer, { prompt: 'look', answer: 'Looked.', call: 'call_lost' });
    recordTask(writer, { prompt: 'again', answer: 'Again.' });
    await writer.close();
    const lines = readFileSync(writer.path, 'utf8').split('\n');
    const output = lines.findIndex((line) => line.includes('"function_call_output"'));
    lines[output] = '{"ts": damaged';
    writeFileSync(writer.path, lines.join('\n'));

    const fork = await forkSession({ home, path: writer.path, prompt: 2, keelVersion: '0.1.0', source: 'tui' });
    expect(fork.problems).toEqual([{ line: output + 1, message: expect.stringContaining('not valid JSON') }]);
    const log = await readSessionLog(fork.path);
    expect(log.problems).toEqual([]);
    expect(log.items.at(-1)).toEqual({ type: 'function_call_output', call_id: 'call_lost', output: 'aborted' });
  });

  it('refuses a prompt the session does not have, writing nothing', async () => {
    const home = tempHome();
    const source = await fourPrompts(home);
    for (const prompt of [0, 5, 1.5]) {
      await expect(forkSession({ home, path: source.path, prompt, keelVersion: '0.1.0', source: 'tui' })).rejects.toMatchObject({
        kind: 'no_such_prompt',
        detail: { count: 4 },
        message: expect.stringContaining('choose 1 to 4'),
      });
    }
    expect(sessionLogs(home)).toEqual([source.path]);
    expect(readdirSync(dirname(source.path))).toHaveLength(1);
  });
});
