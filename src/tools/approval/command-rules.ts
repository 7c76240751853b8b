/**
 * The person's own rules: argv prefixes to allow without asking or to deny outright. They are matched against
 * every command the line would run (pipes, chains, `bash -lc` scripts, substitutions, and through `env`, `sudo`,
 * `xargs`, `find -exec`, …), never against the text. Deny always wins: a denied command anywhere rejects the whole
 * line, and when the analysis cannot see everything, a deny rule cannot be ruled out, which is reported as such.
 * Rules see commands named on the command line; they cannot see what a program does with its input.
 */
import type { CommandAnalysis, FoundCommand } from './analyze-command.ts';
import { commandConcern, redirectConcern } from './known-safe.ts';
import { programName } from './program-name.ts';

export interface CommandRule {
  decision: 'allow' | 'deny';
  /**
   * The program and its first arguments, literally. A program without a slash matches that program on any path
   * (`rm` matches `/bin/rm`); the command may have more arguments after the prefix.
   */
  prefix: readonly string[];
}

export type RuleMatch =
  | { type: 'denied'; rule: CommandRule; command: string }
  /** A deny rule exists and part of the line could not be checked against it. */
  | { type: 'deny_unverifiable'; reason: string }
  /** Every command is allowed by a rule or is known-safe, and no redirection writes a file. */
  | { type: 'allowed'; rules: CommandRule[] }
  | { type: 'no_match' };

type PrefixMatch = 'match' | 'maybe' | 'no';

export function matchRules(analysis: CommandAnalysis, rules: readonly CommandRule[]): RuleMatch {
  const denies = rules.filter((rule) => rule.decision === 'deny' && rule.prefix.length > 0);
  let unverifiable: string | null = null;
  for (const command of analysis.commands) {
    for (const rule of denies) {
      const match = matchPrefix(command, rule.prefix);
      if (match === 'match') return { type: 'denied', rule, command: shown(command) };
      if (match === 'maybe') unverifiable ??= `${shown(command)} may match the deny rule "${rule.prefix.join(' ')}"`;
    }
  }
  if (denies.length > 0) {
    const [gap] = analysis.gaps;
    if (unverifiable === null && gap !== undefined) unverifiable = gap;
    if (unverifiable !== null) return { type: 'deny_unverifiable', reason: unverifiable };
  }
  return matchAllows(analysis, rules);
}

function matchAllows(analysis: CommandAnalysis, rules: readonly CommandRule[]): RuleMatch {
  const allows = rules.filter((rule) => rule.decision === 'allow' && rule.prefix.length > 0);
  if (allows.length === 0 || analysis.gaps.length > 0) return { type: 'no_match' };
  // An allowed command's output redirected into a file is more than the rule allowed.
  if (analysis.redirects.some((redirect) => redirectConcern(redirect) !== null)) return { type: 'no_match' };
  const used: CommandRule[] = [];
  for (const command of analysis.commands) {
    const rule = allows.find((candidate) => matchPrefix(command, candidate.prefix) === 'match');
    if (rule !== undefined && command.assignments.every((assignment) => assignmentAllowed(command, assignment.name))) {
      if (!used.includes(rule)) used.push(rule);
      continue;
    }
    if (commandConcern(command) !== null) return { type: 'no_match' };
  }
  return used.length > 0 ? { type: 'allowed', rules: used } : { type: 'no_match' };
}

function assignmentAllowed(command: FoundCommand, name: string): boolean {
  // Judge the assignment alone, as the known-safe check would for a harmless program.
  return commandConcern({ ...command, words: [], assignments: command.assignments.filter((assignment) => assignment.name === name) }) === null;
}

function matchPrefix(command: FoundCommand, prefix: readonly string[]): PrefixMatch {
  for (const [index, expected] of prefix.entries()) {
    const word = command.words[index];
    if (word === undefined) return 'no';
    // A word known only at run time may become any number of words: nothing after it lines up any more.
    if (word.type !== 'literal') return 'maybe';
    const same = index > 0 || expected.includes('/') ? word.value === expected : programName(word.value).name === expected;
    if (!same) return 'no';
  }
  return 'match';
}

function shown(command: FoundCommand): string {
  return command.words.map((word) => word.value).join(' ');
}
