/**
 * `keel proto` as a child process, driven line by line the way an embedding program drives it, against the strict
 * scripted model: approvals answered with ops, an interrupt, malformed lines, shutdown by op, by end of input and by
 * SIGTERM, and a resume. Every line of stdout must be an event of schema/event.schema.json, and the stream must keep
 * the invariants of src/protocol/events.ts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Event, Submission } from '../../src/protocol/index.ts';
import { functionCallOutput, outputText, userMessageTexts, messageTexts, callIndex, outputIndex } from '../../src/scripted/index.ts';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { checkEventInvariants } from '../support/event-invariants.ts';
import { liveProcessesMatching } from '../support/processes.ts';
import { KEEL_BIN, keelEnv, REPO_ROOT } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const eventSchema = JSON.parse(readFileSync(join(REPO_ROOT, 'schema/event.schema.json'), 'utf8'));
const validateEvent = new AjvJsonSchemaValidator().getValidator(eventSchema);

interface ProtoRun {
  events: Event[];
  /** stdout lines that are not JSON: must stay empty. */
  notJson: string[];
  /** Writes one line: a submission, or raw text (for malformed lines). */
  send(line: Submission | string): void;
  /** Closes keel's standard input. */
  end(): void;
  /** The first event at index `from` or later that matches, seen already or to come. */
  waitFor(predicate: (event: Event) => boolean, from?: number): Promise<Event>;
  exited: Promise<number | null>;
  stderr(): string;
  pid: number;
}

