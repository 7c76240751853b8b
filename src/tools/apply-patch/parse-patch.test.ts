import { describe, expect, it } from 'vitest';
import { describeParseError, parsePatch, type ParseError } from './parse-patch.ts';
import type { Patch } from './patch-syntax.ts';

function parsed(text: string): Patch {
  const result = parsePatch(text);
  if (result.type !== 'parsed') throw new Error(`expected a patch, got ${JSON.stringify(result.error)}`);
  return result.patch;
}

function invalid(text: string): ParseError {
  const result = parsePatch(text);
  if (result.type !== 'invalid') throw new Error('expected a parse error');
  return result.error;
}

const lines = (...all: string[]) => all.join('\n') + '\n';

describe('parsePatch: the grammar', () => {
  it('reads add, delete and update (with move) operations in order, with their patch line numbers', () => {
    const patch = parsed(
      lines(
        '*** Begin Patch',
        '*** Add File: new.txt',
        '+one',
        '+',
        '*** Delete File: old.txt',
        '*** Update File: src/a.ts',
        '*** Move to: src/b.ts',
        '@@ function f() {',
        ' keep',
        '-drop',
        '+put',
        '*** End Patch',
      ),
    );
    expect(patch.hunks).toEqual([
      { type: 'add', path: 'new.txt', line: 2, contents: ['one', ''] },
      { type: 'delete', path: 'old.txt', line: 5 },
      {
        type: 'update',
        path: 'src/a.ts',
        line: 6,
        movePath: 'src/b.ts',
        chunks: [
          {
            line: 8,
            anchors: ['function f() {'],
            lines: [
              { kind: 'context', text: 'keep' },
              { kind: 'delete', text: 'drop' },
              { kind: 'add', text: 'put' },
            ],
            endOfFile: false,
          },
        ],
      },
    ]);
  });

  it('lets the first chunk omit its @@ and splits later chunks at each @@', () => {
    const patch = parsed(lines('*** Begin Patch', '*** Update File: a', '-x', '+y', '@@', '-z', '+w', '*** End Patch'));
    const update = patch.hunks[0]!;
    expect(update.type === 'update' && update.chunks.map((chunk) => [chunk.line, chunk.anchors, chunk.lines.length])).toEqual([
      [3, [], 2],
      [5, [], 2],
    ]);
  });

  it('keeps stacked @@ anchors, outermost first, and drops unified-diff line numbers', () => {
    const patch = parsed(lines('*** Begin Patch', '*** Update File: a', '@@ class A', '@@     def run(self):', ' x', '*** End Patch'));
    const second = parsed(lines('*** Begin Patch', '*** Update File: a', '@@ -12,7 +12,8 @@ def f():', ' x', '@@ -40 +41 @@', ' y', '*** End Patch'));
    expect(patch.hunks[0]!.type === 'update' && patch.hunks[0]!.chunks[0]!.anchors).toEqual(['class A', '    def run(self):']);
    expect(second.hunks[0]!.type === 'update' && second.hunks[0]!.chunks.map((chunk) => chunk.anchors)).toEqual([['def f():'], []]);
  });

  it('marks a chunk closed by *** End of File', () => {
    const patch = parsed(lines('*** Begin Patch', '*** Update File: a', '@@', ' x', '+y', '*** End of File', '*** End Patch'));
    expect(patch.hunks[0]!.type === 'update' && patch.hunks[0]!.chunks[0]!.endOfFile).toBe(true);
  });

  it('reads an empty line inside a chunk as an empty context line, and other unprefixed lines as context', () => {
    const patch = parsed(lines('*** Begin Patch', '*** Update File: a', '@@', ' x', '', 'y', '-z', '*** End Patch'));
    expect(patch.hunks[0]!.type === 'update' && patch.hunks[0]!.chunks[0]!.lines).toEqual([
      { kind: 'context', text: 'x' },
      { kind: 'context', text: '' },
      { kind: 'context', text: 'y' },
      { kind: 'delete', text: 'z' },
    ]);
  });

  it('ignores "\\ No newline at end of file" lines copied from git', () => {
    const patch = parsed(lines('*** Begin Patch', '*** Update File: a', '@@', '-x', '\\ No newline at end of file', '+y', '*** End Patch'));
    expect(patch.hunks[0]!.type === 'update' && patch.hunks[0]!.chunks[0]!.lines.map((line) => line.kind)).toEqual(['delete', 'add']);
  });

  it('creates an empty file from an Add with no lines', () => {
    expect(parsed(lines('*** Begin Patch', '*** Add File: empty.txt', '*** End Patch')).hunks).toEqual([
      { type: 'add', path: 'empty.txt', line: 2, contents: [] },
    ]);
  });
});

