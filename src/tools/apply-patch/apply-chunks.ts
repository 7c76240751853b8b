/**
 * Applies the chunks of one `*** Update File` to a file's lines, in memory. Chunks are located in order from a moving
 * cursor (so repeated code is disambiguated by what came before), then spliced in from last to first. Lines the chunk
 * keeps (context) are copied from the file, not from the patch: a tolerant match must never rewrite them with the
 * model's approximate spelling. Untouched lines keep their endings; new lines take the file's first one. Pure.
 */
import { findClosestRegion, type ClosestRegion } from './closest-region.ts';
import { newSide, oldSide, type ChunkLine, type UpdateChunk } from './patch-syntax.ts';
import { lineKey, LineIndex, seekLines } from './seek-lines.ts';
import { defaultEol, textOf, withKnownText, type TextFile } from './text-file.ts';
import type { Span } from './unified-diff.ts';

/** A numbered file line shown in an error; `line` is 1-based. */
export interface ShownLine {
  line: number;
  text: string;
}

export type ChunkError =
  | { kind: 'anchor_not_found'; chunkLine: number; anchor: string; searchedFrom: number; foundEarlierAt: number | null }
  | {
      kind: 'lines_not_found';
      chunkLine: number;
      expected: string[];
      /** 1-based line where the search started. */
      searchedFrom: number;
      endOfFile: boolean;
      closest: ClosestRegion | null;
      /** The closest region's lines (a window around its first difference in long regions). */
      shown: ShownLine[];
      /** 1-based line where the lines do appear, before the cursor: the chunks are out of file order. */
      foundEarlierAt: number | null;
    }
  /** The old lines are missing but the new ones are where they would be: the change was most likely made before. */
  | { kind: 'already_applied'; chunkLine: number; at: number };

export type ApplyChunksResult =
  /** `spans` are the changed regions, for the unified diff. */
  | { type: 'updated'; file: TextFile; spans: Span[] }
  | { type: 'failed'; errors: ChunkError[] };

interface Replacement {
  /** 0-based first file line replaced (or the line an insertion goes before). */
  start: number;
  oldLength: number;
  lines: ChunkLine[];
}

/** Lines of the closest region shown before and after its first difference. */
const SHOWN_AROUND = 5;

export function applyChunks(file: TextFile, chunks: readonly UpdateChunk[]): ApplyChunksResult {
  const index = new LineIndex(file.lines);
  const replacements: Replacement[] = [];
  const errors: ChunkError[] = [];
  let cursor = 0;

  for (const chunk of chunks) {
    // Later chunks are still located after a failure, so one reply can report every chunk that needs fixing.
    const located = locate(index, chunk, cursor);
    if (located.type === 'error') {
      errors.push(located.error);
      continue;
    }
    replacements.push(located.replacement);
    cursor = located.cursor;
  }
  if (errors.length > 0) return { type: 'failed', errors };
  return { type: 'updated', ...splice(file, replacements) };
}

type Located = { type: 'located'; replacement: Replacement; cursor: number } | { type: 'error'; error: ChunkError };

