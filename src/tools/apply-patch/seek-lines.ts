/**
 * Finds a run of lines in a file, trying ever more tolerant comparisons. Models reproduce code from memory: trailing
 * spaces vanish, indentation changes between tabs and spaces, and typographic dashes and quotes come back as ASCII.
 * Each pass scans every candidate position before the next, more tolerant pass is tried, so a tolerant match never
 * wins over an exact one further down. Pure.
 */

export type MatchPass = 'exact' | 'trailing_whitespace' | 'whitespace' | 'punctuation';

export const MATCH_PASSES: readonly MatchPass[] = ['exact', 'trailing_whitespace', 'whitespace', 'punctuation'];

// Look-alikes models replace with ASCII: hyphens and dashes U+2010–2015 and the minus sign; single and double
// curly quotes; the Unicode spaces (no-break, figure, thin, ideographic…). JavaScript's \s already covers the spaces
// for trimming, but inner ones must become plain spaces too.
const DASHES = /[\u2010-\u2015\u2212]/g;
const SINGLE_QUOTES = /[\u2018-\u201b]/g;
const DOUBLE_QUOTES = /[\u201c-\u201f]/g;
const SPACES = /[\u00a0\u2002-\u200a\u202f\u205f\u3000]/g;
const WHITESPACE_RUN = /\s+/g;

export function normalizePunctuation(line: string): string {
  return line.replace(DASHES, '-').replace(SINGLE_QUOTES, "'").replace(DOUBLE_QUOTES, '"').replace(SPACES, ' ');
}

/** The form of `line` that the given pass compares. */
export function lineKey(line: string, pass: MatchPass): string {
  switch (pass) {
    case 'exact':
      return line;
    case 'trailing_whitespace':
      return line.trimEnd();
    case 'whitespace':
      // Indentation and runs of blanks inside the line are where tabs and spaces get swapped.
      return line.trim().replace(WHITESPACE_RUN, ' ');
    case 'punctuation':
      return normalizePunctuation(line).trim().replace(WHITESPACE_RUN, ' ');
  }
}

/**
 * A file's lines with the compared forms computed once per pass, on first use: a patch with many chunks into a large
 * file pays for a tolerant pass at most once, and an exactly matching patch never pays for it.
 */
export class LineIndex {
  private readonly cache = new Map<MatchPass, readonly string[]>();

  constructor(readonly lines: readonly string[]) {}

  get length(): number {
    return this.lines.length;
  }

  keys(pass: MatchPass): readonly string[] {
    if (pass === 'exact') return this.lines;
    let keys = this.cache.get(pass);
    if (keys === undefined) {
      keys = this.lines.map((line) => lineKey(line, pass));
      this.cache.set(pass, keys);
    }
    return keys;
  }
}

export type SeekResult = { type: 'found'; index: number; pass: MatchPass } | { type: 'not_found' };

/**
 * The first position in [first, last] (0-based, inclusive, clamped to where the pattern fits) at which `pattern`
 * matches, under the least tolerant pass that finds one. An empty pattern matches at `first`.
 */
export function seekLines(index: LineIndex, pattern: readonly string[], first: number, last = index.length): SeekResult {
  if (pattern.length === 0) return { type: 'found', index: first, pass: 'exact' };
  const end = Math.min(last, index.length - pattern.length);
  if (first < 0 || first > end) return { type: 'not_found' };
  for (const pass of MATCH_PASSES) {
    const keys = index.keys(pass);
    const wanted = pattern.map((line) => lineKey(line, pass));
    const head = wanted[0]!;
    for (let start = first; start <= end; start++) {
      if (keys[start] !== head) continue;
      let offset = 1;
      while (offset < wanted.length && keys[start + offset] === wanted[offset]) offset++;
      if (offset === wanted.length) return { type: 'found', index: start, pass };
    }
  }
  return { type: 'not_found' };
}
