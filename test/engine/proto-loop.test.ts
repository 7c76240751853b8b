/**
 * runProto with the real engine and tools against the scripted model, its standard I/O faked: what ends a session
 * and how, what may follow the end, and that nothing comes before session_configured.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAgent, type Agent } from '../../src/core/agent.ts';
import { BASE_INSTRUCTIONS } from '../../src/core/base-instructions.ts';
import { createModelClient } from '../../src/model/create-model-client.ts';
import type { Event, Submission } from '../../src/protocol/index.ts';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { createShellTool } from '../../src/tools/shell/shell-tool.ts';
import { EventStream } from '../../src/util/event-stream.ts';
import type { StopSignal } from '../../src/util/exit-codes.ts';
import { checkEventInvariants } from '../support/event-invariants.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { runProto } from '../../src/proto/run-proto.ts';

function engine(baseUrl: string): Agent {
  return createAgent({
    providerId: 'scripted',
    context: { model: 'test-model', cwd: mkdtempSync(join(tmpdir(), 'keel-proto-')), approvalPolicy: 'never', sandboxPolicy: { type: 'danger-full-access' } },
    client: createModelClient({ wireApi: 'responses', baseUrl, apiKey: 'test-key', idleTimeoutMs: 10_000 }),
    tools: [createShellTool({})],
    instructions: BASE_INSTRUCTIONS,
    stateful: false,
    maxRetries: 0,
  });
}

/** A fake standard I/O: lines are sent with `send`, events read back as they are written. */
function fakeIo() {
  const input = new EventStream<string>();
  const events: Event[] = [];
  const stderr: string[] = [];
  const signals = new Map<StopSignal, () => void>();
  const waiters: Array<() => void> = [];
  let closeOutput = (): void => {};
  const io = {
    lines: input,
    stdout: (line: string) => {
      events.push(JSON.parse(line) as Event);
      for (const wake of waiters.splice(0)) wake();
    },
    stderr: (line: string) => {
      stderr.push(line);
      for (const wake of waiters.splice(0)) wake();
    },
    onSignal: (signal: StopSignal, handler: () => void) => {
      signals.set(signal, handler);
      return () => void signals.delete(signal);
    },
    onOutputClosed: (handler: () => void) => void (closeOutput = handler),
    exitNow: (code: number): never => {
      throw new Error(`exitNow(${code})`);
    },
  };
  const waitFor = async (type: string): Promise<Event> => {
    for (;;) {
      const found = events.find((event) => event.msg.type === type);
      if (found) return found;
      await new Promise<void>((wake) => waiters.push(wake));
    }
  };
  const waitForStderr = async (pattern: RegExp): Promise<void> => {
    while (!pattern.test(stderr.join(''))) await new Promise<void>((wake) => waiters.push(wake));
  };
  const send = (submission: Submission | string) => input.push(typeof submission === 'string' ? submission : JSON.stringify(submission));
  return { io, events, stderr, signals, send, end: () => input.end(), waitFor, waitForStderr, closeOutput: () => closeOutput() };
}

const turn = (id: string, prompt: string): Submission => ({ id, op: { type: 'user_turn', items: [{ type: 'text', text: prompt }] } });

describe('runProto', () => {
  it('writes session_configured first even when a bad line is already waiting, then numbers the error after it', async () => {
    const server = await useScriptedServer([]);
    const fake = fakeIo();
    fake.send('garbage');
    fake.end();
    const code = await runProto({ agent: engine(server.url), io: fake.io });
    expect(code).toBe(0);
    expect(fake.events.map((event) => [event.seq, event.msg.type])).toEqual([
      [0, 'session_configured'],
      [1, 'error'],
      [2, 'shutdown_complete'],
    ]);
    expect(fake.events[1]).toMatchObject({ id: 'proto', msg: { message: expect.stringMatching(/^line 1: not JSON/), kind: null } });
    // The end of input sent the shutdown: its events carry the protocol's own id.
    expect(fake.events[2]!.id).toBe('proto');
  });

  it('answers a client shutdown under the client\'s id and ignores what comes after it, on stderr only', async () => {
    const server = await useScriptedServer([respond(text('hello'))]);
    const fake = fakeIo();
    const running = runProto({ agent: engine(server.url), io: fake.io });
    fake.send(turn('t-1', 'hi'));
    await fake.waitFor('task_complete');
    fake.send({ id: 'bye', op: { type: 'shutdown' } });
    fake.send(turn('late', 'too late'));
    fake.send('not json either');
    // Input stays open: the shutdown op alone ends the session.
    expect(await running).toBe(0);
    const last = fake.events.at(-1)!;
    expect(last).toMatchObject({ id: 'bye', msg: { type: 'shutdown_complete' } });
    expect(fake.events.find((event) => event.msg.type === 'task_complete')!.id).toBe('t-1');
    await fake.waitForStderr(/line 4 ignored: the session is shutting down/);
    expect(fake.stderr.join('')).toContain('line 3 ignored');
    expect(fake.events.at(-1)).toBe(last);
    expect(checkEventInvariants(fake.events)).toEqual([]);
  });

  it('on SIGTERM during a command interrupts the task, shuts down and returns 143; a second signal leaves at once', async () => {
    const server = await useScriptedServer([respond(functionCall('shell', { command: ['bash', '-c', 'sleep 30.77'] }, 'call_sleep'))]);
    const fake = fakeIo();
    const running = runProto({ agent: engine(server.url), io: fake.io });
    fake.send(turn('t-1', 'wait'));
    await fake.waitFor('exec_command_begin');
    const sigterm = fake.signals.get('SIGTERM')!;
    sigterm();
    expect(() => sigterm()).toThrow('exitNow(143)');
    expect(await running).toBe(143);
    const types = fake.events.map((event) => event.msg.type);
    expect(types.slice(-2)).toEqual(['turn_aborted', 'shutdown_complete']);
    expect(types.indexOf('exec_command_end')).toBeLessThan(types.indexOf('turn_aborted'));
    expect(checkEventInvariants(fake.events)).toEqual([]);
    expect(fake.stderr.join('')).toContain('SIGTERM');
  });

  it('shuts down when nobody reads its output any more', async () => {
    const server = await useScriptedServer([]);
    const fake = fakeIo();
    const running = runProto({ agent: engine(server.url), io: fake.io });
    await fake.waitFor('session_configured');
    fake.closeOutput();
    expect(await running).toBe(0);
    expect(fake.events.at(-1)!.msg.type).toBe('shutdown_complete');
  });
});
