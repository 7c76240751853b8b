/**
 * Parses apply_patch text into hunks. Pure. The grammar is the one models are trained on (`*** Begin Patch`, file
 * operations, `@@` chunks, `*** End Patch`); the parser is lenient wherever a model's slip has only one sensible
 * reading (padded markers, a heredoc or code-fence wrapper, a missing first `@@`, blank lines between operations,
 * context lines without their leading space), and strict wherever guessing could change files the model did not mean
 * to change (a missing `*** End Patch` may be a truncated patch, so it is an error).
 */
import type { ChunkLine, Hunk, Patch, UpdateChunk } from './patch-syntax.ts';

export type ParseError =
  | { kind: 'missing_begin'; line: number; found: string }
  | { kind: 'missing_end'; line: number; found: string }
  | { kind: 'no_hunks' }
  | { kind: 'invalid_hunk_header'; line: number; found: string }
  | { kind: 'empty_path'; line: number; found: string }
  | { kind: 'empty_update'; line: number; path: string }
  | { kind: 'empty_chunk'; line: number; path: string };

export type ParseResult = { type: 'parsed'; patch: Patch } | { type: 'invalid'; error: ParseError };

const BEGIN = '*** Begin Patch';
const END = '*** End Patch';
const END_OF_FILE = '*** End of File';
const ADD = '*** Add File:';
const DELETE = '*** Delete File:';
const UPDATE = '*** Update File:';
const MOVE = '*** Move to:';

/** `<<EOF`, `<<'EOF'`, `<<"EOF"`, optionally preceded by the command name, as models paste it from a shell call. */
const HEREDOC_OPENER = /^(?:apply_?patch\s*)?<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1$/;
/** A unified-diff hunk header (`@@ -12,7 +12,8 @@ optional text`): models copy it from git; the numbers are dropped. */
const UNIFIED_HEADER = /^@@\s+-\d+(?:,\d+)?\s+\+\d+(?:,\d+)?\s+@@(.*)$/;

class ParseFailure {
  constructor(readonly error: ParseError) {}
}

export function parsePatch(text: string): ParseResult {
  try {
    return { type: 'parsed', patch: parseOrThrow(text) };
  } catch (failure) {
    // Only the parser's own failures are expected results; anything else is a bug and must surface.
    if (failure instanceof ParseFailure) return { type: 'invalid', error: failure.error };
    throw failure;
  }
}

function parseOrThrow(text: string): Patch {
  // Patches arrive with CRLF from some transports; a CR before LF is never meant as file content.
  const lines = text.split(/\r?\n/);
  let first = 0;
  let last = lines.length - 1;
  while (first <= last && lines[first]!.trim() === '') first++;
  while (last >= first && lines[last]!.trim() === '') last--;
  if (first > last) fail({ kind: 'missing_begin', line: 1, found: '' });
  [first, last] = unwrap(lines, first, last);
  while (first < last && lines[first]!.trim() === '') first++;
  while (last > first && lines[last]!.trim() === '') last--;

  if (lines[first]!.trim() !== BEGIN) fail({ kind: 'missing_begin', line: first + 1, found: lines[first]! });
  if (first === last || lines[last]!.trim() !== END) fail({ kind: 'missing_end', line: last + 1, found: lines[last]! });

  const hunks = new HunkReader(lines, first + 1, last).readAll();
  if (hunks.length === 0) fail({ kind: 'no_hunks' });
  return { hunks };
}

/** Strips one wrapper around the patch: a heredoc (`<<'EOF'` … `EOF`) or a markdown code fence. */
function unwrap(lines: string[], first: number, last: number): [number, number] {
  const opener = lines[first]!.trim();
  const closer = lines[last]!.trim();
  if (opener === BEGIN) return [first, last];
  const heredoc = HEREDOC_OPENER.exec(opener);
  if (heredoc && closer === heredoc[2] && last - first >= 3) return [first + 1, last - 1];
  if (opener.startsWith('```') && closer === '```' && last - first >= 3) return [first + 1, last - 1];
  return [first, last];
}

function fail(error: ParseError): never {
  throw new ParseFailure(error);
}

function headerPath(line: string, marker: string, lineNumber: number): string {
  const path = line.trim().slice(marker.length).trim();
  if (path === '') fail({ kind: 'empty_path', line: lineNumber, found: line });
  return path;
}

/** Walks the lines between the Begin and End markers; `index` is 0-based, reported line numbers are 1-based. */
class HunkReader {
  private index: number;

  constructor(
    private readonly lines: string[],
    start: number,
    private readonly end: number,
  ) {
    this.index = start;
  }

  readAll(): Hunk[] {
    const hunks: Hunk[] = [];
    while (this.index < this.end) {
      const line = this.lines[this.index]!;
      const trimmed = line.trim();
      const lineNumber = this.index + 1;
      if (trimmed === '') {
        this.index++;
      } else if (trimmed === END && this.lines[this.nextNonBlank(this.index + 1)]?.trim() === BEGIN) {
        // Two patches pasted back to back: one patch (and, being all-or-nothing, one commit) is what was meant.
        this.index = this.nextNonBlank(this.index + 1) + 1;
      } else if (trimmed.startsWith(ADD)) {
        this.index++;
        hunks.push({ type: 'add', path: headerPath(line, ADD, lineNumber), line: lineNumber, contents: this.readAddedLines() });
      } else if (trimmed.startsWith(DELETE)) {
        this.index++;
        hunks.push({ type: 'delete', path: headerPath(line, DELETE, lineNumber), line: lineNumber });
      } else if (trimmed.startsWith(UPDATE)) {
        hunks.push(this.readUpdate(headerPath(line, UPDATE, lineNumber), lineNumber));
      } else {
        fail({ kind: 'invalid_hunk_header', line: lineNumber, found: line });
      }
    }
    return hunks;
  }

