/**
 * The per-file changes reported in `apply_patch_approval_request` and `patch_apply_*` events: added content, deleted
 * content, or a unified diff with the move target. Keys are absolute paths, so an approval layer can judge whether a
 * write leaves the workspace; diff labels are relative to the working directory where possible, like git's. Pure.
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { FileChange } from '../../protocol/index.ts';
import type { PlannedFile, PlannedState } from './plan-hunks.ts';
import { decodeText, textOf, type TextFile } from './text-file.ts';
import { coarseSpans, unifiedDiff, type Span } from './unified-diff.ts';

export function fileChanges(state: PlannedState, cwd: string): Record<string, FileChange> {
  const changes: Record<string, FileChange> = {};
  const reported = new Set<string>();
  const label = (path: string) => diffLabel(cwd, path);

  for (const record of state.records) {
    const file = state.files.get(record.path)!;
    reported.add(record.path);
    // A later operation on the same path replaces the earlier entry: each entry describes original → final.
    delete changes[record.path];
    if (record.moveTo === null) {
      const change = changeOf(file, record.spans, label(record.path));
      if (change !== null) changes[record.path] = change;
    } else {
      reported.add(record.moveTo);
      const target = state.files.get(record.moveTo)!;
      changes[record.path] = moveOf(file, target, record.spans, label(record.path), label(record.moveTo), record.moveTo);
    }
  }
  // Paths reached only indirectly (a move's destination later replaced by another operation's source, say).
  for (const [path, file] of state.files) {
    if (reported.has(path) || file.touches === 0) continue;
    const change = changeOf(file, null, label(path));
    if (change !== null) changes[path] = change;
  }
  return changes;
}

function moveOf(source: PlannedFile, target: PlannedFile, spans: Span[] | null, oldLabel: string, newLabel: string, moveTo: string): FileChange {
  const before = originalText(source) ?? emptyText();
  const after = currentText(target) ?? emptyText();
  const exact = source.touches === 1 && target.touches === 1 ? spans : null;
  return { type: 'update', unified_diff: unifiedDiff(before, after, exact ?? coarseSpans(before, after), oldLabel, newLabel), move_path: moveTo };
}

/** The change from a path's original to its final state; null when it neither existed before nor exists after. */
function changeOf(file: PlannedFile, spans: Span[] | null, label: string): FileChange | null {
  const before = originalText(file);
  const after = currentText(file);
  if (file.original.type !== 'file' && file.current.type !== 'file') return null;
  if (file.current.type !== 'file') return { type: 'delete', content: before === null ? binaryNote(file) : textOf(before) };
  // A binary file replaced by text has no meaningful diff: report what is there now.
  if (file.original.type !== 'file' || before === null) return { type: 'add', content: after === null ? '' : textOf(after) };
  const final = after ?? emptyText();
  const exact = file.touches === 1 ? spans : null;
  return { type: 'update', unified_diff: unifiedDiff(before, final, exact ?? coarseSpans(before, final), label, label), move_path: null };
}

function originalText(file: PlannedFile): TextFile | null {
  if (file.decoded !== null) return file.decoded;
  if (file.original.type !== 'file') return null;
  const decoded = decodeText(file.original.bytes);
  return decoded.type === 'text' ? decoded.file : null;
}

function currentText(file: PlannedFile): TextFile | null {
  const current = file.current;
  if (current.type !== 'file') return null;
  return current.text ?? originalText(file);
}

function emptyText(): TextFile {
  return { encoding: 'utf8', bom: false, lines: [], eols: [] };
}

function binaryNote(file: PlannedFile): string {
  return file.original.type === 'file' ? `(binary file, ${file.original.bytes.byteLength} bytes)` : '';
}

/** A path for diff headers: relative with forward slashes inside the working directory, absolute outside it. */
export function diffLabel(cwd: string, path: string): string {
  const inside = relative(cwd, path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return path.split(sep).join('/');
  return inside.split(sep).join('/');
}
