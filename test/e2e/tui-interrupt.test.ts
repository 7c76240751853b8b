/**
 * The interactive UI in a pseudo-terminal, against the strict scripted model: interrupting a running task (Ctrl+C,
 * Esc), quitting (Ctrl+C twice, Ctrl+D) with the terminal given back, and input queued while a task runs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callIndex, functionCallOutput, outputIndex, outputText, requestInput, userMessageTexts } from '../../src/scripted/index.ts';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import {
  IDLE_PROMPT,
  INTERRUPTED,
  NO_QUESTIONS,
  QUIT_HINT,
  WORKING,
  expectTerminalRestored,
  headerSessionId,
  modelEnv,
  occurrences,
  outputLine,
  tuiPlace,
  waitForSession,
} from '../support/keel-tui.ts';
import { liveProcessesMatching } from '../support/processes.ts';
import { trackPtys, type PtyKeel } from '../support/pty-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { waitUntil } from '../support/wait-until.ts';

const ptys = trackPtys();

describe('keel UI: interrupting a task', () => {
  it.each([
    ['Ctrl+C', 'ctrl-c', '30.611'],
    ['Esc', 'escape', '30.612'],
  ] as const)('%s during a running command stops it, and the session goes on with the call answered', async (_name, key, seconds) => {
    const marker = `started-${seconds}`;
    const server = await useScriptedServer([
      respond(text('Starting the long job.'), functionCall('shell', { command: ['bash', '-c', `echo ${marker}; sleep ${seconds}`] }, 'call_long')),
      respond(text('Understood, nothing is running now.')),
    ]);
    const keel = ptys.start([...NO_QUESTIONS, 'run the long job'], { env: modelEnv(server.url) });

    // The command runs and shows live, with the task's hint line.
    await keel.waitFor(outputLine(marker));
    await keel.waitFor(/running \d+s · Ctrl\+C to stop/);
    await keel.waitFor(WORKING);
    await waitUntil(() => liveProcessesMatching(`sleep ${seconds}`).length > 0);

    keel.press(key);
    await keel.waitFor(INTERRUPTED);
    await keel.waitFor(/⏹ stopped after \d+\.\ds/);
    await keel.waitFor(IDLE_PROMPT);
    expect(keel.screen()).not.toMatch(WORKING);
    // The interrupt ends the command's whole process group, not just the UI's view of it.
    await waitUntil(() => liveProcessesMatching(`sleep ${seconds}`).length === 0, 5_000);

    keel.type('what happened?');
    await keel.waitFor('› what happened?');
    keel.press('enter');
    await keel.waitFor('Understood, nothing is running now.');

    const [, second] = await server.waitForRequests(2);
    // The interrupted call is answered right after it (the strict server checks it too), with a synthetic output
    // that keeps what the command printed and says it was aborted.
    const call = callIndex(second!, 'call_long');
    expect(call).toBeGreaterThanOrEqual(0);
    expect(outputIndex(second!, 'call_long')).toBe(call + 1);
    const output = JSON.parse(outputText(functionCallOutput(second!, 'call_long'))!) as { output: string };
    expect(output.output.startsWith(`${marker}\n`)).toBe(true);
    expect(output.output).toMatch(/\naborted by user after \d+(\.\d+)?s$/);
    expect(userMessageTexts(second!).at(-1)).toBe('what happened?');
    expect(requestInput(second!).at(-1)).toMatchObject({ type: 'message', role: 'user' });
  });
});

describe('keel UI: quitting', () => {
  /** Starts keel on an empty session and waits for its prompt. */
  async function idleKeel(): Promise<PtyKeel> {
    const server = await useScriptedServer([]);
    const keel = ptys.start([], { env: modelEnv(server.url) });
    await waitForSession(keel);
    return keel;
  }

  /** keel has exited 0 after saying where the session is, and gave the terminal back as it found it. */
  async function expectCleanExit(keel: PtyKeel): Promise<void> {
    const id = headerSessionId(keel);
    expect(await keel.exited).toEqual({ exitCode: 0 });
    expect(keel.history()).toContain(`Session saved. Resume it with: keel resume ${id}`);
    expectTerminalRestored(keel);
  }

  it('a second Ctrl+C on an empty prompt quits, saving the session and restoring the terminal', async () => {
    const keel = await idleKeel();
    keel.press('ctrl-c');
    await keel.waitFor(QUIT_HINT);
    // One Ctrl+C only asks: keel still takes input.
    keel.type('x');
    await keel.waitFor('› x');
    expect(keel.screen()).not.toContain(QUIT_HINT);
    keel.press('backspace');
    await keel.waitFor(IDLE_PROMPT);
    keel.press('ctrl-c');
    await keel.waitFor(QUIT_HINT);
    keel.press('ctrl-c');
    await expectCleanExit(keel);
  });

  it('Ctrl+D on an empty prompt quits the same way', async () => {
    const keel = await idleKeel();
    keel.press('ctrl-d');
    await expectCleanExit(keel);
  });

  it('Ctrl+C on a prompt with text clears it and does not quit', async () => {
    const keel = await idleKeel();
    keel.type('a draft I regret');
    await keel.waitFor('› a draft I regret');
    keel.press('ctrl-c');
    await keel.waitFor(IDLE_PROMPT);
    expect(keel.screen()).not.toContain('a draft I regret');
    expect(keel.screen()).not.toContain(QUIT_HINT);
    // Still running and reading keys: another draft echoes, and clearing it does not count as a first Ctrl+C either.
    keel.type('second draft');
    await keel.waitFor('› second draft');
    keel.press('ctrl-c');
    await keel.waitFor(IDLE_PROMPT);
    expect(keel.screen()).not.toContain(QUIT_HINT);
    expect(occurrences(keel.output(), 'Session saved')).toBe(0);
    keel.press('ctrl-c');
    await keel.waitFor(QUIT_HINT);
    keel.press('ctrl-c');
    await expectCleanExit(keel);
  });
});

