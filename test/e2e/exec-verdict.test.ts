/**
 * `keel exec`'s verdict, the real binary against the scripted model server: the `exec_result` line before
 * `shutdown_complete` (--json) and the last stderr line (people) for a task that completed, failed, was interrupted
 * or met an exhausted quota; --fail-on-refusal; and --output-schema, sent as the response format and enforced on the
 * final answer.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExecResult } from '../../src/exec/exec-result.ts';
import { Event } from '../../src/protocol/index.ts';
import { functionCall, httpError, respond, text } from '../../src/scripted/script-builders.ts';
import { liveProcessesMatching } from '../support/processes.ts';
import { runKeel, startKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const modelEnv = (url: string) => ({ OPENAI_BASE_URL: url, OPENAI_API_KEY: 'test-key', SHLVL: '1' });

/** The header, the events, and exec's verdict, which must be the line right before `shutdown_complete`. */
function jsonRun(stdout: string): { sessionId: string; events: Event[]; result: ExecResult } {
  const lines = stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines[0]).toMatchObject({ type: 'header', format_version: 2 });
  expect(lines.filter((line) => line.type === 'exec_result')).toHaveLength(1);
  expect(lines.at(-2)!.type).toBe('exec_result');
  const events = [...lines.slice(1, -2), lines.at(-1)].map((line) => Event.parse(line));
  expect(events.at(-1)!.msg.type).toBe('shutdown_complete');
  return { sessionId: lines[0]!.session_id as string, events, result: ExecResult.parse(lines.at(-2)) };
}

const lastLine = (stderr: string): string => stderr.trimEnd().split('\n').at(-1)!;
const NO_CALLS = { completed: 0, failed: 0, refused: 0, denied: 0, aborted: 0 };

