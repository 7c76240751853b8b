/** What the command-line layer gives the interactive UI: the terminal, the sessions, and how to reach the process. */
import type { StopSignal } from '../util/exit-codes.ts';
import type { PromptSource } from './input/prompt-recall.ts';
import type { SessionServices } from './session-handle.ts';
import type { TerminalIo } from './terminal.ts';

export interface TuiOptions {
  io: TerminalIo;
  color: boolean;
  version: string;
  /** The person's home directory, to show paths under it as ~/…. */
  home?: string;
  prompts: PromptSource;
  services: SessionServices;
  /** A first prompt from the command line, sent as soon as the UI is up. */
  firstPrompt?: string | null;
  /** Subscribes to stop signals; returns the unsubscribe function. */
  onSignal?: (signal: StopSignal, handler: () => void) => () => void;
  /**
   * Stops keel as a shell's Ctrl+Z does (the terminal is already given back) and calls `resume` once it runs again.
   * Absent: Ctrl+Z does nothing.
   */
  suspend?: (resume: () => void) => void;
  /** Called once the UI is up with a function that shows a warning in it; returns the unsubscribe function. */
  warnings?: (show: (text: string) => void) => () => void;
  /** Leaves at once (Ctrl+C while quitting waits on the engine): the caller stops every process keel started. */
  exitNow?: (code: number) => never;
  now?: () => number;
}
