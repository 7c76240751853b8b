/**
 * Making a new file's name durable: fsync on a file covers its data, not the directory entry that names it. After a
 * power cut a synced file whose directory was never synced can be gone, which is how a day's sessions vanish.
 */
import { closeSync, constants, fdatasync, fdatasyncSync, open, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { errnoCode } from './store-error.ts';

const openFile = promisify(open);
const dataSync = promisify(fdatasync);

/**
 * What to sync after creating a file in `directory`: `directory` (it names the file), and the parent of each directory
 * `mkdir` created on the way, `firstCreated` being the topmost (each parent names a new directory).
 */
export function directoriesCreated(firstCreated: string | undefined, directory: string): string[] {
  const toSync = [directory];
  if (firstCreated === undefined) return toSync;
  for (let current = directory; current !== firstCreated && current !== dirname(current); ) {
    current = dirname(current);
    toSync.push(current);
  }
  toSync.push(dirname(firstCreated));
  return toSync;
}

export async function syncDirectory(directory: string): Promise<void> {
  const fd = await openFile(directory, constants.O_RDONLY);
  try {
    await dataSync(fd);
  } catch (cause) {
    // Some file systems refuse to sync a directory (EINVAL); the file's own data is synced, which is what matters most.
    if (errnoCode(cause) !== 'EINVAL') throw cause;
  } finally {
    closeSync(fd);
  }
}

export function syncDirectorySync(directory: string): void {
  const fd = openSync(directory, constants.O_RDONLY);
  try {
    fdatasyncSync(fd);
  } catch (cause) {
    if (errnoCode(cause) !== 'EINVAL') throw cause;
  } finally {
    closeSync(fd);
  }
}