  private nextNonBlank(from: number): number {
    let index = from;
    while (index < this.end && this.lines[index]!.trim() === '') index++;
    return index;
  }

  private readAddedLines(): string[] {
    const contents: string[] = [];
    while (this.index < this.end) {
      const line = this.lines[this.index]!;
      if (line.startsWith('+')) {
        contents.push(line.slice(1));
        this.index++;
        continue;
      }
      // A blank line without its `+` inside the new file's text is an empty line of it; blank lines after the
      // last `+` line separate operations.
      const next = this.nextNonBlank(this.index);
      if (line.trim() !== '' || next >= this.end || !this.lines[next]!.startsWith('+')) break;
      for (; this.index < next; this.index++) contents.push('');
    }
    return contents;
  }

  private readUpdate(path: string, lineNumber: number): Hunk {
    this.index++;
    let movePath: string | null = null;
    const moveLine = this.lines[this.index];
    if (this.index < this.end && moveLine !== undefined && moveLine.trim().startsWith(MOVE)) {
      movePath = headerPath(moveLine, MOVE, this.index + 1);
      this.index++;
    }
    const chunks: UpdateChunk[] = [];
    while (this.index < this.end) {
      const line = this.lines[this.index]!;
      if (line.trim() === '') {
        this.index++;
        continue;
      }
      if (line.trimEnd() === END_OF_FILE) fail({ kind: 'empty_chunk', line: this.index + 1, path });
      if (line.startsWith('***')) break;
      chunks.push(this.readChunk(path));
    }
    if (chunks.length === 0) fail({ kind: 'empty_update', line: lineNumber, path });
    return { type: 'update', path, line: lineNumber, movePath, chunks };
  }

  private readChunk(path: string): UpdateChunk {
    const start = this.index + 1;
    const anchors: string[] = [];
    while (this.index < this.end && this.lines[this.index]!.startsWith('@@')) {
      const anchor = anchorOf(this.lines[this.index]!);
      if (anchor !== null) anchors.push(anchor);
      this.index++;
    }
    const lines: ChunkLine[] = [];
    let endOfFile = false;
    while (this.index < this.end) {
      const line = this.lines[this.index]!;
      if (line.trimEnd() === END_OF_FILE) {
        endOfFile = true;
        this.index++;
        break;
      }
      if (line.startsWith('***') || line.startsWith('@@')) break;
      this.index++;
      const marker = line[0];
      if (marker === '+') lines.push({ kind: 'add', text: line.slice(1) });
      else if (marker === '-') lines.push({ kind: 'delete', text: line.slice(1) });
      else if (marker === ' ') lines.push({ kind: 'context', text: line.slice(1) });
      // Copied from git output; the planner decides final newlines itself.
      else if (marker === '\\') continue;
      // An empty line is an empty context line (editors strip the lone space); any other unprefixed line is a
      // context line whose space the model forgot, since no other reading can apply.
      else lines.push({ kind: 'context', text: line });
    }
    if (lines.length === 0) fail({ kind: 'empty_chunk', line: start, path });
    return { line: start, anchors, lines, endOfFile };
  }
}

/** The search text of an `@@` line, or null for a bare `@@` (or a unified-diff header without trailing text). */
function anchorOf(line: string): string | null {
  const unified = UNIFIED_HEADER.exec(line.trimEnd());
  const rest = unified ? unified[1]! : line.slice(2);
  // Keep the text's own indentation (it helps the exact pass pick the right line); only the separator goes.
  const anchor = rest.startsWith(' ') ? rest.slice(1) : rest;
  return anchor.trim() === '' ? null : anchor.trimEnd();
}

/** The model-facing text of a parse error: what was wrong, on which patch line, and what is expected there. */
export function describeParseError(error: ParseError): string {
  switch (error.kind) {
    case 'missing_begin':
      return `The first line of the patch must be '${BEGIN}', but line ${error.line} is '${error.found}'.`;
    case 'missing_end':
      return (
        `The last line of the patch must be '${END}', but line ${error.line} is '${error.found}'. ` +
        'If the patch was cut off, send it again in full.'
      );
    case 'no_hunks':
      return `The patch contains no file operations between '${BEGIN}' and '${END}'; nothing was changed.`;
    case 'invalid_hunk_header':
      return (
        `Line ${error.line}, '${error.found.trim()}', is not a valid file operation. Each operation starts with ` +
        `'${ADD} <path>', '${DELETE} <path>' or '${UPDATE} <path>' (the last optionally followed by '${MOVE} <path>').`
      );
    case 'empty_path':
      return `Line ${error.line}, '${error.found.trim()}', names no path.`;
    case 'empty_update':
      return (
        `'${UPDATE} ${error.path}' (line ${error.line}) has no changes. Follow it with at least one chunk: ` +
        `'@@' then lines starting with ' ' (context), '-' (remove) or '+' (add).`
      );
    case 'empty_chunk':
      return (
        `The chunk at line ${error.line} of the update to '${error.path}' has no lines. After '@@' put lines ` +
        `starting with ' ' (context), '-' (remove) or '+' (add).`
      );
  }
}
