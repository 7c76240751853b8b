/**
 * Images in the interactive UI, in a pseudo-terminal against the strict scripted model: a pasted image path attached
 * and sent after the prompt's text, `keel -i` images waiting in the prompt box, and a prompt the engine refuses for a
 * model that takes no images given back.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { userMessageTexts, type CapturedRequest } from '../../src/scripted/index.ts';
import { respond, text } from '../../src/scripted/script-builders.ts';
import { IDLE_PROMPT, NO_QUESTIONS, modelEnv, screenRows, tuiPlace, waitForSession } from '../support/keel-tui.ts';
import { trackPtys, type PtyKeel } from '../support/pty-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const ptys = trackPtys();
// A 1×1 PNG's signature and header: what keel reads to know it is one.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
const PNG_URL = `data:image/png;base64,${PNG.toString('base64')}`;

/** A working directory holding `files`. */
function workdir(files: Record<string, Buffer | string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'keel-tui-images-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** The content of the last user message of a request. */
function lastUserContent(request: CapturedRequest): unknown[] {
  const input = request.body.input as Array<{ type: string; role?: string; content?: unknown[] }>;
  return input.filter((item) => item.type === 'message' && item.role === 'user').at(-1)!.content!;
}

/** The prompt box's rows: between the blank row above it and the hint line. */
function promptBox(keel: PtyKeel): string[] {
  const rows = screenRows(keel).slice(0, -2);
  return rows.slice(rows.lastIndexOf('') + 1);
}

describe('keel UI: images', () => {
  it('attaches a pasted image path instead of inserting it, sends it after the text, and lists it under the prompt', async () => {
    const cwd = workdir({ 'shot.png': PNG, 'notes.png': 'not an image\n' });
    const { home } = tuiPlace();
    const server = await useScriptedServer([respond(text('A single white pixel.'))]);
    const keel = ptys.start(NO_QUESTIONS, { cwd, env: modelEnv(server.url, home) });
    await waitForSession(keel);

    // A text file with an image's name is refused, in red, and nothing is attached; a path to no file is text.
    keel.paste(join(cwd, 'notes.png'));
    await keel.waitFor('notes.png is not a PNG, JPEG, GIF or WebP');
    expect(promptBox(keel)).toEqual([IDLE_PROMPT]);
    keel.paste(`${cwd}/gone.png`);
    await keel.waitFor(`› ${cwd}/gone.png`);
    keel.press('ctrl-u');
    await keel.waitFor(IDLE_PROMPT);

    // Dropped onto the window: quoted, as terminals paste a dropped file.
    keel.paste(`'${join(cwd, 'shot.png')}'`);
    await keel.waitFor(() => promptBox(keel).join('\n') === '  [image: shot.png]\n› say what to do with the image, or Enter to send it');
    keel.type('what is this?');
    await keel.waitFor(() => promptBox(keel).join('\n') === '  [image: shot.png]\n› what is this?');
    keel.press('enter');
    await keel.waitFor('A single white pixel.');
    await keel.waitFor(IDLE_PROMPT);

    const [request] = await server.waitForRequests(1);
    expect(lastUserContent(request!)).toEqual([
      { type: 'input_text', text: 'what is this?' },
      { type: 'input_image', image_url: PNG_URL },
    ]);
    const history = keel.history();
    expect(history).toContain('› what is this?\n  [image: shot.png]');
    expect(history).not.toContain(`${cwd}/shot.png`);

    // Resumed, the transcript read back from the log lists the image the same way.
    keel.press('ctrl-d');
    expect(await keel.exited).toEqual({ exitCode: 0 });
    const resumed = ptys.start(['resume', '--last', ...NO_QUESTIONS], { cwd, env: modelEnv(server.url, home) });
    await resumed.waitFor('Resumed.');
    expect(resumed.history()).toContain('› what is this?\n  [image: shot.png]\n\nA single white pixel.');
  });

  it('shows images given with keel -i waiting in the prompt box; Backspace drops one, the rest go with the first prompt', async () => {
    const cwd = workdir({ 'a.png': PNG, 'b.png': PNG });
    const server = await useScriptedServer([respond(text('One image received.'))]);
    const keel = ptys.start([...NO_QUESTIONS, '-i', 'a.png', '-i', 'b.png'], { cwd, env: modelEnv(server.url) });
    await keel.waitFor('[image: a.png] [image: b.png]');
    keel.press('backspace');
    await keel.waitFor(() => promptBox(keel).join('\n') === '  [image: a.png]\n› say what to do with the image, or Enter to send it');
    keel.type('describe it');
    keel.press('enter');
    await keel.waitFor('One image received.');
    const [request] = await server.waitForRequests(1);
    expect(lastUserContent(request!)).toEqual([
      { type: 'input_text', text: 'describe it' },
      { type: 'input_image', image_url: PNG_URL },
    ]);
    expect(keel.history()).toContain('› describe it\n  [image: a.png]');
  });

  it('sends images given with keel -i with the prompt given with them', async () => {
    const cwd = workdir({ 'a.png': PNG });
    const server = await useScriptedServer([respond(text('Got it with the image.'))]);
    const keel = ptys.start([...NO_QUESTIONS, '-i', 'a.png', 'what is it?'], { cwd, env: modelEnv(server.url) });
    await keel.waitFor('Got it with the image.');
    await keel.waitFor(IDLE_PROMPT);
    expect(promptBox(keel)).toEqual([IDLE_PROMPT]);
    const [request] = await server.waitForRequests(1);
    expect(lastUserContent(request!)).toEqual([
      { type: 'input_text', text: 'what is it?' },
      { type: 'input_image', image_url: PNG_URL },
    ]);
  });

  it('for a model that takes no images, shows the engine refusing the prompt, starts nothing, and gives the prompt back', async () => {
    const cwd = workdir({ 'shot.png': PNG });
    const server = await useScriptedServer([respond(text('Read the text only.'))]);
    const keel = ptys.start(['-m', 'o3-mini', ...NO_QUESTIONS], { cwd, env: modelEnv(server.url) });
    await waitForSession(keel);
    keel.paste(join(cwd, 'shot.png'));
    await keel.waitFor('[image: shot.png]');
    keel.type('look');
    keel.press('enter');

    await keel.waitFor('error: o3-mini does not take images, so this prompt was not sent', { history: true });
    await keel.waitFor('the prompt is back in the box');
    await keel.waitFor(() => promptBox(keel).join('\n') === '  [image: shot.png]\n› look');
    // No task runs: the hint is the idle one, and nothing went to the model.
    expect(keel.screen()).toContain('Enter send · Ctrl+J new line');
    expect(server.requests).toEqual([]);

    // Without the image (Backspace at the start of the prompt), it goes.
    keel.press('home');
    keel.press('backspace');
    await keel.waitFor(() => promptBox(keel).join('\n') === '› look');
    keel.press('enter');
    await keel.waitFor('Read the text only.');
    const [request] = await server.waitForRequests(1);
    expect(userMessageTexts(request!).at(-1)).toBe('look');
    expect(lastUserContent(request!)).toEqual([{ type: 'input_text', text: 'look' }]);
  });
});
