/**
 * SIGKILL of `keel exec` in the middle of an MCP tool call: the server (a process group keel started) must not
 * outlive keel, and the resumed session answers the open call `aborted`, starts the server again and goes on with a
 * history the API accepts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { serverLog, TEST_SERVER } from '../support/mcp/mcp-fixtures.ts';
import { runKeel, startKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { waitUntil } from '../support/wait-until.ts';
import { freshPlace, keelEnv, PROMPT } from './crash-session.ts';
import { pidExists } from '../support/process-tree.ts';

type Item = Record<string, unknown>;

it('leaves no MCP server behind, and the resumed session answers the open call aborted and uses the server again', async () => {
  const place = freshPlace();
  const log = serverLog();
  mkdirSync(place.home, { recursive: true });
  writeFileSync(
    join(place.home, 'config.toml'),
    ['[mcp_servers.docs]', `command = ${JSON.stringify(process.execPath)}`, `args = [${JSON.stringify(TEST_SERVER)}]`, `env = { MCP_TEST_LOG = ${JSON.stringify(log.path)} }`].join('\n') + '\n',
  );
  const first = await useScriptedServer([respond(functionCall('mcp__docs__slow', { ms: 120_000 }, 'slow1'))]);
  const run = startKeel(['exec', '--json', PROMPT], { env: keelEnv(first.url, place.home), cwd: place.cwd });
  await run.waitForLine((line) => line.includes('"mcp_tool_call_begin"'));
  await waitUntil(() => log.entries().some((entry) => entry.call === 'slow'));
  const serverPid = log.entries().find((entry) => 'started' in entry)!.started as number;

  run.child.kill('SIGKILL');
  expect((await run.exited).signal).toBe('SIGKILL');
  // The watchdog stops the server's group within about two seconds of keel's end.
  await waitUntil(() => !pidExists(serverPid), 2_500);

  const second = await useScriptedServer([respond(functionCall('mcp__docs__echo', { text: 'back' }, 'echo2')), respond(text('All good.'))]);
  const resumed = await runKeel(['exec', 'resume', '--json', '--last', 'try again'], { env: keelEnv(second.url, place.home), cwd: place.cwd });
  expect(resumed.code).toBe(0);
  expect(second.violations).toEqual([]);
  const [again, after] = await second.waitForRequests(2);
  const input = again!.body.input as Item[];
  const outputs = input.filter((item) => item.type === 'function_call_output' && item.call_id === 'slow1');
  expect(outputs).toEqual([{ type: 'function_call_output', call_id: 'slow1', output: 'aborted' }]);
  expect((again!.body.tools as Array<{ name: string }>).map((tool) => tool.name)).toContain('mcp__docs__slow');
  expect(JSON.stringify(after!.body.input)).toContain('echo: back');
  // The server started again for the resumed run, and stopped with it.
  const pids = log.entries().filter((entry) => 'started' in entry).map((entry) => entry.started as number);
  expect(pids).toHaveLength(2);
  expect(pids.some(pidExists)).toBe(false);
});
