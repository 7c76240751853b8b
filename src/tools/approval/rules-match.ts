/**
 * One rule against one command. A rule is Codex's prefix rule: `pattern` lists the program and its first
 * arguments, each element one literal word or a list of alternative words; the command matches when its words
 * start with the pattern (more words may follow). Matching is on the words the command will really get, as the
 * analysis found them, never on the text of the line.
 */
import type { FoundCommand } from './analyze-command.ts';
import { programName } from './program-name.ts';
import type { WordValue } from './word-value.ts';

/** Codex's names, loosest first: when several rules apply, the later one in this list wins. */
export const RULE_DECISIONS = ['allow', 'prompt', 'forbidden'] as const;
export type RuleDecision = (typeof RULE_DECISIONS)[number];

/** A literal word, or a list of words any of which matches. */
export type PatternToken = string | readonly string[];

export interface CommandRule {
  pattern: readonly PatternToken[];
  decision: RuleDecision;
  /** Why the rule exists; shown with a refusal or a question. */
  justification?: string | null;
  /** Where the rule was written, for messages: `~/.keel/config.toml, rules[2]`. */
  source?: string | null;
}

/** `maybe`: a word the rule looks at is only known when the command runs, so it could match. */
export type PatternMatch = 'match' | 'maybe' | 'no';

export function matchPattern(command: FoundCommand, rule: CommandRule): PatternMatch {
  if (rule.pattern.length === 0) return 'no';
  for (const [index, token] of rule.pattern.entries()) {
    const word = command.words[index];
    if (word === undefined) return 'no';
    const choices = typeof token === 'string' ? [token] : token;
    if (word.type === 'literal') {
      if (!choices.some((choice) => sameWord(word.value, choice, index, rule.decision))) return 'no';
      continue;
    }
    // An expansion may become several words: whatever follows no longer lines up, so the best answer is "maybe".
    return choices.some((choice) => couldBecome(word, choice)) ? 'maybe' : 'no';
  }
  return 'match';
}

/**
 * The program word: a pattern without a slash names the program on any path (`rm` is also `/bin/rm`), except that
 * an allow rule only ever vouches for a program found on PATH or in a system directory, never for `./npm`.
 */
function sameWord(value: string, choice: string, index: number, decision: RuleDecision): boolean {
  if (index > 0 || choice.includes('/')) return value === choice;
  const name = programName(value);
  return name.name === choice && (decision !== 'allow' || name.type === 'system');
}

/** Whether the first word an expansion produces could be `choice`. */
function couldBecome(word: Exclude<WordValue, { type: 'literal' }>, choice: string): boolean {
  if (word.type === 'dynamic') return true;
  // A tilde becomes a path; a glob that matches nothing stays as it is written.
  if (word.expansion === 'tilde') return choice.includes('/') || choice === word.value;
  return choice === word.value || globRegExp(word.value).test(choice);
}

function globRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) source += '\\[';
      else {
        // Any character the class could stand for: over-matching only makes a rule more cautious.
        source += '.';
        i = close;
      }
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

/** The pattern as it is written in config.toml: `["git", ["push", "fetch"]]`. */
export function describePattern(pattern: readonly PatternToken[]): string {
  const word = (token: PatternToken): string => (typeof token === 'string' ? JSON.stringify(token) : `[${token.map((choice) => JSON.stringify(choice)).join(', ')}]`);
  return `[${pattern.map(word).join(', ')}]`;
}

/** `the rule ["git", "push"] (~/.keel/config.toml, rules[0])`. */
export function describeRule(rule: CommandRule): string {
  return `the rule ${describePattern(rule.pattern)}${rule.source ? ` (${rule.source})` : ''}`;
}

/** The command as a person reads it, wrappers' words included. */
export function shownCommand(command: FoundCommand): string {
  return command.words.map((word) => word.value).join(' ');
}

/** The stricter of two decisions. */
export function stricter(a: RuleDecision, b: RuleDecision): RuleDecision {
  return RULE_DECISIONS.indexOf(a) >= RULE_DECISIONS.indexOf(b) ? a : b;
}
