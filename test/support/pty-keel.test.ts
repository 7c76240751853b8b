/** The pty harness itself, driven against a small raw-mode echo script instead of keel. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keySequence, startKeelPty, trackPtys, type PtyKeyName, type PtyKeelOptions } from './pty-keel.ts';

const RAW_ECHO = join(import.meta.dirname, 'fixtures/raw-echo.mjs');
const ptys = trackPtys();
/** How raw-echo.mjs shows a chunk of input. */
const shown = (text: string): string => JSON.stringify(text).replace(/\x7f/g, '\\u007f');

/** Starts the echo script (args: its exit code on 'q') and waits until it is reading the terminal in raw mode. */
async function startEcho(args: string[] = [], options: PtyKeelOptions = {}) {
  const echo = ptys.start(args, { command: [process.execPath, RAW_ECHO], ...options });
  await echo.waitFor('ready ');
  return echo;
}

describe('startKeelPty', () => {
  it('shows the output on an 80x24 screen, with TERM=xterm-256color and the extra environment', async () => {
    const echo = await startEcho([], { env: { RAW_ECHO_EXTRA: 'yes' } });
    await echo.waitFor('ready 80x24 TERM=xterm-256color EXTRA=yes');
    const lines = echo.screen().split('\n');
    expect(lines).toHaveLength(24);
    expect(lines[0]).toBe('ready 80x24 TERM=xterm-256color EXTRA=yes');
    expect(lines.slice(1).every((line) => line === '')).toBe(true);
    expect(echo.cursor()).toEqual({ x: 0, y: 1 });
    expect(echo.history()).toBe('ready 80x24 TERM=xterm-256color EXTRA=yes');
    expect(echo.pid).toBeGreaterThan(0);
  });

  it('waitFor accepts a RegExp and a predicate', async () => {
    const echo = await startEcho();
    await echo.waitFor(/^ready \d+x\d+/m);
    await echo.waitFor((screen) => screen.split('\n').length === 24 && screen.startsWith('ready'));
  });

  it('delivers ctrl-c as \\x03 and shift-enter in the kitty form ESC[13;2u', async () => {
    const echo = await startEcho();
    echo.press('ctrl-c');
    await echo.waitFor('got "\\u0003"');
    echo.press('shift-enter');
    await echo.waitFor('got "\\u001b[13;2u"');
  });

  it('delivers every named key as xterm sends it', async () => {
    const expected: Record<PtyKeyName, string> = {
      enter: '\r',
      escape: '\x1b',
      tab: '\t',
      backspace: '\x7f',
      up: '\x1b[A',
      down: '\x1b[B',
      left: '\x1b[D',
      right: '\x1b[C',
      'ctrl-c': '\x03',
      'ctrl-d': '\x04',
      'ctrl-j': '\n',
      'ctrl-a': '\x01',
      'ctrl-e': '\x05',
      'ctrl-u': '\x15',
      'ctrl-w': '\x17',
      'alt-left': '\x1b[1;3D',
      'alt-right': '\x1b[1;3C',
      'shift-enter': '\x1b[13;2u',
      home: '\x1b[H',
      end: '\x1b[F',
    };
    const echo = await startEcho([], { rows: 40 });
    for (const [key, bytes] of Object.entries(expected) as [PtyKeyName, string][]) {
      expect(keySequence(key)).toBe(bytes);
      echo.press(key);
      await echo.waitFor(`got ${shown(bytes)}`);
    }
  });

  it('sends arrows in their application form once the program switched cursor keys to application mode', async () => {
    const echo = await startEcho();
    echo.type('a');
    await echo.waitFor('cursor keys: application');
    expect(echo.output()).toContain('\x1b[?1h');
    echo.press('up');
    await echo.waitFor('got "\\u001bOA"');
    echo.press('end');
    await echo.waitFor('got "\\u001bOF"');
  });

  it('types raw text and wraps a paste in bracketed-paste markers, line feeds as carriage returns', async () => {
    const echo = await startEcho();
    echo.type('hi');
    await echo.waitFor('got "hi"');
    echo.paste('one\ntwo');
    await echo.waitFor('got "\\u001b[200~one\\rtwo\\u001b[201~"');
  });

  it("answers the program's terminal queries, as a real terminal does", async () => {
    const echo = await startEcho();
    echo.type('r');
    await echo.waitFor(/got "\\u001b\[\d+;\d+R"/);
  });

  it('resizes the child (SIGWINCH with the new size) and the emulator', async () => {
    const echo = await startEcho();
    echo.resize(100, 30);
    await echo.waitFor('size 100x30');
    expect(echo.screen().split('\n')).toHaveLength(30);
    echo.type('w');
    await echo.waitFor('#'.repeat(100));
    // The row of '#' is exactly as wide as the new screen: one screen line, not wrapped.
    expect(echo.screen().split('\n')).toContain('#'.repeat(100));
  });

  it('keeps the lines that scrolled off the screen in history()', async () => {
    const echo = await startEcho();
    echo.type('l');
    await echo.waitFor('line 50');
    expect(echo.screen()).not.toMatch(/^line 1$/m);
    expect(echo.history()).toMatch(/^ready .*\n(.*\n)*line 1\n(.*\n)*line 50$/);
    await echo.waitFor(/^line 1$/m, { history: true });
    await expect(echo.waitFor(/^line 1$/m, { timeoutMs: 100 })).rejects.toThrow(/did not within 100 ms/);
  });

  it('rejects waitFor after the timeout, showing the expectation and the screen', async () => {
    const echo = await startEcho();
    const error = await echo.waitFor('never printed', { timeoutMs: 200 }).then(
      () => undefined,
      (rejection: unknown) => rejection as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toContain('expected the screen to match "never printed"');
    expect(error!.message).toContain('did not within 200 ms');
    expect(error!.message).toContain('--- screen 80x24, cursor x=0 y=1 ---\nready 80x24');
    expect(error!.message).toContain('process: running');
    // The stack points at the test that waited, not at a timer.
    expect(error!.stack).toContain('pty-keel.test.ts');
  });

  it('rejects waitFor as soon as the process exits without a match, and resolves exited with the exit code', async () => {
    const echo = await startEcho(['5']);
    const waiting = echo.waitFor('never printed');
    echo.type('q');
    await expect(waiting).rejects.toThrow(/exited \(exit code 5\) before it matched[\s\S]*bye/);
    await expect(echo.exited).resolves.toEqual({ exitCode: 5 });
    // Everything the process wrote before it exited is on the screen.
    expect(echo.screen()).toContain('bye');
    expect(echo.output()).toContain('bye');
    await echo.waitFor('bye');
    await expect(echo.waitFor('never printed')).rejects.toThrow(/had already exited \(exit code 5\)/);
    expect(() => echo.type('x')).toThrow(/the process has exited/);
  });

  it('dispose kills the process, rejects pending waits, and is safe to call twice', async () => {
    const echo = startKeelPty([], { command: [process.execPath, RAW_ECHO] });
    try {
      await echo.waitFor('ready');
      const waiting = echo.waitFor('never printed');
      echo.dispose();
      await expect(waiting).rejects.toThrow(/the pty was disposed/);
      const result = await echo.exited;
      expect(result.signal).toBe(9);
      expect(() => process.kill(echo.pid, 0)).toThrow();
      echo.dispose();
      expect(() => echo.press('enter')).toThrow(/disposed/);
    } finally {
      echo.dispose();
    }
  });
});
