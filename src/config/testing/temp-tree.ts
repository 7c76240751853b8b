/** Real files for config tests: a fresh temporary folder holding the given files (paths relative to it). */
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function tempTree(files: Record<string, string> = {}): string {
  // realpath: on macOS the temp folder is behind a symlink, and paths in assertions must match what keel resolves.
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'keel-config-')));
  writeFiles(root, files);
  return root;
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** Makes `dir` a repository root as far as keel can tell (it only looks for `.git`). */
export function markRepo(root: string, dir = '.'): void {
  mkdirSync(join(root, dir, '.git'), { recursive: true });
}
