/**
 * MCP servers through the real binary: `keel mcp list`, `keel exec` calling a server's tool (and leaving no server
 * behind), and the interactive UI asking before a tool the server does not mark read-only.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { functionCallOutput, outputText } from '../../src/scripted/index.ts';
import { IDLE_PROMPT, modelEnv, tuiPlace } from '../support/keel-tui.ts';
import { serverLog, TEST_SERVER, type ServerLog } from '../support/mcp/mcp-fixtures.ts';
import { trackPtys } from '../support/pty-keel.ts';
import { runKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { pidExists } from '../support/process-tree.ts';

const ptys = trackPtys();

function serverToml(name: string, log: ServerLog, extra: string[] = []): string {
  return [`[mcp_servers.${name}]`, `command = ${JSON.stringify(process.execPath)}`, `args = [${JSON.stringify(TEST_SERVER)}]`, `env = { MCP_TEST_LOG = ${JSON.stringify(log.path)} }`, ...extra].join('\n');
}

function homeWith(toml: string): string {
  const home = mkdtempSync(join(tmpdir(), 'keel-mcp-home-'));
  writeFileSync(join(home, 'config.toml'), `${toml}\n`);
  return home;
}

it('keel mcp list starts each server, lists its tools, and says why one does not start', async () => {
  const home = homeWith(
    [serverToml('docs', serverLog(), ['disabled_tools = ["crash"]']), serverToml('stuck', serverLog(), ['startup_timeout_sec = 1']).replace('env = { MCP_TEST_LOG', 'env = { MCP_TEST_MODE = "hang", MCP_TEST_LOG')].join('\n'),
  );
  const listed = await runKeel(['mcp', 'list'], { env: { KEEL_HOME: home } });
  expect(listed.code).toBe(1);
  const lines = listed.stdout.split('\n');
  expect(lines[0]).toMatch(/^docs: ok, 5 tools — /);
  expect(lines).toContain('  mcp__docs__echo (read-only)');
  expect(lines).toContain('  mcp__docs__write_note');
  expect(listed.stdout).not.toContain('crash');
  expect(listed.stdout).toMatch(/stuck: does not start: did not answer initialize within 1 s — check \[mcp_servers\.stuck\] command and args/);

  const json = await runKeel(['mcp', 'list', '--json'], { env: { KEEL_HOME: home } });
  const parsed = JSON.parse(json.stdout) as { servers: Array<{ name: string; status: string; tools: Array<{ name: string; read_only: boolean }> }> };
  expect(parsed.servers.map((server) => [server.name, server.status])).toEqual([
    ['docs', 'ready'],
    ['stuck', 'failed'],
  ]);
  expect(parsed.servers[0]!.tools).toContainEqual(expect.objectContaining({ name: 'mcp__docs__echo', read_only: true }));
});

it('keel exec calls a server tool, shows the call on stderr, and leaves no server running', async () => {
  const log = serverLog();
  const server = await useScriptedServer([respond(functionCall('mcp__docs__echo', { text: 'from exec' }, 'e1')), respond(text('echoed'))]);
  const home = homeWith(serverToml('docs', log));
  const result = await runKeel(['exec', 'echo it'], { env: { ...modelEnv(server.url), KEEL_HOME: home } });
  expect(result.code).toBe(0);
  expect(result.stdout).toBe('echoed\n');
  expect(result.stderr).toContain('⚙ docs.echo {"text":"from exec"}');
  expect(result.stderr).toMatch(/✓ done in \d+\.\ds/);
  const [first, second] = await server.waitForRequests(2);
  expect((first!.body.tools as Array<{ name: string }>).map((tool) => tool.name)).toContain('mcp__docs__echo');
  expect(outputText(functionCallOutput(second!, 'e1'))).toBe('echo: from exec');
  const pid = log.entries().find((entry) => 'started' in entry)!.started as number;
  expect(pidExists(pid)).toBe(false);
});

it('the UI asks before a tool not marked read-only under on-request, and runs it once approved', async () => {
  const log = serverLog();
  const { cwd } = tuiPlace();
  const home = homeWith(serverToml('docs', log));
  const server = await useScriptedServer([respond(functionCall('mcp__docs__write_note', { note: 'remember the milk' }, 'w1')), respond(text('Noted.'))]);
  const keel = ptys.start(['-a', 'on-request', 'take a note'], { cwd, env: { ...modelEnv(server.url), KEEL_HOME: home } });
  await keel.waitFor('Call this MCP tool?');
  await keel.waitFor('docs.write_note');
  await keel.waitFor('"note": "remember the milk"');
  await keel.waitFor('Call the MCP tool above?');
  expect(log.entries().filter((entry) => entry.call === 'write_note')).toEqual([]);
  keel.type('y');
  await keel.waitFor('✓ tool call approved');
  await keel.waitFor('Noted.');
  expect(log.entries().filter((entry) => entry.call === 'write_note')).toEqual([{ call: 'write_note', note: 'remember the milk' }]);
  const [, second] = await server.waitForRequests(2);
  expect(outputText(functionCallOutput(second!, 'w1'))).toBe('noted: remember the milk');
  await keel.waitFor(IDLE_PROMPT);
  keel.type('/mcp');
  keel.press('enter');
  await keel.waitFor('docs (stdio) ready · 6 tools', { history: true });
  await keel.waitFor('mcp__docs__write_note', { history: true });
});
