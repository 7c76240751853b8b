/**
 * The changed regions between two versions of a file, for diffs where no planner recorded them (the task's diff,
 * which spans several patches). Common leading and trailing lines are cut first, in linear time, then Myers' O(ND)
 * algorithm finds a shortest edit script for the middle. When the middle needs more than `maxEdits` edits, the whole
 * middle becomes one span: coarse but correct, and the cost stays bounded however different the versions are. Pure.
 */
import type { TextFile } from './text-file.ts';
import type { Span } from './unified-diff.ts';

const DEFAULT_MAX_EDITS = 1000;

export function lineSpans(before: TextFile, after: TextFile, maxEdits = DEFAULT_MAX_EDITS): Span[] {
  // Lines are equal when their endings are too: a CRLF line that became LF changed.
  const same = (a: number, b: number) => before.lines[a] === after.lines[b] && before.eols[a] === after.eols[b];
  const n = before.lines.length;
  const m = after.lines.length;
  let start = 0;
  while (start < n && start < m && same(start, start)) start++;
  let suffix = 0;
  while (suffix < n - start && suffix < m - start && same(n - 1 - suffix, m - 1 - suffix)) suffix++;
  const middle: Span = { oldStart: start, oldEnd: n - suffix, newStart: start, newEnd: m - suffix };
  const oldLength = middle.oldEnd - start;
  const newLength = middle.newEnd - start;
  if (oldLength === 0 && newLength === 0) return [];
  if (oldLength === 0 || newLength === 0) return [middle];

  const matches = shortestEditMatches(oldLength, newLength, (a, b) => same(start + a, start + b), maxEdits);
  if (matches === null) return [middle];
  const spans: Span[] = [];
  let a = 0;
  let b = 0;
  for (const [matchA, matchB] of [...matches, [oldLength, newLength] as const]) {
    if (matchA > a || matchB > b) spans.push({ oldStart: start + a, oldEnd: start + matchA, newStart: start + b, newEnd: start + matchB });
    a = matchA + 1;
    b = matchB + 1;
  }
  return spans;
}

/**
 * The pairs (a, b) of equal lines on a shortest edit path from (0, 0) to (n, m), in order; null when that path has
 * more than `maxEdits` edits. Keeps, per edit count d, the furthest reach of each diagonal (2d + 3 numbers), so
 * memory is O(D²) for D edits.
 */
function shortestEditMatches(n: number, m: number, equal: (a: number, b: number) => boolean, maxEdits: number): Array<[number, number]> | null {
  const limit = Math.min(n + m, maxEdits);
  const offset = limit + 1;
  const reach = new Int32Array(2 * limit + 3);
  // Per d: reach[k] for k in [-d-1, d+1] as it stood before step d, which is what the walk back needs.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= limit; d++) {
    trace.push(reach.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && reach[offset + k - 1]! < reach[offset + k + 1]!);
      let a = down ? reach[offset + k + 1]! : reach[offset + k - 1]! + 1;
      let b = a - k;
      while (a < n && b < m && equal(a, b)) {
        a++;
        b++;
      }
      reach[offset + k] = a;
      if (a >= n && b >= m) return walkBack(trace, n, m);
    }
  }
  return null;
}

function walkBack(trace: readonly Int32Array[], n: number, m: number): Array<[number, number]> {
  const matches: Array<[number, number]> = [];
  let a = n;
  let b = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const previous = trace[d]!;
    const at = (k: number) => previous[k + d + 1]!;
    const k = a - b;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const fromK = down ? k + 1 : k - 1;
    // At d = 0 the path starts at (0, 0): only its diagonal run is left.
    const fromA = d === 0 ? 0 : at(fromK);
    const fromB = d === 0 ? 0 : fromA - fromK;
    const runStart = d === 0 ? 0 : down ? fromA : fromA + 1;
    while (a > runStart && b > (d === 0 ? 0 : down ? fromB + 1 : fromB)) {
      a--;
      b--;
      matches.push([a, b]);
    }
    a = fromA;
    b = fromB;
  }
  return matches.reverse();
}
