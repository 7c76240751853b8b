/** Where the snapshot store of a tree lives: one per tree root, named by a hash of its real path. */
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export function storeDirFor(home: string, root: string): string {
  return join(home, 'snapshots', createHash('sha256').update(root).digest('hex').slice(0, 16));
}
