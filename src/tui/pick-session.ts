/** `keel resume` with no session named: a picker of this repository's sessions, shown before the UI opens. */
import { KeyParser } from './input/keys.ts';
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

/** Resolves with the chosen session's id, or null when the person cancelled (Esc, Ctrl+C). */
export function pickSession(io: TerminalIo, choices: readonly SessionChoice[], options: { color: boolean; now: number }): Promise<string | null> {
  const picker = sessionPicker(choices, options.now);
  const screen = new Screen(io, options.color);
  const keys = new KeyParser();
  return new Promise((resolve) => {
    let escapeTimer: NodeJS.Timeout | null = null;
    const draw = (): void => {
      screen.setLive(picker.render(screen.columns, Math.min(16, screen.rows - 1)), null);
      screen.render();
    };
    const done = (id: string | null): void => {
      if (escapeTimer !== null) clearTimeout(escapeTimer);
      offData();
      offResize();
      screen.clearLive();
      io.restore();
      resolve(id);
    };
    const handle = (key: ReturnType<KeyParser['feed']>[number]): boolean => {
      const outcome = picker.handle(key);
      if (outcome.type === 'open') return false;
      done(outcome.type === 'picked' ? outcome.value : null);
      return true;
    };
    const offData = io.onData((data) => {
      if (escapeTimer !== null) clearTimeout(escapeTimer);
      for (const key of keys.feed(data)) if (handle(key)) return;
      if (keys.pending) escapeTimer = setTimeout(() => keys.flush().some(handle) || draw(), 30);
      draw();
    });
    const offResize = io.onResize(() => {
      screen.resize();
      draw();
    });
    io.enter();
    draw();
  });
}
