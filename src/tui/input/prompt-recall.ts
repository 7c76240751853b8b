/**
 * Up/Down recall through submitted prompts: first this session's own (newest first), then the shared prompt history
 * file from its newest entry back. Entries of the file are read only when reached and are cached. Calls run one at a
 * time in call order, so quick repeated Up presses each step once; a `reset()` makes calls still in flight return
 * null without touching the state.
 */
export interface PromptSource {
  /** Entries in the history file when the session started (offsets 0..count-1, oldest first). */
  count: number;
  /** The entry at `offset`, or null when it is unreadable or gone. */
  entry(offset: number): Promise<string | null>;
}

/** A prompt being shown while browsing: its place in recall order (0 = newest) and its text. */
interface Shown {
  position: number;
  text: string;
}

export class PromptRecall {
  /** Prompts submitted in this session, oldest first. */
  private readonly session: string[] = [];
  private readonly cache = new Map<number, string | null>();
  /** The composer text from before browsing began, or null when not browsing. */
  private draft: string | null = null;
  /** The prompts shown so far while browsing, oldest shown last; Down steps back through them. */
  private shown: Shown[] = [];
  /** Bumped by reset(), so calls queued or in flight before it know they are stale. */
  private generation = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly source: PromptSource) {}

  /** A prompt submitted in this session: newest of all from now on. Ends browsing, which a submit does anyway. */
  remember(text: string): void {
    this.reset();
    if (text !== '' && this.session.at(-1) !== text) this.session.push(text);
  }

  /**
   * Up: the next older prompt, skipping unreadable entries and ones equal to the text shown now, or null when none is
   * older (the state is then unchanged). The first call saves `current` as the draft.
   */
  older(current: string): Promise<string | null> {
    return this.serialized(async (isStale) => {
      const showing = this.shown.at(-1);
      const previous = showing?.text ?? (this.draft ?? current);
      const found = await this.findOlder((showing?.position ?? -1) + 1, previous);
      if (found === null || isStale()) return null;
      if (this.draft === null) this.draft = current;
      this.shown.push(found);
      return found.text;
    });
  }

  /** Down: the next newer prompt; past the newest, the saved draft (browsing ends). Null when not browsing. */
  newer(): Promise<string | null> {
    return this.serialized(async (isStale) => {
      const draft = this.draft;
      if (draft === null || isStale()) return null;
      this.shown.pop();
      const showing = this.shown.at(-1);
      if (showing !== undefined) return showing.text;
      this.reset();
      return draft;
    });
  }

  /** Whether Up/Down are browsing (so the UI keeps using recall rather than moving the cursor). */
  get browsing(): boolean {
    return this.draft !== null;
  }

  /** Leaves browsing (after a submit or an edit); the draft is forgotten. */
  reset(): void {
    this.draft = null;
    this.shown = [];
    this.generation++;
  }

  /** The first prompt at or after `position` in recall order that is readable and differs from `previous`. */
  private async findOlder(position: number, previous: string): Promise<Shown | null> {
    const end = this.session.length + this.source.count;
    for (; position < end; position++) {
      const text = await this.at(position);
      if (text !== null && text !== previous) return { position, text };
    }
    return null;
  }

  /** The prompt at `position` in recall order: this session's newest first, then the file's newest first. */
  private async at(position: number): Promise<string | null> {
    if (position < this.session.length) return this.session[this.session.length - 1 - position]!;
    const offset = this.source.count - 1 - (position - this.session.length);
    if (!this.cache.has(offset)) this.cache.set(offset, await this.read(offset));
    return this.cache.get(offset) ?? null;
  }

  /** A source that throws is treated like one that reports the entry unreadable. */
  private async read(offset: number): Promise<string | null> {
    try {
      return await this.source.entry(offset);
    } catch {
      return null;
    }
  }

  /** Runs `step` after every earlier call has finished; `isStale` tells whether reset() came after this call. */
  private serialized<T>(step: (isStale: () => boolean) => Promise<T>): Promise<T> {
    const generation = this.generation;
    const result = this.queue.then(() => step(() => generation !== this.generation));
    this.queue = result.catch(() => undefined);
    return result;
  }
}
