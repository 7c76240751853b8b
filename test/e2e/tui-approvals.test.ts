/**
 * Approvals in the interactive UI, in a pseudo-terminal against the strict scripted model: each answer (y, a, n,
 * Esc) does what it says on the screen and in what the model is sent next.
 *
 * keel runs with `-a untrusted --dangerously-bypass-sandbox`: every command not known to be read-only is asked
 * about, and none depends on bubblewrap being installed.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callIndex, functionCallOutput, outputIndex, outputText, userMessageTexts } from '../../src/scripted/index.ts';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { APPROVAL_CHOICES, APPROVAL_QUESTION, IDLE_PROMPT, INTERRUPTED_IDLE, modelEnv, occurrences, outputLine, tuiPlace } from '../support/keel-tui.ts';
import { trackPtys, type PtyKeel } from '../support/pty-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const ptys = trackPtys();
const ASKING = ['-a', 'untrusted', '--dangerously-bypass-sandbox'];

/** A command that changes the working directory (so it is asked about) and says so. */
function touchCommand(file: string): string[] {
  return ['bash', '-c', `touch ${file} && echo made-${file}`];
}

/** Waits for the approval prompt about a command, with its choices, and the hint that keel waits. */
async function waitForQuestion(keel: PtyKeel, command: string): Promise<void> {
  await keel.waitFor('Run this command?');
  await keel.waitFor(command);
  await keel.waitFor(APPROVAL_QUESTION);
  await keel.waitFor(APPROVAL_CHOICES);
  await keel.waitFor('keel is waiting for your answer');
}