function startProto(args: string[], place: { home: string; cwd: string; url: string }): ProtoRun {
  const child = spawn(process.execPath, [KEEL_BIN, 'proto', ...args], {
    cwd: place.cwd,
    env: keelEnv({ KEEL_HOME: place.home, OPENAI_BASE_URL: place.url, OPENAI_API_KEY: 'test-key' }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // However the test ends, no keel is left behind.
  onTestFinished(() => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')));
  const events: Event[] = [];
  const notJson: string[] = [];
  let stderr = '';
  let partial = '';
  let waiters: Array<() => void> = [];
  let closed = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk;
    let newline: number;
    while ((newline = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, newline);
      partial = partial.slice(newline + 1);
      try {
        events.push(JSON.parse(line) as Event);
      } catch {
        notJson.push(line);
      }
    }
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      closed = true;
      for (const wake of waiters.splice(0)) wake();
      resolve(code);
    }),
  );
  return {
    events,
    notJson,
    send: (line) => void child.stdin.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`),
    end: () => void child.stdin.end(),
    async waitFor(predicate, from = 0) {
      for (;;) {
        const found = events.slice(from).find(predicate);
        if (found) return found;
        if (closed) throw new Error(`keel proto exited before the awaited event; stderr:\n${stderr}`);
        await new Promise<void>((wake) => (waiters = [...waiters, wake]));
      }
    },
    exited,
    stderr: () => stderr,
    pid: child.pid!,
  };
}

const is = (type: string, callId?: string) => (event: Event) => event.msg.type === type && (callId === undefined || (event.msg as { call_id?: string }).call_id === callId);
const turn = (id: string, prompt: string): Submission => ({ id, op: { type: 'user_turn', items: [{ type: 'text', text: prompt }] } });

/** The checks every run must pass: only JSON on stdout, the schema, seq, the invariants, and a clean end. */
function expectSoundStream(run: ProtoRun): void {
  const { events } = run;
  expect(run.notJson).toEqual([]);
  for (const event of events) expect(validateEvent(event).errorMessage, JSON.stringify(event)).toBeUndefined();
  expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index));
  expect(checkEventInvariants(events)).toEqual([]);
  expect(events.at(-1)!.msg.type).toBe('shutdown_complete');
}

function place(url: string) {
  return { home: mkdtempSync(join(tmpdir(), 'keel-home-')), cwd: mkdtempSync(join(tmpdir(), 'keel-work-')), url };
}

describe('keel proto', () => {
  it('runs a session of ops: an approval answered by op, an interrupted command, shutdown; --resume goes on with it', async () => {
    const slow = 'sleep 30.913';
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: ['bash', '-c', 'touch approved.txt && echo made-it'] }, 'call_touch')),
      respond(text('Made the file.')),
      respond(text('Starting the slow job.'), functionCall('shell', { command: ['bash', '-c', slow] }, 'call_slow')),
    ]);
    const where = place(server.url);
    const keel = startProto(['-a', 'untrusted', '--dangerously-bypass-sandbox'], where);
    const configured = await keel.waitFor(is('session_configured'));
    expect(configured).toMatchObject({ seq: 0, msg: { approval_policy: 'untrusted', cwd: where.cwd } });

    keel.send(turn('turn-1', 'make the file'));
    const asked = await keel.waitFor(is('exec_approval_request', 'call_touch'));
    expect(asked.id).toBe('turn-1');
    // Nothing runs before the client's answer.
    expect(existsSync(join(where.cwd, 'approved.txt'))).toBe(false);
    keel.send({ id: 'answer-1', op: { type: 'exec_approval', id: 'call_touch', decision: 'approved' } });
    const done = await keel.waitFor(is('task_complete'));
    expect(done).toMatchObject({ id: 'turn-1', msg: { last_agent_message: 'Made the file.' } });
    expect(existsSync(join(where.cwd, 'approved.txt'))).toBe(true);
    const [, second] = await server.waitForRequests(2);
    expect(outputText(functionCallOutput(second!, 'call_touch'))).toContain('made-it');

    const from = keel.events.length;
    keel.send(turn('turn-2', 'run the slow job'));
    await keel.waitFor(is('exec_approval_request', 'call_slow'), from);
    keel.send({ id: 'answer-2', op: { type: 'exec_approval', id: 'call_slow', decision: 'approved' } });
    await keel.waitFor(is('exec_command_begin', 'call_slow'), from);
    keel.send({ id: 'stop-2', op: { type: 'interrupt' } });
    const aborted = await keel.waitFor(is('turn_aborted'), from);
    expect(aborted.msg).toMatchObject({ reason: 'interrupted' });
    const ended = await keel.waitFor(is('exec_command_end', 'call_slow'), from);
    expect(ended.seq).toBeLessThan(aborted.seq);
    expect(ended.msg).toMatchObject({ status: 'aborted' });

    keel.send({ id: 'bye', op: { type: 'shutdown' } });
    expect(await keel.exited).toBe(0);
    expect(keel.events.at(-1)).toMatchObject({ id: 'bye', msg: { type: 'shutdown_complete' } });
    expectSoundStream(keel);
    expect(liveProcessesMatching(slow)).toEqual([]);

    // The recorded session goes on: the next request holds everything before, the interrupted call answered.
    const sessionId = (configured.msg as { session_id: string }).session_id;
    const next = await useScriptedServer([respond(text('Yes, the file is there.'))]);
    const resumed = startProto(['--resume', sessionId, '-a', 'untrusted', '--dangerously-bypass-sandbox'], { ...where, url: next.url });
    const again = await resumed.waitFor(is('session_configured'));
    expect(again).toMatchObject({ seq: 0, msg: { session_id: sessionId } });
    resumed.send(turn('turn-3', 'is the file there?'));
    await resumed.waitFor(is('task_complete'));
    resumed.end();
    expect(await resumed.exited).toBe(0);
    expectSoundStream(resumed);
    const [request] = await next.waitForRequests(1);
    expect(userMessageTexts(request!)).toEqual(expect.arrayContaining(['make the file', 'run the slow job', 'is the file there?']));
    expect(messageTexts(request!, 'assistant')).toEqual(expect.arrayContaining(['Made the file.', 'Starting the slow job.']));
    expect(outputIndex(request!, 'call_touch')).toBe(callIndex(request!, 'call_touch') + 1);
    expect(outputIndex(request!, 'call_slow')).toBe(callIndex(request!, 'call_slow') + 1);
  });

  it('answers each malformed line with an error event naming it and goes on; --last resumes the session', async () => {
    const server = await useScriptedServer([respond(text('Still here.'))]);
    const where = place(server.url);
    const keel = startProto([], where);
    await keel.waitFor(is('session_configured'));
    keel.send('this is not json');
    keel.send({ id: 'odd-1', op: { type: 'make_coffee' } } as unknown as Submission);
    keel.send(JSON.stringify({ op: { type: 'interrupt' } }));
    const errors = [];
    for (const line of [1, 2, 3]) errors.push(await keel.waitFor((event) => is('error')(event) && String((event.msg as { message: string }).message).startsWith(`line ${line}:`)));
    expect(errors.map((event) => event.id)).toEqual(['proto', 'odd-1', 'proto']);
    expect(errors.map((event) => (event.msg as { kind: unknown }).kind)).toEqual([null, null, null]);
    expect((errors[0]!.msg as { message: string }).message).toContain('not JSON');
    expect((errors[1]!.msg as { message: string }).message).toContain('"make_coffee"');
    expect((errors[2]!.msg as { message: string }).message).toContain('id:');

    keel.send(turn('real-1', 'are you still there?'));
    expect(await keel.waitFor(is('task_complete'))).toMatchObject({ id: 'real-1', msg: { last_agent_message: 'Still here.' } });
    // The end of input is a shutdown.
    keel.end();
    expect(await keel.exited).toBe(0);
    expectSoundStream(keel);
    expect(server.requests).toHaveLength(1);

    const next = await useScriptedServer([respond(text('Yes.'))]);
    const resumed = startProto(['--last'], { ...where, url: next.url });
    const configured = await resumed.waitFor(is('session_configured'));
    expect((configured.msg as { session_id: string }).session_id).toBe((keel.events[0]!.msg as { session_id: string }).session_id);
    resumed.send(turn('real-2', 'and now?'));
    await resumed.waitFor(is('task_complete'));
    resumed.end();
    expect(await resumed.exited).toBe(0);
    const [request] = await next.waitForRequests(1);
    expect(userMessageTexts(request!)).toEqual(expect.arrayContaining(['are you still there?', 'and now?']));
    // Malformed lines never reach the conversation.
    expect(JSON.stringify(request!.body)).not.toContain('make_coffee');
  });

  it('on SIGTERM during a command shuts the session down, stops the command and exits 143', async () => {
    const slow = 'sleep 30.527';
    const server = await useScriptedServer([respond(functionCall('shell', { command: ['bash', '-c', slow] }, 'call_term'))]);
    const keel = startProto(['--dangerously-bypass-sandbox', '-a', 'never'], place(server.url));
    keel.send(turn('t', 'wait'));
    await keel.waitFor(is('exec_command_begin', 'call_term'));
    process.kill(keel.pid, 'SIGTERM');
    expect(await keel.exited).toBe(143);
    expectSoundStream(keel);
    const types = keel.events.map((event) => event.msg.type);
    expect(types.slice(-2)).toEqual(['turn_aborted', 'shutdown_complete']);
    expect(keel.stderr()).toContain('SIGTERM');
    expect(liveProcessesMatching(slow)).toEqual([]);
  });

  it('exits 2 on a bad option or a prompt argument, writing nothing to stdout', async () => {
    for (const args of [['--frobnicate'], ['do the thing'], ['--resume', 'abc', '--last']]) {
      const where = place('http://127.0.0.1:9/v1');
      const keel = startProto(args, where);
      expect(await keel.exited).toBe(2);
      expect(keel.events).toEqual([]);
      expect(keel.stderr()).toMatch(/^keel: /);
    }
  });
});
