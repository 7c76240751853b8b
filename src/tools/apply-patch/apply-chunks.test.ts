import { describe, expect, it } from 'vitest';
import { applyChunks, type ChunkError } from './apply-chunks.ts';
import { parsePatch } from './parse-patch.ts';
import { decodeText, textOf } from './text-file.ts';

/** Applies the chunks of `*** Update File` written as `body` to `file`; the new text, or the errors. */
function update(file: string, ...body: string[]): string | ChunkError[] {
  const parsed = parsePatch(['*** Begin Patch', '*** Update File: f', ...body, '*** End Patch'].join('\n'));
  if (parsed.type !== 'parsed' || parsed.patch.hunks[0]!.type !== 'update') throw new Error('bad test patch');
  const decoded = decodeText(Buffer.from(file, 'utf8'));
  if (decoded.type !== 'text') throw new Error('bad test file');
  const result = applyChunks(decoded.file, parsed.patch.hunks[0]!.chunks);
  return result.type === 'updated' ? textOf(result.file) : result.errors;
}

describe('applyChunks: locating chunks', () => {
  it('replaces, deletes and inserts with context', () => {
    expect(update('a\nb\nc\n', ' a', '-b', '+B', ' c')).toBe('a\nB\nc\n');
    expect(update('a\nb\nc\n', ' a', '-b', ' c')).toBe('a\nc\n');
    expect(update('a\nc\n', ' a', '+b', ' c')).toBe('a\nb\nc\n');
  });

  it('applies several chunks in order from a moving cursor, so repeated lines go to the right place', () => {
    const file = 'x = 1\nreturn x\nx = 1\nreturn x\n';
    expect(update(file, '@@', '-x = 1', '+x = 2', '@@', '-x = 1', '+x = 3')).toBe('x = 2\nreturn x\nx = 3\nreturn x\n');
  });

  it('positions a chunk after its @@ anchor, and after each of stacked anchors in turn', () => {
    const file = 'def a():\n    return 1\ndef b():\n    return 1\n';
    expect(update(file, '@@ def b():', '-    return 1', '+    return 2')).toBe('def a():\n    return 1\ndef b():\n    return 2\n');
    const nested = 'class A:\n  def f():\n    pass\nclass B:\n  def f():\n    pass\n';
    expect(update(nested, '@@ class B:', '@@   def f():', '-    pass', '+    return')).toBe(
      'class A:\n  def f():\n    pass\nclass B:\n  def f():\n    return\n',
    );
  });

  it('accepts an anchor repeated as the first context line', () => {
    expect(update('def f():\n    pass\n', '@@ def f():', ' def f():', '-    pass', '+    return 1')).toBe('def f():\n    return 1\n');
  });

  it('appends a pure addition at the end of the file (before one last blank line), or right after its anchor', () => {
    expect(update('line1\nline2\n', '@@', '+added')).toBe('line1\nline2\nadded\n');
    expect(update('a\n\n', '@@', '+b')).toBe('a\nb\n\n');
    expect(update('a\n\n', '@@', '+b', '*** End of File')).toBe('a\n\nb\n');
    expect(update('head\nbody\n', '@@ head', '+inserted')).toBe('head\ninserted\nbody\n');
  });

  it('anchors an *** End of File chunk at the end, not at an earlier copy of its lines', () => {
    const file = 'end\nmiddle\nend\n';
    expect(update(file, '@@', '-end', '+END', '*** End of File')).toBe('end\nmiddle\nEND\n');
    expect(update('a\nend\n\n', '@@', '-end', '+END', '*** End of File')).toBe('a\nEND\n\n');
    expect(update('end\nmiddle\n', '@@', '-end', '+END', '*** End of File')).toMatchObject([{ kind: 'lines_not_found', endOfFile: true }]);
  });

  it('drops trailing blank context lines that the file does not have', () => {
    expect(update('a\nb\n', '@@', ' a', '-b', '+c', '', '')).toBe('a\nc\n');
  });

  it('keeps context lines as the file has them, even when matched tolerantly', () => {
    expect(update('\tif (x) {\u00a0 \n\t\tgo();\n\t}\n', '  if (x) {', '-    go();', '+\t\tstop();', '  }')).toBe('\tif (x) {\u00a0 \n\t\tstop();\n\t}\n');
  });
});

describe('applyChunks: line endings and final newline', () => {
  it('keeps CRLF on every line of a CRLF file, new lines included', () => {
    expect(update('one\r\ntwo\r\nthree\r\n', '@@', '-one', '+ONE', ' two', '+between', ' three')).toBe('ONE\r\ntwo\r\nbetween\r\nthree\r\n');
  });

  it("keeps each untouched line's own ending in a mixed file; new lines take the first ending", () => {
    expect(update('one\r\ntwo\rthree\nfour\r\n', '@@', ' one', ' two', '-three', '+THREE', ' four')).toBe('one\r\ntwo\rTHREE\r\nfour\r\n');
    expect(update('a\rb\r', '@@', ' a', '+x')).toBe('a\rx\rb\r');
  });

  it('ends an updated file with a line break, in its own style', () => {
    expect(update('no newline at end', '@@', '-no newline at end', '+first', '+second')).toBe('first\nsecond\n');
    expect(update('a\r\nlast', '@@', ' a', '+b')).toBe('a\r\nb\r\nlast\r\n');
    expect(update('only', '@@', '+more')).toBe('only\nmore\n');
  });

  it('deletes every line', () => {
    expect(update('a\nb\n', '@@', '-a', '-b')).toBe('');
  });
});

