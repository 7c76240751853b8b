/**
 * The parsed form of an apply_patch text. Paths are kept exactly as written in the patch (relative to the working
 * directory as a rule); resolving them is the planner's job. Line numbers are 1-based lines of the patch text, kept so
 * that every later error can point the model at the part of its patch that failed.
 */

export type ChunkLine =
  /** Present before and after: the planner keeps the file's own bytes for it, not the patch's spelling. */
  | { kind: 'context'; text: string }
  | { kind: 'delete'; text: string }
  | { kind: 'add'; text: string };

export interface UpdateChunk {
  /** Patch line of the chunk's first line (its `@@` header, or its first change line when the header is omitted). */
  line: number;
  /**
   * The `@@ <text>` anchors, outermost first. Each is searched for in turn from the moving cursor, so stacked
   * anchors (a class, then a method in it) narrow the position down.
   */
  anchors: string[];
  lines: ChunkLine[];
  /** `*** End of File` closed the chunk: its old lines must be the last lines of the file. */
  endOfFile: boolean;
}

export type Hunk =
  | { type: 'add'; path: string; line: number; contents: string[] }
  | { type: 'delete'; path: string; line: number }
  | { type: 'update'; path: string; line: number; movePath: string | null; chunks: UpdateChunk[] };

export interface Patch {
  hunks: Hunk[];
}

/** Lines of a chunk as they must appear in the file before the change (context and deleted lines, in order). */
export function oldSide(chunk: UpdateChunk): string[] {
  const lines: string[] = [];
  for (const line of chunk.lines) if (line.kind !== 'add') lines.push(line.text);
  return lines;
}

/** Lines of a chunk as they will appear after the change (context and added lines, in order). */
export function newSide(chunk: UpdateChunk): string[] {
  const lines: string[] = [];
  for (const line of chunk.lines) if (line.kind !== 'delete') lines.push(line.text);
  return lines;
}
