/**
 * Diffs and file changes as coloured lines, the way `git diff` colours them. Hunk headers are read for their line
 * counts, so a line inside a hunk is always taken by its first character: a removed line reading `-- comment` is
 * red, not mistaken for a `---` file header.
 */
import type { FileChange } from '../protocol/index.ts';
import { sanitize, sanitizeLines } from '../util/text/sanitize.ts';
import type { Color, Line, Span, SpanStyle } from '../util/text/styled.ts';

const BOLD: SpanStyle = { bold: true };
const DIM: SpanStyle = { dim: true };
const GREEN: SpanStyle = { color: 'green' };
const BODY_INDENT = '  ';

export function diffLines(unifiedDiff: string, maxLines = 200): Line[] {
  const lines = sanitizeLines(unifiedDiff);
  return colourDiff(lines, classify(lines), maxLines);
}

/** A header naming the file and what happened to it, then the change itself, indented under it. */
export function fileChangeLines(path: string, change: FileChange, maxLines = 40): Line[] {
  const name = sanitize(path);
  switch (change.type) {
    case 'add': {
      const content = sanitizeLines(change.content);
      const body = capped(content, maxLines, (text) => ({ spans: [{ text: `+${text}`, style: GREEN }] }));
      return [header('A', 'green', `${name} (+${content.length})`), ...indented(body)];
    }
    case 'delete':
      return [header('D', 'red', `${name} (-${sanitizeLines(change.content).length})`)];
    case 'update': {
      const lines = withoutFileHeader(sanitizeLines(change.unified_diff));
      const kinds = classify(lines);
      const counts = `(+${count(kinds, 'added')} -${count(kinds, 'removed')})`;
      const title =
        change.move_path === null
          ? header('M', undefined, `${name} ${counts}`)
          : header('R', undefined, `${name} → ${sanitize(change.move_path)} ${counts}`);
      return [title, ...indented(colourDiff(lines, kinds, maxLines))];
    }
  }
}

function header(letter: string, color: Color | undefined, rest: string): Line {
  const letterStyle = color === undefined ? BOLD : { bold: true, color };
  return { spans: [{ text: letter, style: letterStyle }, { text: ` ${rest}`, style: BOLD }] };
}

function indented(lines: Line[]): Line[] {
  return lines.map((target) => ({ spans: [{ text: BODY_INDENT }, ...target.spans] }));
}

/**
 * The diff without its file header (`diff --git`, `index`, `---`, `+++`: the change's own header already names the
 * file). Only a header before the first hunk counts; a diff without one is returned whole.
 */
function withoutFileHeader(lines: string[]): string[] {
  for (const [index, text] of lines.entries()) {
    if (text.startsWith('@@')) return lines;
    if (text.startsWith('+++') && lines[index - 1]?.startsWith('---')) return lines.slice(index + 1);
  }
  return lines;
}

/** The first `maxLines` lines, each made by `render`, and a dim count of the rest if there were more. */
function capped(lines: string[], maxLines: number, render: (text: string, index: number) => Line): Line[] {
  const shown = lines.slice(0, Math.max(0, maxLines)).map(render);
  const hidden = lines.length - shown.length;
  if (hidden > 0) shown.push({ spans: [{ text: `… ${hidden} more line${hidden === 1 ? '' : 's'}`, style: DIM }] });
  return shown;
}

type LineKind = 'file' | 'hunk' | 'added' | 'removed' | 'context' | 'note';

function count(kinds: LineKind[], wanted: LineKind): number {
  return kinds.filter((kind) => kind === wanted).length;
}

function colourDiff(lines: string[], kinds: LineKind[], maxLines: number): Line[] {
  return capped(lines, maxLines, (text, index) => {
    const kind = kinds[index]!;
    if (kind === 'hunk') return hunkHeader(text);
    if (kind === 'context') return { spans: [{ text }] };
    return { spans: [{ text, style: KIND_STYLES[kind] }] };
  });
}

const KIND_STYLES: Record<'file' | 'added' | 'removed' | 'note', SpanStyle> = {
  file: BOLD,
  added: GREEN,
  removed: { color: 'red' },
  note: DIM,
};

/** `@@ -a,b +c,d @@` in cyan; the function name git puts after it stays plain. */
function hunkHeader(text: string): Line {
  const close = text.indexOf('@@', 2);
  const end = close === -1 ? text.length : close + 2;
  const spans: Span[] = [{ text: text.slice(0, end), style: { color: 'cyan' } }];
  if (end < text.length) spans.push({ text: text.slice(end) });
  return { spans };
}

const HUNK_RANGES = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/;
/** Lines git writes before a file's hunks. */
const FILE_HEADER_STARTS = [
  'diff ',
  'index ',
  '--- ',
  '+++ ',
  'new file mode ',
  'deleted file mode ',
  'old mode ',
  'new mode ',
  'similarity index ',
  'dissimilarity index ',
  'rename from ',
  'rename to ',
  'copy from ',
  'copy to ',
  'Binary files ',
];

/**
 * What each line of a diff is. Inside a hunk whose header gives line counts, a line is read by its first character
 * until the counts run out; only between hunks are file headers recognized. A hunk header without counts (a bare
 * `@@`) keeps its hunk open until the next `@@` or `diff` line.
 */
function classify(lines: string[]): LineKind[] {
  let oldLeft = 0;
  let newLeft = 0;
  let openEnded = false;
  return lines.map((text): LineKind => {
    if (text.startsWith('@@')) {
      const ranges = HUNK_RANGES.exec(text);
      openEnded = ranges === null;
      oldLeft = Number(ranges?.[1] ?? 1);
      newLeft = Number(ranges?.[2] ?? 1);
      return 'hunk';
    }
    const inHunk = openEnded || oldLeft > 0 || newLeft > 0;
    if (text.startsWith('diff ') || (!inHunk && FILE_HEADER_STARTS.some((start) => text.startsWith(start)))) {
      openEnded = false;
      oldLeft = 0;
      newLeft = 0;
      return 'file';
    }
    switch (text[0]) {
      case '\\':
        return 'note';
      case '+':
        newLeft -= 1;
        return 'added';
      case '-':
        oldLeft -= 1;
        return 'removed';
      default:
        oldLeft -= 1;
        newLeft -= 1;
        return 'context';
    }
  });
}
