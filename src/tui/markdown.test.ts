import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.ts';
import type { Line, Span } from '../util/text/styled.ts';
import { plainText } from '../util/text/styled.ts';

const texts = (markdown: string): string[] => renderMarkdown(markdown).map(plainText);

/** The spans of a one-line message. */
const spansOf = (markdown: string): Span[] => {
  const lines = renderMarkdown(markdown);
  expect(lines).toHaveLength(1);
  return lines[0]!.spans;
};

const only = (markdown: string): Line => renderMarkdown(markdown)[0]!;

describe('renderMarkdown: blocks', () => {
  it('gives nothing for an empty or blank message', () => {
    expect(renderMarkdown('')).toEqual([]);
    expect(renderMarkdown('\n\n  \n')).toEqual([]);
  });

  it('keeps each paragraph line and collapses runs of blank lines to one empty line', () => {
    expect(texts('first line\nsecond line\n\n\n\nnext paragraph')).toEqual(['first line', 'second line', '', 'next paragraph']);
  });

  it('drops blank lines at the start and end', () => {
    expect(texts('\n\nhello\n\n')).toEqual(['hello']);
  });

  it('renders headings bold without their hashes, underlining levels 1 and 2', () => {
    expect(only('# Title')).toEqual({ spans: [{ text: 'Title', style: { bold: true, underline: true } }] });
    expect(only('## Sub ##')).toEqual({ spans: [{ text: 'Sub', style: { bold: true, underline: true } }] });
    expect(only('### Third')).toEqual({ spans: [{ text: 'Third', style: { bold: true } }] });
    expect(only('###### Six')).toEqual({ spans: [{ text: 'Six', style: { bold: true } }] });
    expect(texts('# C#')).toEqual(['C#']);
  });

  it('keeps inline markup inside headings', () => {
    expect(spansOf('## Run `make`')).toEqual([
      { text: 'Run ', style: { bold: true, underline: true } },
      { text: 'make', style: { bold: true, underline: true, color: 'cyan' } },
    ]);
  });

  it('does not take #word or seven hashes for a heading', () => {
    expect(spansOf('#hashtag')).toEqual([{ text: '#hashtag' }]);
    expect(spansOf('####### seven')).toEqual([{ text: '####### seven' }]);
  });

  it('renders bullets with hanging indentation, nested by their leading spaces', () => {
    const lines = renderMarkdown('- one\n* two\n+ three\n  - nested **bold**');
    expect(lines.map(plainText)).toEqual(['• one', '• two', '• three', '  • nested bold']);
    expect(lines.map((target) => target.indent)).toEqual([2, 2, 2, 4]);
    expect(lines[3]!.spans.at(-1)).toEqual({ text: 'bold', style: { bold: true } });
  });

  it('keeps the numbers of ordered lists, with hanging indentation', () => {
    const lines = renderMarkdown('1. first\n2) second\n10. tenth\n   continued');
    expect(lines.map(plainText)).toEqual(['1. first', '2) second', '10. tenth', '   continued']);
    expect(lines.map((target) => target.indent)).toEqual([3, 3, 4, 3]);
  });

  it('does not take emphasis or a bare dash for a bullet', () => {
    expect(texts('*not a bullet*')).toEqual(['not a bullet']);
    expect(texts('-')).toEqual(['-']);
  });

  it('renders block quotes dim behind a bar', () => {
    const quote = only('> quoted *text*');
    expect(quote.spans).toEqual([
      { text: '│ ', style: { dim: true } },
      { text: 'quoted ', style: { dim: true } },
      { text: 'text', style: { dim: true, italic: true } },
    ]);
    expect(quote.indent).toBe(2);
    expect(texts('> > deeper')).toEqual(['│ │ deeper']);
  });

  it('renders horizontal rules as a dim line', () => {
    for (const rule of ['---', '***', '___', '- - -', '* * * *']) {
      expect(only(rule)).toEqual({ spans: [{ text: '─'.repeat(20), style: { dim: true } }] });
    }
  });

  it('gives every line of a quote its bar, blank quoted lines included', () => {
    expect(texts('> first\n> second\n>\n> third')).toEqual(['│ first', '│ second', '│', '│ third']);
    expect(texts('> a\n\n> b')).toEqual(['│ a', '', '│ b']);
    expect(texts('> > deep\n> shallow')).toEqual(['│ │ deep', '│ shallow']);
  });

  it('continues a quoted paragraph onto lines without `>`', () => {
    const lines = renderMarkdown('> quoted\nlazy **line**\n> > deep\nlazier\n\nafter');
    expect(lines.map(plainText)).toEqual(['│ quoted', '│ lazy line', '│ │ deep', '│ │ lazier', '', 'after']);
    expect(lines[1]!.spans).toEqual([
      { text: '│ ', style: { dim: true } },
      { text: 'lazy ', style: { dim: true } },
      { text: 'line', style: { dim: true, bold: true } },
    ]);
    expect(lines[1]!.indent).toBe(2);
  });

  it('ends a quote at a blank quoted line, a heading, or another block', () => {
    expect(texts('> a\n>\nafter')).toEqual(['│ a', '│', 'after']);
    expect(texts('> # Title\nafter')).toEqual(['│ Title', 'after']);
    expect(texts('> a\n- item\n# Head')).toEqual(['│ a', '• item', 'Head']);
  });

  it('reads quoted content as a block of its own', () => {
    const lines = renderMarkdown('> - item\n> 1. first');
    expect(lines.map(plainText)).toEqual(['│ • item', '│ 1. first']);
    expect(lines.map((target) => target.indent)).toEqual([4, 5]);
  });
});

