/**
 * Turns an image file into the user input that carries it to the model: a `data:` URL with the MIME type its bytes
 * show (image-type.ts). Everything that can be wrong with the file is found here, before anything is sent or any
 * session is recorded, and said in one sentence with what to do about it.
 *
 * Used by `keel exec -i` / `keel -i` and by the UI for an image path pasted into the prompt.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { UserInput } from '../protocol/index.ts';
import { detectImageType, type ImageMime } from './image-type.ts';

/** The model APIs refuse larger images (OpenAI: 20 MB per image); a data URL adds a third again. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

export type ImageUserInput = Extract<UserInput, { type: 'image' }>;

export type ImageLoadFailure = 'not_found' | 'not_a_file' | 'unreadable' | 'too_large' | 'not_an_image';

export type ImageLoad =
  | { type: 'loaded'; input: ImageUserInput; mime: ImageMime; bytes: number }
  | {
      type: 'failed';
      kind: ImageLoadFailure;
      /** The path as given. */
      path: string;
      /** What is wrong and what to do, ready to show. */
      message: string;
      cause?: unknown;
    };

export interface LoadImageOptions {
  /** Relative paths are taken from here. Default: the process's working directory. */
  cwd?: string;
  /** Default MAX_IMAGE_BYTES; tests lower it. */
  maxBytes?: number;
}

export async function loadImageFile(path: string, options: LoadImageOptions = {}): Promise<ImageLoad> {
  const full = resolve(options.cwd ?? process.cwd(), path);
  const maxBytes = options.maxBytes ?? MAX_IMAGE_BYTES;
  const failed = (kind: ImageLoadFailure, message: string, cause?: unknown): ImageLoad => ({ type: 'failed', kind, path, message, cause });
  let size: number;
  try {
    const info = await stat(full);
    if (!info.isFile()) return failed('not_a_file', `image ${path} is not a file: give the path of an image file`);
    size = info.size;
  } catch (cause) {
    return systemFailure(path, cause, failed);
  }
  // Checked before reading, so a huge file is refused without loading it.
  if (size > maxBytes) return failed('too_large', tooLarge(path, size, maxBytes));
  let bytes: Buffer;
  try {
    bytes = await readFile(full);
  } catch (cause) {
    return systemFailure(path, cause, failed);
  }
  // The file may have grown since it was measured.
  if (bytes.length > maxBytes) return failed('too_large', tooLarge(path, bytes.length, maxBytes));
  const mime = detectImageType(bytes);
  if (mime === null) {
    const what = bytes.length === 0 ? 'is empty' : 'is not a PNG, JPEG, GIF or WebP image (judged by its content, not its name)';
    return failed('not_an_image', `image ${path} ${what}: attach a PNG, JPEG, GIF or WebP file`);
  }
  const input: ImageUserInput = { type: 'image', image_url: `data:${mime};base64,${bytes.toString('base64')}`, name: basename(full) };
  return { type: 'loaded', input, mime, bytes: bytes.length };
}

function systemFailure(path: string, cause: unknown, failed: (kind: ImageLoadFailure, message: string, cause?: unknown) => ImageLoad): ImageLoad {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return failed('not_found', `image ${path}: no such file (check the path)`, cause);
  if (code === 'EISDIR') return failed('not_a_file', `image ${path} is not a file: give the path of an image file`, cause);
  const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied (check its permissions)' : (code ?? String(cause));
  return failed('unreadable', `image ${path} cannot be read: ${reason}`, cause);
}

function tooLarge(path: string, size: number, maxBytes: number): string {
  return `image ${path} is ${megabytes(size)}; the model APIs take images up to ${megabytes(maxBytes)}: shrink or crop it first`;
}

function megabytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${bytes} bytes`;
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 || Number.isInteger(mb) ? Math.round(mb) : mb.toFixed(1)} MB`;
}
