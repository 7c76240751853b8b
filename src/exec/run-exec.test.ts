import { describe, expect, it } from 'vitest';
import type { Agent, OutputSchema } from '../core/agent.ts';
import type { EventMsg, Op } from '../protocol/index.ts';
import { EventStream } from '../util/event-stream.ts';
import type { StopSignal } from '../util/exit-codes.ts';
import type { AnswerSchema } from './output-schema.ts';
import { runExec, type ExecOptions } from './run-exec.ts';
import { createStyle } from './style.ts';

/** An engine double: a user turn plays `task`, shutdown ends the stream; every op and format asked is kept. */
function fakeAgent(task: EventMsg[]) {
  const events = new EventStream<{ id: string; seq: number; msg: EventMsg }>();
  const ops: Op[] = [];
  const formats: Array<OutputSchema | null> = [];
  let seq = 0;
  const emit = (msg: EventMsg): void => events.push({ id: '1', seq: seq++, msg });
  const agent: Agent = {
    sessionId: 'session-abcdef12',
    submit(op) {
      ops.push(op);
      if (op.type === 'user_turn') for (const msg of task) emit(msg);
      if (op.type === 'shutdown') {
        emit({ type: 'shutdown_complete' });
        events.end();
      }
      return String(ops.length);
    },
    events,
    setOutputSchema: (schema) => formats.push(schema),
  };
  return { agent, ops, formats };
}

function io() {
  const out = { stdout: '', stderr: '' };
  const signals = new Map<StopSignal, () => void>();
  return {
    out,
    signals,
    io: {
      stdout: (text: string) => (out.stdout += text),
      stderr: (text: string) => (out.stderr += text),
      writeFile: async () => {},
      onSignal: (signal: StopSignal, handler: () => void) => {
        signals.set(signal, handler);
        return () => signals.delete(signal);
      },
      exitNow: (code: number): never => {
        throw new Error(`exit ${code}`);
      },
    },
  };
}

const base = (agent: Agent, sink: ReturnType<typeof io>, extra: Partial<ExecOptions> = {}): ExecOptions => ({
  agent,
  prompt: 'go',
  json: false,
  outputLastMessage: null,
  version: '0.0.0',
  style: createStyle(false),
  io: sink.io,
  ...extra,
});

const REFUSED: EventMsg = { type: 'tool_call_blocked', call_id: 'c1', tool: 'shell', summary: 'rm -rf build', outcome: 'refused', reason: 'this run asks no questions' };

describe('runExec', () => {
  it('ends --json with exec_result right before shutdown_complete', async () => {
    const { agent } = fakeAgent([{ type: 'task_started', model_context_window: null }, REFUSED, { type: 'task_complete', last_agent_message: 'ok' }]);
    const sink = io();
    const code = await runExec(base(agent, sink, { json: true, failOnRefusal: true }));
    expect(code).toBe(4);
    const lines = sink.out.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.at(-2)).toEqual({
      type: 'exec_result',
      status: 'completed',
      exit_code: 4,
      session_id: 'session-abcdef12',
      usage: { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0 },
      tool_calls: { completed: 0, failed: 0, refused: 1, denied: 0, aborted: 0 },
    });
    expect(lines.at(-1)).toMatchObject({ msg: { type: 'shutdown_complete' } });
    expect(sink.out.stderr).toBe('');
  });

  it('ends the human output with the verdict on stderr', async () => {
    const { agent } = fakeAgent([{ type: 'task_started', model_context_window: null }, { type: 'task_complete', last_agent_message: 'All done.' }]);
    const sink = io();
    expect(await runExec(base(agent, sink))).toBe(0);
    expect(sink.out.stdout).toBe('All done.\n');
    expect(sink.out.stderr.trimEnd().split('\n').at(-1)).toBe('keel exec: completed · exit 0 · session session-… · 0 tokens · no calls');
  });

  it('asks for the schema\'s format, prints a valid answer as compact JSON, and fails an invalid one', async () => {
    const format: OutputSchema = { name: 'keel_output', schema: { type: 'object' }, strict: true };
    const schema = (valid: boolean): AnswerSchema => ({
      path: 'answer.json',
      format,
      check: (answer) => (valid ? { type: 'valid', json: JSON.stringify(JSON.parse(answer!)) } : { type: 'invalid', problem: 'answer/ok must be boolean' }),
    });
    const task: EventMsg[] = [{ type: 'task_started', model_context_window: null }, { type: 'agent_message', message: '{ "ok": 1 }' }, { type: 'task_complete', last_agent_message: '{ "ok": 1 }' }];

    const good = fakeAgent(task);
    const sink = io();
    expect(await runExec(base(good.agent, sink, { outputSchema: schema(true) }))).toBe(0);
    expect(good.formats).toEqual([format]);
    expect(good.ops.map((op) => op.type)).toEqual(['add_to_history', 'user_turn', 'shutdown']);
    expect(sink.out.stdout).toBe('{"ok":1}\n');

    const bad = fakeAgent(task);
    const badSink = io();
    expect(await runExec(base(bad.agent, badSink, { outputSchema: schema(false) }))).toBe(1);
    expect(badSink.out.stdout).toBe('');
    expect(badSink.out.stderr).toContain('{ "ok": 1 }\n');
    expect(badSink.out.stderr).toContain('keel: the final answer does not follow --output-schema answer.json: answer/ok must be boolean\n');
    expect(badSink.out.stderr).toContain('keel exec: failed · exit 1');
  });
});
