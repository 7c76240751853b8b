/**
 * Jobs that restart: `keel exec --session-id UUID PROMPT` run again with the same command line after it was stopped
 * carries on with its own session — the cut-off task goes on, the prompt is not sent twice, a finished task reports
 * its recorded answer without asking the model — and many jobs share one KEEL_HOME.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionCall, httpError, respond, text } from '../../src/scripted/script-builders.ts';
import { findSessionById, readSessionLog, SessionLogWriter, sessionFiles, sessionLogPath } from '../../src/store/index.ts';
import { modelEnv } from '../support/keel-tui.ts';
import { liveProcessesMatching } from '../support/processes.ts';
import { runKeel, startKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { waitUntil } from '../support/wait-until.ts';

type Item = Record<string, unknown>;

function place() {
  return { home: mkdtempSync(join(tmpdir(), 'keel-job-home-')), cwd: mkdtempSync(join(tmpdir(), 'keel-job-work-')) };
}

/** The texts of the user messages of a request that are exactly `prompt` (the environment message is not one). */
function promptsSent(input: Item[], prompt: string): number {
  return input.filter((item) => item.type === 'message' && item.role === 'user' && JSON.stringify(item.content).includes(JSON.stringify(prompt))).length;
}

function historyLines(home: string): Array<{ session_id: string; text: string }> {
  return readFileSync(join(home, 'history.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
}

function messages(lines: readonly string[]): Array<{ type: string; [key: string]: unknown }> {
  return lines.map((line) => JSON.parse(line).msg).filter((msg) => msg !== undefined);
}

describe('exec --session-id', () => {
  it('starts a session with the given id', async () => {
    const { home, cwd } = place();
    const id = randomUUID();
    const server = await useScriptedServer([respond(text('Hello.'))]);
    const run = await runKeel(['exec', '--json', '--session-id', id, 'say hello'], { env: modelEnv(server.url, home), cwd });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.split('\n')[0]!).session_id).toBe(id);
    const log = await readSessionLog(findSessionById(home, id)!);
    expect(log.meta.session_id).toBe(id);
    expect(log.problems).toEqual([]);
  });

  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`after ${signal} mid-task, the same command line goes on with the cut-off task without sending the prompt again`, async () => {
      const { home, cwd } = place();
      const id = randomUUID();
      const prompt = 'run the long build';
      const marker = `sleep 47.10${signal === 'SIGKILL' ? 1 : 2}`;
      // One strict server for both runs: the second run's request must be one the real API accepts.
      const server = await useScriptedServer([
        respond(text('Starting the build.'), functionCall('shell', { command: ['bash', '-c', `echo begun; ${marker}`] }, 'call_build')),
        respond(text('The build was stopped; carrying on from there.')),
      ]);
      const args = ['exec', '--json', '--session-id', id, prompt];
      const first = startKeel(args, { env: modelEnv(server.url, home), cwd });
      await first.waitForLine((line) => line.includes('"exec_command_output_delta"'));
      first.child.kill(signal);
      const stopped = await first.exited;
      if (signal === 'SIGTERM') expect(stopped.code).toBe(143);
      else expect(stopped.signal).toBe('SIGKILL');
      // keel's watchdog stops the command it left behind.
      await waitUntil(() => liveProcessesMatching(marker).length === 0, 5_000);

      const again = await runKeel(args, { env: modelEnv(server.url, home), cwd });
      expect(again.stderr).toBe('');
      expect(again.code).toBe(0);
      const events = messages(again.stdout.trimEnd().split('\n'));
      expect(events.filter((msg) => msg.type === 'user_message')).toEqual([]);
      expect(events.filter((msg) => msg.type === 'task_complete')).toMatchObject([{ last_agent_message: 'The build was stopped; carrying on from there.' }]);

      expect(server.requests.map((request) => request.status)).toEqual([200, 200]);
      expect(server.violations).toEqual([]);
      const input = server.requests[1]!.body.input as Item[];
      expect(promptsSent(input, prompt)).toBe(1);
      const outputs = input.filter((item) => item.type === 'function_call_output' && item.call_id === 'call_build');
      expect(outputs).toHaveLength(1);
      // The last thing sent is the answer to the call: no made-up "continue" message.
      expect(input.at(-1)).toBe(outputs[0]);
      if (signal === 'SIGTERM') expect(String(outputs[0]!.output)).toContain('begun');
      expect(historyLines(home).map((line) => line.text)).toEqual([prompt]);

      const log = await readSessionLog(findSessionById(home, id)!);
      expect(log.problems).toEqual([]);
      expect(log.resumedCount).toBe(1);
      expect(log.ended).toEqual({ reason: 'shutdown' });
    });
  }

  it('goes on with a task stopped between an answer and the call that was to follow it', async () => {
    const { home, cwd } = place();
    const id = randomUUID();
    const server = await useScriptedServer(
      [
        // Paced, so the stop lands after the message and before the call arrives.
        respond(text('Looking first.'), functionCall('shell', { command: ['echo', 'never'] }, 'call_never'), { faults: { delayMs: 250 } }),
        respond(text('Went on from the answer.')),
      ],
    );
    const args = ['exec', '--json', '--session-id', id, 'look around'];
    const first = startKeel(args, { env: modelEnv(server.url, home), cwd });
    await first.waitForLine((line) => line.includes('"type":"agent_message"'));
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(143);
    const before = await readSessionLog(findSessionById(home, id)!);
    expect(before.items.at(-1)).toMatchObject({ type: 'message', role: 'assistant' });

    const again = await runKeel(args, { env: modelEnv(server.url, home), cwd });
    expect(again.code).toBe(0);
    expect(server.violations).toEqual([]);
    const input = server.requests[1]!.body.input as Item[];
    expect(promptsSent(input, 'look around')).toBe(1);
    // The model is asked to go on from its own answer: nothing is made up in its name.
    expect(input.at(-1)).toMatchObject({ type: 'message', role: 'assistant' });
  });

  it('tries a task that a model error ended again, without sending the prompt twice', async () => {
    const { home, cwd } = place();
    const id = randomUUID();
    // Not retried within the run: the key was refused. The job is run again once the key is fixed.
    const server = await useScriptedServer([httpError(401, { message: 'Incorrect API key provided.' }), respond(text('Done this time.'))]);
    const args = ['exec', '--session-id', id, 'summarize the changes'];
    expect((await runKeel(args, { env: modelEnv(server.url, home), cwd })).code).toBe(1);
    const again = await runKeel(args, { env: modelEnv(server.url, home), cwd });
    expect(again).toMatchObject({ code: 0, stdout: 'Done this time.\n' });
    const input = server.requests[1]!.body.input as Item[];
    expect(promptsSent(input, 'summarize the changes')).toBe(1);
    expect(input.at(-1)).toMatchObject({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'summarize the changes' }] });
  });

  it('run again after it finished, prints the recorded answer and asks the model nothing', async () => {
    const { home, cwd } = place();
    const id = randomUUID();
    // Strict: a second request would be unexpected.
    const server = await useScriptedServer([respond(text('The answer is 42.'))]);
    const args = ['exec', '--session-id', id, 'what is the answer?'];
    const first = await runKeel(args, { env: modelEnv(server.url, home), cwd });
    expect(first).toMatchObject({ code: 0, stdout: 'The answer is 42.\n' });
    const path = findSessionById(home, id)!;
    const logBefore = readFileSync(path);

    const again = await runKeel(args, { env: modelEnv(server.url, home), cwd });
    expect(again).toMatchObject({ code: 0, stdout: 'The answer is 42.\n' });
    expect(again.stderr).toContain('nothing was sent');
    const json = await runKeel(['exec', '--json', '-o', join(cwd, 'last.txt'), '--session-id', id, 'what is the answer?'], { env: modelEnv(server.url, home), cwd });
    expect(json.code).toBe(0);
    const lines = json.stdout.trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ type: 'header', session_id: id });
    expect(messages(lines).map((msg) => msg.type)).toContain('agent_message');
    expect(messages(lines).filter((msg) => msg.type === 'task_complete')).toEqual([{ type: 'task_complete', last_agent_message: 'The answer is 42.' }]);
    // Ends as every run does: this run's verdict (nothing spent), then shutdown_complete.
    expect(JSON.parse(lines.at(-2)!)).toMatchObject({ type: 'exec_result', status: 'completed', exit_code: 0, usage: { total_tokens: 0 } });
    expect(messages(lines).at(-1)).toEqual({ type: 'shutdown_complete' });
    expect(readFileSync(join(cwd, 'last.txt'), 'utf8')).toBe('The answer is 42.');

    expect(server.requests).toHaveLength(1);
    // Reporting is reading: the log is untouched, the prompt history holds the prompt once.
    expect(readFileSync(path).equals(logBefore)).toBe(true);
    expect(historyLines(home)).toHaveLength(1);
  });

  it('sends a different prompt as the session\'s next message', async () => {
    const { home, cwd } = place();
    const id = randomUUID();
    const server = await useScriptedServer([respond(text('Tests written.')), respond(text('Tests run: all green.'))]);
    expect((await runKeel(['exec', '--session-id', id, 'write the tests'], { env: modelEnv(server.url, home), cwd })).code).toBe(0);
    const next = await runKeel(['exec', '--session-id', id, 'now run them'], { env: modelEnv(server.url, home), cwd });
    expect(next).toMatchObject({ code: 0, stdout: 'Tests run: all green.\n' });
    const input = (await server.waitForRequests(2))[1]!.body.input as Item[];
    expect(promptsSent(input, 'write the tests')).toBe(1);
    expect(JSON.stringify(input)).toContain('Tests written.');
    expect(input.at(-1)).toMatchObject({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'now run them' }] });
    expect([...sessionFiles(home)]).toHaveLength(1);
  });

  it('starts afresh when an earlier run left only an empty log (killed before its first line)', async () => {
    const { home, cwd } = place();
    const id = randomUUID();
    const empty = sessionLogPath(home, id, new Date(Date.now() - 60_000));
    mkdirSync(dirname(empty), { recursive: true });
    writeFileSync(empty, '');
    const server = await useScriptedServer([respond(text('Fresh start.'))]);
    const run = await runKeel(['exec', '--session-id', id, 'begin'], { env: modelEnv(server.url, home), cwd });
    expect(run).toMatchObject({ code: 0, stdout: 'Fresh start.\n' });
    const files = [...sessionFiles(home)];
    expect(files).toHaveLength(1);
    expect((await readSessionLog(files[0]!.path)).meta.session_id).toBe(id);
  });

  it('sends the prompt when an earlier run was stopped before it got that far (only the header was written)', async () => {
    const { home, cwd } = place();
    const id = randomUUID();
    const header = await SessionLogWriter.create({ home, meta: { session_id: id, keel_version: '0.1.0', cwd, model: 'gpt-5-codex', model_provider: 'openai', git: null, source: 'exec' } });
    await header.close();
    const server = await useScriptedServer([respond(text('Begun at last.'))]);
    const run = await runKeel(['exec', '--session-id', id, 'begin'], { env: modelEnv(server.url, home), cwd });
    expect(run).toMatchObject({ code: 0, stdout: 'Begun at last.\n' });
    expect(promptsSent(server.requests[0]!.body.input as Item[], 'begin')).toBe(1);
    expect((await readSessionLog(header.path)).resumedCount).toBe(1);
  });

  it('refuses an id that is not a UUID, and the flag on exec resume, with exit 2 and nothing recorded', async () => {
    const { home, cwd } = place();
    const env = modelEnv('http://127.0.0.1:9/v1', home);
    const bad = await runKeel(['exec', '--session-id', 'job-42', 'do it'], { env, cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--session-id expects a UUID');
    const onResume = await runKeel(['exec', 'resume', '--session-id', randomUUID(), 'do it'], { env, cwd });
    expect(onResume.code).toBe(2);
    expect(onResume.stderr).toContain('--session-id belongs to');
    expect([...sessionFiles(home)]).toEqual([]);
  });

  it('runs 20 jobs at once on one KEEL_HOME: all complete, every log and the prompt history intact', async () => {
    const { home, cwd } = place();
    const jobs = Array.from({ length: 20 }, (_, index) => ({ id: randomUUID(), prompt: `job number ${index}` }));
    const server = await useScriptedServer(jobs.map(() => respond(text('Job done.'))));
    const runs = await Promise.all(jobs.map((job) => runKeel(['exec', '--json', '--session-id', job.id, job.prompt], { env: modelEnv(server.url, home), cwd })));
    for (const run of runs) {
      // With --json, stderr is for problems only: no lock error, no warning about the prompt history.
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const ends = messages(run.stdout.trimEnd().split('\n')).filter((msg) => msg.type === 'task_complete');
      expect(ends).toEqual([{ type: 'task_complete', last_agent_message: 'Job done.' }]);
    }
    for (const job of jobs) {
      const log = await readSessionLog(findSessionById(home, job.id)!);
      expect(log.problems).toEqual([]);
      expect(log.tornTail).toBe(false);
      expect(log.ended).toEqual({ reason: 'shutdown' });
      expect(log.events.filter((entry) => entry.event.type === 'user_message').map((entry) => entry.event)).toEqual([{ type: 'user_message', message: job.prompt }]);
    }
    const history = historyLines(home);
    expect(history).toHaveLength(jobs.length);
    expect(new Set(history.map((line) => `${line.session_id} ${line.text}`))).toEqual(new Set(jobs.map((job) => `${job.id} ${job.prompt}`)));
    expect([...sessionFiles(home)]).toHaveLength(jobs.length);
  }, 60_000);
});
