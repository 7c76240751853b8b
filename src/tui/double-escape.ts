/**
 * Esc twice on an empty prompt while no task runs opens /fork. The second Esc must follow the first within a second
 * with no other key between them, so that a single Esc keeps its meaning (it interrupts a running task, else does
 * nothing) and Esc pressed now and again while idle never opens a list unasked.
 */
import type { Key } from './input/keys.ts';

export const DOUBLE_ESCAPE_MS = 1000;

export class DoubleEscape {
  /** When the first Esc of a possible pair was pressed; null when none is pending. */
  private first: number | null = null;

  constructor(private readonly windowMs = DOUBLE_ESCAPE_MS) {}

  /**
   * Takes every key as it comes; true when `key` is the second Esc of a pair. `idle`: whether the prompt is empty,
   * on top, and no task runs, now; an Esc that is not pressed idle starts no pair and ends any.
   */
  pressed(key: Key, now: number, idle: boolean): boolean {
    const escape = key.kind === 'key' && key.name === 'escape' && !key.ctrl && !key.alt && !key.shift;
    if (!escape || !idle) {
      this.first = null;
      return false;
    }
    if (this.first !== null && now - this.first <= this.windowMs) {
      this.first = null;
      return true;
    }
    this.first = now;
    return false;
  }
}