describe('keel UI: input while a task runs', () => {
  it('queues a message typed during a command, sends it with the next request and then stops showing it as queued', async () => {
    const { cwd } = tuiPlace();
    // Each command waits for a file the test creates when it is ready: no race with the typing.
    const waitFor = (file: string) => ['bash', '-c', `echo waiting-for-${file}; while [ ! -e ${file} ]; do sleep 0.05; done; echo got-${file}`];
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: waitFor('release') }, 'call_wait')),
      respond(text('Also checking the logs.'), functionCall('shell', { command: waitFor('finish') }, 'call_logs')),
      respond(text('Noted your message about the logs.')),
    ]);
    const keel = ptys.start([...NO_QUESTIONS, 'wait for the release'], { cwd, env: modelEnv(server.url) });
    await keel.waitFor(outputLine('waiting-for-release'));
    await keel.waitFor('↳ type a message to queue it for the running task');

    keel.type('also check the logs');
    await keel.waitFor('↳ also check the logs');
    keel.press('enter');
    await keel.waitFor('↳ queued: also check the logs');
    // Queued, not sent: the model has had one request so far, and the task still runs.
    expect(server.requests).toHaveLength(1);
    expect(keel.screen()).toMatch(WORKING);

    writeFileSync(join(cwd, 'release'), '');
    // The engine took the message into the conversation with the command's output: the task still runs, the
    // message is in the transcript as the person's, and no longer marked as queued.
    await keel.waitFor(outputLine('waiting-for-finish'));
    await keel.waitFor('› also check the logs', { history: true });
    expect(keel.screen()).not.toContain('queued:');
    expect(keel.screen()).toMatch(WORKING);
    const [, second] = await server.waitForRequests(2);
    const input = requestInput(second!);
    const output = outputIndex(second!, 'call_wait');
    expect(outputText(input[output])).toContain('got-release');
    // The queued message follows the command's output, as a user message.
    expect(input.slice(output + 1)).toContainEqual(expect.objectContaining({ type: 'message', role: 'user' }));
    expect(userMessageTexts(second!).at(-1)).toBe('also check the logs');

    writeFileSync(join(cwd, 'finish'), '');
    await keel.waitFor('Noted your message about the logs.');
    await keel.waitFor(IDLE_PROMPT);
    // Sent once: the last request does not carry it a second time.
    const [, , third] = await server.waitForRequests(3);
    expect(userMessageTexts(third!).filter((message) => message === 'also check the logs')).toHaveLength(1);
  });
});
