/**
 * MCP servers through the engine, with a real server written with the SDK: tools in the first request, results in
 * the next, interrupts that cancel on the server, a crash, a server that never starts, error results, approvals,
 * streamable HTTP with a bearer token, and no server left running after the session.
 */
import { afterEach, expect, it } from 'vitest';
import { createSafetyServices } from '../../src/cli/safety-services.ts';
import type { McpServerConfig } from '../../src/config/keel-config.ts';
import { startMcpTools } from '../../src/mcp/mcp-late-tools.ts';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { functionCallOutput, outputText } from '../../src/scripted/index.ts';
import type { AskForApproval } from '../../src/protocol/index.ts';
import { UNKNOWN_MODEL_PROFILE } from '../../src/model/model-profile.ts';
import { AgentHarness } from '../support/agent-harness.ts';
import { checkEventInvariants } from '../support/event-invariants.ts';
import { serverLog, startHttpServer, stdioServer, type ServerLog } from '../support/mcp/mcp-fixtures.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { waitUntil } from '../support/wait-until.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pidExists } from '../support/process-tree.ts';

const harnesses: AgentHarness[] = [];
const children: { kill(): void }[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.shutdown();
  for (const child of children.splice(0)) child.kill();
});

function start(baseUrl: string, servers: Record<string, McpServerConfig>, approvalPolicy: AskForApproval = 'never', acceptsImages: boolean | null = null): AgentHarness {
  const cwd = mkdtempSync(join(tmpdir(), 'keel-mcp-work-'));
  const lateTools = startMcpTools({ servers, env: process.env, cwd, reservedNames: new Set(['shell']) });
  const home = mkdtempSync(join(tmpdir(), 'keel-mcp-home-'));
  const harness = new AgentHarness({
    baseUrl,
    cwd,
    tools: [],
    lateTools,
    approvalPolicy,
    sandboxPolicy: { type: 'read-only' },
    modelProfile: () => ({ ...UNKNOWN_MODEL_PROFILE, acceptsImages }),
    ...(approvalPolicy === 'never' ? {} : { safety: createSafetyServices(process.env, home) }),
  });
  harnesses.push(harness);
  return harness;
}

function pidOf(log: ServerLog): number {
  const started = log.entries().find((entry) => 'started' in entry);
  return started!.started as number;
}

it('offers the tools in the first request with their schemas, and a result reaches the model in the next', async () => {
  const log = serverLog();
  const server = await useScriptedServer([respond(functionCall('mcp__docs__echo', { text: 'hi' }, 'm1')), respond(text('done'))]);
  const harness = start(server.url, { docs: stdioServer(log, { disabled_tools: ['crash'] }) });
  harness.say('use the docs');
  await harness.first('task_complete');
  const [first, second] = await server.waitForRequests(2);
  const tools = first!.body.tools as Array<{ name: string; parameters: { properties: Record<string, unknown> } }>;
  expect(tools.map((tool) => tool.name).sort()).toEqual(['mcp__docs__echo', 'mcp__docs__fail', 'mcp__docs__picture', 'mcp__docs__slow', 'mcp__docs__write_note']);
  expect(tools.find((tool) => tool.name === 'mcp__docs__echo')!.parameters.properties).toMatchObject({ text: { type: 'string', description: 'what to say' } });
  expect(outputText(functionCallOutput(second!, 'm1'))).toBe('echo: hi');
  expect(harness.ofType('mcp_tool_call_begin')).toEqual([{ type: 'mcp_tool_call_begin', call_id: 'm1', invocation: { server: 'docs', tool: 'echo', arguments: { text: 'hi' } } }]);
  expect(harness.ofType('mcp_tool_call_end')).toMatchObject([{ call_id: 'm1', status: 'completed', output: 'echo: hi' }]);
  expect(harness.ofType('mcp_servers').at(-1)!.servers).toMatchObject([{ name: 'docs', status: 'ready', transport: 'stdio' }]);
  expect(checkEventInvariants(harness.events)).toEqual([]);

  // The server and everything it started stop with the session.
  const pid = pidOf(log);
  await harness.shutdown();
  expect(pidExists(pid)).toBe(false);
});