function locate(index: LineIndex, chunk: UpdateChunk, from: number): Located {
  let cursor = from;
  let anchorAt: number | null = null;
  for (const anchor of chunk.anchors) {
    const found = seekLines(index, [anchor], cursor);
    if (found.type === 'not_found') {
      const earlier = seekLines(index, [anchor], 0, cursor - 1);
      const foundEarlierAt = earlier.type === 'found' ? earlier.index + 1 : null;
      return { type: 'error', error: { kind: 'anchor_not_found', chunkLine: chunk.line, anchor, searchedFrom: cursor + 1, foundEarlierAt } };
    }
    anchorAt = found.index;
    cursor = found.index + 1;
  }

  const lines = chunk.lines;
  if (!lines.some((line) => line.kind !== 'add')) {
    // A pure addition goes right after its anchor when it has one (what the model pointed at), else at the end of
    // the file — before a last blank line, as the reference implementation does, unless anchored at end of file.
    const n = index.length;
    const atEnd = !chunk.endOfFile && n > 0 && index.lines[n - 1] === '' ? n - 1 : n;
    const start = chunk.endOfFile ? n : anchorAt !== null ? cursor : atEnd;
    return { type: 'located', replacement: { start, oldLength: 0, lines: [...lines] }, cursor: anchorAt !== null ? cursor : from };
  }

  let candidate: ChunkLine[] = [...lines];
  for (;;) {
    const old = oldSide({ ...chunk, lines: candidate });
    let start = find(index, old, cursor, chunk.endOfFile);
    // Models often repeat the anchor as the chunk's first context line; it was consumed by the anchor search.
    if (start === null && anchorAt !== null && sameLine(old[0]!, index.lines[anchorAt]!)) start = find(index, old, anchorAt, chunk.endOfFile);
    if (start !== null) return { type: 'located', replacement: { start, oldLength: old.length, lines: candidate }, cursor: start + old.length };
    // Blank lines closing a chunk are usually the blank line before the next operation, not file content.
    const trimmed = withoutTrailingBlank(candidate);
    if (trimmed === null) break;
    candidate = trimmed;
  }
  return { type: 'error', error: diagnose(index, chunk, cursor) };
}

function sameLine(a: string, b: string): boolean {
  return lineKey(a, 'punctuation') === lineKey(b, 'punctuation');
}

/**
 * Where `old` starts, searching from `cursor`. End-of-file chunks may only sit at the very end, allowing for blank
 * lines after them; searching elsewhere could pick an earlier copy of the same lines.
 */
function find(index: LineIndex, old: readonly string[], cursor: number, endOfFile: boolean): number | null {
  if (!endOfFile) {
    const found = seekLines(index, old, cursor);
    return found.type === 'found' ? found.index : null;
  }
  let end = index.length;
  for (;;) {
    const at = end - old.length;
    const found = seekLines(index, old, Math.max(at, cursor), at);
    if (found.type === 'found') return found.index;
    if (end === 0 || index.lines[end - 1]!.trim() !== '') return null;
    end--;
  }
}

function withoutTrailingBlank(lines: ChunkLine[]): ChunkLine[] | null {
  const last = lines[lines.length - 1];
  if (last === undefined || last.kind === 'add' || last.text.trim() !== '') return null;
  const rest = lines.slice(0, -1);
  return rest.some((line) => line.kind !== 'add') ? rest : null;
}

function diagnose(index: LineIndex, chunk: UpdateChunk, cursor: number): ChunkError {
  const old = oldSide(chunk);
  const added = newSide(chunk);
  if (chunk.lines.some((line) => line.kind === 'add' && line.text.trim() !== '') || added.length < old.length) {
    const applied = find(index, added, cursor, chunk.endOfFile);
    if (applied !== null && added.some((line) => line.trim() !== '')) return { kind: 'already_applied', chunkLine: chunk.line, at: applied + 1 };
  }
  const earlier = cursor > 0 ? seekLines(index, old, 0, cursor - 1) : { type: 'not_found' as const };
  const closest = findClosestRegion(index, old, cursor);
  return {
    kind: 'lines_not_found',
    chunkLine: chunk.line,
    expected: old,
    searchedFrom: cursor + 1,
    endOfFile: chunk.endOfFile,
    closest,
    shown: closest === null ? [] : shownLines(index, closest),
    foundEarlierAt: earlier.type === 'found' ? earlier.index + 1 : null,
  };
}

function shownLines(index: LineIndex, region: ClosestRegion): ShownLine[] {
  let first = region.start;
  let last = region.end;
  if (last - first > 2 * SHOWN_AROUND + 1) {
    const pivot = region.difference ? Math.min(Math.max(region.difference.fileIndex, first), last - 1) : first;
    first = Math.max(first, pivot - SHOWN_AROUND);
    last = Math.min(last, pivot + SHOWN_AROUND + 1);
  }
  const shown: ShownLine[] = [];
  for (let line = first; line < last; line++) shown.push({ line: line + 1, text: index.lines[line]! });
  return shown;
}

