import { describe, expect, it } from 'vitest';
import { applyPatch, commitPatch, planPatch, type ApplyPatchResult } from './apply-patch.ts';
import { MemoryPatchFs } from './memory-patch-fs.ts';

const cwd = '/work';
const patchOf = (...lines: string[]) => ['*** Begin Patch', ...lines, '*** End Patch', ''].join('\n');

function failure(result: ApplyPatchResult) {
  if (result.type !== 'failed') throw new Error('expected a failure');
  return result;
}

describe('applyPatch: success', () => {
  it('applies every operation and reports the summary and the changes, keyed by absolute path', async () => {
    const fs = new MemoryPatchFs({ '/work/modify.txt': 'line1\nline2\n', '/work/delete.txt': 'obsolete\n', '/work/old/name.txt': 'from\n' });
    const result = await applyPatch(
      patchOf(
        '*** Add File: nested/new.txt',
        '+created',
        '*** Delete File: delete.txt',
        '*** Update File: modify.txt',
        '@@',
        '-line2',
        '+changed',
        '*** Update File: old/name.txt',
        '*** Move to: renamed/name.txt',
        '@@',
        '-from',
        '+to',
      ),
      { cwd, fs },
    );
    expect(result).toEqual({
      type: 'applied',
      summary: 'Success. Updated the following files:\nA nested/new.txt\nM modify.txt\nM renamed/name.txt\nD delete.txt\n',
      affected: { added: ['nested/new.txt'], modified: ['modify.txt', 'renamed/name.txt'], deleted: ['delete.txt'] },
      changes: {
        '/work/nested/new.txt': { type: 'add', content: 'created\n' },
        '/work/delete.txt': { type: 'delete', content: 'obsolete\n' },
        '/work/modify.txt': {
          type: 'update',
          unified_diff: '--- a/modify.txt\n+++ b/modify.txt\n@@ -1,2 +1,2 @@\n line1\n-line2\n+changed\n',
          move_path: null,
        },
        '/work/old/name.txt': {
          type: 'update',
          unified_diff: '--- a/old/name.txt\n+++ b/renamed/name.txt\n@@ -1,1 +1,1 @@\n-from\n+to\n',
          move_path: '/work/renamed/name.txt',
        },
      },
    });
    expect(fs.snapshot()).toEqual({
      '/work': '<dir>',
      '/work/modify.txt': 'line1\nchanged\n',
      '/work/nested': '<dir>',
      '/work/nested/new.txt': 'created\n',
      '/work/old': '<dir>',
      '/work/renamed': '<dir>',
      '/work/renamed/name.txt': 'to\n',
    });
  });

  it('applies operations on one file one after the other, reporting one change from original to final', async () => {
    const fs = new MemoryPatchFs({ '/work/a.txt': 'one\ntwo\n' });
    const result = await applyPatch(
      patchOf('*** Update File: a.txt', '@@', '-one', '+ONE', '*** Update File: a.txt', '@@', '-two', '+TWO', '*** Add File: b.txt', '+b', '*** Update File: b.txt', '@@', '+more'),
      { cwd, fs },
    );
    expect(result.type).toBe('applied');
    expect(fs.snapshot()['/work/a.txt']).toBe('ONE\nTWO\n');
    expect(fs.snapshot()['/work/b.txt']).toBe('b\nmore\n');
    expect(result.type === 'applied' && result.changes).toEqual({
      '/work/a.txt': { type: 'update', unified_diff: '--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n-one\n-two\n+ONE\n+TWO\n', move_path: null },
      '/work/b.txt': { type: 'add', content: 'b\nmore\n' },
    });
  });

  it('keeps file modes: an update keeps its own, a moved file keeps the source mode', async () => {
    const fs = new MemoryPatchFs();
    fs.put('/work/run.sh', 'echo 1\n', 0o755);
    fs.put('/work/target.sh', 'old\n', 0o600);
    fs.put('/work/tool.sh', 'x\n', 0o750);
    await applyPatch(patchOf('*** Update File: run.sh', '-echo 1', '+echo 2', '*** Update File: tool.sh', '*** Move to: target.sh', '-x', '+y'), { cwd, fs });
    expect([fs.modeOf('/work/run.sh'), fs.modeOf('/work/target.sh')]).toEqual([0o755, 0o750]);
  });

  it('keeps the BOM and line endings of a file that Add File overwrites', async () => {
    const fs = new MemoryPatchFs({ '/work/win.txt': '\ufeffold\r\n' });
    await applyPatch(patchOf('*** Add File: win.txt', '+new', '+text'), { cwd, fs });
    expect(Buffer.from(fs.bytes('/work/win.txt')!).toString('utf8')).toBe('\ufeffnew\r\ntext\r\n');
  });

  it('deletes a binary file, reporting its size', async () => {
    const fs = new MemoryPatchFs({ '/work/logo.png': new Uint8Array([0x89, 0x50, 0x00, 0x01]) });
    const result = await applyPatch(patchOf('*** Delete File: logo.png'), { cwd, fs });
    expect(result.type === 'applied' && result.changes).toEqual({ '/work/logo.png': { type: 'delete', content: '(binary file, 4 bytes)' } });
  });
});

