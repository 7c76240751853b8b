import { describe, expect, it } from 'vitest';
import type { ImageLoad, ImageUserInput } from '../../util/load-image.ts';
import type { ImageLoader } from '../tui-options.ts';
import { IDLE, key, newPromptPane, rowTexts, typed } from './pane-fixture.ts';
import type { PaneResult } from './pane.ts';

const AREA = { width: 60, height: 24, room: 21 };
const image = (name: string): ImageUserInput => ({ type: 'image', image_url: `data:image/png;base64,${name}`, name });
const paste = (text: string) => ({ kind: 'paste' as const, text });

/** A loader whose reads wait until the test settles them, and the paths it was asked for with their cwd. */
function heldLoader(): { load: ImageLoader; asked: Array<[string, string | undefined]>; settle(result: ImageLoad): Promise<void> } {
  const asked: Array<[string, string | undefined]> = [];
  const waiting: Array<(result: ImageLoad) => void> = [];
  return {
    asked,
    load: (path, cwd) => {
      asked.push([path, cwd]);
      return new Promise((resolve) => waiting.push(resolve));
    },
    // The pane goes on once the read's promise and its own continuation have run.
    settle: async (result) => {
      waiting.shift()!(result);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

const loaded = (name: string): ImageLoad => ({ type: 'loaded', input: image(name), mime: 'image/png', bytes: 4 });

/** A prompt pane whose reads the test settles; what the pane handed to its host is collected. */
function imagePane() {
  const loader = heldLoader();
  const later: PaneResult[] = [];
  const alerts: string[] = [];
  let changes = 0;
  const pane = newPromptPane(IDLE, {
    load: loader.load,
    host: { sendLater: (result) => later.push(result), alert: (text) => alerts.push(text), changed: () => void changes++ },
  });
  return { pane, loader, later, alerts, changes: () => changes };
}

describe('PromptPane: a pasted image path', () => {
  it('attaches the image instead of inserting the path, shown as [image: name] while read and after', async () => {
    const { pane, loader, changes } = imagePane();
    pane.handleKey(paste("'/home/ada/Screen Shot.png'"));
    expect(pane.text).toBe('');
    // Read from the session's directory (relative paths), the path unquoted.
    expect(loader.asked).toEqual([['/home/ada/Screen Shot.png', '/repo']]);
    expect(rowTexts(pane.render(AREA))[0]).toBe('  [image: Screen Shot.png] reading…');
    await loader.settle(loaded('Screen Shot.png'));
    expect(changes()).toBe(1);
    expect(rowTexts(pane.render(AREA))).toEqual(['  [image: Screen Shot.png]', '› say what to do with the image, or Enter to send it']);
    pane.handleKey(typed('what is wrong here?'));
    expect(pane.render(AREA).cursor).toEqual({ row: 1, col: 21 });
    expect(pane.handleKey(key('enter'))).toEqual({ type: 'send', text: 'what is wrong here?', images: [image('Screen Shot.png')] });
    expect(pane.isEmpty()).toBe(true);
    expect(rowTexts(pane.render(AREA))).toEqual(['› ask keel to do something, or /help']);
  });

  it('inserts the pasted text as text when no such file exists, and other text as it is', async () => {
    const { pane, loader } = imagePane();
    pane.handleKey(typed('see '));
    pane.handleKey(paste('~/gone.png'));
    expect(loader.asked[0]![0]).toBe('/home/ada/gone.png');
    await loader.settle({ type: 'failed', kind: 'not_found', path: '/home/ada/gone.png', message: 'no such file' });
    expect(pane.text).toBe('see ~/gone.png');
    pane.handleKey(paste(' and the logo.png file'));
    expect(pane.text).toBe('see ~/gone.png and the logo.png file');
    expect(loader.asked).toHaveLength(1);
    expect(rowTexts(pane.render(AREA))).toEqual(['› see ~/gone.png and the logo.png file']);
  });

  it('attaches nothing and says why in red when the file cannot be attached', async () => {
    const { pane, loader, alerts } = imagePane();
    pane.handleKey(paste('/tmp/notes.png'));
    await loader.settle({ type: 'failed', kind: 'not_an_image', path: '/tmp/notes.png', message: 'image /tmp/notes.png is not a PNG, JPEG, GIF or WebP image' });
    expect(alerts).toEqual(['image /tmp/notes.png is not a PNG, JPEG, GIF or WebP image']);
    expect(pane.isEmpty()).toBe(true);
    expect(pane.handleKey(key('enter'))).toEqual({ type: 'handled' });
  });

  it('sends images alone, with no text', async () => {
    const { pane, loader } = imagePane();
    pane.handleKey(paste('/tmp/a.png'));
    await loader.settle(loaded('a.png'));
    expect(pane.handleKey(key('enter'))).toEqual({ type: 'send', text: '', images: [image('a.png')] });
  });
});

describe('PromptPane: a prompt sent while an image is read', () => {
  it('waits for the image, then goes with it as Enter would have sent it', async () => {
    const { pane, loader, later } = imagePane();
    pane.handleKey(paste('/tmp/a.png'));
    pane.handleKey(typed('compare'));
    expect(pane.handleKey(key('enter'))).toEqual({ type: 'handled' });
    expect(rowTexts(pane.render(AREA))).toEqual(['  [image: a.png] reading… · sent once read', '› compare']);
    await loader.settle(loaded('a.png'));
    expect(later).toEqual([{ type: 'send', text: 'compare', images: [image('a.png')] }]);
    expect(pane.isEmpty()).toBe(true);
  });

  it('waits for every image being read', async () => {
    const { pane, loader, later } = imagePane();
    pane.handleKey(paste('/tmp/a.png'));
    pane.handleKey(paste('/tmp/b.png'));
    pane.handleKey(key('enter'));
    await loader.settle(loaded('a.png'));
    expect(later).toEqual([]);
    await loader.settle(loaded('b.png'));
    expect(later).toEqual([{ type: 'send', text: '', images: [image('a.png'), image('b.png')] }]);
  });

  it('does not send when a key came after Enter, nor when the image cannot be attached', async () => {
    const typedOn = imagePane();
    typedOn.pane.handleKey(paste('/tmp/a.png'));
    typedOn.pane.handleKey(typed('x'));
    typedOn.pane.handleKey(key('enter'));
    typedOn.pane.handleKey(typed('y'));
    await typedOn.loader.settle(loaded('a.png'));
    expect(typedOn.later).toEqual([]);
    expect(typedOn.pane.text).toBe('xy');

    const failing = imagePane();
    failing.pane.handleKey(typed('look'));
    failing.pane.handleKey(paste('/tmp/big.png'));
    failing.pane.handleKey(key('enter'));
    await failing.loader.settle({ type: 'failed', kind: 'too_large', path: '/tmp/big.png', message: 'too large' });
    expect(failing.later).toEqual([]);
    expect(failing.alerts).toEqual(['too large']);
    expect(failing.pane.text).toBe('look');
  });

  it('runs a /command at once, keeping the images for the prompt after it', async () => {
    const { pane, loader } = imagePane();
    pane.handleKey(paste('/tmp/a.png'));
    pane.handleKey(typed('/status'));
    expect(pane.handleKey(key('enter'))).toEqual({ type: 'send', text: '/status', images: [] });
    await loader.settle(loaded('a.png'));
    pane.handleKey(typed('now'));
    expect(pane.handleKey(key('enter'))).toEqual({ type: 'send', text: 'now', images: [image('a.png')] });
  });
});

describe('PromptPane: removing images', () => {
  it('drops the last image with Backspace at the start of the prompt, and deletes text elsewhere', () => {
    const pane = newPromptPane(IDLE);
    pane.attach([image('a.png'), image('b.png')]);
    pane.handleKey(typed('hi'));
    pane.handleKey(key('backspace'));
    expect(pane.text).toBe('h');
    pane.handleKey(key('home'));
    pane.handleKey(key('backspace'));
    expect(rowTexts(pane.render(AREA))).toEqual(['  [image: a.png]', '› h']);
    pane.handleKey(key('end'));
    pane.handleKey(key('backspace'));
    pane.handleKey(key('backspace'));
    expect(pane.isEmpty()).toBe(true);
  });

  it('keeps an image removed while it was read removed', async () => {
    const { pane, loader } = imagePane();
    pane.handleKey(paste('/tmp/a.png'));
    pane.handleKey(key('backspace'));
    await loader.settle(loaded('a.png'));
    expect(pane.isEmpty()).toBe(true);
  });

  it('clears images with the text on Ctrl+C; Ctrl+D does not quit while images wait', () => {
    const pane = newPromptPane(IDLE);
    pane.attach([image('a.png')]);
    expect(pane.handleKey(key('d', { ctrl: true }))).toEqual({ type: 'handled' });
    expect(pane.handleKey(key('c', { ctrl: true }))).toEqual({ type: 'handled' });
    expect(pane.isEmpty()).toBe(true);
    expect(pane.handleKey(key('c', { ctrl: true }))).toEqual({ type: 'quit', confirmed: false });
  });
});

describe('PromptPane: a prompt given back', () => {
  it('goes back into an empty box with its images, and not over what was typed since', () => {
    const pane = newPromptPane(IDLE);
    expect(pane.giveBack({ text: 'what is this?', images: [image('a.png')] })).toBe(true);
    expect(rowTexts(pane.render(AREA))).toEqual(['  [image: a.png]', '› what is this?']);
    const busy = newPromptPane(IDLE);
    busy.handleKey(typed('next'));
    expect(busy.giveBack({ text: 'what is this?', images: [image('a.png')] })).toBe(false);
    expect(rowTexts(busy.render(AREA))).toEqual(['› next']);
  });
});
