/** Commit against the real file system: modes, links, folders, and nothing left behind. */
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPatch } from './apply-patch.ts';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'keel-commit-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const patchOf = (...lines: string[]) => ['*** Begin Patch', ...lines, '*** End Patch'].join('\n');

function tree(folder = root, prefix = ''): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      return lstatSync(path).isDirectory() ? [`${prefix}${name}/`, ...tree(path, `${prefix}${name}/`)] : [`${prefix}${name}`];
    });
}

describe('commit on disk', () => {
  it('keeps the exact mode of an updated file, whatever the umask', async () => {
    writeFileSync(join(root, 'run.sh'), 'echo 1\n');
    chmodSync(join(root, 'run.sh'), 0o775);
    writeFileSync(join(root, 'secret.txt'), 'a\n');
    chmodSync(join(root, 'secret.txt'), 0o600);
    const result = await applyPatch(patchOf('*** Update File: run.sh', '-echo 1', '+echo 2', '*** Update File: secret.txt', '-a', '+b'), { cwd: root });
    expect(result.type).toBe('applied');
    expect(statSync(join(root, 'run.sh')).mode & 0o7777).toBe(0o775);
    expect(statSync(join(root, 'secret.txt')).mode & 0o7777).toBe(0o600);
    expect(tree()).toEqual(['run.sh', 'secret.txt']);
  });

  it('writes through a symbolic link instead of replacing it, and deletes a link itself', async () => {
    mkdirSync(join(root, 'real'));
    writeFileSync(join(root, 'real/config.txt'), 'old\n');
    symlinkSync('real/config.txt', join(root, 'config.txt'));
    symlinkSync('real/config.txt', join(root, 'alias.txt'));
    const result = await applyPatch(patchOf('*** Update File: config.txt', '-old', '+new', '*** Delete File: alias.txt'), { cwd: root });
    expect(result.type).toBe('applied');
    expect(lstatSync(join(root, 'config.txt')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(root, 'real/config.txt'), 'utf8')).toBe('new\n');
    expect(existsSync(join(root, 'alias.txt'))).toBe(false);
    expect(tree()).toEqual(['config.txt', 'real/', 'real/config.txt']);
  });

  it('creates missing folders for adds and moves, and leaves no temporary file behind', async () => {
    writeFileSync(join(root, 'a.txt'), 'a\n');
    const result = await applyPatch(patchOf('*** Add File: x/y/new.txt', '+n', '*** Update File: a.txt', '*** Move to: p/q/a.txt', '-a', '+A'), { cwd: root });
    expect(result.type).toBe('applied');
    expect(tree()).toEqual(['p/', 'p/q/', 'p/q/a.txt', 'x/', 'x/y/', 'x/y/new.txt']);
  });

  it('replaces a file by a folder of the same name within one patch', async () => {
    writeFileSync(join(root, 'notes'), 'flat\n');
    const result = await applyPatch(patchOf('*** Delete File: notes', '*** Add File: notes/today.md', '+hi'), { cwd: root });
    expect(result.type).toBe('applied');
    expect(tree()).toEqual(['notes/', 'notes/today.md']);
  });

  it('changes nothing when a write fails, removing the folders it created', async () => {
    writeFileSync(join(root, 'a.txt'), 'a\n');
    writeFileSync(join(root, 'blocker'), 'a file where a folder is needed\n');
    const result = await applyPatch(patchOf('*** Update File: a.txt', '-a', '+A', '*** Add File: new/dir/b.txt', '+b', '*** Add File: blocker/c.txt', '+c'), {
      cwd: root,
    });
    expect(result).toMatchObject({ type: 'failed', kind: 'io_error', replaced: [] });
    expect(tree()).toEqual(['a.txt', 'blocker']);
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('a\n');
  });

  it('writes byte-exact CRLF and BOM files', async () => {
    writeFileSync(join(root, 'win.txt'), '\ufeffone\r\ntwo\r\n');
    await applyPatch(patchOf('*** Update File: win.txt', ' one', '-two', '+TWO', '+three'), { cwd: root });
    expect(readFileSync(join(root, 'win.txt')).equals(Buffer.from('\ufeffone\r\nTWO\r\nthree\r\n'))).toBe(true);
  });
});