it('cancels a slow call on the server when the task is interrupted; the model gets aborted, the next request is accepted', async () => {
  const log = serverLog();
  const server = await useScriptedServer([respond(functionCall('mcp__docs__slow', { ms: 60_000 }, 'slow')), respond(text('after'))]);
  const harness = start(server.url, { docs: stdioServer(log) });
  harness.say('wait');
  await harness.first('mcp_tool_call_begin');
  await waitUntil(() => log.entries().some((entry) => entry.call === 'slow'));
  harness.submit({ type: 'interrupt' });
  await harness.first('turn_aborted');
  expect(harness.ofType('mcp_tool_call_end')).toMatchObject([{ call_id: 'slow', status: 'aborted' }]);
  await waitUntil(() => log.entries().some((entry) => entry.cancelled === 'slow'));
  harness.say('go on');
  await harness.first('task_complete');
  const [, second] = await server.waitForRequests(2);
  expect(outputText(functionCallOutput(second!, 'slow'))).toMatch(/^aborted by user after \d+\.\ds$/);
});

it('answers a call whose server crashed with the reason, says once that the server is gone, and goes on', async () => {
  const log = serverLog();
  const server = await useScriptedServer([
    respond(functionCall('mcp__docs__crash', {}, 'c1')),
    respond(functionCall('mcp__docs__echo', { text: 'again' }, 'c2')),
    respond(text('ok')),
  ]);
  const harness = start(server.url, { docs: stdioServer(log) });
  harness.say('crash it');
  await harness.first('task_complete');
  const [, second, third] = await server.waitForRequests(3);
  expect(outputText(functionCallOutput(second!, 'c1'))).toMatch(/^err: /);
  expect(outputText(functionCallOutput(third!, 'c2'))).toMatch(/^err: MCP server docs is not running \(the server closed the connection/);
  const warnings = harness.ofType('warning').filter((warning) => warning.message.startsWith('MCP server docs'));
  expect(warnings).toHaveLength(1);
  expect(checkEventInvariants(harness.events)).toEqual([]);
});

it('reports a server that never answers initialize, once, with what to do, and the session goes on without it', async () => {
  const log = serverLog();
  const server = await useScriptedServer([respond(text('no tools needed'))]);
  const harness = start(server.url, { slowpoke: stdioServer(log, { startup_timeout_sec: 1 }, { MCP_TEST_MODE: 'hang' }), docs: stdioServer(serverLog()) });
  harness.say('hello');
  await harness.first('task_complete');
  const [first] = await server.waitForRequests(1);
  const names = (first!.body.tools as Array<{ name: string }>).map((tool) => tool.name);
  expect(names).toContain('mcp__docs__echo');
  expect(names.some((name) => name.startsWith('mcp__slowpoke'))).toBe(false);
  const warning = harness.ofType('warning').find((each) => each.message.startsWith('MCP server slowpoke'));
  expect(warning?.message).toMatch(/^MCP server slowpoke is not available: did not answer initialize within 1 s — check \[mcp_servers\.slowpoke\] command and args .*raise startup_timeout_sec$/);
});

it('marks an error result as failed and gives the model its text', async () => {
  const server = await useScriptedServer([respond(functionCall('mcp__docs__fail', {}, 'f1')), respond(text('noted'))]);
  const harness = start(server.url, { docs: stdioServer(serverLog()) });
  harness.say('fail');
  await harness.first('task_complete');
  const [, second] = await server.waitForRequests(2);
  expect(outputText(functionCallOutput(second!, 'f1'))).toBe('the thing is broken');
  expect(harness.ofType('mcp_tool_call_end')).toMatchObject([{ status: 'failed' }]);
});

it('asks before a tool not marked read-only under on-request, and runs read-only ones without asking', async () => {
  const log = serverLog();
  const server = await useScriptedServer([
    respond(functionCall('mcp__docs__echo', { text: 'read' }, 'r1'), functionCall('mcp__docs__write_note', { note: 'x' }, 'w1')),
    respond(text('ok')),
  ]);
  const harness = start(server.url, { docs: stdioServer(log) }, 'on-request');
  harness.say('write');
  const request = await harness.first('mcp_tool_approval_request');
  expect(request).toMatchObject({ call_id: 'w1', invocation: { server: 'docs', tool: 'write_note', arguments: { note: 'x' } } });
  expect(request.reason).toBe('write_note is not marked read-only by the MCP server docs');
  expect(log.entries().filter((entry) => entry.call === 'write_note')).toEqual([]);
  harness.submit({ type: 'exec_approval', id: 'w1', decision: 'denied' });
  await harness.first('task_complete');
  expect(log.entries().map((entry) => entry.call).filter(Boolean)).toEqual(['echo']);
  expect(harness.ofType('tool_call_blocked')).toMatchObject([{ call_id: 'w1', outcome: 'denied', summary: 'docs.write_note {"note":"x"}' }]);
  const [, second] = await server.waitForRequests(2);
  expect(outputText(functionCallOutput(second!, 'w1'))).toBe('tool call rejected by user');
});

it('talks streamable HTTP with a bearer token read from the environment', async () => {
  const log = serverLog();
  const http = await startHttpServer(log, 'sekrit');
  children.push(http.child);
  process.env.KEEL_TEST_MCP_TOKEN = 'sekrit';
  const server = await useScriptedServer([respond(functionCall('mcp__remote__echo', { text: 'over http' }, 'h1')), respond(text('done'))]);
  const remote: McpServerConfig = { ...stdioServer(log), transport: { type: 'http', url: http.url, bearer_token_env_var: 'KEEL_TEST_MCP_TOKEN', http_headers: {} } };
  const harness = start(server.url, { remote });
  harness.say('remote');
  await harness.first('task_complete');
  const [, second] = await server.waitForRequests(2);
  expect(outputText(functionCallOutput(second!, 'h1'))).toBe('echo: over http');
  delete process.env.KEEL_TEST_MCP_TOKEN;
});

it('gives the model an image a tool returned, in a message after the outputs, unless the model takes no images', async () => {
  for (const acceptsImages of [null, false]) {
    const server = await useScriptedServer([respond(functionCall('mcp__docs__picture', {}, 'p1'), functionCall('mcp__docs__echo', { text: 'x' }, 'p2')), respond(text('seen'))]);
    const harness = start(server.url, { docs: stdioServer(serverLog()) }, 'never', acceptsImages);
    harness.say('show me');
    await harness.first('task_complete');
    const [, second] = await server.waitForRequests(2);
    expect(outputText(functionCallOutput(second!, 'p1'))).toBe('here it is\n[image: image/png, 14 bytes]');
    const input = second!.body.input as Array<{ type: string; role?: string; call_id?: string; content?: Array<{ type: string; image_url?: string }> }>;
    const imageMessage = input.findIndex((item) => item.type === 'message' && item.content?.some((part) => part.type === 'input_image'));
    if (acceptsImages === false) {
      expect(imageMessage).toBe(-1);
      continue;
    }
    // After both outputs: nothing comes between a call and its answer.
    const lastOutput = Math.max(...['p1', 'p2'].map((id) => input.findIndex((item) => item.type === 'function_call_output' && item.call_id === id)));
    expect(imageMessage).toBeGreaterThan(lastOutput);
    expect(input[imageMessage]!.content).toEqual([
      { type: 'input_text', text: '[keel: the image returned by tool call p1]' },
      { type: 'input_image', image_url: `data:image/png;base64,${Buffer.from('fake png bytes').toString('base64')}` },
    ]);
  }
});
