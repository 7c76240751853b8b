/** Sessions survive: recorded as they happen, resumed after SIGKILL or Ctrl+C, listed, shown, locked. */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unfinishedOutput } from '../../src/tools/unfinished-call.ts';
import { functionCall, reasoning, respond, text } from '../../src/scripted/script-builders.ts';
import { readSessionLog } from '../../src/store/index.ts';
import { runKeel, startKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const STARTED_THEN_LOST = unfinishedOutput({ type: 'lost_with_keel' });

const SECRET = 'sk-test-0123456789abcdefSECRET';

function place() {
  return { home: mkdtempSync(join(tmpdir(), 'keel-home-')), cwd: mkdtempSync(join(tmpdir(), 'keel-work-')) };
}

const env = (url: string, home: string) => ({ OPENAI_BASE_URL: url, OPENAI_API_KEY: SECRET, KEEL_HOME: home });

type Item = Record<string, unknown>;

function withoutId(item: object): object {
  const { id: _id, ...rest } = item as { id?: string };
  return rest;
}

describe('resume', () => {
  it('goes on after SIGKILL during a command: the call is answered honestly and the log matches what was sent', async () => {
    const { home, cwd } = place();
    const first = await useScriptedServer([
      respond(text('Starting the long job.'), functionCall('shell', { command: ['bash', '-c', 'sleep 41.5'] }, 'call_long')),
    ]);
    const run = startKeel(['exec', '--json', 'run the long job'], { env: env(first.url, home), cwd });
    await run.waitForLine((line) => line.includes('"exec_command_begin"'));
    run.child.kill('SIGKILL');
    await run.exited;

    const list = await runKeel(['sessions', '--json'], { env: { KEEL_HOME: home }, cwd });
    const [summary] = JSON.parse(list.stdout) as Array<{ id: string; status: string; first_prompt: string }>;
    expect(summary).toMatchObject({ status: 'killed', first_prompt: 'run the long job' });

    const second = await useScriptedServer([respond(text('Picked up where I left off.'))]);
    const resumed = await runKeel(['exec', 'resume', '--last'], { env: env(second.url, home), cwd });
    expect(resumed.stderr).not.toContain('error');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toBe('Picked up where I left off.\n');

    const [request] = await second.waitForRequests(1);
    const input = request!.body.input as Item[];
    const callAt = input.findIndex((item) => item.type === 'function_call' && item.call_id === 'call_long');
    expect(input[callAt + 1]).toEqual({ type: 'function_call_output', call_id: 'call_long', output: STARTED_THEN_LOST });
    // Nothing was made up: the last thing sent is the model's own unanswered work, not a "continue" message.
    expect(input.filter((item) => item.type === 'message' && item.role === 'user').length).toBe(2);

    const log = await readSessionLog(JSON.parse(list.stdout)[0].path);
    expect(log.problems).toEqual([]);
    // Stateless requests carry items without their server ids; otherwise the log is exactly what was sent.
    expect(log.items.slice(0, input.length).map(withoutId)).toEqual(input);
    expect(log.resumedCount).toBe(1);
    const raw = readFileSync(JSON.parse(list.stdout)[0].path, 'utf8');
    expect(raw).not.toContain(SECRET);
    expect(statSync(JSON.parse(list.stdout)[0].path).mode & 0o777).toBe(0o600);
  });

  it('gives the model its encrypted reasoning back after a resume, as received, before the call it led to', async () => {
    const { home, cwd } = place();
    const first = await useScriptedServer([
      respond(reasoning('List the files, then answer.'), functionCall('shell', { command: ['echo', 'a.txt'] }, 'call_ls')),
      respond(text('One file.')),
    ]);
    const run = await runKeel(['exec', 'what is here?'], { env: env(first.url, home), cwd });
    expect(run.code).toBe(0);
    const second = await useScriptedServer([respond(text('Still one.'))]);
    const resumed = await runKeel(['exec', 'resume', '--last', 'and now?'], { env: env(second.url, home), cwd });
    expect(resumed.code).toBe(0);

    const given = { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'List the files, then answer.' }], encrypted_content: 'scripted-encrypted:rs_1' };
    const [, followUp] = await first.waitForRequests(2);
    const [afterResume] = await second.waitForRequests(1);
    for (const request of [followUp!, afterResume!]) {
      const input = request.body.input as Item[];
      const callAt = input.findIndex((item) => item.type === 'function_call' && item.call_id === 'call_ls');
      expect(input[callAt - 1]).toStrictEqual(given);
      expect(request.body.include).toEqual(['reasoning.encrypted_content']);
    }
  });

  it('after Ctrl+C, resumes by id prefix from another directory with a new prompt', async () => {
    const { home, cwd } = place();
    const first = await useScriptedServer([respond(functionCall('shell', { command: ['bash', '-c', 'echo partial; sleep 41.6'] }, 'call_int'))]);
    const run = startKeel(['exec', '--json', 'print then wait'], { env: env(first.url, home), cwd });
    await run.waitForLine((line) => line.includes('"exec_command_output_delta"'));
    run.child.kill('SIGINT');
    expect((await run.exited).code).toBe(130);
    const sessionId = JSON.parse(run.lines[0]!).session_id as string;

    const list = await runKeel(['sessions', '--all', '--json'], { env: { KEEL_HOME: home } });
    expect(JSON.parse(list.stdout)[0]).toMatchObject({ id: sessionId, status: 'interrupted', turns: 1 });

    const second = await useScriptedServer([respond(text('ok, done'))]);
    const elsewhere = mkdtempSync(join(tmpdir(), 'keel-elsewhere-'));
    const resumed = await runKeel(['exec', 'resume', sessionId.slice(0, 8), 'what did it print?'], { env: env(second.url, home), cwd: elsewhere });
    expect(resumed.code).toBe(0);
    const input = (await second.waitForRequests(1))[0]!.body.input as Item[];
    const output = input.find((item) => item.type === 'function_call_output') as { output: string };
    expect(output.output).toContain('partial');
    expect(output.output).toContain('aborted by user');
    expect(JSON.stringify(input.at(-1))).toContain('what did it print?');
    // The session ran in its own directory, not where keel was started.
    expect(JSON.stringify(input)).toContain(cwd);

    const shown = await runKeel(['sessions', 'show', sessionId.slice(0, 8)], { env: { KEEL_HOME: home } });
    expect(shown.stdout).toContain('print then wait');
    expect(shown.stdout).toContain('interrupted');
    expect(shown.stdout).toContain('ok, done');
  });

  it('still sends the image of an earlier prompt after a resume, byte for byte', async () => {
    const { home, cwd } = place();
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');
    writeFileSync(join(cwd, 'chart.png'), png);
    const first = await useScriptedServer([respond(text('A rising line.'))]);
    const ran = await runKeel(['exec', '-i', 'chart.png', 'describe the chart'], { env: env(first.url, home), cwd });
    expect(ran.code).toBe(0);
    const sent = (first.requests[0]!.body.input as Item[]).at(-1);

    const second = await useScriptedServer([respond(text('It rises by 3%.'))]);
    const resumed = await runKeel(['exec', 'resume', '--last', 'by how much?'], { env: env(second.url, home), cwd });
    expect(resumed.code).toBe(0);
    const input = (await second.waitForRequests(1))[0]!.body.input as Item[];
    expect(input).toContainEqual(sent);
    expect(sent).toMatchObject({ content: [{ type: 'input_text', text: 'describe the chart' }, { type: 'input_image', image_url: `data:image/png;base64,${png.toString('base64')}` }] });
    const list = await runKeel(['sessions', '--json'], { env: { KEEL_HOME: home }, cwd });
    expect(JSON.parse(list.stdout)[0]).toMatchObject({ first_prompt: 'describe the chart', turns: 2 });
  });

  it('refuses a second process on a session in use, naming the holder', async () => {
    const { home, cwd } = place();
    const first = await useScriptedServer([respond(functionCall('shell', { command: ['bash', '-c', 'sleep 41.7'] }, 'call_hold'))], { allowUnconsumedSteps: true });
    const holder = startKeel(['exec', '--json', 'hold it'], { env: env(first.url, home), cwd });
    await holder.waitForLine((line) => line.includes('"exec_command_begin"'));
    const sessionId = JSON.parse(holder.lines[0]!).session_id as string;
    const second = await runKeel(['exec', 'resume', sessionId, 'me too'], { env: env(first.url, home), cwd });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(String(holder.child.pid));
    holder.child.kill('SIGINT');
    await holder.exited;
  });

  it('says clearly when there is nothing to resume', async () => {
    const { home, cwd } = place();
    const result = await runKeel(['exec', 'resume', '--last'], { env: { OPENAI_API_KEY: 'k', KEEL_HOME: home }, cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('keel sessions --all');
    const unknown = await runKeel(['exec', 'resume', 'deadbeef'], { env: { OPENAI_API_KEY: 'k', KEEL_HOME: home }, cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('deadbeef');
  });

  it('keeps every prompt in the history file, mode 0600', async () => {
    const { home, cwd } = place();
    const server = await useScriptedServer([respond(text('one')), respond(text('two'))]);
    await runKeel(['exec', 'first prompt'], { env: env(server.url, home), cwd });
    await runKeel(['exec', 'second prompt'], { env: env(server.url, home), cwd });
    const path = join(home, 'history.jsonl');
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => line.text)).toEqual(['first prompt', 'second prompt']);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
