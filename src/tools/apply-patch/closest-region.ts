/**
 * When a chunk's lines are not in the file, find where the model most likely meant, so the error can show that
 * region with line numbers and the first line that differs. A model given only "not found" guesses again blindly;
 * shown the real text, it fixes the patch in one try. Pure.
 */
import { lineKey, type LineIndex } from './seek-lines.ts';

export interface LineDifference {
  /** 0-based index into the searched pattern. */
  patternIndex: number;
  /** 0-based file line compared with it; may lie outside the file when the pattern overhangs an end. */
  fileIndex: number;
  expected: string;
  /** The file's line, or null when the pattern runs past the start or end of the file. */
  actual: string | null;
}

export interface ClosestRegion {
  /** 0-based, clamped to the file: the lines to show. */
  start: number;
  end: number;
  /** How many pattern lines were found at their aligned place. */
  agreeing: number;
  difference: LineDifference | null;
}

/** A line this common ("}", "end") says nothing about where a block is. */
const MAX_OCCURRENCES = 200;

/**
 * Each pattern line found in the file votes for the block start it implies; the start with most votes wins, ties
 * going to the one nearest `near` (the cursor the search started from). Compares in the most tolerant form, so the
 * region found is the one the model remembered, differences and all. Linear in the file size.
 */
export function findClosestRegion(index: LineIndex, pattern: readonly string[], near: number): ClosestRegion | null {
  const keys = pattern.map((line) => lineKey(line, 'punctuation'));
  const wanted = new Set(keys.filter((key) => key !== ''));
  if (wanted.size === 0) return null;

  const fileKeys = index.keys('punctuation');
  const positions = new Map<string, number[]>();
  for (let line = 0; line < fileKeys.length; line++) {
    const key = fileKeys[line]!;
    if (!wanted.has(key)) continue;
    const list = positions.get(key);
    if (list === undefined) positions.set(key, [line]);
    else if (list.length <= MAX_OCCURRENCES) list.push(line);
  }

  const votes = new Map<number, number>();
  for (const [offset, key] of keys.entries()) {
    const list = positions.get(key);
    if (list === undefined || list.length > MAX_OCCURRENCES) continue;
    for (const line of list) votes.set(line - offset, (votes.get(line - offset) ?? 0) + 1);
  }

  let best: number | null = null;
  let bestVotes = 0;
  for (const [start, count] of votes) {
    const closer = best !== null && Math.abs(start - near) < Math.abs(best - near);
    if (count > bestVotes || (count === bestVotes && closer)) {
      best = start;
      bestVotes = count;
    }
  }
  if (best === null) return null;

  return {
    start: Math.max(0, best),
    end: Math.min(index.length, best + pattern.length),
    agreeing: bestVotes,
    difference: firstDifference(index, pattern, keys, best),
  };
}

function firstDifference(index: LineIndex, pattern: readonly string[], keys: string[], start: number): LineDifference | null {
  const fileKeys = index.keys('punctuation');
  for (let offset = 0; offset < pattern.length; offset++) {
    const fileIndex = start + offset;
    const inside = fileIndex >= 0 && fileIndex < index.length;
    if (inside && fileKeys[fileIndex] === keys[offset]) continue;
    return { patternIndex: offset, fileIndex, expected: pattern[offset]!, actual: inside ? index.lines[fileIndex]! : null };
  }
  return null;
}
