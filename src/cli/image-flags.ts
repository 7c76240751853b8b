/**
 * `-i FILE` / `--image FILE` (repeatable) of `keel exec` and `keel`: every file is loaded and checked before a
 * session is opened or anything is sent, so a wrong path costs nothing but the message saying so.
 */
import { loadImageFile, type ImageUserInput } from '../util/load-image.ts';
import { UsageError } from './usage-error.ts';

/** The images, in the order given; a UsageError naming the first file that cannot be attached. */
export async function loadImageFlags(paths: readonly string[] | undefined, cwd: string): Promise<ImageUserInput[]> {
  const images: ImageUserInput[] = [];
  for (const path of paths ?? []) {
    const loaded = await loadImageFile(path, { cwd });
    if (loaded.type === 'failed') throw new UsageError(loaded.message);
    images.push(loaded.input);
  }
  return images;
}

/**
 * Refuses images for a model the catalogue (or config.toml's `model_supports_images`) says takes none: the server
 * would refuse the request, or worse, answer without having seen them. Unknown models get them.
 */
export function checkModelTakesImages(images: readonly ImageUserInput[], model: string, acceptsImages: boolean | null): void {
  if (images.length === 0 || acceptsImages !== false) return;
  throw new UsageError(
    `${model} does not take images, so -i cannot attach ${images.length === 1 ? 'one' : 'them'}: choose a model that does with -m, ` +
      `or set model_supports_images = true in config.toml if ${model} does`,
  );
}
