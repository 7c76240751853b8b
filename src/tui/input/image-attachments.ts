/**
 * The images waiting in the prompt box to go with the next prompt: pasted (or dropped) image paths being read, and
 * images read and ready. Reading a file takes a moment, and keys must not wait for it: an attachment is listed at
 * once, as loading, and becomes ready, or goes, when its read settles. What the person did meanwhile wins: an
 * attachment removed (Backspace, a cleared prompt) before its read settled stays removed.
 */
import { basename } from 'node:path';
import { loadImageFile, type ImageLoad, type ImageUserInput } from '../../util/load-image.ts';
import type { ImageLoader } from '../tui-options.ts';

/** Reads an image file from disk; relative paths from `cwd` (the process's directory when undefined). */
export const readImageFile: ImageLoader = (path, cwd) => loadImageFile(path, cwd === undefined ? {} : { cwd });

export type Attachment =
  | { readonly type: 'loading'; readonly id: number; readonly name: string }
  | { readonly type: 'ready'; readonly id: number; readonly name: string; readonly input: ImageUserInput };

/** How an attachment's read ended. */
export type AttachOutcome =
  | { type: 'attached' }
  /** There is no such file: the pasted text was a path only in looks, and goes into the prompt as text. */
  | { type: 'as_text'; text: string }
  /** The file cannot be attached (not an image, too large, unreadable): `message` says why, ready to show. */
  | { type: 'failed'; message: string }
  /** The attachment was removed before its read settled. */
  | { type: 'dropped' };

export class ImageAttachments {
  private entries: Attachment[] = [];
  private nextId = 0;

  get list(): readonly Attachment[] {
    return this.entries;
  }

  get count(): number {
    return this.entries.length;
  }

  /** Whether a read is still under way: a prompt sent now waits for it. */
  get loading(): boolean {
    return this.entries.some((entry) => entry.type === 'loading');
  }

  /**
   * Lists the image at `path` (pasted as `pasted`) as loading until `read` settles; resolves with how it ended.
   * Never rejects: a read that throws counts as a file that cannot be attached.
   */
  async attach(path: string, pasted: string, read: Promise<ImageLoad>): Promise<AttachOutcome> {
    const id = this.nextId++;
    this.entries = [...this.entries, { type: 'loading', id, name: basename(path) }];
    let loaded: ImageLoad;
    try {
      loaded = await read;
    } catch (error) {
      loaded = { type: 'failed', kind: 'unreadable', path, message: `image ${path} cannot be read: ${(error as Error).message}` };
    }
    const index = this.entries.findIndex((entry) => entry.id === id);
    if (index < 0) return { type: 'dropped' };
    if (loaded.type === 'loaded') {
      this.entries = this.entries.map((entry) => (entry.id === id ? ready(id, loaded.input) : entry));
      return { type: 'attached' };
    }
    this.entries = this.entries.filter((entry) => entry.id !== id);
    return loaded.kind === 'not_found' ? { type: 'as_text', text: pasted } : { type: 'failed', message: loaded.message };
  }

  /** Images already read (from the command line, or a prompt given back), after those listed. */
  add(inputs: readonly ImageUserInput[]): void {
    this.entries = [...this.entries, ...inputs.map((input) => ready(this.nextId++, input))];
  }

  /** Removes the last attachment; false when there is none. */
  removeLast(): boolean {
    if (this.entries.length === 0) return false;
    this.entries = this.entries.slice(0, -1);
    return true;
  }

  clear(): void {
    this.entries = [];
  }

  /** The images, taken out of the box to be sent. Only when none is loading: a prompt waits for its images. */
  take(): ImageUserInput[] {
    if (this.loading) throw new Error('ImageAttachments.take: an image is still loading');
    const inputs = this.entries.flatMap((entry) => (entry.type === 'ready' ? [entry.input] : []));
    this.entries = [];
    return inputs;
  }
}

function ready(id: number, input: ImageUserInput): Attachment {
  return { type: 'ready', id, name: input.name ?? 'image', input };
}
