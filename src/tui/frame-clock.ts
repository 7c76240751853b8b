/**
 * When the UI draws: at once when asked (a key was pressed), at most one frame per FRAME_MS when events ask (a reply
 * streaming thousands of deltas a second costs ~60 frames), and once a second while a clock is on screen.
 */

/** At most one frame per this many milliseconds for frames that events ask for. */
const FRAME_MS = 16;
const TICK_MS = 1000;

export class FrameClock {
  private pending: NodeJS.Timeout | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private lastFrame = 0;
  private stopped = false;

  constructor(
    private readonly draw: () => void,
    private readonly now: () => number,
  ) {}

  /** A frame now; one that was waiting is not drawn again. */
  drawNow(): void {
    if (this.stopped) return;
    this.cancelPending();
    this.lastFrame = this.now();
    this.draw();
  }

  /** A frame soon, and not sooner than FRAME_MS after the last. */
  schedule(): void {
    if (this.pending !== null || this.stopped) return;
    this.pending = setTimeout(
      () => {
        this.pending = null;
        this.drawNow();
      },
      Math.max(0, this.lastFrame + FRAME_MS - this.now()),
    );
  }

  /** Whether a clock shows (a task's or a command's seconds), which then needs a frame every second. */
  tick(wanted: boolean): void {
    if (wanted && this.ticker === null && !this.stopped) {
      this.ticker = setInterval(() => this.schedule(), TICK_MS);
    } else if (!wanted && this.ticker !== null) {
      clearInterval(this.ticker);
      this.ticker = null;
    }
  }

  /** No frames from now on. */
  stop(): void {
    this.stopped = true;
    this.cancelPending();
    this.tick(false);
  }

  private cancelPending(): void {
    if (this.pending !== null) clearTimeout(this.pending);
    this.pending = null;
  }
}
