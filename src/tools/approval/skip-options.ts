/**
 * Finds where a wrapper's own options end and the command it runs begins (`sudo -u bob rm x` → `rm x`). Options
 * the spec does not know make the boundary unknowable, which is reported rather than guessed: a guess could hide
 * the real command from a deny rule.
 */
import type { WordValue } from './word-value.ts';

export interface OptionSpec {
  /** Short options without a value. */
  flags?: string;
  /** Short options whose value is attached (`-uroot`) or the next word. */
  valued?: string;
  /** Short options whose value, if any, must be attached (GNU xargs `-i`, `-e`, `-l`). */
  attachedOnly?: string;
  longFlags?: readonly string[];
  longValued?: readonly string[];
  /** `nice -10`: a dash and digits is an option. */
  numeric?: boolean;
}

export type OptionsEnd = { type: 'end'; index: number; seen: string[] } | { type: 'unknown'; reason: string };

/** `seen` lists the options met, as written, so a caller can judge them. */
export function skipOptions(words: readonly WordValue[], start: number, spec: OptionSpec): OptionsEnd {
  const seen: string[] = [];
  let index = start;
  while (index < words.length) {
    const word = words[index]!;
    if (word.type !== 'literal') {
      if (word.type === 'expanding' && !word.canBeOption) break;
      return { type: 'unknown', reason: `${word.value} may be an option or the command; it is only known at run time` };
    }
    const value = word.value;
    if (value === '--') return { type: 'end', index: index + 1, seen };
    if (!value.startsWith('-') || value === '-') break;
    seen.push(value);
    if (value.startsWith('--')) {
      const [name] = value.split('=', 1) as [string];
      if (spec.longValued?.includes(name)) index += value.includes('=') ? 1 : 2;
      else if (spec.longFlags?.includes(name)) index += 1;
      else return { type: 'unknown', reason: `unknown option ${name}` };
      continue;
    }
    if (spec.numeric && /^-\d+$/.test(value)) {
      index += 1;
      continue;
    }
    const consumed = shortBundle(value, spec);
    if (consumed === null) return { type: 'unknown', reason: `unknown option ${value}` };
    index += consumed;
  }
  return { type: 'end', index, seen };
}

/** How many words a `-abc` bundle takes (1, or 2 when its last option's value is the next word); null if unknown. */
function shortBundle(bundle: string, spec: OptionSpec): number | null {
  for (let i = 1; i < bundle.length; i += 1) {
    const letter = bundle[i]!;
    if (spec.attachedOnly?.includes(letter)) return 1;
    if (spec.valued?.includes(letter)) return i === bundle.length - 1 ? 2 : 1;
    if (!spec.flags?.includes(letter)) return null;
  }
  return 1;
}
