/** `keel resume` with no session named: a picker of this repository's sessions, shown before the UI opens. */
import type { StopSignal } from '../util/exit-codes.ts';
import { KeyInput } from './input/key-input.ts';
import { Picker } from './picker.ts';
import { Screen } from './screen.ts';
import type { SessionChoice } from './session-handle.ts';
import { relativeTime } from './status-line.ts';
import type { TerminalIo } from './terminal.ts';

/** A picker whose items are sessions, newest first, valued by id. */
export function sessionPicker(choices: readonly SessionChoice[], now: number): Picker<string> {
  const items = choices.map((choice) => ({
    label: choice.title,
    detail: `${relativeTime(choice.updatedAt, now)} · ${choice.status} · ${choice.id.slice(0, 8)}`,
    value: choice.id,
  }));
  return new Picker<string>('Resume a session of this repository', items, 'no other session was started here yet');
}

export type PickOutcome = { type: 'picked'; id: string } | { type: 'cancelled' } | { type: 'stopped'; signal: StopSignal };

export interface PickSessionOptions {
  color: boolean;
  now: number;
  /** Subscribes to stop signals; returns the unsubscribe function. */
  onSignal?: (signal: StopSignal, handler: () => void) => () => void;
}

/**
 * Resolves with the chosen session, `cancelled` (Esc, Ctrl+C), or `stopped` by a signal or a closed terminal; in
 * every case the terminal is given back first.
 */
export function pickSession(io: TerminalIo, choices: readonly SessionChoice[], options: PickSessionOptions): Promise<PickOutcome> {
  const picker = sessionPicker(choices, options.now);
  const screen = new Screen(io, options.color);
  return new Promise((resolve) => {
    let finished = false;
    const draw = (): void => {
      if (finished) return;
      screen.setLive(picker.render(screen.columns, Math.min(16, screen.rows - 1)), null);
      screen.render();
    };
    const done = (outcome: PickOutcome): void => {
      if (finished) return;
      finished = true;
      input.stop();
      for (const off of subscriptions) off();
      screen.clearLive();
      io.restore();
      resolve(outcome);
    };
    const input = new KeyInput((keys) => {
      for (const key of keys) {
        const outcome = picker.handle(key);
        if (outcome.type === 'open') continue;
        return done(outcome.type === 'picked' ? { type: 'picked', id: outcome.value } : { type: 'cancelled' });
      }
      draw();
    });
    const subscriptions = [
      io.onData((data) => input.feed(data)),
      io.onResize(() => {
        screen.resize();
        draw();
      }),
      io.onClose(() => done({ type: 'stopped', signal: 'SIGHUP' })),
      ...(['SIGINT', 'SIGTERM', 'SIGHUP'] as const).flatMap((signal) => options.onSignal?.(signal, () => done({ type: 'stopped', signal })) ?? []),
    ];
    io.enter();
    draw();
  });
}