describe('applyPatch: all or nothing', () => {
  it('leaves the first two files untouched when the third operation fails', async () => {
    const fs = new MemoryPatchFs({ '/work/a.txt': 'a\n', '/work/b.txt': 'b\n', '/work/c.txt': 'c\n' });
    const before = fs.snapshot();
    const result = await applyPatch(
      patchOf('*** Update File: a.txt', '-a', '+A', '*** Add File: new/b2.txt', '+b2', '*** Update File: c.txt', '-not there', '+C'),
      { cwd, fs },
    );
    expect(failure(result).kind).toBe('does_not_apply');
    expect(fs.snapshot()).toEqual(before);
    expect(fs.log).toEqual([]);
  });

  it('undoes everything when writing fails before any file is replaced', async () => {
    const fs = new MemoryPatchFs({ '/work/a.txt': 'a\n', '/work/gone.txt': 'g\n' });
    const before = fs.snapshot();
    fs.failure = (operation, path) => (operation === 'writeNew' && path.includes('/deep/') ? Object.assign(new Error('no space left'), { code: 'ENOSPC' }) : null);
    const result = failure(
      await applyPatch(patchOf('*** Update File: a.txt', '-a', '+A', '*** Delete File: gone.txt', '*** Add File: deep/er/c.txt', '+c'), { cwd, fs }),
    );
    expect(result).toMatchObject({ kind: 'io_error', path: '/work/deep/er/c.txt', replaced: [] });
    expect(result.message).toBe('The patch was not applied, and no file was changed: could not write deep/er/c.txt: ENOSPC: no space left.');
    expect(fs.snapshot()).toEqual(before);
  });

  it('says exactly which files were replaced when the final renames fail part way', async () => {
    const fs = new MemoryPatchFs({ '/work/a.txt': 'a\n', '/work/b.txt': 'b\n', '/work/c.txt': 'c\n' });
    let renames = 0;
    fs.failure = (operation) => (operation === 'rename' && ++renames === 2 ? new Error('EIO') : null);
    const result = failure(await applyPatch(patchOf('*** Update File: a.txt', '-a', '+A', '*** Update File: b.txt', '-b', '+B', '*** Delete File: c.txt'), { cwd, fs }));
    // The first rename set c.txt aside; the second (a.txt's new content) failed: nothing was replaced, c.txt is back.
    expect(result).toMatchObject({ kind: 'io_error', replaced: [] });
    expect(fs.snapshot()).toMatchObject({ '/work/a.txt': 'a\n', '/work/b.txt': 'b\n', '/work/c.txt': 'c\n' });
    renames = 0;
    fs.failure = (operation) => (operation === 'rename' && ++renames === 3 ? new Error('EIO') : null);
    const partial = failure(await applyPatch(patchOf('*** Update File: a.txt', '-a', '+A', '*** Update File: b.txt', '-b', '+B', '*** Delete File: c.txt'), { cwd, fs }));
    expect(partial).toMatchObject({ kind: 'io_error', replaced: ['/work/a.txt'] });
    expect(partial.message).toContain('only partly applied');
    expect(fs.snapshot()).toMatchObject({ '/work/a.txt': 'A\n', '/work/b.txt': 'b\n', '/work/c.txt': 'c\n' });
    expect(Object.keys(fs.snapshot()).filter((path) => path.includes('.keel-'))).toEqual([]);
  });

  it('plans without writing, and refuses to commit over a file changed since', async () => {
    const fs = new MemoryPatchFs({ '/work/a.txt': 'a\n' });
    const planned = await planPatch(patchOf('*** Update File: a.txt', '-a', '+A'), { cwd, fs });
    if (planned.type !== 'planned') throw new Error('expected a plan');
    expect(fs.log).toEqual([]);
    expect(planned.plan.changes['/work/a.txt']).toMatchObject({ type: 'update' });
    fs.put('/work/a.txt', 'edited by the user\n');
    const result = failure(await commitPatch(planned.plan, { fs }));
    expect(result).toMatchObject({ kind: 'stale', paths: ['/work/a.txt'] });
    expect(result.message).toContain('a.txt changed on disk');
    expect(fs.snapshot()['/work/a.txt']).toBe('edited by the user\n');
  });
});

