/**
 * The interactive UI killed from outside while a command runs: SIGTERM (a graceful stop: the task is interrupted,
 * the log closed, the terminal given back) and SIGKILL (nothing runs in keel any more: the watchdog stops the
 * command). Either way `keel resume --last` shows the session and goes on with every call answered.
 */
import { describe, expect, it } from 'vitest';
import { callIndex, functionCallOutput, outputIndex, outputText, userMessageTexts } from '../../src/scripted/index.ts';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { IDLE_PROMPT, NO_QUESTIONS, expectTerminalRestored, headerSessionId, modelEnv, outputLine, tuiPlace, waitForSession } from '../support/keel-tui.ts';
import { liveProcessesMatching } from '../support/processes.ts';
import { trackPtys } from '../support/pty-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { waitUntil } from '../support/wait-until.ts';

const ptys = trackPtys();

describe('keel UI: stopped from outside', () => {
  it.each([
    ['SIGTERM', '30.621', 143],
    ['SIGKILL', '30.622', null],
  ] as const)('%s during a running command: the command is stopped, and keel resume --last goes on', async (signal, seconds, exitCode) => {
    const marker = `signal-${seconds}`;
    const server = await useScriptedServer([
      respond(text('Starting.'), functionCall('shell', { command: ['bash', '-c', `echo ${marker}; sleep ${seconds}`] }, 'call_sig')),
      respond(text('Picking up where we were.')),
    ]);
    const place = tuiPlace();
    const options = { cwd: place.cwd, env: modelEnv(server.url, place.home) };
    const first = ptys.start([...NO_QUESTIONS, 'start the job'], options);
    await first.waitFor(outputLine(marker));
    await waitUntil(() => liveProcessesMatching(`sleep ${seconds}`).length > 0);
    const id = headerSessionId(first);

    process.kill(first.pid, signal);
    const exit = await first.exited;
    if (exitCode !== null) {
      // A graceful stop: the session is saved and the terminal is as it was.
      expect(exit.exitCode).toBe(exitCode);
      expect(first.history()).toContain(`Session saved. Resume it with: keel resume ${id}`);
      expectTerminalRestored(first);
    }
    // Whatever ended keel, the command it started does not outlive it.
    await waitUntil(() => liveProcessesMatching(`sleep ${seconds}`).length === 0, 5_000);

    const second = ptys.start(['resume', '--last', ...NO_QUESTIONS], options);
    await waitForSession(second);
    expect(headerSessionId(second)).toBe(id);
    await second.waitFor('Resumed.', { history: true });
    const shown = second.history();
    expect(shown).toContain('› start the job');
    expect(shown).toContain(`$ bash -c 'echo ${marker}; sleep ${seconds}'`);
    if (signal === 'SIGKILL') expect(shown).toContain('keel stopped in the middle of the last task');

    second.type('go on');
    second.press('enter');
    await second.waitFor('Picking up where we were.');
    await second.waitFor(IDLE_PROMPT);

    const [, request] = await server.waitForRequests(2);
    expect(outputIndex(request!, 'call_sig')).toBe(callIndex(request!, 'call_sig') + 1);
    const output = outputText(functionCallOutput(request!, 'call_sig'))!;
    expect(output).toMatch(signal === 'SIGKILL' ? /keel stopped while this command was running/ : /aborted by user/);
    expect(userMessageTexts(request!).at(-1)).toBe('go on');
  });
});