describe('keel UI: approvals', () => {
  it('y approves once: the command runs and its output is shown and sent back', async () => {
    const { cwd } = tuiPlace();
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: touchCommand('yes.txt') }, 'call_y')),
      respond(text('The file is there.')),
    ]);
    const keel = ptys.start([...ASKING, 'make yes.txt'], { cwd, env: modelEnv(server.url) });
    await waitForQuestion(keel, 'touch yes.txt');
    // Nothing runs before the answer.
    expect(existsSync(join(cwd, 'yes.txt'))).toBe(false);
    expect(server.requests).toHaveLength(1);

    keel.type('y');
    await keel.waitFor('✓ command approved');
    await keel.waitFor(outputLine('made-yes.txt'));
    await keel.waitFor(/✓ exit 0 · \d+\.\ds/);
    await keel.waitFor('The file is there.');
    await keel.waitFor(IDLE_PROMPT);
    expect(keel.screen()).not.toContain(APPROVAL_QUESTION);
    expect(existsSync(join(cwd, 'yes.txt'))).toBe(true);

    const [, second] = await server.waitForRequests(2);
    expect(outputText(functionCallOutput(second!, 'call_y'))).toContain('made-yes.txt');
  });

  it('a approves for the session: the same command asked for again later runs without a question', async () => {
    const { cwd } = tuiPlace();
    const command = touchCommand('again.txt');
    const server = await useScriptedServer([
      respond(functionCall('shell', { command }, 'call_a1')),
      respond(text('First run done.')),
      respond(functionCall('shell', { command }, 'call_a2')),
      respond(text('Second run done.')),
    ]);
    const keel = ptys.start([...ASKING, 'make again.txt'], { cwd, env: modelEnv(server.url) });
    await waitForQuestion(keel, 'touch again.txt');
    keel.type('a');
    await keel.waitFor('✓ command approved for the rest of this session');
    await keel.waitFor('First run done.');
    await keel.waitFor(IDLE_PROMPT);

    // A new task in the same session: the identical command runs without a question.
    keel.type('do it again');
    keel.press('enter');
    await keel.waitFor((screen) => screen.includes('Second run done.') || screen.includes(APPROVAL_QUESTION));
    expect(keel.screen()).not.toContain(APPROVAL_QUESTION);
    await keel.waitFor(IDLE_PROMPT);
    const history = keel.history();
    expect(occurrences(history, '✓ command approved')).toBe(1);
    // Both runs are in the transcript with their output line.
    expect(history.split('\n').filter((row) => row.trim() === 'made-again.txt')).toHaveLength(2);

    const requests = await server.waitForRequests(4);
    expect(outputText(functionCallOutput(requests[1]!, 'call_a1'))).toContain('made-again.txt');
    expect(outputText(functionCallOutput(requests[3]!, 'call_a2'))).toContain('made-again.txt');
  });

  it('n denies: the command does not run, the model is told, and the task goes on', async () => {
    const { cwd } = tuiPlace();
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: touchCommand('no.txt') }, 'call_n')),
      respond(text('Fine, I will not create it.')),
    ]);
    const keel = ptys.start([...ASKING, 'make no.txt'], { cwd, env: modelEnv(server.url) });
    await waitForQuestion(keel, 'touch no.txt');
    keel.type('n');
    await keel.waitFor('✗ command denied');
    await keel.waitFor('Fine, I will not create it.');
    await keel.waitFor(IDLE_PROMPT);
    expect(keel.history()).not.toContain('⏹ Interrupted');
    expect(existsSync(join(cwd, 'no.txt'))).toBe(false);

    const [, second] = await server.waitForRequests(2);
    expect(outputIndex(second!, 'call_n')).toBe(callIndex(second!, 'call_n') + 1);
    expect(outputText(functionCallOutput(second!, 'call_n'))).toBe('exec command rejected by user');
  });

  it('Esc aborts the task: nothing runs, the task is interrupted and the call is answered', async () => {
    const { cwd } = tuiPlace();
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: touchCommand('abort.txt') }, 'call_esc')),
      respond(text('Stopped as you asked.')),
    ]);
    const keel = ptys.start([...ASKING, 'make abort.txt'], { cwd, env: modelEnv(server.url) });
    await waitForQuestion(keel, 'touch abort.txt');
    keel.press('escape');
    await keel.waitFor('⏹ command not approved: stopping the task');
    await keel.waitFor(INTERRUPTED_IDLE);
    await keel.waitFor(IDLE_PROMPT);
    expect(keel.screen()).not.toContain(APPROVAL_QUESTION);
    expect(existsSync(join(cwd, 'abort.txt'))).toBe(false);
    // The task ended without asking the model again.
    expect(server.requests).toHaveLength(1);

    keel.type('ok, leave it');
    keel.press('enter');
    await keel.waitFor('Stopped as you asked.');
    const [, second] = await server.waitForRequests(2);
    expect(outputIndex(second!, 'call_esc')).toBe(callIndex(second!, 'call_esc') + 1);
    expect(outputText(functionCallOutput(second!, 'call_esc'))).toBe('aborted by user');
    expect(userMessageTexts(second!).at(-1)).toBe('ok, leave it');
  });

  it('letters of a message being typed never answer a question that appears meanwhile', async () => {
    const { cwd } = tuiPlace();
    const gate = join(cwd, 'gate');
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: ['bash', '-c', `while [ ! -e ${gate} ]; do sleep 0.02; done; echo gate-open`] }, 'call_wait')),
      respond(functionCall('shell', { command: touchCommand('typed.txt') }, 'call_typed')),
      respond(text('Made it.')),
    ]);
    const keel = ptys.start([...ASKING, 'wait, then make typed.txt'], { cwd, env: modelEnv(server.url) });
    await waitForQuestion(keel, 'while [ ! -e');
    keel.type('y');
    await keel.waitFor(/running \d+s · Ctrl\+C to stop/);

    // The person starts a message while the first command runs; the next question arrives in the middle of it.
    keel.type('now ');
    await keel.waitFor('↳ now');
    writeFileSync(gate, '');
    await keel.waitFor('↑ Run the command above?');
    await keel.waitFor('to answer, send your message first');
    keel.type('add tests');
    await keel.waitFor('↳ now add tests');
    // None of those letters ("n", "a") answered it: nothing ran, the model was not asked again.
    expect(existsSync(join(cwd, 'typed.txt'))).toBe(false);
    expect(server.requests).toHaveLength(2);
    expect(keel.history()).not.toContain('✗ command denied');

    // Cleared, the prompt is empty again and "y" answers.
    keel.press('ctrl-u');
    await keel.waitFor(APPROVAL_CHOICES);
    keel.type('y');
    await keel.waitFor('Made it.');
    expect(existsSync(join(cwd, 'typed.txt'))).toBe(true);
  });

  it('a long command is shown whole before it is approved, even taller than the screen', async () => {
    const { cwd } = tuiPlace();
    const script = [...Array.from({ length: 30 }, (_, index) => `echo step-${index}`), 'touch long.txt', 'echo LAST-LINE-OF-SCRIPT'].join('\n');
    const server = await useScriptedServer([respond(functionCall('shell', { command: ['bash', '-c', script] }, 'call_long_script')), respond(text('Ran it.'))]);
    const keel = ptys.start([...ASKING, 'run the script'], { cwd, env: modelEnv(server.url) });
    await keel.waitFor(APPROVAL_CHOICES);
    // Every line is in the transcript (the scrollback), the last one included.
    await keel.waitFor('LAST-LINE-OF-SCRIPT', { history: true });
    expect(keel.history()).toContain('echo step-0');
    keel.type('n');
    await keel.waitFor('Ran it.');
    expect(existsSync(join(cwd, 'long.txt'))).toBe(false);
  });

  it('says that an approved command runs outside the sandbox', async () => {
    const { cwd } = tuiPlace();
    const server = await useScriptedServer([respond(functionCall('shell', { command: touchCommand('outside.txt') }, 'call_out')), respond(text('Left it.'))]);
    const keel = ptys.start(['-a', 'untrusted', '-s', 'read-only', 'make outside.txt'], { cwd, env: modelEnv(server.url) });
    await waitForQuestion(keel, 'touch outside.txt');
    await keel.waitFor('It runs outside the read-only sandbox.');
    keel.type('n');
    await keel.waitFor('Left it.');
  });
});

