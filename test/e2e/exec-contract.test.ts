/**
 * The published contract of `keel exec --json`: every line of real runs — a command, a refused patch, a background
 * process, an MCP-free error — matches schema/exec-events.schema.json, the file that ships in the package. The
 * header comes first, exec_result right before shutdown_complete, and a line is an event exactly when it has `msg`.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { expect, it } from 'vitest';
import { customToolCall, functionCall, httpError, respond, text } from '../../src/scripted/script-builders.ts';
import { runKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const schema = JSON.parse(readFileSync(new URL('../../schema/exec-events.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const validate = new AjvJsonSchemaValidator().getValidator(schema);

async function linesOf(script: Parameters<typeof useScriptedServer>[0], args: string[] = ['--dangerously-bypass-sandbox'], allowViolations = false): Promise<Array<Record<string, unknown>>> {
  const server = await useScriptedServer(script, { allowViolations });
  const home = mkdtempSync(join(tmpdir(), 'keel-contract-home-'));
  const cwd = mkdtempSync(join(tmpdir(), 'keel-contract-work-'));
  const result = await runKeel(['exec', '--json', '--stream-max-retries', '0', ...args, 'do it'], {
    env: { KEEL_HOME: home, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'test-key', SHLVL: '1' },
    cwd,
  });
  return result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

function expectContract(lines: Array<Record<string, unknown>>): void {
  for (const line of lines) expect(validate(line).errorMessage, JSON.stringify(line).slice(0, 300)).toBeUndefined();
  expect(lines[0]).toMatchObject({ type: 'header', format: 'keel-exec-events', format_version: 2 });
  const types = lines.map((line) => (line.msg as { type?: string } | undefined)?.type ?? (line.type as string));
  expect(types.at(-1)).toBe('shutdown_complete');
  expect(types.at(-2)).toBe('exec_result');
  expect(lines.filter((line) => !('msg' in line)).map((line) => line.type)).toEqual(['header', 'exec_result']);
}

it('holds for a task with commands in the foreground and the background, and a plan', async () => {
  expectContract(
    await linesOf([
      respond(
        functionCall('update_plan', { plan: [{ step: 'look', status: 'in_progress' }] }, 'p1'),
        functionCall('exec_command', { cmd: 'echo hi', login: false }, 'c1'),
        functionCall('exec_command', { cmd: 'read line', yield_time_ms: 250, login: false }, 'c2'),
      ),
      respond(functionCall('shell', { command: ['false'] }, 'c3')),
      respond(text('done')),
    ]),
  );
});

it('holds for a refused patch and for a failed request', async () => {
  expectContract(await linesOf([respond(customToolCall('apply_patch', '*** Begin Patch\n*** Add File: a.txt\n+a\n*** End Patch\n', 'x1')), respond(text('ok'))], ['-s', 'read-only']));
  expectContract(await linesOf([httpError(400, { message: 'bad request' })], undefined, true));
});
