import { describe, expect, it } from 'vitest';
import { PromptRecall, type PromptSource } from './prompt-recall.ts';

/** A history file holding `entries` (oldest first; null = unreadable), counting the reads of each offset. */
function historyFile(entries: Array<string | null>): PromptSource & { reads: number[] } {
  const reads: number[] = [];
  return {
    count: entries.length,
    reads,
    entry: async (offset) => {
      reads.push(offset);
      await Promise.resolve();
      return entries[offset] ?? null;
    },
  };
}

/** Presses Up until nothing older is left; returns every prompt shown. */
async function allOlder(recall: PromptRecall, current = ''): Promise<string[]> {
  const seen: string[] = [];
  for (let text = await recall.older(current); text !== null; text = await recall.older(current)) seen.push(text);
  return seen;
}

describe('PromptRecall', () => {
  it('recalls the history file from newest to oldest, then returns null without moving', async () => {
    const recall = new PromptRecall(historyFile(['first', 'second', 'third']));
    expect(await allOlder(recall)).toEqual(['third', 'second', 'first']);
    expect(await recall.older('')).toBeNull();
    expect(recall.browsing).toBe(true);
    expect(await recall.newer()).toBe('second');
  });

  it("puts this session's prompts before the file's, newest first", async () => {
    const recall = new PromptRecall(historyFile(['old one', 'old two']));
    recall.remember('mine one');
    recall.remember('mine two');
    expect(await allOlder(recall)).toEqual(['mine two', 'mine one', 'old two', 'old one']);
  });

  it('saves the draft on the first Up and gives it back after walking Down past the newest', async () => {
    const recall = new PromptRecall(historyFile(['a', 'b']));
    expect(recall.browsing).toBe(false);
    expect(await recall.older('half-typed')).toBe('b');
    expect(recall.browsing).toBe(true);
    expect(await recall.older('b')).toBe('a');
    expect(await recall.newer()).toBe('b');
    expect(await recall.newer()).toBe('half-typed');
    expect(recall.browsing).toBe(false);
    expect(await recall.newer()).toBeNull();
  });

  it('returns null for Down when not browsing, and for Up when there is nothing at all', async () => {
    const recall = new PromptRecall(historyFile([]));
    expect(await recall.newer()).toBeNull();
    expect(await recall.older('draft')).toBeNull();
    expect(recall.browsing).toBe(false);
  });

  it('skips unreadable entries and entries equal to the one shown before', async () => {
    const recall = new PromptRecall(historyFile(['x', 'y', null, 'y', 'y', null, 'draft']));
    expect(await allOlder(recall, 'draft')).toEqual(['y', 'x']);
    // Down retraces exactly what Up showed.
    expect(await recall.newer()).toBe('y');
    expect(await recall.newer()).toBe('draft');
  });

  it('does not remember a prompt twice in a row, nor an empty one', async () => {
    const recall = new PromptRecall(historyFile([]));
    recall.remember('again');
    recall.remember('again');
    recall.remember('');
    recall.remember('other');
    recall.remember('again');
    expect(await allOlder(recall)).toEqual(['again', 'other', 'again']);
  });

  it('reads each file entry once, and only when reached', async () => {
    const file = historyFile(['a', 'b', 'c', 'd']);
    const recall = new PromptRecall(file);
    expect(await recall.older('')).toBe('d');
    expect(await recall.older('d')).toBe('c');
    expect(file.reads).toEqual([3, 2]);
    recall.reset();
    expect(await allOlder(recall)).toEqual(['d', 'c', 'b', 'a']);
    expect(file.reads).toEqual([3, 2, 1, 0]);
  });

  it('forgets the draft on reset() and starts again from the newest', async () => {
    const recall = new PromptRecall(historyFile(['a', 'b']));
    await recall.older('draft');
    await recall.older('b');
    recall.reset();
    expect(recall.browsing).toBe(false);
    expect(await recall.newer()).toBeNull();
    expect(await recall.older('new draft')).toBe('b');
    expect(await recall.newer()).toBe('new draft');
  });

  it('ends browsing when a prompt is remembered, and recalls it first', async () => {
    const recall = new PromptRecall(historyFile(['a']));
    await recall.older('');
    recall.remember('sent');
    expect(recall.browsing).toBe(false);
    expect(await recall.older('')).toBe('sent');
  });

  it('treats an entry whose read fails like an unreadable one', async () => {
    const recall = new PromptRecall({
      count: 2,
      entry: async (offset) => {
        if (offset === 1) throw new Error('gone');
        return 'kept';
      },
    });
    expect(await recall.older('')).toBe('kept');
  });

  it('steps once per call when Up is pressed again before the previous read finished', async () => {
    const recall = new PromptRecall(historyFile(['a', 'b', 'c']));
    const results = await Promise.all([recall.older('draft'), recall.older('draft'), recall.older('draft')]);
    expect(results).toEqual(['c', 'b', 'a']);
  });

  it('lets calls still in flight at reset() return null without starting to browse', async () => {
    const recall = new PromptRecall(historyFile(['a']));
    const pending = recall.older('draft');
    recall.reset();
    expect(await pending).toBeNull();
    expect(recall.browsing).toBe(false);
  });
});