type Piece = { type: 'keep'; from: number; to: number } | { type: 'add'; text: string };

/**
 * Builds the new file and, on the way, the changed regions the diff is made of. Unchanged stretches are copied as
 * whole ranges (array slices, and substrings of the known text), so the cost per untouched line is a pointer copy.
 */
function splice(file: TextFile, replacements: Replacement[]): { file: TextFile; spans: Span[] } {
  // An insertion at a line goes before a replacement starting at that same line; otherwise patch order holds.
  const ordered = replacements
    .map((replacement, order) => ({ ...replacement, order, replaces: Number(replacement.oldLength > 0) }))
    .sort((a, b) => a.start - b.start || a.replaces - b.replaces || a.order - b.order);
  const pieces: Piece[] = [];
  const spans: Span[] = [];
  let open: Span | null = null;
  let position = 0;
  let newLength = 0;
  const keepUntil = (end: number) => {
    if (end <= position) return;
    open = null;
    const last = pieces[pieces.length - 1];
    if (last?.type === 'keep' && last.to === position) last.to = end;
    else pieces.push({ type: 'keep', from: position, to: end });
    newLength += end - position;
    position = end;
  };
  const change = (): Span => {
    if (open === null) {
      open = { oldStart: position, oldEnd: position, newStart: newLength, newEnd: newLength };
      spans.push(open);
    }
    return open;
  };
  for (const replacement of ordered) {
    if (replacement.start < position) throw new Error(`apply-chunks: overlapping replacements at line ${replacement.start + 1}`);
    keepUntil(replacement.start);
    for (const line of replacement.lines) {
      if (line.kind === 'context') {
        keepUntil(position + 1);
      } else if (line.kind === 'delete') {
        const span = change();
        position++;
        span.oldEnd = position;
      } else {
        // The span opens before the line is counted: an insertion starts where the new file stands now.
        const span = change();
        pieces.push({ type: 'add', text: line.text });
        newLength++;
        span.newEnd = newLength;
      }
    }
  }
  keepUntil(file.lines.length);
  return { file: assemble(file, pieces), spans };
}

function assemble(file: TextFile, pieces: Piece[]): TextFile {
  const eol = defaultEol(file);
  const count = file.lines.length;
  // Only the old last line can lack an ending; whether it stays last or not, an updated file ends with a line break.
  const lastLacksEol = count > 0 && file.eols[count - 1] === '';
  const lineParts: string[][] = [];
  const eolParts: string[][] = [];
  for (const piece of pieces) {
    if (piece.type === 'add') {
      lineParts.push([piece.text]);
      eolParts.push([eol]);
      continue;
    }
    lineParts.push(file.lines.slice(piece.from, piece.to));
    const eols = file.eols.slice(piece.from, piece.to);
    if (lastLacksEol && piece.to === count) eols[eols.length - 1] = eol;
    eolParts.push(eols);
  }
  const result: TextFile = { ...file, lines: joinParts(lineParts), eols: joinParts(eolParts) };
  const known = textOf(file);
  const starts = lineStarts(file);
  const text = pieces.map((piece) =>
    piece.type === 'add' ? piece.text + eol : known.slice(starts[piece.from], starts[piece.to]) + (lastLacksEol && piece.to === count ? eol : ''),
  );
  return withKnownText(result, text.join(''));
}

/** Concatenates arrays; V8's `flat()` is several times slower on arrays of this size. */
function joinParts(parts: string[][]): string[] {
  let total = 0;
  for (const part of parts) total += part.length;
  const joined = new Array<string>(total);
  let at = 0;
  for (const part of parts) for (let index = 0; index < part.length; index++) joined[at++] = part[index]!;
  return joined;
}

/** Where each line starts in the file's text; one more entry than lines, the last being the text's length. */
function lineStarts(file: TextFile): Int32Array {
  const starts = new Int32Array(file.lines.length + 1);
  for (let line = 0; line < file.lines.length; line++) starts[line + 1] = starts[line]! + file.lines[line]!.length + file.eols[line]!.length;
  return starts;
}
