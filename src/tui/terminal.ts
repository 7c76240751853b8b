/**
 * The terminal the UI draws on, behind an interface so the app can be driven by tests without one. The real
 * implementation puts stdin in raw mode and turns on bracketed paste and the keyboard protocol that tells
 * Shift+Enter from Enter; `restore` undoes all of it, synchronously, and is safe to call from any exit path.
 */
import { writeSync } from 'node:fs';

export interface TerminalIo {
  write(data: string): void;
  columns(): number;
  rows(): number;
  /** Subscribes to input (decoded UTF-8); returns the unsubscribe function. */
  onData(handler: (data: string) => void): () => void;
  onResize(handler: () => void): () => void;
  /** The terminal went away (its window closed: input ended or failed); returns the unsubscribe function. */
  onClose(handler: () => void): () => void;
  /** Raw mode and the UI's terminal modes on. */
  enter(): void;
  /** Everything `enter` changed, back as it was. Idempotent. */
  restore(): void;
}

/** Bracketed paste on; kitty keyboard protocol level 1 pushed (terminals without it ignore the request). */
const ENTER_MODES = '\u001b[?2004h\u001b[>1u';
/** Pops the keyboard protocol, bracketed paste off, attributes reset, cursor visible. */
const RESTORE_MODES = '\u001b[<u\u001b[?2004l\u001b[0m\u001b[?25h';

export function processTerminal(): TerminalIo {
  const stdin = process.stdin;
  const stdout = process.stdout;
  let entered = false;
  return {
    write: (data) => void stdout.write(data),
    columns: () => stdout.columns || 80,
    rows: () => stdout.rows || 24,
    onData(handler) {
      const listener = (chunk: Buffer | string): void => handler(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      stdin.on('data', listener);
      return () => void stdin.off('data', listener);
    },
    onResize(handler) {
      stdout.on('resize', handler);
      return () => void stdout.off('resize', handler);
    },
    onClose(handler) {
      // Without this, an idle keel whose window closes just runs out of things to wait for and exits unsaved.
      let told = false;
      const once = (): void => {
        if (told) return;
        told = true;
        handler();
      };
      for (const event of ['end', 'close', 'error'] as const) stdin.on(event, once);
      return () => {
        for (const event of ['end', 'close', 'error'] as const) stdin.off(event, once);
      };
    },
    enter() {
      if (entered) return;
      entered = true;
      // After a hang-up the terminal is gone and writes fail (EIO); keel still has to save the session and leave.
      if (stdout.listenerCount('error') === 0) stdout.on('error', () => undefined);
      // A stopped keel (Ctrl+Z) gets no resize signal: the size is read again, which emits 'resize' if it changed.
      (stdout as { _refreshSize?: () => void })._refreshSize?.();
      stdin.setRawMode(true);
      stdin.setEncoding('utf8');
      stdin.resume();
      stdout.write(ENTER_MODES);
    },
    restore() {
      if (!entered) return;
      entered = false;
      // Synchronous on purpose: this also runs from 'exit' handlers, where queued writes would be lost.
      try {
        writeSync(stdout.fd, RESTORE_MODES);
      } catch {
        // The terminal is gone (hang-up): nothing left to restore.
      }
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
    },
  };
}