describe('renderMarkdown: tables', () => {
  it('aligns columns to the widest cell, bold header, dim rule in place of the delimiter row', () => {
    const lines = renderMarkdown('| Name | Size |\n|------|------|\n| a.ts | 12 |\n| index.html | 3 |');
    expect(lines.map(plainText)).toEqual(['Name       │ Size', '───────────┼─────', 'a.ts       │ 12', 'index.html │ 3']);
    expect(lines[0]!.spans).toEqual([
      { text: 'Name', style: { bold: true } },
      { text: '      ' },
      { text: ' │ ', style: { dim: true } },
      { text: 'Size', style: { bold: true } },
    ]);
    expect(lines[1]!.spans).toEqual([{ text: '───────────┼─────', style: { dim: true } }]);
  });

  it('honours column alignment', () => {
    expect(texts('| left | center | right |\n|:-----|:------:|------:|\n| a | b | c |\n| aaaa | bb | cccccc |')).toEqual([
      'left │ center │  right',
      '─────┼────────┼───────',
      'a    │   b    │      c',
      'aaaa │   bb   │ cccccc',
    ]);
  });

  it('renders markup inside cells and measures cells as rendered', () => {
    const lines = renderMarkdown('| cmd | what |\n|---|---|\n| `npm test` | **runs** the [tests](https://x.dev) |\n| b | c |');
    expect(lines.map(plainText)).toEqual([
      'cmd      │ what',
      '─────────┼───────────────────────────────',
      'npm test │ runs the tests (https://x.dev)',
      'b        │ c',
    ]);
    expect(lines[2]!.spans[0]).toEqual({ text: 'npm test', style: { color: 'cyan' } });
    expect(lines[2]!.spans).toContainEqual({ text: 'runs', style: { bold: true } });
  });

  it('takes an escaped pipe as part of the cell, in code too', () => {
    expect(texts('| a | b |\n|---|---|\n| x \\| y | `p \\| q` |')).toEqual(['a     │ b', '──────┼──────', 'x | y │ p | q']);
  });

  it('allows leaving out the outer pipes, and keeps cells that rows add or lack', () => {
    expect(texts('a | b\n--|:-:\n1 | 2 | 3\n4 |\nafter')).toEqual(['a │ b', '──┼───┼──', '1 │ 2 │ 3', '4', 'after']);
    expect(texts('x | y\n-|-\n| 1 |\n| | 2 |')).toEqual(['x │ y', '──┼──', '1', '  │ 2']);
  });

  it('measures wide characters by their columns', () => {
    const lines = texts('| 名前 | n |\n|---|---:|\n| 漢字テスト | 1 |\n| ab | 22 |');
    expect(lines).toEqual(['名前       │  n', '───────────┼───', '漢字テスト │  1', 'ab         │ 22']);
  });

  it('keeps the indentation of a table in a list item', () => {
    const lines = renderMarkdown('- item\n  | a | b |\n  |---|---|\n  | 1 | 2 |');
    expect(lines.map(plainText)).toEqual(['• item', '  a │ b', '  ──┼──', '  1 │ 2']);
    expect(lines[3]!.indent).toBe(2);
  });

  it('ends a table at a blank line, a line without a pipe, or another block', () => {
    expect(texts('| a |\n|---|\n| 1 |\n\n| 2 |')).toEqual(['a', '─', '1', '', '| 2 |']);
    expect(texts('| a |\n|---|\n| 1 |\nplain text')).toEqual(['a', '─', '1', 'plain text']);
    expect(texts('| a |\n|---|\n| 1 |\n```\n| code |\n```')).toEqual(['a', '─', '1', '    | code |']);
    expect(texts('| a |\n|---|\n> | q |')).toEqual(['a', '─', '│ | q |']);
  });

  it('keeps rows without a valid delimiter row as written', () => {
    expect(texts('| a | **b** |\n| 1 | 2 |')).toEqual(['| a | **b** |', '| 1 | 2 |']);
    // Too few cells in the delimiter row, a cell that is not dashes, a delimiter row with no pipe.
    expect(texts('| a | b |\n|---|\n| 1 | 2 |')).toEqual(['| a | b |', '|---|', '| 1 | 2 |']);
    expect(texts('| a | b |\n|---|-x-|')).toEqual(['| a | b |', '|---|-x-|']);
    expect(texts('a | b\n---')).toEqual(['a | b', '─'.repeat(20)]);
    expect(texts('| a | b |')).toEqual(['| a | b |']);
  });

  it('gives one line per source line, so a streamed table does not jump', () => {
    const source = '| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |';
    expect(renderMarkdown(source)).toHaveLength(4);
  });
});

