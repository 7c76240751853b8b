/**
 * The person's own rules (config.toml `[[rules]]`, Codex's prefix rules) applied to a whole command line. They are
 * matched against every command the line would run (pipes, chains, `bash -lc` scripts, substitutions, and through
 * `env`, `sudo`, `xargs`, `find -exec`, …), never against the text, and the strictest decision wins:
 *
 *   forbidden  anywhere in the line                → the line is refused
 *   prompt     anywhere in the line                → the line is asked about
 *   a forbidden or prompt rule cannot be ruled out → `unverifiable` (asked about, like prompt)
 *   allow      for every command that is not known-safe on its own, and no redirection writes a file
 *                                                 → `allowed` (runs without asking, outside the sandbox)
 *
 * A rule cannot be ruled out when a word it looks at is only known at run time (`git $SUB`) or when part of the
 * line cannot be read at all (an unparsable script): what cannot be seen might be what the rule is about.
 * Rules see commands named on the command line; they cannot see what a program does with its input.
 */
import type { CommandAnalysis } from './analyze-command.ts';
import { commandConcern, redirectConcern } from './known-safe.ts';
import { describePattern, matchPattern, shownCommand, type CommandRule } from './rules-match.ts';

export { describePattern, describeRule, RULE_DECISIONS, type CommandRule, type PatternToken, type RuleDecision } from './rules-match.ts';

export type RuleMatch =
  | { type: 'forbidden'; rule: CommandRule; command: string }
  | { type: 'prompt'; rule: CommandRule; command: string }
  /** A rule this strict may apply to part of the line that cannot be read exactly. */
  | { type: 'unverifiable'; decision: 'forbidden' | 'prompt'; reason: string }
  /** Every command is allowed by a rule or is known-safe on its own, and no redirection writes a file. */
  | { type: 'allowed'; rules: CommandRule[] }
  | { type: 'no_match' };

export function matchRules(analysis: CommandAnalysis, rules: readonly CommandRule[]): RuleMatch {
  for (const decision of ['forbidden', 'prompt'] as const) {
    const strict = rules.filter((rule) => rule.decision === decision);
    if (strict.length === 0) continue;
    let doubt: string | null = null;
    for (const command of analysis.commands) {
      for (const rule of strict) {
        const match = matchPattern(command, rule);
        if (match === 'match') return { type: decision, rule, command: shownCommand(command) };
        if (match === 'maybe') doubt ??= `${shownCommand(command)} may match the ${decision} rule ${describePattern(rule.pattern)}`;
      }
    }
    doubt ??= analysis.gaps[0] ?? null;
    if (doubt !== null) return { type: 'unverifiable', decision, reason: doubt };
  }
  return matchAllows(analysis, rules);
}

function matchAllows(analysis: CommandAnalysis, rules: readonly CommandRule[]): RuleMatch {
  const allows = rules.filter((rule) => rule.decision === 'allow');
  if (allows.length === 0 || analysis.gaps.length > 0) return { type: 'no_match' };
  // An allowed command's output redirected into a file is more than the rule allowed.
  if (analysis.redirects.some((redirect) => redirectConcern(redirect) !== null)) return { type: 'no_match' };
  const used: CommandRule[] = [];
  for (const command of analysis.commands) {
    const rule = allows.find((candidate) => matchPattern(command, candidate) === 'match');
    if (rule !== undefined && command.assignments.every((assignment) => assignmentAllowed(command, assignment.name))) {
      if (!used.includes(rule)) used.push(rule);
      continue;
    }
    // Not allowed by a rule: the line is allowed only if this command is one keel runs unsandboxed anyway.
    if (commandConcern(command) !== null) return { type: 'no_match' };
  }
  return used.length > 0 ? { type: 'allowed', rules: used } : { type: 'no_match' };
}

function assignmentAllowed(command: CommandAnalysis['commands'][number], name: string): boolean {
  // Judge the assignment alone, as the known-safe check would for a harmless program.
  return commandConcern({ ...command, words: [], assignments: command.assignments.filter((assignment) => assignment.name === name) }) === null;
}