describe('applyChunks: diagnostics', () => {
  it('reports lines not found with the closest region and the first differing line', () => {
    const file = ['function total(items) {', '  let sum = 0;', '  for (const item of items) sum += item.price;', '  return sum;', '}'].join('\n') + '\n';
    const errors = update(file, '@@', ' function total(items) {', '   let sum = 0;', '-  for (const item of items) sum += item.cost;', '+  x', '   return sum;');
    expect(errors).toMatchObject([
      {
        kind: 'lines_not_found',
        chunkLine: 3,
        searchedFrom: 1,
        foundEarlierAt: null,
        closest: { start: 0, end: 4, difference: { fileIndex: 2, actual: '  for (const item of items) sum += item.price;', expected: '  for (const item of items) sum += item.cost;' } },
        shown: [
          { line: 1, text: 'function total(items) {' },
          { line: 2, text: '  let sum = 0;' },
          { line: 3, text: '  for (const item of items) sum += item.price;' },
          { line: 4, text: '  return sum;' },
        ],
      },
    ]);
  });

  it('reports every failing chunk, not just the first', () => {
    const errors = update('a\nb\nc\n', '@@', '-x', '+y', '@@', '-b', '+B', '@@', '-z', '+w');
    expect(Array.isArray(errors) && errors.map((error) => error.chunkLine)).toEqual([3, 9]);
  });

  it('says when a chunk looks already applied', () => {
    expect(update('a\nB\nc\n', ' a', '-b', '+B', ' c')).toEqual([{ kind: 'already_applied', chunkLine: 3, at: 1 }]);
    expect(update('a\nc\n', ' a', '-b', ' c')).toEqual([{ kind: 'already_applied', chunkLine: 3, at: 1 }]);
  });

  it('says when the lines exist only before the cursor (chunks out of file order)', () => {
    const errors = update('a\nb\nc\nd\n', '@@', '-c', '+C', '@@', '-a', '+A');
    expect(errors).toMatchObject([{ kind: 'lines_not_found', chunkLine: 6, foundEarlierAt: 1, searchedFrom: 4 }]);
  });

  it('reports an @@ anchor that is not found', () => {
    expect(update('a\nb\n', '@@ nothing like this', ' a')).toEqual([
      { kind: 'anchor_not_found', chunkLine: 3, anchor: 'nothing like this', searchedFrom: 1, foundEarlierAt: null },
    ]);
  });

  it('shows a window around the first difference of a long region', () => {
    const file = Array.from({ length: 40 }, (_, index) => `line ${index}`).join('\n') + '\n';
    const pattern = Array.from({ length: 30 }, (_, index) => ` line ${index === 25 ? 'X' : index + 5}`);
    const errors = update(file, '@@', ...pattern, '+new');
    expect(errors).toMatchObject([{ kind: 'lines_not_found', closest: { start: 5, difference: { fileIndex: 30 } } }]);
    const shown = Array.isArray(errors) && errors[0]!.kind === 'lines_not_found' ? errors[0]!.shown.map((line) => line.line) : [];
    expect(shown).toEqual([26, 27, 28, 29, 30, 31, 32, 33, 34, 35]);
  });
});

describe('applyChunks: the changed regions it reports', () => {
  /** The spans of an update, and whether replaying them on the old lines gives the new ones. */
  function spansOf(file: string, ...body: string[]) {
    const parsed = parsePatch(['*** Begin Patch', '*** Update File: f', ...body, '*** End Patch'].join('\n'));
    if (parsed.type !== 'parsed' || parsed.patch.hunks[0]!.type !== 'update') throw new Error('bad test patch');
    const decoded = decodeText(Buffer.from(file, 'utf8'));
    if (decoded.type !== 'text') throw new Error('bad test file');
    const result = applyChunks(decoded.file, parsed.patch.hunks[0]!.chunks);
    if (result.type !== 'updated') throw new Error('did not apply');
    const before = decoded.file.lines;
    const replayed: string[] = [];
    let position = 0;
    for (const span of result.spans) {
      replayed.push(...before.slice(position, span.oldStart), ...result.file.lines.slice(span.newStart, span.newEnd));
      position = span.oldEnd;
    }
    replayed.push(...before.slice(position));
    return { spans: result.spans, replays: JSON.stringify(replayed) === JSON.stringify(result.file.lines) };
  }

  it('starts an insertion where the new file stands, whether it comes first or after a deletion', () => {
    expect(spansOf('a\nc\n', ' a', '+b', ' c')).toEqual({ spans: [{ oldStart: 1, oldEnd: 1, newStart: 1, newEnd: 2 }], replays: true });
    expect(spansOf('a\nb\nc\n', ' a', '+x', '-b', ' c')).toEqual({ spans: [{ oldStart: 1, oldEnd: 2, newStart: 1, newEnd: 2 }], replays: true });
    expect(spansOf('a\nb\nc\n', ' a', '-b', '+x', '+y', ' c')).toEqual({ spans: [{ oldStart: 1, oldEnd: 2, newStart: 1, newEnd: 3 }], replays: true });
    expect(spansOf('a\nb\n', '@@ a', ' b', '+', '+c').replays).toBe(true);
    expect(spansOf('a\nb\nc\nd\n', '@@', '+0', ' a', '@@', ' c', '+C', ' d').replays).toBe(true);
  });
});