describe('parsePatch: leniency', () => {
  it('tolerates whitespace around the Begin/End markers and before operation headers', () => {
    for (const text of [
      lines(' *** Begin Patch', '*** Delete File: a', '*** End Patch '),
      lines('*** Begin Patch ', '*** Delete File: a', ' *** End Patch'),
      lines('*** Begin Patch', '  *** Delete File: a', '*** End Patch'),
      '\n\n*** Begin Patch\r\n*** Delete File: a  \r\n*** End Patch',
    ]) {
      expect(parsed(text).hunks).toEqual([{ type: 'delete', path: 'a', line: expect.any(Number) }]);
    }
  });

  it('unwraps a heredoc wrapper (<<EOF, <<\'EOF\', <<"EOF", even with the command name) and a code fence', () => {
    for (const [open, close] of [
      ['<<EOF', 'EOF'],
      ["<<'EOF'", 'EOF'],
      ['<<"PATCH"', 'PATCH'],
      ["apply_patch <<'EOF'", 'EOF'],
      ['```diff', '```'],
    ]) {
      expect(parsed(lines(open!, '*** Begin Patch', '*** Delete File: a', '*** End Patch', close!)).hunks).toHaveLength(1);
    }
  });

  it('skips blank lines between operations and keeps blank lines inside an added file', () => {
    const patch = parsed(lines('*** Begin Patch', '', '*** Add File: a', '+x', '', '+y', '', '*** Delete File: b', '*** End Patch'));
    expect(patch.hunks).toEqual([
      { type: 'add', path: 'a', line: 3, contents: ['x', '', 'y'] },
      { type: 'delete', path: 'b', line: 8 },
    ]);
  });

  it('joins two patches pasted back to back', () => {
    const patch = parsed(lines('*** Begin Patch', '*** Delete File: a', '*** End Patch', '*** Begin Patch', '*** Delete File: b', '*** End Patch'));
    expect(patch.hunks.map((hunk) => hunk.path)).toEqual(['a', 'b']);
  });
});

describe('parsePatch: errors name the line and what was expected', () => {
  it('requires *** Begin Patch first', () => {
    expect(invalid(lines('*** Delete File: a', '*** End Patch'))).toEqual({ kind: 'missing_begin', line: 1, found: '*** Delete File: a' });
    expect(invalid('')).toMatchObject({ kind: 'missing_begin' });
  });

  it('requires *** End Patch last (a cut-off patch is never applied)', () => {
    const error = invalid(lines('*** Begin Patch', '*** Add File: a', '+x'));
    expect(error).toEqual({ kind: 'missing_end', line: 3, found: '+x' });
    expect(describeParseError(error)).toContain('cut off');
  });

  it('rejects an empty patch', () => {
    expect(invalid(lines('*** Begin Patch', '*** End Patch'))).toEqual({ kind: 'no_hunks' });
  });

  it('rejects an unknown operation header, naming its line and the valid headers', () => {
    const error = invalid(lines('*** Begin Patch', '*** Frobnicate File: foo', '*** End Patch'));
    expect(error).toEqual({ kind: 'invalid_hunk_header', line: 2, found: '*** Frobnicate File: foo' });
    expect(describeParseError(error)).toBe(
      "Line 2, '*** Frobnicate File: foo', is not a valid file operation. Each operation starts with '*** Add File: <path>', " +
        "'*** Delete File: <path>' or '*** Update File: <path>' (the last optionally followed by '*** Move to: <path>').",
    );
    expect(invalid(lines('*** Begin Patch', 'garbage', '*** End Patch'))).toMatchObject({ kind: 'invalid_hunk_header', line: 2 });
  });

  it('rejects an update without chunks, and a chunk without lines', () => {
    expect(invalid(lines('*** Begin Patch', '*** Update File: foo.txt', '*** End Patch'))).toEqual({ kind: 'empty_update', line: 2, path: 'foo.txt' });
    expect(invalid(lines('*** Begin Patch', '*** Update File: a', '@@', '*** End of File', '*** End Patch'))).toEqual({
      kind: 'empty_chunk',
      line: 3,
      path: 'a',
    });
    expect(invalid(lines('*** Begin Patch', '*** Update File: a', '@@ x', '@@', '*** End Patch'))).toMatchObject({ kind: 'empty_chunk', line: 3 });
  });

  it('rejects a header without a path', () => {
    expect(invalid(lines('*** Begin Patch', '*** Add File: ', '+x', '*** End Patch'))).toMatchObject({ kind: 'empty_path', line: 2 });
  });

  it('counts line numbers in the original text, wrappers and leading blank lines included', () => {
    expect(invalid(lines('', "<<'EOF'", '*** Begin Patch', '*** Nope', '*** End Patch', 'EOF'))).toMatchObject({ line: 4 });
  });
});