function quotaBody(extra: Record<string, unknown> = {}) {
  return { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota', ...extra } };
}

describe('keel exec verdict', () => {
  it('completed: the session, the run\'s tokens and its calls, in exec_result and on the last stderr line', async () => {
    const script = () => [
      respond(functionCall('shell', { command: ['bash', '-c', 'echo one'] }, 'call_ok'), { usage: { input_tokens: 1000, output_tokens: 50 } }),
      respond(functionCall('shell', { command: ['bash', '-c', 'exit 3'] }, 'call_bad'), { usage: { input_tokens: 1100, output_tokens: 40 } }),
      respond(text('Done.'), { usage: { input_tokens: 1200, output_tokens: 10 } }),
    ];
    const server = await useScriptedServer(script());
    const json = await runKeel(['exec', '--json', 'go'], { env: modelEnv(server.url) });
    expect(json.code, json.stderr).toBe(0);
    const { sessionId, result } = jsonRun(json.stdout);
    expect(result).toEqual({
      type: 'exec_result',
      status: 'completed',
      exit_code: 0,
      session_id: sessionId,
      usage: { input_tokens: 3300, cached_input_tokens: 0, output_tokens: 100, reasoning_output_tokens: 0, total_tokens: 3400 },
      tool_calls: { ...NO_CALLS, completed: 1, failed: 1 },
    });

    const people = await useScriptedServer(script());
    const human = await runKeel(['exec', 'go'], { env: modelEnv(people.url) });
    expect(human.code).toBe(0);
    expect(human.stdout).toBe('Done.\n');
    expect(lastLine(human.stderr)).toMatch(/^keel exec: completed · exit 0 · session [0-9a-f]{8}… · 3.4k tokens · calls: 1 ok, 1 failed$/);
  });

  it('failed: a request the server refuses ends the run with exit 1 and status failed', async () => {
    const server = await useScriptedServer([httpError(400, { message: 'Unsupported parameter: frobnicate.' })]);
    const json = await runKeel(['exec', '--json', 'go'], { env: modelEnv(server.url) });
    expect(json.code).toBe(1);
    expect(jsonRun(json.stdout).result).toMatchObject({ status: 'failed', exit_code: 1, tool_calls: NO_CALLS });
    expect(jsonRun(json.stdout).result).not.toHaveProperty('resets_at');

    const people = await useScriptedServer([httpError(500), httpError(500)]);
    const human = await runKeel(['exec', '--stream-max-retries', '1', 'go'], { env: modelEnv(people.url) });
    expect(human.code).toBe(1);
    expect(lastLine(human.stderr)).toMatch(/^keel exec: failed · exit 1 · session .* · 0 tokens · no calls$/);
  });

  it('interrupted: SIGTERM during a slow command stops it and leaves exit 143, status interrupted', async () => {
    const marker = `sleep 31.${process.pid % 100_000}7`;
    const server = await useScriptedServer([respond(functionCall('shell', { command: ['bash', '-c', marker] }, 'call_slow'))]);
    const run = startKeel(['exec', '--json', 'wait'], { env: modelEnv(server.url) });
    await run.waitForLine((line) => line.includes('"exec_command_begin"'));
    run.child.kill('SIGTERM');
    const { code } = await run.exited;
    expect(code).toBe(143);
    expect(liveProcessesMatching(marker)).toEqual([]);
    expect(jsonRun(run.stdout).result).toMatchObject({ status: 'interrupted', exit_code: 143, tool_calls: { ...NO_CALLS, aborted: 1 } });
  });

  it('quota: exit 3, with when it resets when the server said so', async () => {
    // 1767225600 is 2026-01-01T00:00:00Z.
    const server = await useScriptedServer([httpError(429, { body: quotaBody({ resets_at: 1_767_225_600 }) })]);
    const json = await runKeel(['exec', '--json', 'go'], { env: modelEnv(server.url) });
    expect(json.code).toBe(3);
    expect(jsonRun(json.stdout).result).toMatchObject({ status: 'failed', exit_code: 3, resets_at: '2026-01-01T00:00:00Z' });
    expect(server.requests).toHaveLength(1);

    const people = await useScriptedServer([httpError(429, { body: quotaBody() })]);
    const human = await runKeel(['exec', 'go'], { env: modelEnv(people.url) });
    expect(human.code).toBe(3);
    expect(human.stderr).toContain('You exceeded your current quota');
    expect(lastLine(human.stderr)).toMatch(/^keel exec: failed · exit 3 · .* · quota exhausted \(no reset time given\)$/);

    const headers = await useScriptedServer([httpError(429, { body: quotaBody(), headers: { 'retry-after': '3600' } })]);
    const said = await runKeel(['exec', 'go'], { env: modelEnv(headers.url) });
    expect(said.code).toBe(3);
    expect(said.stderr).toMatch(/error: HTTP 429: .*\(the quota resets at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)/);
  });

  it('--fail-on-refusal: a refused call turns a finished task into exit 4', async () => {
    // The default sandbox is read-only and exec asks nothing: an edit is refused, the same way on every machine.
    const script = () => [
      respond(functionCall('apply_patch', { input: '*** Begin Patch\n*** Add File: notes.txt\n+hello\n*** End Patch' }, 'call_edit')),
      respond(text('I could not write the file.')),
    ];
    const plain = await useScriptedServer(script());
    expect((await runKeel(['exec', 'write notes'], { env: modelEnv(plain.url) })).code).toBe(0);

    const server = await useScriptedServer(script());
    const json = await runKeel(['exec', '--json', '--fail-on-refusal', 'write notes'], { env: modelEnv(server.url) });
    expect(json.code).toBe(4);
    const { events, result } = jsonRun(json.stdout);
    expect(events.map((event) => event.msg)).toContainEqual(expect.objectContaining({ type: 'tool_call_blocked', call_id: 'call_edit', outcome: 'refused' }));
    expect(result).toMatchObject({ status: 'completed', exit_code: 4, tool_calls: { ...NO_CALLS, refused: 1 } });

    const people = await useScriptedServer(script());
    const human = await runKeel(['exec', '--fail-on-refusal', 'write notes'], { env: modelEnv(people.url) });
    expect(human.code).toBe(4);
    expect(lastLine(human.stderr)).toMatch(/^keel exec: completed · exit 4 \(--fail-on-refusal\) · .* · calls: 1 refused$/);
  });
});

describe('keel exec --output-schema', () => {
  const SCHEMA = {
    type: 'object',
    properties: { verdict: { type: 'string', enum: ['pass', 'fail'] }, reason: { type: 'string' } },
    required: ['verdict', 'reason'],
    additionalProperties: false,
  };
  const schemaFile = (content: string): string => {
    const path = join(mkdtempSync(join(tmpdir(), 'keel-schema-')), 'verdict.schema.json');
    writeFileSync(path, content);
    return path;
  };

  it('sends the schema as the response format and prints the answer as one line of JSON', async () => {
    const path = schemaFile(JSON.stringify(SCHEMA));
    const server = await useScriptedServer([respond(text('{\n  "verdict": "pass",\n  "reason": "all green"\n}'))]);
    const result = await runKeel(['exec', '--output-schema', path, 'judge'], { env: modelEnv(server.url) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('{"verdict":"pass","reason":"all green"}\n');
    expect(server.requests[0]!.body.text).toMatchObject({ format: { type: 'json_schema', name: 'keel_output', schema: SCHEMA, strict: true } });
  });

  it('fails an answer that does not follow the schema: exit 1, what is wrong on stderr, nothing on stdout', async () => {
    const path = schemaFile(JSON.stringify(SCHEMA));
    const server = await useScriptedServer([respond(text('{"verdict": "maybe"}'))]);
    const human = await runKeel(['exec', '--output-schema', path, 'judge'], { env: modelEnv(server.url) });
    expect(human.code).toBe(1);
    expect(human.stdout).toBe('');
    expect(human.stderr).toContain(`keel: the final answer does not follow --output-schema ${path}: `);
    expect(human.stderr).toContain("answer must have required property 'reason'");
    expect(human.stderr).toContain('answer/verdict must be equal to one of the allowed values');
    expect(lastLine(human.stderr)).toMatch(/^keel exec: failed · exit 1 · /);

    const prose = await useScriptedServer([respond(text('It passes.'))]);
    const json = await runKeel(['exec', '--json', '--output-schema', path, 'judge'], { env: modelEnv(prose.url) });
    expect(json.code).toBe(1);
    expect(json.stderr).toContain('the answer is not JSON');
    expect(jsonRun(json.stdout).result).toMatchObject({ status: 'failed', exit_code: 1 });
  });

  it('refuses a missing, non-JSON or non-object schema with exit 2, before anything is sent or recorded', async () => {
    const server = await useScriptedServer([]);
    const home = mkdtempSync(join(tmpdir(), 'keel-home-'));
    const env = { ...modelEnv(server.url), KEEL_HOME: home };
    const missing = await runKeel(['exec', '--output-schema', '/nonexistent/schema.json', 'judge'], { env });
    expect(missing).toMatchObject({ code: 2, stderr: 'keel: --output-schema /nonexistent/schema.json: no such file (check the path)\n' });
    const notJson = await runKeel(['exec', '--output-schema', schemaFile('{"type": "object",'), 'judge'], { env });
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('is not JSON');
    const notObject = await runKeel(['exec', '--output-schema', schemaFile('["verdict"]'), 'judge'], { env });
    expect(notObject.code).toBe(2);
    expect(notObject.stderr).toContain('must hold a JSON Schema object');
    expect(server.requests).toEqual([]);
    expect(existsSync(join(home, 'sessions'))).toBe(false);
  });
});