describe('renderMarkdown: code blocks', () => {
  it('shows code verbatim in cyan, indented, with the language dim and the fences hidden', () => {
    const lines = renderMarkdown('Before:\n```ts\nconst a = **b**;\n  # not a heading\n```\nAfter');
    expect(lines).toEqual([
      { spans: [{ text: 'Before:' }] },
      { spans: [{ text: 'ts', style: { dim: true } }] },
      { spans: [{ text: '    const a = **b**;', style: { color: 'cyan' } }], indent: 4 },
      { spans: [{ text: '      # not a heading', style: { color: 'cyan' } }], indent: 4 },
      { spans: [{ text: 'After' }] },
    ]);
  });

  it('shows no language line for a bare fence, and supports tildes', () => {
    expect(texts('~~~\ncode\n~~~')).toEqual(['    code']);
    expect(texts('```\ncode\n```')).toEqual(['    code']);
  });

  it('keeps blank lines inside code as they are', () => {
    expect(texts('```\na\n\n\n\nb\n```')).toEqual(['    a', '    ', '    ', '    ', '    b']);
  });

  it('expands tabs and removes escape codes in code', () => {
    expect(texts('```\n\tx\u001b[31my\n```')).toEqual(['            xy']);
  });

  it('runs an unclosed fence to the end', () => {
    expect(texts('```python\nprint(1)\n\n# still code')).toEqual(['python', '    print(1)', '    ', '    # still code']);
  });

  it('closes a fence only with the same marker, at least as long', () => {
    expect(texts('````\n```\n~~~\n````\nafter')).toEqual(['    ```', '    ~~~', 'after']);
  });

  it('removes a fence’s own indentation from its code', () => {
    expect(texts('- item\n  ```\n  code\n    deeper\n  ```')).toEqual(['• item', '    code', '      deeper']);
  });

  it('takes backticks on one line for inline code, not a fence', () => {
    expect(spansOf('```a```')).toEqual([{ text: 'a', style: { color: 'cyan' } }]);
  });
});

