import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FileWrite } from '../tools/tool.ts';
import { TurnDiffTracker } from './turn-diff-tracker.ts';

const content = (text: string | null) => (text === null ? null : { bytes: Buffer.from(text), mode: 0o644 });
const write = (path: string, before: string | null, after: string | null): FileWrite => ({ path, before: content(before), after: content(after) });

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('TurnDiffTracker', () => {
  it('diffs each file from before its first change to its latest content, ordered by path', () => {
    const tracker = new TurnDiffTracker();
    tracker.record([write('/w/b.txt', 'b\n', 'B\n')]);
    tracker.record([write('/w/b.txt', 'B\n', 'BB\n'), write('/w/a.txt', null, 'new\n')]);
    expect(tracker.diff('/w')).toBe(
      'diff --git a/a.txt b/a.txt\nnew file mode 100644\n--- /dev/null\n+++ b/a.txt\n@@ -0,0 +1,1 @@\n+new\n' +
        'diff --git a/b.txt b/b.txt\n--- a/b.txt\n+++ b/b.txt\n@@ -1,1 +1,1 @@\n-b\n+BB\n',
    );
  });

  it('leaves out a file that is back to how the task found it', () => {
    const tracker = new TurnDiffTracker();
    tracker.record([write('/w/a.txt', 'a\n', 'x\n'), write('/w/tmp.txt', null, 't\n')]);
    tracker.record([write('/w/a.txt', 'x\n', 'a\n'), write('/w/tmp.txt', 't\n', null)]);
    expect(tracker.diff('/w')).toBe('');
  });

  it('labels files outside the working directory with their absolute path', () => {
    const tracker = new TurnDiffTracker();
    tracker.record([write('/elsewhere/x.txt', 'x\n', 'y\n')]);
    expect(tracker.diff('/w')).toContain('diff --git a//elsewhere/x.txt b//elsewhere/x.txt\n');
  });

  it('produces a diff that git apply takes, turning the starting tree into the final one', () => {
    const repo = mkdtempSync(join(tmpdir(), 'keel-turn-diff-'));
    dirs.push(repo);
    const start: Record<string, string> = {
      'keep.txt': 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n',
      'src/old.js': 'export const x = 1;\n',
      'crlf.txt': 'one\r\ntwo\r\n',
    };
    const end: Record<string, string | null> = {
      'keep.txt': 'a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\n',
      'src/old.js': null,
      'src/new.js': 'export const x = 2;\n',
      'crlf.txt': 'one\r\nTWO\r\n',
    };
    const tracker = new TurnDiffTracker();
    // Two steps, as two patches would write them.
    tracker.record([write(join(repo, 'keep.txt'), start['keep.txt']!, 'a\nB\nc\nd\ne\nf\ng\nh\ni\nj\n')]);
    tracker.record([
      write(join(repo, 'keep.txt'), 'a\nB\nc\nd\ne\nf\ng\nh\ni\nj\n', end['keep.txt']!),
      write(join(repo, 'src/old.js'), start['src/old.js']!, null),
      write(join(repo, 'src/new.js'), null, end['src/new.js']!),
      write(join(repo, 'crlf.txt'), start['crlf.txt']!, end['crlf.txt']!),
    ]);
    for (const [path, text] of Object.entries(start)) {
      mkdirSync(dirname(join(repo, path)), { recursive: true });
      writeFileSync(join(repo, path), text);
    }
    writeFileSync(join(repo, 'turn.diff'), tracker.diff(repo));
    execFileSync('git', ['init', '-q'], { cwd: repo });
    execFileSync('git', ['apply', '--whitespace=nowarn', 'turn.diff'], { cwd: repo });
    for (const [path, text] of Object.entries(end)) {
      if (text === null) expect(() => readFileSync(join(repo, path))).toThrow();
      else expect(readFileSync(join(repo, path), 'utf8')).toBe(text);
    }
  });
});
