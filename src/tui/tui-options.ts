/** What the command-line layer gives the interactive UI: the terminal, the sessions, and how to reach the process. */
import type { StopSignal } from '../util/exit-codes.ts';
import type { ImageLoad, ImageUserInput } from '../util/load-image.ts';
import type { PromptSource } from './input/prompt-recall.ts';
import type { SessionServices } from './session-handle.ts';
import type { TerminalIo } from './terminal.ts';

/**
 * What keel will do with a model, as config/'s `describeModel` says it. Declared here by shape: the UI imports
 * neither config/ nor model/, and the command-line layer passes the real thing.
 */
export interface ModelDescription {
  /** Whether keel's catalogue knows the model. */
  known: boolean;
  /** What requests say about reasoning: `high, summary auto`, `server default` or `off`. */
  reasoning: string;
  /** The effort alone; null when none is sent. */
  effort: string | null;
  contextWindow: number | null;
  /** For an unknown model: what that means and how to tell keel more. */
  warning: string | null;
  /** Configured settings that do not take effect on this model. */
  notes: readonly string[];
}

/** One model /model offers, as config/'s `modelChoices` lists it. */
export interface ModelChoice {
  name: string;
  family: string;
  /** One line of facts: `reasoning low–high (default medium) · 272k context · images`. */
  facts: string;
}

/** The models keel knows, for /model and /status. */
export interface ModelDirectory {
  describe(model: string): ModelDescription;
  choices(): readonly ModelChoice[];
}

/** Reads an image file (util/load-image.ts's `loadImageFile`, or a fake in tests); relative paths from `cwd`. */
export type ImageLoader = (path: string, cwd: string | undefined) => Promise<ImageLoad>;

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
  /**
   * Images from the command line (-i), already loaded: sent with the first prompt, or, without one, waiting in the
   * prompt box as attachments of the first prompt typed.
   */
  initialImages?: readonly ImageUserInput[];
  models: ModelDirectory;
  /** Default: loadImageFile. */
  loadImage?: ImageLoader;
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
