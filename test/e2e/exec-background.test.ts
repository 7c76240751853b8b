/**
 * `keel exec` with background processes, the real binary against the scripted model server: `exec_command` answers
 * with an exit code or a session ID, `write_stdin` polls and feeds a running process, `max_background_processes`
 * refuses one too many, and at the end keel stops every background process and says which.
 */
import { describe, expect, it } from 'vitest';
import { Event } from '../../src/protocol/index.ts';
import { functionCall, functionCallOutput, outputText, respond, text, type CapturedRequest } from '../../src/scripted/index.ts';
import { checkEventInvariants } from '../support/event-invariants.ts';
import { liveProcessesMatching } from '../support/processes.ts';
import { runKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

/**
 * SHLVL as a shell that started keel sets it: without it, bash takes a socket for stdin (node's 'pipe') as a sign of
 * rshd and reads ~/.bashrc even for `bash -c`, and this machine's rc file prints.
 */
const modelEnv = (url: string) => ({ OPENAI_BASE_URL: url, OPENAI_API_KEY: 'test-key', SHLVL: '1' });

/** An argument no other process on the machine has: /proc tells this test's processes by it. */
const marker = (n: number) => `sleep 37.${String(process.pid % 100_000).padStart(5, '0')}${n}`;

/** What the model was told for `callId`, read from the request that followed the call. */
function answerTo(requests: readonly CapturedRequest[], callId: string): string {
  const request = requests.find((candidate) => functionCallOutput(candidate, callId) !== undefined);
  expect(request, `a request answering ${callId}`).toBeDefined();
  return outputText(functionCallOutput(request!, callId))!;
}

/** The lines of an answer after its `Output:` line. */
const outputPart = (answer: string) => answer.slice(answer.indexOf('\nOutput:\n') + '\nOutput:\n'.length);

describe('keel exec, background processes', () => {
  it('answers a quick command with its exit code, a slow one with a session ID, and write_stdin until it exits', async () => {
    // Not a login shell: what this machine's profile prints is not the command's output.
    // The slow command waits for a line on its input, so it is still running however long its call waits.
    const slow = 'echo first; read line; echo "got $line"';
    const server = await useScriptedServer([
      respond(functionCall('exec_command', { cmd: 'echo quick; exit 3', login: false }, 'call_quick')),
      respond(functionCall('exec_command', { cmd: slow, yield_time_ms: 1000, login: false }, 'call_slow')),
      respond(functionCall('write_stdin', { session_id: 2, chars: '' }, 'call_poll')),
      respond(functionCall('write_stdin', { session_id: 2, chars: 'hello\n', yield_time_ms: 10_000 }, 'call_send')),
      respond(text('The slow one said hello back.')),
    ]);
    const result = await runKeel(['exec', 'try the commands'], { env: modelEnv(server.url) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('The slow one said hello back.\n');
    const requests = await server.waitForRequests(5);

    const quick = answerTo(requests, 'call_quick');
    expect(quick).toMatch(/^Wall time: \d+\.\d seconds\nProcess exited with code 3\nOutput:\nquick\n?$/);

    const started = answerTo(requests, 'call_slow');
    expect(started).toMatch(/^Wall time: \d+\.\d seconds\nProcess running with session ID 2\nOutput:\n/);
    expect(outputPart(started)).toBe('first\n');

    // A poll reads only what is new: nothing was printed since.
    const polled = answerTo(requests, 'call_poll');
    expect(polled).toContain('Process running with session ID 2\n');
    expect(outputPart(polled)).toBe('');

    const ended = answerTo(requests, 'call_send');
    expect(ended).toContain('Process exited with code 0\n');
    expect(outputPart(ended)).toBe('got hello\n');

    expect(result.stderr).toContain('$ echo quick; exit 3');
    expect(result.stderr).toContain(`▸ running in background as session 2: ${slow}`);
    expect(result.stderr).toContain(`↳ session 2 (${slow}) · polled · still running\n`);
    expect(result.stderr).toContain(`↳ session 2 (${slow}) · sent "hello\\n" · ✓ exited with code 0\n  got hello\n`);
    // It had ended by itself: nothing was left for keel to stop.
    expect(result.stderr).not.toContain('background process');
  });

  const overTheLimit = (n: number) => [
    respond(
      functionCall('exec_command', { cmd: marker(n), yield_time_ms: 250 }, 'call_bg1'),
      functionCall('exec_command', { cmd: marker(n), yield_time_ms: 250 }, 'call_bg2'),
      functionCall('exec_command', { cmd: marker(n), yield_time_ms: 250 }, 'call_bg3'),
    ),
    respond(text('Two run; the third was refused.')),
  ];

  it('refuses a background process beyond max_background_processes, and stops the others at exit, listing them', async () => {
    const server = await useScriptedServer(overTheLimit(1));
    const result = await runKeel(['exec', '-c', 'max_background_processes=2', 'start three'], { env: modelEnv(server.url) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('Two run; the third was refused.\n');
    const [, second] = await server.waitForRequests(2);
    expect(answerTo([second!], 'call_bg1')).toContain('Process running with session ID 1');
    expect(answerTo([second!], 'call_bg2')).toContain('Process running with session ID 2');
    expect(answerTo([second!], 'call_bg3')).toMatch(/max_background_processes = 2/);

    expect(result.stderr).toMatch(/✗ refused: .*sleep 37\.\d+1.* — 2 background processes are running/);
    expect(result.stderr).toContain('1 call did not run (1 refused)');
    // keel had stopped both before it exited.
    expect(liveProcessesMatching(marker(1))).toEqual([]);
    expect(result.stderr).toMatch(new RegExp(`stopped 2 background processes at exit: 1 \`${marker(1)}\` \\(running \\d+s\\), 2 \`${marker(1)}\` \\(running \\d+s\\)\\n`));
  });

  it('--json says the same as plain events: tool_call_blocked for the refusal, the stopped list before shutdown_complete', async () => {
    const server = await useScriptedServer(overTheLimit(2));
    const result = await runKeel(['exec', '--json', '-c', 'max_background_processes=2', 'start three'], { env: modelEnv(server.url) });
    expect(result.code, result.stderr).toBe(0);
    expect(liveProcessesMatching(marker(2))).toEqual([]);
    const lines = result.stdout.trimEnd().split('\n').slice(1).map((line) => JSON.parse(line) as { type?: string });
    // exec's own verdict line (exec_result) is no event.
    const events = lines.filter((line) => line.type !== 'exec_result').map((line) => Event.parse(line));
    expect(checkEventInvariants(events)).toEqual([]);
    const msgs = events.map((event) => event.msg);

    const ends = msgs.filter((msg) => msg.type === 'exec_command_end');
    expect(ends.map((msg) => [msg.call_id, msg.status, msg.exit_code, msg.process_id])).toEqual([
      ['call_bg1', 'backgrounded', null, 1],
      ['call_bg2', 'backgrounded', null, 2],
    ]);
    expect(msgs.filter((msg) => msg.type === 'tool_call_blocked')).toEqual([
      expect.objectContaining({ call_id: 'call_bg3', tool: 'exec_command', outcome: 'refused', reason: expect.stringContaining('max_background_processes = 2') }),
    ]);

    expect(msgs.at(-1)!.type).toBe('shutdown_complete');
    const lastList = msgs.filter((msg) => msg.type === 'background_processes').at(-1)!;
    expect(msgs.indexOf(lastList)).toBeGreaterThan(msgs.findIndex((msg) => msg.type === 'task_complete'));
    expect(lastList.processes.map(({ id, command, status }) => ({ id, command, status }))).toEqual([
      { id: 1, command: marker(2), status: 'stopped' },
      { id: 2, command: marker(2), status: 'stopped' },
    ]);
    // stdout is only JSON: the stopped list goes nowhere else.
    expect(result.stderr).toBe('');
  });
});
