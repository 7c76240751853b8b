/**
 * What the read-only rules see of an argument, and the verdict they give. An argument is `exact` when its value is
 * literally what the program receives; a glob or `~` word is passed only when it cannot become an option, with the
 * pattern as its value (so a rule comparing values treats it as unknown, and may reject it).
 */

export interface SafeArg {
  value: string;
  exact: boolean;
}

export type RuleVerdict = { type: 'ok' } | { type: 'unsafe'; reason: string };

export const OK: RuleVerdict = { type: 'ok' };

export function unsafe(reason: string): RuleVerdict {
  return { type: 'unsafe', reason };
}

/**
 * True when `arg` is one of the long options `names` (with or without `=value`), or an abbreviation of one: GNU
 * getopt and git accept any unambiguous prefix, so `--outp=x` is `--output=x`.
 */
export function isLongOption(arg: string, names: readonly string[]): boolean {
  if (!arg.startsWith('--') || arg.length < 3) return false;
  const name = arg.split('=', 1)[0]!;
  return names.some((full) => full === name || full.startsWith(name));
}

/** True when `arg` is a bundle of short options (`-iz`) that contains one of `letters`. */
export function hasShortOption(arg: string, letters: string): boolean {
  return /^-[^-]/.test(arg) && [...arg.slice(1)].some((letter) => letters.includes(letter));
}
