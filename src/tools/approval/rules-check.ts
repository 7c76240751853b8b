/**
 * What the rules say about a command line, command by command: the report behind `keel rules check`, and the check
 * of a rule's `match` / `not_match` examples. A single string is a shell line, judged the way keel judges the
 * model's `exec_command` (`bash -c LINE`); several strings are one argv.
 */
import { analyzeArgv, type CommandAnalysis } from './analyze-command.ts';
import { matchRules, type RuleMatch } from './command-rules.ts';
import { matchPattern, RULE_DECISIONS, shownCommand, type CommandRule } from './rules-match.ts';

export interface CommandReport {
  /** The command as a person reads it. */
  command: string;
  /** What ran it: null for the argv itself, else "bash -c", "sudo", "$(…)", … */
  via: string | null;
  /** The strictest rule whose pattern this command starts with, or null. */
  rule: CommandRule | null;
  /** Rules that may apply: a word they look at is only known when the command runs. */
  doubts: CommandRule[];
}

export interface RulesReport {
  /** What the line amounts to under the rules (see command-rules.ts). */
  match: RuleMatch;
  commands: CommandReport[];
  /** Why part of the line cannot be read exactly. */
  gaps: string[];
}

/** One string: the shell line it is. Several: the argv they are. */
export function lineArgv(args: readonly string[]): string[] {
  return args.length === 1 ? ['bash', '-c', args[0]!] : [...args];
}

export function explainRules(args: readonly string[], rules: readonly CommandRule[]): RulesReport {
  const analysis = analyzeArgv(lineArgv(args));
  const commands: CommandReport[] = [];
  for (const command of analysis.commands) {
    if (command.words.length === 0) continue;
    let rule: CommandRule | null = null;
    const doubts: CommandRule[] = [];
    for (const candidate of rules) {
      const match = matchPattern(command, candidate);
      if (match === 'maybe') doubts.push(candidate);
      if (match === 'match' && (rule === null || rank(candidate) > rank(rule))) rule = candidate;
    }
    // A shell that only carries the line is noise in the report, unless a rule is about it.
    if (command.unwrapping?.transparent && rule === null && doubts.length === 0) continue;
    commands.push({ command: shownCommand(command), via: command.via, rule, doubts });
  }
  return { match: matchRules(analysis, rules), commands, gaps: analysis.gaps };
}

/** Whether the rule's pattern matches some command of the example (an argv, or a shell line as one string). */
export function ruleMatchesExample(rule: CommandRule, example: string | readonly string[]): boolean {
  const analysis: CommandAnalysis = analyzeArgv(typeof example === 'string' ? lineArgv([example]) : example);
  return analysis.commands.some((command) => matchPattern(command, rule) === 'match');
}

function rank(rule: CommandRule): number {
  return RULE_DECISIONS.indexOf(rule.decision);
}
