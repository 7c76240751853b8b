/**
 * The model in the interactive UI, in a pseudo-terminal against the strict scripted model: the reasoning effort on
 * the status line and in /status, /model's list of known models, and /model with a name keel does not know.
 */
import { describe, expect, it } from 'vitest';
import { userMessageTexts } from '../../src/scripted/index.ts';
import { respond, text } from '../../src/scripted/script-builders.ts';
import { IDLE_PROMPT, NO_QUESTIONS, modelEnv, screenRows, tuiPlace, waitForSession } from '../support/keel-tui.ts';
import { trackPtys, type PtyKeel } from '../support/pty-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const ptys = trackPtys();

/** The status line: the last row on the screen. */
function statusRow(keel: PtyKeel): string {
  return screenRows(keel).at(-1) ?? '';
}

/** Moves the list's selection down to `name`, waiting for each move to be drawn. */
async function selectInList(keel: PtyKeel, name: string): Promise<void> {
  // Only the first nine items are numbered.
  const selected = new RegExp(`^› +(\\d\\. )?${name.replace(/\./g, '\\.')}  `, 'm');
  for (let moves = 0; !selected.test(keel.screen()); moves++) {
    if (moves > 60) throw new Error(`${name} is not in the list:\n${keel.screen()}`);
    const before = keel.screen();
    keel.press('down');
    await keel.waitFor((screen) => screen !== before);
  }
}

describe('keel UI: the model', () => {
  it('shows the effort on the status line and in /status, and /model switches to a model picked from the list or named', async () => {
    const { cwd } = tuiPlace();
    const server = await useScriptedServer([respond(text('Answered by gpt-4.1.')), respond(text('Answered by the local model.'))]);
    const keel = ptys.start(['-c', 'model_reasoning_effort=high', ...NO_QUESTIONS], { cwd, env: modelEnv(server.url), cols: 120 });
    await waitForSession(keel);
    await keel.waitFor(() => statusRow(keel).startsWith('gpt-5-codex · reasoning high · never · danger-full-access'));

    keel.type('/status');
    keel.press('enter');
    await keel.waitFor(/^ +Reasoning +high/m);

    // The list: every model keel knows, with its facts; the one in use is marked.
    keel.type('/model');
    keel.press('enter');
    await keel.waitFor('Model for the next requests (now gpt-5-codex');
    await keel.waitFor(/gpt-5-codex \(current\) +reasoning low–high \(default medium\) · 272k context · images/);
    await selectInList(keel, 'gpt-4.1');
    keel.press('enter');
    // gpt-4.1 does not reason: the effort configured is said not to apply, and none is shown.
    await keel.waitFor('gpt-4.1 does not reason, so no reasoning parameters are sent');
    await keel.waitFor('model set to gpt-4.1 for the next requests');
    expect(keel.screen()).not.toContain('Model for the next requests');
    await keel.waitFor(() => statusRow(keel).startsWith('gpt-4.1 · never · danger-full-access'));
    keel.type('which model?');
    keel.press('enter');
    await keel.waitFor('Answered by gpt-4.1.');
    const [first] = await server.waitForRequests(1);
    expect(first!.body.model).toBe('gpt-4.1');
    expect(first!.body.reasoning).toBeUndefined();

    // A name keel does not know: used all the same, with what keel then does not know about it.
    await keel.waitFor(IDLE_PROMPT);
    keel.type('/model my-local-model');
    keel.press('enter');
    await keel.waitFor('keel does not know the model "my-local-model"');
    // The effort configured is sent to a model keel does not know, and the status line says so.
    await keel.waitFor('model set to my-local-model (reasoning high) for the next requests');
    await keel.waitFor(() => statusRow(keel).startsWith('my-local-model · reasoning high · never'));
    keel.type('and now?');
    keel.press('enter');
    await keel.waitFor('Answered by the local model.');
    const [, second] = await server.waitForRequests(2);
    expect(second!.body.model).toBe('my-local-model');
    expect(second!.body.reasoning).toMatchObject({ effort: 'high' });
    expect(userMessageTexts(second!).at(-1)).toBe('and now?');
  });
});