describe('renderMarkdown: inline markup', () => {
  it('renders code spans in cyan with no markup inside', () => {
    expect(spansOf('run `npm *test*` now')).toEqual([
      { text: 'run ' },
      { text: 'npm *test*', style: { color: 'cyan' } },
      { text: ' now' },
    ]);
    expect(spansOf('`` a`b ``')).toEqual([{ text: 'a`b', style: { color: 'cyan' } }]);
  });

  it('renders bold, italic, both, and strikethrough', () => {
    expect(spansOf('**b** __b__ *i* _i_ ***bi*** ~~s~~')).toEqual([
      { text: 'b', style: { bold: true } },
      { text: ' ' },
      { text: 'b', style: { bold: true } },
      { text: ' ' },
      { text: 'i', style: { italic: true } },
      { text: ' ' },
      { text: 'i', style: { italic: true } },
      { text: ' ' },
      { text: 'bi', style: { bold: true, italic: true } },
      { text: ' ' },
      { text: 's', style: { dim: true } },
    ]);
  });

  it('nests emphasis', () => {
    expect(spansOf('**bold *both* bold**')).toEqual([
      { text: 'bold ', style: { bold: true } },
      { text: 'both', style: { bold: true, italic: true } },
      { text: ' bold', style: { bold: true } },
    ]);
  });

  it('leaves intra-word underscores alone', () => {
    expect(spansOf('call snake_case_name and my_var_')).toEqual([{ text: 'call snake_case_name and my_var_' }]);
    expect(spansOf('__init__ is bold')[0]).toEqual({ text: 'init', style: { bold: true } });
  });

  it('leaves unmatched or space-surrounded markers literal', () => {
    for (const text of ['**unclosed', 'a * b * c', '*.ts and *.js', '`unclosed code', '~single~', '** spaced **', 'a **** b']) {
      expect(spansOf(text), text).toEqual([{ text }]);
    }
  });

  it('does not let a marker inside a code span close emphasis', () => {
    expect(spansOf('*a `b*` c*')).toEqual([
      { text: 'a ', style: { italic: true } },
      { text: 'b*', style: { italic: true, color: 'cyan' } },
      { text: ' c', style: { italic: true } },
    ]);
  });

  it('honours backslash escapes', () => {
    expect(spansOf('\\*not italic\\* and \\`tick\\`')).toEqual([{ text: '*not italic* and `tick`' }]);
    expect(spansOf('C:\\dir\\file')).toEqual([{ text: 'C:\\dir\\file' }]);
  });

  it('renders links as underlined text followed by the dim address', () => {
    expect(spansOf('see [the docs](https://example.com/a_(b)) here')).toEqual([
      { text: 'see ' },
      { text: 'the docs', style: { underline: true } },
      { text: ' (https://example.com/a_(b))', style: { dim: true } },
      { text: ' here' },
    ]);
  });

  it('shows a link whose text is its address once', () => {
    expect(spansOf('[https://x.dev](https://x.dev)')).toEqual([{ text: 'https://x.dev', style: { underline: true } }]);
  });

  it('keeps markup inside link text and ignores link titles', () => {
    expect(spansOf('[**b**](u "title")')).toEqual([
      { text: 'b', style: { underline: true, bold: true } },
      { text: ' (u)', style: { dim: true } },
    ]);
  });

  it('leaves brackets that are not links literal', () => {
    expect(spansOf('[x] done, arr[0] (a)')).toEqual([{ text: '[x] done, arr[0] (a)' }]);
    expect(spansOf('[open](unclosed')).toEqual([{ text: '[open](unclosed' }]);
  });

  it('underlines autolinks and leaves other angle brackets alone', () => {
    expect(spansOf('go to <https://example.com/x?y=1>.')).toEqual([
      { text: 'go to ' },
      { text: 'https://example.com/x?y=1', style: { underline: true } },
      { text: '.' },
    ]);
    expect(spansOf('Vec<String> and a <b> tag')).toEqual([{ text: 'Vec<String> and a <b> tag' }]);
  });

  it('sanitizes text', () => {
    expect(texts('a\u001b[2Jb\u001b]0;title\u0007c\r\nd\te')).toEqual(['abc', 'd       e']);
    for (const target of renderMarkdown('**\u001b[31mred\u001b[0m** `\u001b]8;;x\u0007`')) {
      for (const part of target.spans) expect(part.text).not.toContain('\u001b');
    }
  });
});
