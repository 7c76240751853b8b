/**
 * Unified diffs (`--- a/x`, `+++ b/x`, `@@ -l,n +l,n @@`, 3 lines of context) for the `patch_apply_*` events and
 * the turn diff. The changed regions come from the planner, which knows exactly which lines each chunk replaced, so no
 * diff algorithm runs: this stays linear in the file size however large the file and however many chunks. Pure.
 */
import type { TextFile } from './text-file.ts';

/** A changed region: old lines [oldStart, oldEnd) became new lines [newStart, newEnd); lines between spans are equal. */
export interface Span {
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

const CONTEXT = 3;
const NO_NEWLINE = '\\ No newline at end of file';

/**
 * The one span covering everything between the common prefix and suffix: for files reached by several operations of
 * one patch, where no chunk-level record describes the whole change. Coarse but correct.
 */
export function coarseSpans(before: TextFile, after: TextFile): Span[] {
  const same = (a: number, b: number) => before.lines[a] === after.lines[b] && before.eols[a] === after.eols[b];
  const n = before.lines.length;
  const m = after.lines.length;
  let prefix = 0;
  while (prefix < n && prefix < m && same(prefix, prefix)) prefix++;
  let suffix = 0;
  while (suffix < n - prefix && suffix < m - prefix && same(n - 1 - suffix, m - 1 - suffix)) suffix++;
  if (prefix === n && prefix === m) return [];
  return [{ oldStart: prefix, oldEnd: n - suffix, newStart: prefix, newEnd: m - suffix }];
}

/**
 * The diff from `before` to `after`; empty when nothing changed. `spans` must be sorted, disjoint and describe every
 * difference except, possibly, the final line break the planner adds to a file that lacked one (handled here).
 */
export function unifiedDiff(before: TextFile, after: TextFile, spans: readonly Span[], oldLabel: string, newLabel: string): string {
  const hunks = diffHunks(before, after, spans);
  return hunks === '' ? '' : `--- a/${oldLabel}\n+++ b/${newLabel}\n${hunks}`;
}

/** The `@@` hunks alone (each line ending in a line break), for callers that write their own file headers. */
export function diffHunks(before: TextFile, after: TextFile, spans: readonly Span[]): string {
  const all = withFinalNewlineChange(before, after, spans);
  if (all.length === 0) return '';
  const out: string[] = [];
  const oldCount = before.lines.length;
  const oldLacksEol = oldCount > 0 && before.eols[oldCount - 1] === '';
  const newCount = after.lines.length;
  const newLacksEol = newCount > 0 && after.eols[newCount - 1] === '';

  const pushOld = (prefix: string, index: number) => {
    out.push(prefix + before.lines[index]!);
    if (oldLacksEol && index === oldCount - 1) out.push(NO_NEWLINE);
  };
  const pushNew = (index: number) => {
    out.push('+' + after.lines[index]!);
    if (newLacksEol && index === newCount - 1) out.push(NO_NEWLINE);
  };

  for (const group of groupSpans(all)) {
    const first = group[0]!;
    const last = group[group.length - 1]!;
    const oldStart = Math.max(0, first.oldStart - CONTEXT);
    const oldEnd = Math.min(oldCount, last.oldEnd + CONTEXT);
    const newStart = first.newStart - (first.oldStart - oldStart);
    const newEnd = last.newEnd + (oldEnd - last.oldEnd);
    out.push(`@@ -${range(oldStart, oldEnd)} +${range(newStart, newEnd)} @@`);
    let position = oldStart;
    for (const span of group) {
      for (; position < span.oldStart; position++) pushOld(' ', position);
      for (; position < span.oldEnd; position++) pushOld('-', position);
      for (let index = span.newStart; index < span.newEnd; index++) pushNew(index);
    }
    for (; position < oldEnd; position++) pushOld(' ', position);
  }
  return out.join('\n') + '\n';
}

/** `start,count` with unified diff's convention that an empty range names the line before it. */
function range(start: number, end: number): string {
  const count = end - start;
  return `${count === 0 ? start : start + 1},${count}`;
}

/** Spans close enough that their context would overlap share one hunk. */
function groupSpans(spans: readonly Span[]): Span[][] {
  const groups: Span[][] = [];
  for (const span of spans) {
    const current = groups[groups.length - 1];
    const previous = current?.[current.length - 1];
    if (current !== undefined && previous !== undefined && span.oldStart - previous.oldEnd <= 2 * CONTEXT) current.push(span);
    else groups.push([span]);
  }
  return groups;
}

/**
 * If the old last line had no line break and still exists unchanged in the new file, it did change (it gained a line
 * break), so it becomes a span of its own, merged with any span touching it.
 */
function withFinalNewlineChange(before: TextFile, after: TextFile, spans: readonly Span[]): Span[] {
  const n = before.lines.length;
  const result = [...spans];
  if (n === 0 || before.eols[n - 1] !== '') return result;
  const last = n - 1;
  if (spans.some((span) => span.oldStart <= last && last < span.oldEnd)) return result;
  let shift = 0;
  for (const span of spans) if (span.oldEnd <= last) shift += span.newEnd - span.newStart - (span.oldEnd - span.oldStart);
  const at = last + shift;
  // Equal lines are equal as text; only their endings may differ, and only for this line.
  if (after.lines[at] !== before.lines[last] || after.eols[at] === '') return result;
  let merged: Span = { oldStart: last, oldEnd: n, newStart: at, newEnd: at + 1 };
  const kept: Span[] = [];
  for (const span of result) {
    if (span.oldEnd === merged.oldStart && span.newEnd === merged.newStart) merged = { ...merged, oldStart: span.oldStart, newStart: span.newStart };
    else if (span.oldStart === merged.oldEnd && span.newStart === merged.newEnd) merged = { ...merged, oldEnd: span.oldEnd, newEnd: span.newEnd };
    else kept.push(span);
  }
  kept.push(merged);
  return kept.sort((a, b) => a.oldStart - b.oldStart || a.newStart - b.newStart);
}
