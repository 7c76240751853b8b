/**
 * The UI's hold on its terminal and its process: input, resizes, the window going away, warnings, stop signals, and
 * Ctrl+Z. Taken by `open`; `close` gives all of it back (every subscription dropped, the live area erased, the
 * terminal's modes as they were), and after that nothing comes through any more.
 */
import type { StopSignal } from '../util/exit-codes.ts';
import type { Screen } from './screen.ts';
import type { TuiOptions } from './tui-options.ts';

export interface TerminalEvents {
  data(data: string): void;
  resized(): void;
  /** The window went away (its input ended). */
  closed(): void;
  warning(text: string): void;
  signal(signal: StopSignal): void;
  /** keel runs again after Ctrl+Z, with the terminal taken back. */
  resumed(): void;
}

export class TerminalLink {
  private readonly subscriptions: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly options: Pick<TuiOptions, 'io' | 'warnings' | 'onSignal' | 'suspend'>,
    private readonly screen: Screen,
    private readonly on: TerminalEvents,
  ) {}

  open(): void {
    const { io, warnings, onSignal } = this.options;
    io.enter();
    this.subscriptions.push(io.onData((data) => this.on.data(data)));
    this.subscriptions.push(io.onResize(() => this.on.resized()));
    this.subscriptions.push(io.onClose(() => this.on.closed()));
    const offWarnings = warnings?.((text) => this.on.warning(text));
    if (offWarnings) this.subscriptions.push(offWarnings);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const off = onSignal?.(signal, () => this.on.signal(signal));
      if (off) this.subscriptions.push(off);
    }
  }

  /** Ctrl+Z: the terminal goes back to the shell while keel is stopped (a no-op where the caller cannot stop it). */
  suspend(): void {
    const { suspend, io } = this.options;
    if (suspend === undefined) return;
    this.screen.clearLive();
    io.restore();
    suspend(() => {
      if (this.closed) return;
      io.enter();
      // The window may have been resized while keel was stopped (a stopped job gets no SIGWINCH).
      this.screen.resize();
      this.on.resumed();
    });
  }

  close(): void {
    this.closed = true;
    for (const off of this.subscriptions.splice(0)) off();
    this.screen.clearLive();
    this.options.io.restore();
  }
}
