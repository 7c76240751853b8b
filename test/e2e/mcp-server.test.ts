/**
 * `keel mcp-server` as another agent uses it: the built binary started by the MCP SDK's own client over stdio,
 * talking to the strict scripted model. Tools listed with their schemas; a task run and continued (in the same
 * server and, resumed from its log, in the next one); questions asked through elicitation and answered; a client
 * that cannot answer running under `never`; progress; a cancelled call; SIGTERM while a command runs.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema, type CallToolResult, type ElicitRequest, type ElicitResult, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { callIndex, functionCallOutput, messageTexts, outputIndex, outputText, userMessageTexts } from '../../src/scripted/index.ts';
import { functionCall, httpError, respond, text } from '../../src/scripted/script-builders.ts';
import { modelEnv } from '../support/keel-tui.ts';
import { liveProcessesMatching } from '../support/processes.ts';
import { KEEL_BIN, keelEnv, runKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { pidExists } from '../support/process-tree.ts';

interface Place {
  home: string;
  cwd: string;
}

interface Served {
  client: Client;
  stderr(): string;
  /** Resolves when the server process has gone. */
  closed: Promise<void>;
  pid: number;
}

type Answer = (request: ElicitRequest) => ElicitResult;

function place(): Place {
  return { home: mkdtempSync(join(tmpdir(), 'keel-home-')), cwd: mkdtempSync(join(tmpdir(), 'keel-work-')) };
}

