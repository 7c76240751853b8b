/**
 * Terminal input as keys, as they come: a KeyParser, plus the pause that tells the Esc key (a lone ESC byte) from the
 * start of an escape sequence whose rest has not arrived yet.
 */
import { KeyParser, type Key } from './keys.ts';

/** How long input must pause before a lone ESC byte counts as the Esc key rather than the start of a sequence. */
const ESCAPE_WAIT_MS = 30;

export class KeyInput {
  private readonly parser = new KeyParser();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  /** `onKeys` gets the keys of each chunk of input, and those a pause settles (it may stop the input meanwhile). */
  constructor(private readonly onKeys: (keys: Key[]) => void) {}

  feed(data: string): void {
    if (this.stopped) return;
    this.clearTimer();
    this.onKeys(this.parser.feed(data));
    if (this.stopped || !this.parser.pending) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.onKeys(this.parser.flush());
    }, ESCAPE_WAIT_MS);
  }

  /** No keys from now on. */
  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
