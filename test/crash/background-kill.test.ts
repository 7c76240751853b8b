/**
 * SIGKILL of `keel exec` while three background processes run: keel gets no chance to stop them, so the orphan
 * watchdog must, and the session's next run must tell the model what became of them — with a history the API
 * accepts (every call has exactly one output).
 */
import { describe, expect, it } from 'vitest';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { liveProcessesMatching } from '../support/processes.ts';
import { descendantsOf } from '../support/process-tree.ts';
import { runKeel, startKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { RESUMED_TEXT } from './check-resume.ts';
import { freshPlace, keelEnv, logEndsMidTask, markerFor, messages, messageTexts, PROMPT, readLog, replay, waitForNoSurvivors, type Msg } from './crash-session.ts';

/** How long after the kill nothing keel started may be left (the watchdog's promise). */
const SURVIVOR_LIMIT_MS = 2_500;
const IDS = [1, 2, 3];

type Item = Record<string, unknown>;

/**
 * The environment of both runs. SHLVL as a shell that started keel sets it: without it, bash takes node's socket
 * stdin for rshd and reads ~/.bashrc even for `bash -c`.
 */
const env = (url: string, home: string) => ({ ...keelEnv(url, home), SHLVL: '1' });

describe('SIGKILL with background processes running', () => {
  it('leaves none of them alive, and the resumed session tells the model they were stopped with the last run', async () => {
    const marker = markerFor(700);
    const place = freshPlace();
    const call = (id: number) => functionCall('exec_command', { cmd: marker, yield_time_ms: 250, login: false }, `call_bg${id}`);
    const first = await useScriptedServer([
      respond(text('Starting three jobs.'), ...IDS.map(call)),
      // keel waits on this answer, with the three running, when it is killed.
      respond(text('Waiting for them.'), { faults: { stallAfterEvents: 0 } }),
    ]);
    const run = startKeel(['exec', '--json', PROMPT], { env: env(first.url, place.home), cwd: place.cwd });
    const backgrounded = (line: string): boolean => {
      const msg = messages([line])[0];
      return msg?.type === 'exec_command_end' && msg.status === 'backgrounded';
    };
    for (const id of IDS) await run.waitForLine((line) => backgrounded(line) && messages([line])[0]!.process_id === id);
    // The request after the calls is out: their outputs and the list of processes are in the log by then.
    await first.waitForRequests(2);
    const listed = messages(run.lines).filter((msg): msg is Msg => msg?.type === 'background_processes').at(-1)!;
    expect(listed.processes.map((process: Msg) => [process.id, process.status])).toEqual(IDS.map((id) => [id, 'running']));
    expect(liveProcessesMatching(marker).length).toBeGreaterThanOrEqual(IDS.length);

    const started = descendantsOf(run.child.pid!);
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');
    await waitForNoSurvivors(marker, started, SURVIVOR_LIMIT_MS);

    const before = await readLog(place.home);
    expect(before.problems).toEqual([]);
    const continued = logEndsMidTask(before);
    const second = await useScriptedServer([respond(text(RESUMED_TEXT))]);
    const args = ['exec', 'resume', '--json', '--last', ...(continued ? [] : ['one more thing'])];
    const resumed = await runKeel(args, { env: env(second.url, place.home), cwd: place.cwd });
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const events = messages(resumed.stdout.trimEnd().split('\n')).filter((msg) => msg !== null);
    expect(events.filter((msg) => msg.type === 'error' || msg.type === 'warning' || msg.type === 'stream_error')).toEqual([]);

    // Accepted: the strict server answers a request the real API would refuse with a 400, and records why.
    expect(second.requests.map((request) => request.status)).toEqual([200]);
    expect(second.violations).toEqual([]);
    const input = second.requests[0]!.body.input as Item[];
    for (const callId of IDS.map((id) => `call_bg${id}`)) {
      const outputs = input.filter((item) => item.type === 'function_call_output' && item.call_id === callId);
      expect(outputs, `outputs of ${callId}`).toHaveLength(1);
      // Seen to go to the background before the kill: its real answer, not a made-up one.
      expect(outputs[0]!.output).toContain(`Process running with session ID ${callId.slice(-1)}`);
    }
    const calls = input.filter((item) => item.type === 'function_call').map((item) => item.call_id);
    const answered = input.filter((item) => item.type === 'function_call_output').map((item) => item.call_id);
    expect([...answered].sort()).toEqual([...calls].sort());

    const note = messageTexts(input, 'user').find((message) => message.includes('<background_processes>'));
    expect(note, 'a user message about the background processes').toBeDefined();
    for (const id of IDS) expect(note).toContain(`- session ID ${id} (\`${marker}\`): stopped when keel's previous run ended`);
    // It comes after the calls that started them, as news of what happened since.
    const noteAt = input.findIndex((item) => item.type === 'message' && messageTexts([item], 'user')[0] === note);
    expect(noteAt).toBeGreaterThan(input.findIndex((item) => item.type === 'function_call_output' && item.call_id === 'call_bg3'));

    // The log, read back, needs nothing made up, and stays readable.
    const after = await readLog(place.home);
    expect(after.problems).toEqual([]);
    expect(replay(after.items).normalize()).toEqual([]);
    expect(liveProcessesMatching(marker)).toEqual([]);
  });
});
