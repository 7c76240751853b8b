/**
 * How the interactive UI leaves, as one lifecycle: open; armed for a short while by a first Ctrl+C on an empty
 * prompt, so that a second one quits; saving, while the engine stops what runs and flushes the log; closed, the
 * terminal given back. A second request to stop while saving (Ctrl+C, SIGTERM) leaves at once: every record is on
 * disk already, the log being written record by record.
 */

/** How long a first Ctrl+C on an empty prompt waits for the second one that quits. */
const QUIT_CONFIRM_MS = 2000;

type Phase = { type: 'open' } | { type: 'armed'; timer: NodeJS.Timeout } | { type: 'saving' } | { type: 'closed' };

export interface QuitSteps {
  /** Shows that the session is being saved. */
  saving(): void;
  /** Ends the session on screen (and one still being opened); resolves once its log is closed. */
  save(): Promise<void>;
  /** Draws what is left and gives the terminal back: nothing is drawn after this. Runs once. */
  close(): void;
  /** After `close`, once a quit has saved the session: `code` is keel's exit code. */
  saved(code: number): void;
  /** The "press Ctrl+C again" hint went. */
  disarmed(): void;
  /** Leaves the process at once; absent, leaving at once only gives the terminal back. */
  exitNow?: (code: number) => never;
}

export class QuitFlow {
  private phase: Phase = { type: 'open' };

  constructor(private readonly steps: QuitSteps) {}

  get armed(): boolean {
    return this.phase.type === 'armed';
  }

  /** Saving or closed: keys do nothing any more but leave at once. */
  get quitting(): boolean {
    return this.phase.type === 'saving' || this.phase.type === 'closed';
  }

  get closed(): boolean {
    return this.phase.type === 'closed';
  }

  /** A quit asked for: `confirmed` (Ctrl+D, /quit) quits; a first Ctrl+C only arms, a second one while armed quits. */
  request(confirmed: boolean): void {
    switch (this.phase.type) {
      case 'armed':
        return void this.quit(0);
      case 'open':
        if (confirmed) return void this.quit(0);
        // The second press must follow soon, or the hint goes and a later Ctrl+C only asks again.
        this.phase = { type: 'armed', timer: setTimeout(() => this.disarm(), QUIT_CONFIRM_MS) };
        return;
      case 'saving':
      case 'closed':
        return;
    }
  }

  /** Any key but Ctrl+C: the one after a first Ctrl+C must be the second. */
  disarm(): void {
    if (this.phase.type !== 'armed') return;
    clearTimeout(this.phase.timer);
    this.phase = { type: 'open' };
    this.steps.disarmed();
  }

  async quit(code: number): Promise<void> {
    if (this.quitting) return;
    if (this.phase.type === 'armed') clearTimeout(this.phase.timer);
    this.phase = { type: 'saving' };
    this.steps.saving();
    try {
      await this.steps.save();
    } finally {
      this.close();
      this.steps.saved(code);
    }
  }

  /** Leaves now, whatever is under way: the caller of exitNow stops every process keel started. */
  leaveNow(code: number): void {
    this.close();
    this.steps.exitNow?.(code);
  }

  private close(): void {
    if (this.phase.type === 'closed') return;
    if (this.phase.type === 'armed') clearTimeout(this.phase.timer);
    this.phase = { type: 'closed' };
    this.steps.close();
  }
}
