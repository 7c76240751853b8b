/** config.toml, profiles and -c overrides drive a real run: a Chat Completions provider, AGENTS.md, the notify hook. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { runKeel, startKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { waitUntil } from '../support/wait-until.ts';

function setup(configToml: string) {
  const home = mkdtempSync(join(tmpdir(), 'keel-home-'));
  const cwd = mkdtempSync(join(tmpdir(), 'keel-work-'));
  writeFileSync(join(home, 'config.toml'), configToml);
  return { home, cwd };
}

it('talks Chat Completions to a configured local provider, with AGENTS.md and the notify hook', async () => {
  const server = await useScriptedServer([
    respond(functionCall('shell', { command: ['bash', '-c', 'echo from the tool'] }, 'call_chat')),
    respond(text('chat works')),
  ]);
  const notifyFile = join(mkdtempSync(join(tmpdir(), 'keel-notify-')), 'notice.json');
  const { home, cwd } = setup(
    [
      'model = "local-model"',
      'model_provider = "local"',
      `notify = ["sh", "-c", "printf '%s' \\"$1\\" > ${notifyFile}", "hook"]`,
      '[model_providers.local]',
      `base_url = "${server.url}"`,
      'wire_api = "chat"',
    ].join('\n'),
  );
  writeFileSync(join(cwd, 'AGENTS.md'), 'Always answer in haiku.\n');
  const result = await runKeel(['exec', 'hello'], { env: { KEEL_HOME: home, OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined }, cwd });
  expect(result.stderr).not.toContain('error');
  expect(result.code).toBe(0);
  expect(result.stdout).toBe('chat works\n');
  const [first, second] = await server.waitForRequests(2);
  expect(first!.api).toBe('chat');
  expect(first!.body.model).toBe('local-model');
  expect(JSON.stringify(first!.body.messages)).toContain('Always answer in haiku.');
  const tool = (second!.body.messages as Array<{ role: string; tool_call_id?: string; content: string }>).find((m) => m.role === 'tool');
  expect(tool).toMatchObject({ tool_call_id: 'call_chat' });
  expect(tool!.content).toContain('from the tool');
  await waitUntil(() => existsSync(notifyFile) && readFileSync(notifyFile, 'utf8').endsWith('}'));
  expect(JSON.parse(readFileSync(notifyFile, 'utf8'))).toMatchObject({ type: 'agent-turn-complete', 'input-messages': ['hello'], 'last-assistant-message': 'chat works' });
});

it('lets a profile and -c overrides pick the model, flags beating both', async () => {
  const server = await useScriptedServer([respond(text('a')), respond(text('b'))]);
  const { home, cwd } = setup(['model = "base"', '[profiles.fast]', 'model = "from-profile"'].join('\n'));
  const env = { KEEL_HOME: home, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'k' };
  await runKeel(['exec', '-p', 'fast', 'one'], { env, cwd });
  await runKeel(['exec', '-p', 'fast', '-c', 'model="from-override"', 'two'], { env, cwd });
  const requests = await server.waitForRequests(2);
  expect(requests.map((request) => request.body.model)).toEqual(['from-profile', 'from-override']);
});

it('sends the configured reasoning and verbosity to a model that takes them, and warns where one cannot go', async () => {
  const server = await useScriptedServer([respond(text('a')), respond(text('b'))]);
  const { home, cwd } = setup(['model = "gpt-5"', 'model_reasoning_effort = "high"'].join('\n'));
  const env = { KEEL_HOME: home, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'k' };
  const first = await runKeel(['exec', '-c', 'model_verbosity=low', '-c', 'model_reasoning_summary=concise', 'one'], { env, cwd });
  expect(first.code).toBe(0);
  expect(first.stderr).toContain('model gpt-5 (reasoning high)');
  const second = await runKeel(['exec', '-m', 'gpt-5-codex', '-c', 'model_verbosity=low', 'two'], { env, cwd });
  expect(second.code).toBe(0);
  expect(second.stderr).toContain('gpt-5-codex does not take text.verbosity, so model_verbosity is not sent');
  const [one, two] = await server.waitForRequests(2);
  expect(one!.body).toMatchObject({ reasoning: { effort: 'high', summary: 'concise' }, text: { verbosity: 'low' }, include: ['reasoning.encrypted_content'] });
  expect(two!.body).toMatchObject({ model: 'gpt-5-codex', reasoning: { effort: 'high', summary: 'auto' }, include: ['reasoning.encrypted_content'] });
  expect('text' in two!.body).toBe(false);
});

it('refuses a reasoning effort it does not know, naming the values it takes', async () => {
  const { home, cwd } = setup('');
  const result = await runKeel(['exec', '-c', 'model_reasoning_effort=extreme', 'hi'], { env: { KEEL_HOME: home, OPENAI_API_KEY: 'k' }, cwd });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('model_reasoning_effort: expected "minimal", "low", "medium", "high", "xhigh" or "none", got "extreme"');
});

it('refuses a bad config with the file, the key and what was expected, before sending anything', async () => {
  const { home, cwd } = setup(['[model_providers.local]', 'base_url = "http://127.0.0.1:9/v1"', 'wire_api = "grpc"'].join('\n'));
  const result = await runKeel(['exec', 'hi'], { env: { KEEL_HOME: home, OPENAI_API_KEY: 'k' }, cwd });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('config.toml');
  expect(result.stderr).toContain('model_providers.local.wire_api');
});

it('resumes a killed session over Chat Completions with every tool call answered', async () => {
  const first = await useScriptedServer([respond(functionCall('shell', { command: ['bash', '-c', 'sleep 43.311'] }, 'call_killed'))]);
  const providerToml = (url: string) => ['model_provider = "local"', '[model_providers.local]', `base_url = "${url}"`, 'wire_api = "chat"'].join('\n');
  const { home, cwd } = setup(providerToml(first.url));
  const env = { KEEL_HOME: home, OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined };
  const run = startKeel(['exec', '--json', 'start it'], { env, cwd });
  await run.waitForLine((line) => line.includes('"exec_command_begin"'));
  run.child.kill('SIGKILL');
  await run.exited;

  const second = await useScriptedServer([respond(text('carried on'))]);
  writeFileSync(join(home, 'config.toml'), providerToml(second.url));
  const resumed = await runKeel(['exec', 'resume', '--last'], { env, cwd });
  expect(resumed.code).toBe(0);
  expect(resumed.stdout).toBe('carried on\n');
  const messages = (await second.waitForRequests(1))[0]!.body.messages as Array<{ role: string; tool_call_id?: string; content: string }>;
  expect(messages.find((message) => message.role === 'tool')).toMatchObject({ tool_call_id: 'call_killed' });
});

it('offers exec_command and write_stdin by default, and shell with tools.shell = "shell"; either shell tool runs when called', async () => {
  const server = await useScriptedServer([
    respond(functionCall('shell', { command: ['echo', 'old tool'] }, 'old')),
    respond(text('a')),
    respond(functionCall('exec_command', { cmd: 'echo new tool', login: false }, 'new')),
    respond(text('b')),
  ]);
  const { home, cwd } = setup('');
  const env = { KEEL_HOME: home, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'k' };
  expect((await runKeel(['exec', 'one'], { env, cwd })).code).toBe(0);
  expect((await runKeel(['exec', '-c', 'tools.shell="shell"', 'two'], { env, cwd })).code).toBe(0);
  const requests = await server.waitForRequests(4);
  const names = (index: number) => (requests[index]!.body.tools as Array<{ name: string }>).map((tool) => tool.name);
  expect(names(0)).toEqual(['exec_command', 'write_stdin', 'apply_patch', 'update_plan']);
  expect(names(2)).toEqual(['shell', 'apply_patch', 'update_plan']);
  expect(JSON.stringify(requests[1]!.body.input)).toContain('old tool');
  expect(JSON.stringify(requests[3]!.body.input)).toContain('Process exited with code 0\\nOutput:\\nnew tool');
});
