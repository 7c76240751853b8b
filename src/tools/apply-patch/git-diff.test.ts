import { describe, expect, it } from 'vitest';
import { gitFileDiff } from './git-diff.ts';

const version = (text: string | Uint8Array, mode: number | null = 0o644) => ({ bytes: typeof text === 'string' ? Buffer.from(text) : text, mode });

describe('gitFileDiff', () => {
  it('writes an update with git headers', () => {
    expect(gitFileDiff('src/a.txt', version('one\ntwo\n'), version('one\n2\n'))).toBe(
      'diff --git a/src/a.txt b/src/a.txt\n--- a/src/a.txt\n+++ b/src/a.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+2\n',
    );
  });

  it('writes additions from /dev/null and deletions to /dev/null', () => {
    expect(gitFileDiff('n.txt', null, version('x', null))).toBe(
      'diff --git a/n.txt b/n.txt\nnew file mode 100644\n--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1,1 @@\n+x\n\\ No newline at end of file\n',
    );
    expect(gitFileDiff('run.sh', version('echo\n', 0o755), null)).toBe(
      'diff --git a/run.sh b/run.sh\ndeleted file mode 100755\n--- a/run.sh\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-echo\n',
    );
    expect(gitFileDiff('empty', null, version(''))).toBe('diff --git a/empty b/empty\nnew file mode 100644\n');
  });

  it('is empty when nothing changed, and shows a mode change alone', () => {
    expect(gitFileDiff('a', version('same\n'), version('same\n'))).toBe('');
    expect(gitFileDiff('a', null, null)).toBe('');
    expect(gitFileDiff('a', version('same\n', 0o644), version('same\n', 0o755))).toBe('diff --git a/a b/a\nold mode 100644\nnew mode 100755\n');
  });

  it('does not diff binary content', () => {
    expect(gitFileDiff('b.bin', version(new Uint8Array([0, 1])), version(new Uint8Array([0, 2])))).toBe(
      'diff --git a/b.bin b/b.bin\nBinary files a/b.bin and b/b.bin differ\n',
    );
  });
});

describe('gitFileDiff and line endings', () => {
  it('keeps CR in the line text, as git does, so the diff applies', () => {
    expect(gitFileDiff('w.txt', version('one\r\ntwo\r\n'), version('one\r\nTWO\r\n'))).toBe(
      'diff --git a/w.txt b/w.txt\n--- a/w.txt\n+++ b/w.txt\n@@ -1,2 +1,2 @@\n one\r\n-two\r\n+TWO\r\n',
    );
    expect(gitFileDiff('m.txt', version('a\rb\nc'), version('a\rb\nC'))).toBe(
      'diff --git a/m.txt b/m.txt\n--- a/m.txt\n+++ b/m.txt\n@@ -1,2 +1,2 @@\n a\rb\n-c\n\\ No newline at end of file\n+C\n\\ No newline at end of file\n',
    );
  });
});