/** Starts `keel mcp-server` with the SDK's client; `answer` given: the client declares elicitation and answers so. */
async function serve(where: Place, url: string, answer?: Answer): Promise<Served> {
  const env = Object.fromEntries(Object.entries(keelEnv(modelEnv(url, where.home))).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const transport = new StdioClientTransport({ command: process.execPath, args: [KEEL_BIN, 'mcp-server'], cwd: where.cwd, env, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'keel-test-client', version: '1.0.0' }, { capabilities: answer === undefined ? {} : { elicitation: {} } });
  if (answer !== undefined) client.setRequestHandler(ElicitRequestSchema, (request) => answer(request));
  const closed = new Promise<void>((resolve) => (client.onclose = resolve));
  // A line on stdout that is not an MCP message shows up here.
  const protocolErrors: string[] = [];
  client.onerror = (error) => void protocolErrors.push(error.message);
  await client.connect(transport);
  const pid = transport.pid!;
  // However the test ends, no keel is left behind.
  onTestFinished(async () => {
    await client.close();
    if (pidExists(pid)) process.kill(pid, 'SIGKILL');
    expect(protocolErrors).toEqual([]);
  });
  return { client, stderr: () => stderr, closed, pid };
}

interface Structured {
  session_id: string;
  final_message: string | null;
  status: string;
}

async function call(client: Client, name: string, args: Record<string, unknown>, options: { onprogress?: (progress: Progress) => void; signal?: AbortSignal } = {}) {
  const result = (await client.callTool({ name, arguments: args }, undefined, options)) as CallToolResult;
  return { result, structured: result.structuredContent as unknown as Structured, text: result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n') };
}

/** Every session log under `home`, by session id. */
function sessionLogs(home: string): Map<string, string> {
  const logs = new Map<string, string>();
  const root = join(home, 'sessions');
  if (!existsSync(root)) return logs;
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const match = /(?:^|\/)[\dT-]+-([0-9a-f-]{36})\.jsonl$/.exec(entry);
    if (match) logs.set(match[1]!, join(root, entry));
  }
  return logs;
}

function logRecords(path: string): Array<{ type: string; event?: { type: string; approval_policy?: string }; reason?: string }> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

/** A promise and the function that settles it, to wait on something a callback sees. */
function signalled<T>(): { promise: Promise<T>; fire(value: T): void } {
  let fire: (value: T) => void = () => {};
  const promise = new Promise<T>((resolve) => (fire = resolve));
  return { promise, fire };
}

const shell = (script: string, callId: string) => functionCall('shell', { command: ['bash', '-c', script] }, callId);
const UNSANDBOXED = { sandbox: 'danger-full-access' };

describe('keel mcp-server', () => {
  it('--help explains the tools and shows the config another agent needs; keel --help lists the command', async () => {
    const help = await runKeel(['mcp-server', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('keel-reply  {session_id, prompt}');
    expect(help.stdout).toContain('[mcp_servers.keel]\n  command = "keel"\n  args = ["mcp-server"]');
    expect((await runKeel(['--help'])).stdout).toContain('keel mcp-server [options]');
    const wrong = await runKeel(['mcp-server', 'fix it']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('mcp-server takes no prompt');
  });

  it('lists its two tools with their input and output schemas', async () => {
    const server = await useScriptedServer([]);
    const { client } = await serve(place(), server.url);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['keel', 'keel-reply']);
    const keel = tools.find((tool) => tool.name === 'keel')!;
    expect(keel.inputSchema.required).toEqual(['prompt']);
    expect(Object.keys(keel.inputSchema.properties ?? {}).sort()).toEqual(['approval_policy', 'cwd', 'model', 'prompt', 'sandbox']);
    expect(keel.inputSchema.properties!.sandbox).toMatchObject({ enum: ['read-only', 'workspace-write', 'danger-full-access'] });
    expect(keel.inputSchema.properties!.approval_policy).toMatchObject({ enum: ['untrusted', 'on-failure', 'on-request', 'never'] });
    const reply = tools.find((tool) => tool.name === 'keel-reply')!;
    expect([...(reply.inputSchema.required ?? [])].sort()).toEqual(['prompt', 'session_id']);
    for (const tool of [keel, reply]) expect(Object.keys(tool.outputSchema?.properties ?? {}).sort()).toEqual(['final_message', 'session_id', 'status']);
  });

  it('runs a task, reports progress, continues it with keel-reply, and resumes it from its log in the next server', async () => {
    const server = await useScriptedServer([
      respond(shell('echo hello-from-keel', 'call_echo')),
      respond(text('I printed the greeting.')),
      respond(text('It said hello-from-keel.')),
    ]);
    const where = place();
    const first = await serve(where, server.url);
    const progress: string[] = [];
    const ran = await call(first.client, 'keel', { prompt: 'print a greeting', ...UNSANDBOXED, approval_policy: 'never' }, { onprogress: (note) => void progress.push(note.message ?? '') });
    expect(ran.result.isError).toBeFalsy();
    expect(ran.structured).toMatchObject({ final_message: 'I printed the greeting.', status: 'completed' });
    expect(ran.text).toContain('I printed the greeting.');
    const sessionId = ran.structured.session_id;
    expect(ran.text).toContain(sessionId);
    expect(progress).toEqual(['running: echo hello-from-keel', expect.stringMatching(/^exit 0 after \d+s: echo hello-from-keel$/), 'I printed the greeting.']);
    const logs = sessionLogs(where.home);
    expect([...logs.keys()]).toEqual([sessionId]);
    const [, second] = await server.waitForRequests(2);
    expect(outputText(functionCallOutput(second!, 'call_echo'))).toContain('hello-from-keel');

    const replied = await call(first.client, 'keel-reply', { session_id: sessionId, prompt: 'what did it print?' });
    expect(replied.structured).toEqual({ session_id: sessionId, final_message: 'It said hello-from-keel.', status: 'completed' });
    const [, , third] = await server.waitForRequests(3);
    expect(userMessageTexts(third!)).toEqual(expect.arrayContaining(['print a greeting', 'what did it print?']));
    expect(messageTexts(third!, 'assistant')).toContain('I printed the greeting.');
    expect(outputIndex(third!, 'call_echo')).toBe(callIndex(third!, 'call_echo') + 1);

    // The end of input shuts the server down: the session's log is closed cleanly.
    await first.client.close();
    await first.closed;
    expect(first.stderr()).toContain('end of input');
    expect(logRecords(logs.get(sessionId)!).at(-1)).toMatchObject({ type: 'session_end', reason: 'shutdown' });

    const next = await useScriptedServer([respond(text('Still the same session.'))]);
    const again = await serve(where, next.url);
    const resumed = await call(again.client, 'keel-reply', { session_id: sessionId, prompt: 'are you there?' });
    expect(resumed.structured).toEqual({ session_id: sessionId, final_message: 'Still the same session.', status: 'completed' });
    const [request] = await next.waitForRequests(1);
    expect(userMessageTexts(request!)).toEqual(expect.arrayContaining(['print a greeting', 'what did it print?', 'are you there?']));
    expect([...sessionLogs(where.home).keys()]).toEqual([sessionId]);
  });

  it('answers a bad cwd, an unknown session id and a failed task with error results, and goes on serving', async () => {
    const server = await useScriptedServer([httpError(401, { message: 'Incorrect API key provided.' }), respond(text('Fine.'))]);
    const where = place();
    const { client } = await serve(where, server.url);
    const badCwd = await call(client, 'keel', { prompt: 'hi', cwd: 'no/such/dir' });
    expect(badCwd.result.isError).toBe(true);
    expect(badCwd.text).toContain(`${join(where.cwd, 'no/such/dir')} is not a directory`);
    const unknown = await call(client, 'keel-reply', { session_id: '00000000-0000-4000-8000-000000000000', prompt: 'hi' });
    expect(unknown.result.isError).toBe(true);
    expect(unknown.text).toContain('no session "00000000-0000-4000-8000-000000000000" to continue');
    const blank = await call(client, 'keel', { prompt: '   ' });
    expect(blank.result.isError).toBe(true);
    expect(blank.text).toContain('the prompt is empty');
    expect(sessionLogs(where.home).size).toBe(0);
    // A task that fails is an error result that still names its session, which goes on with the next call.
    const failed = await call(client, 'keel', { prompt: 'hi' });
    expect(failed.result.isError).toBe(true);
    expect(failed.structured).toMatchObject({ final_message: null, status: 'failed' });
    expect(failed.text).toContain('Incorrect API key provided.');
    const fine = await call(client, 'keel-reply', { session_id: failed.structured.session_id, prompt: 'hi again' });
    expect(fine.structured).toMatchObject({ final_message: 'Fine.', status: 'completed' });
  });

  it('asks a client with elicitation about each command under untrusted: "approved" runs it, "denied" tells the model', async () => {
    const server = await useScriptedServer([
      respond(shell('touch approved.txt', 'call_yes')),
      respond(shell('touch denied.txt', 'call_no')),
      respond(text('One ran, one was refused.')),
    ]);
    const where = place();
    const asked: ElicitRequest['params'][] = [];
    const { client } = await serve(where, server.url, (request) => {
      asked.push(request.params);
      const decision = 'message' in request.params && request.params.message.includes('touch approved.txt') ? 'approved' : 'denied';
      return { action: 'accept', content: { decision } };
    });
    const ran = await call(client, 'keel', { prompt: 'make two files', ...UNSANDBOXED, approval_policy: 'untrusted' });
    expect(ran.structured).toMatchObject({ final_message: 'One ran, one was refused.', status: 'completed' });
    expect(asked).toHaveLength(2);
    expect(asked[0]).toMatchObject({
      message: expect.stringContaining('touch approved.txt'),
      requestedSchema: { type: 'object', properties: { decision: { type: 'string', enum: ['approved', 'approved_for_session', 'denied', 'abort'] } }, required: ['decision'] },
    });
    expect(asked[1]).toMatchObject({ message: expect.stringContaining('touch denied.txt') });
    expect(existsSync(join(where.cwd, 'approved.txt'))).toBe(true);
    expect(existsSync(join(where.cwd, 'denied.txt'))).toBe(false);
    const [, , third] = await server.waitForRequests(3);
    expect(outputText(functionCallOutput(third!, 'call_no'))).toContain('rejected by user');
  });

  it('runs a client without elicitation under approval policy never, whatever the call asks for', async () => {
    const server = await useScriptedServer([respond(shell('touch ran.txt', 'call_touch')), respond(text('Made it.'))]);
    const where = place();
    const { client } = await serve(where, server.url);
    const ran = await call(client, 'keel', { prompt: 'make a file', ...UNSANDBOXED, approval_policy: 'untrusted' });
    expect(ran.structured).toMatchObject({ final_message: 'Made it.', status: 'completed' });
    expect(existsSync(join(where.cwd, 'ran.txt'))).toBe(true);
    const configured = logRecords(sessionLogs(where.home).get(ran.structured.session_id)!).find((record) => record.event?.type === 'session_configured');
    expect(configured?.event?.approval_policy).toBe('never');
  });

  it('interrupts the task of a cancelled call; the next keel-reply waits for it and finds every call answered', async () => {
    const slow = 'sleep 30.517';
    const server = await useScriptedServer([respond(shell(slow, 'call_slow')), respond(text('Stopped, as asked.'))]);
    const where = place();
    const { client } = await serve(where, server.url);
    const cancel = new AbortController();
    const started = signalled<void>();
    const cancelled = call(client, 'keel', { prompt: 'wait a while', ...UNSANDBOXED, approval_policy: 'never' }, {
      signal: cancel.signal,
      onprogress: (note) => void (note.message === `running: ${slow}` && started.fire()),
    });
    await started.promise;
    cancel.abort();
    await expect(cancelled).rejects.toThrow();
    // The result of a cancelled call never comes; its session is in the log.
    const [sessionId] = [...sessionLogs(where.home).keys()];
    const replied = await call(client, 'keel-reply', { session_id: sessionId!, prompt: 'did it stop?' });
    expect(replied.structured).toMatchObject({ final_message: 'Stopped, as asked.', status: 'completed' });
    expect(liveProcessesMatching(slow)).toEqual([]);
    const [, second] = await server.waitForRequests(2);
    expect(outputIndex(second!, 'call_slow')).toBe(callIndex(second!, 'call_slow') + 1);
    expect(outputText(functionCallOutput(second!, 'call_slow'))).toContain('aborted by user');
  });

  it('on SIGTERM, interrupts the running task, answers its call, stops its command and closes the log before exiting', async () => {
    const slow = 'sleep 31.733';
    const server = await useScriptedServer([respond(shell(slow, 'call_slow'))]);
    const where = place();
    const served = await serve(where, server.url);
    const started = signalled<void>();
    const running = call(served.client, 'keel', { prompt: 'wait a while', ...UNSANDBOXED, approval_policy: 'never' }, {
      onprogress: (note) => void (note.message === `running: ${slow}` && started.fire()),
    });
    await started.promise;
    process.kill(served.pid, 'SIGTERM');
    const ended = await running;
    expect(ended.result.isError).toBe(true);
    expect(ended.structured.status).toBe('interrupted');
    expect(ended.text).toContain('shutting down');
    await served.closed;
    expect(liveProcessesMatching(slow)).toEqual([]);
    const records = logRecords(sessionLogs(where.home).get(ended.structured.session_id)!);
    expect(records.some((record) => record.type === 'item' && JSON.stringify(record).includes('call_slow') && JSON.stringify(record).includes('function_call_output'))).toBe(true);
    expect(records.at(-1)).toMatchObject({ type: 'session_end', reason: 'shutdown' });
  });
});
