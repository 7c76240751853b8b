/** The real file system behind `PathProbe` and `RootsProbe`. */
import { readFileSync, readlinkSync, statSync } from 'node:fs';
import type { PathProbe } from './resolve-path.ts';
import type { RootsProbe } from './writable-roots.ts';

export const nodePathProbe: PathProbe & RootsProbe = {
  readlink(path) {
    try {
      return readlinkSync(path);
    } catch {
      // EINVAL (not a link), ENOENT, ENOTDIR, EACCES: in each case there is no link to follow here.
      return null;
    }
  },
  kind(path) {
    try {
      return statSync(path).isDirectory() ? 'dir' : 'file';
    } catch {
      // Missing or unreadable: nothing that can be bound or protected.
      return 'missing';
    }
  },
  readFile(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      // An unreadable gitdir pointer protects only the pointer file itself.
      return null;
    }
  },
};
