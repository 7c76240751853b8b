/**
 * What the interactive UI keeps between runs, in a pseudo-terminal against the strict scripted model: prompt
 * history recalled with Up, sessions reopened from the /resume picker and with `keel resume --last`.
 */
import { describe, expect, it } from 'vitest';
import { userMessageTexts } from '../../src/scripted/index.ts';
import { respond, text } from '../../src/scripted/script-builders.ts';
import { IDLE_PROMPT, expectTerminalRestored, headerSessionId, modelEnv, tuiPlace, waitForSession } from '../support/keel-tui.ts';
import { trackPtys, type PtyKeelOptions } from '../support/pty-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const ptys = trackPtys();

/**
 * Runs keel once: types `prompt`, waits for `answer`, quits with Ctrl+D. Returns the session's id once keel has
 * exited (its log and the prompt history are on disk by then).
 */
async function recordSession(prompt: string, answer: string, options: PtyKeelOptions): Promise<string> {
  const keel = ptys.start([], options);
  await waitForSession(keel);
  keel.type(prompt);
  keel.press('enter');
  await keel.waitFor(answer);
  await keel.waitFor(IDLE_PROMPT);
  keel.press('ctrl-d');
  expect(await keel.exited).toEqual({ exitCode: 0 });
  return headerSessionId(keel);
}

describe('keel UI: sessions', () => {
  it('Up recalls a prompt typed in an earlier run with the same KEEL_HOME, and Enter sends it', async () => {
    const { home } = tuiPlace();
    const server = await useScriptedServer([respond(text('Noted the first time.')), respond(text('Noted once more.'))]);
    await recordSession('water the basil', 'Noted the first time.', { env: modelEnv(server.url, home) });

    // Another run, in another directory, on a new session: only the prompt history connects them.
    const keel = ptys.start([], { env: modelEnv(server.url, home) });
    await waitForSession(keel);
    expect(keel.history()).not.toContain('water the basil');
    keel.press('up');
    await keel.waitFor('› water the basil');
    keel.press('enter');
    await keel.waitFor('Noted once more.');

    const [, second] = await server.waitForRequests(2);
    expect(userMessageTexts(second!).at(-1)).toBe('water the basil');
    // The new session did not inherit the old conversation: the prompt was sent as a new message, once.
    expect(userMessageTexts(second!).filter((message) => message === 'water the basil')).toHaveLength(1);
  });

  it('/resume lists the earlier session of this directory by its first prompt and opens it with its transcript', async () => {
    const { home, cwd } = tuiPlace();
    const server = await useScriptedServer([respond(text('Earlier answer about the parser.')), respond(text('Back on the parser.'))]);
    const options = { cwd, env: modelEnv(server.url, home) };
    const earlier = await recordSession('explain the parser', 'Earlier answer about the parser.', options);

    const keel = ptys.start([], options);
    await waitForSession(keel);
    const current = headerSessionId(keel);
    expect(current).not.toBe(earlier);
    keel.type('/resume');
    keel.press('enter');
    await keel.waitFor('Resume a session of this repository');
    await keel.waitFor(new RegExp(`› 1\\. explain the parser .*${earlier.slice(0, 8)}`));
    keel.press('enter');

    await keel.waitFor('Resumed.', { history: true });
    await keel.waitFor(IDLE_PROMPT);
    const history = keel.history();
    const shown = history.slice(history.lastIndexOf(`session ${earlier}`));
    expect(shown).toContain('› explain the parser');
    expect(shown).toContain('Earlier answer about the parser.');
    expect(shown.indexOf('Earlier answer about the parser.')).toBeLessThan(shown.indexOf('Resumed.'));
    expect(keel.screen()).not.toContain('Resume a session of this repository');

    // The conversation goes on in the earlier session: the model gets its history with the new prompt.
    keel.type('and the lexer?');
    keel.press('enter');
    await keel.waitFor('Back on the parser.');
    const [, second] = await server.waitForRequests(2);
    expect(userMessageTexts(second!)).toEqual(expect.arrayContaining(['explain the parser', 'and the lexer?']));
    expect(userMessageTexts(second!).at(-1)).toBe('and the lexer?');
  });

  it('keel resume --last opens the UI on the last session of this directory, showing its transcript', async () => {
    const { home, cwd } = tuiPlace();
    const server = await useScriptedServer([respond(text('The build uses esbuild.')), respond(text('And vitest for tests.'))]);
    const options = { cwd, env: modelEnv(server.url, home) };
    const earlier = await recordSession('how is it built?', 'The build uses esbuild.', options);

    const keel = ptys.start(['resume', '--last'], options);
    await keel.waitFor('Resumed.');
    await keel.waitFor(IDLE_PROMPT);
    expect(headerSessionId(keel)).toBe(earlier);
    const history = keel.history();
    expect(history).toContain('› how is it built?');
    expect(history.indexOf('The build uses esbuild.')).toBeLessThan(history.indexOf('Resumed.'));

    keel.type('and the tests?');
    keel.press('enter');
    await keel.waitFor('And vitest for tests.');
    const [, second] = await server.waitForRequests(2);
    expect(userMessageTexts(second!)).toEqual(expect.arrayContaining(['how is it built?', 'and the tests?']));
  });

  it('keel resume with no session named offers a picker; Esc leaves with the terminal restored, Enter opens the pick', async () => {
    const place = tuiPlace();
    const server = await useScriptedServer([respond(text('First answer.')), respond(text('Second answer.')), respond(text('Back again.'))]);
    const options = { cwd: place.cwd, env: modelEnv(server.url, place.home) };
    const first = await recordSession('paint the fence', 'First answer.', options);
    await recordSession('mow the lawn', 'Second answer.', options);

    const cancelled = ptys.start(['resume'], options);
    await cancelled.waitFor('Resume a session of this repository');
    await cancelled.waitFor('mow the lawn');
    cancelled.press('escape');
    expect(await cancelled.exited).toEqual({ exitCode: 0 });
    expectTerminalRestored(cancelled);

    const picking = ptys.start(['resume'], options);
    await picking.waitFor('paint the fence');
    // The session used last comes first, so the earlier one is the second item.
    expect(picking.screen().indexOf('mow the lawn')).toBeLessThan(picking.screen().indexOf('paint the fence'));
    picking.press('down');
    picking.press('enter');
    await waitForSession(picking);
    expect(headerSessionId(picking)).toBe(first);
    await picking.waitFor('Resumed.', { history: true });
    expect(picking.history()).toContain('› paint the fence');
    expect(picking.history()).not.toContain('mow the lawn');
    picking.type('again');
    picking.press('enter');
    await picking.waitFor('Back again.');
    const [, , third] = await server.waitForRequests(3);
    expect(userMessageTexts(third!)).toEqual(expect.arrayContaining(['paint the fence', 'again']));
  });
});

