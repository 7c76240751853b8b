/** `keel doctor` says what works and what to do about what does not. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

it('passes against a running server and fails, saying why, against a missing one', async () => {
  // The scripted server has no model list: GET /models is answered 404, which doctor accepts.
  const server = await useScriptedServer([], { allowViolations: true });
  const home = mkdtempSync(join(tmpdir(), 'keel-home-'));
  const good = await runKeel(['doctor'], { env: { KEEL_HOME: home, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'k' } });
  expect(good.stdout).toContain('ok    provider');
  expect(good.stdout).toContain('sandbox:');
  // Every check but the sandbox's depends only on this test; the sandbox depends on the machine.
  const failures = good.stdout.split('\n').filter((line) => line.startsWith('FAIL') && !line.includes('sandbox:'));
  expect(failures).toEqual([]);
  expect(good.code).toBe(good.stdout.includes('FAIL') ? 1 : 0);

  writeFileSync(join(home, 'config.toml'), 'model_provider = "ollama"\n[model_providers.ollama]\nbase_url = "http://127.0.0.1:9/v1"\n');
  const bad = await runKeel(['doctor'], { env: { KEEL_HOME: home } });
  expect(bad.code).toBe(1);
  expect(bad.stdout).toMatch(/FAIL {2}provider: .*127\.0\.0\.1:9.*is the server running/);
});

it('keel sandbox check says what works, matching its exit code', async () => {
  const result = await runKeel(['sandbox', 'check']);
  expect(result.stdout).toMatch(/^sandbox: /);
  expect(result.code).toBe(result.stdout.includes('none works here') ? 1 : 0);
});

it('checks each configured MCP server: one that starts with its tool count, one that does not with why', async () => {
  const server = await useScriptedServer([], { allowViolations: true });
  const home = mkdtempSync(join(tmpdir(), 'keel-home-'));
  const serverScript = new URL('../support/mcp/test-mcp-server.mjs', import.meta.url).pathname;
  writeFileSync(
    join(home, 'config.toml'),
    [
      '[mcp_servers.docs]',
      `command = ${JSON.stringify(process.execPath)}`,
      `args = [${JSON.stringify(serverScript)}]`,
      '[mcp_servers.gone]',
      'command = "/no/such/mcp-server"',
    ].join('\n') + '\n',
  );
  const result = await runKeel(['doctor'], { env: { KEEL_HOME: home, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'k' } });
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/^ok {4}MCP server: docs: ok, 6 tools — /m);
  expect(result.stdout).toMatch(/^FAIL {2}MCP server: gone: does not start: program not found: \/no\/such\/mcp-server — check \[mcp_servers\.gone\] command and args/m);
});