describe('applyPatch: model-facing error texts', () => {
  it('shows the closest region with line numbers and the first differing line, quoted', async () => {
    const fs = new MemoryPatchFs({ '/work/src/app.py': 'import os\n\ndef greet(name):\n\tprint("Hi " + name)\n\treturn None\n' });
    const result = failure(
      await applyPatch(patchOf('*** Update File: src/app.py', '@@', ' def greet(name):', '-    print("Hello " + name)', '+    print(f"Hello {name}")', '     return None'), {
        cwd,
        fs,
      }),
    );
    expect(result.message).toBe(
      [
        'The patch was not applied, and no file was changed (a patch applies in full or not at all). Fix this problem and send the whole corrected patch again:',
        '',
        '1. *** Update File: src/app.py (patch line 2): the chunk at patch line 3 does not match the file. These lines were not found from line 1 on:',
        '    def greet(name):',
        '        print("Hello " + name)',
        '        return None',
        'The closest part of the file is at lines 3-5:',
        '       3 | def greet(name):',
        '       4 | \tprint("Hi " + name)',
        '       5 | \treturn None',
        'First difference, at line 4: the file has "\\tprint(\\"Hi \\" + name)" where the patch has "    print(\\"Hello \\" + name)".',
      ].join('\n'),
    );
  });

  it('lists every problem of the patch at once', async () => {
    const fs = new MemoryPatchFs({ '/work/a.txt': 'a\nB\n', '/work/dir/x': 'x' });
    const result = failure(
      await applyPatch(
        patchOf('*** Update File: missing.txt', '-x', '+y', '*** Delete File: dir', '*** Update File: a.txt', '-b', '+B', '*** Delete File: nope.txt'),
        { cwd, fs },
      ),
    );
    expect(result.kind).toBe('does_not_apply');
    expect(result.message.split('\n\n').slice(1)).toEqual([
      "1. *** Update File: missing.txt (patch line 2): this file does not exist. To create it, use '*** Add File: missing.txt' with every line prefixed by '+'.",
      "2. *** Delete File: dir (patch line 5): 'dir' is a directory; apply_patch adds, updates and deletes files only.",
      '3. *** Update File: a.txt (patch line 6): the chunk at patch line 7 looks already applied: its old lines are not in the file, but its new lines are, at line 2. Re-read the file; if the change is already there, leave this chunk out.',
      '4. *** Delete File: nope.txt (patch line 9): this file does not exist, so it cannot be deleted.',
    ]);
  });

  it('explains syntax errors with the patch line', async () => {
    const result = failure(await applyPatch('*** Begin Patch\n*** Change File: a\n*** End Patch', { cwd, fs: new MemoryPatchFs() }));
    expect(result.kind).toBe('invalid_patch');
    expect(result.message).toMatch(/^Invalid patch: Line 2, '\*\*\* Change File: a', is not a valid file operation\./);
  });

  it('refuses to edit binary files, and to put characters into an 8-bit file that cannot hold them', async () => {
    const fs = new MemoryPatchFs({ '/work/bin.dat': new Uint8Array([0x61, 0x00, 0x0a]), '/work/latin.txt': new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]) });
    const binary = failure(await applyPatch(patchOf('*** Update File: bin.dat', '-a', '+b'), { cwd, fs }));
    expect(binary.message).toContain('the file cannot be edited as text: it contains NUL bytes (a binary file).');
    const latin = failure(await applyPatch(patchOf('*** Update File: latin.txt', ' café', '+naïve ✅'), { cwd, fs }));
    expect(latin.message).toContain('puts "✅" (U+2705) on line 2');
    const fine = await applyPatch(patchOf('*** Update File: latin.txt', ' café', '+naïve'), { cwd, fs });
    expect(fine.type).toBe('applied');
    expect(Buffer.from(fs.bytes('/work/latin.txt')!)).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a, 0x6e, 0x61, 0xef, 0x76, 0x65, 0x0a]));
  });
});
