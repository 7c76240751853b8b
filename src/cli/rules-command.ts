/** `keel rules check` and `keel rules list`: what the `[[rules]]` of config.toml make of a command, and which rules there are. */
import { isConfigError, loadConfig } from '../config/index.ts';
import { commandRules } from '../config/config-slices.ts';
import { keelHome } from '../store/index.ts';
import { describePattern, type CommandRule } from '../tools/approval/rules-match.ts';
import { explainRules, type RulesReport } from '../tools/approval/rules-check.ts';
import { quoteArgv } from '../util/shell-quote.ts';
import { UsageError } from './usage-error.ts';
import { warn } from './warnings.ts';

export const RULES_HELP = `Usage: keel rules check [-p PROFILE] [-c KEY=VALUE]… [--] COMMAND…
       keel rules list [-p PROFILE] [-c KEY=VALUE]…

check prints what the rules make of a command and which rule decided: the words given are one command (its argv);
a single quoted string is a shell line, and every command in it is judged (pipes, &&, bash -c, sudo, …).
list prints every rule in force, where it is written. Both exit 0.

Rules are prefix rules, as in Codex, in your own config.toml (a project's .keel/config.toml may add forbidden and
prompt rules, never allow ones):

  [[rules]]
  pattern = ["git", ["push", "fetch"]]   # the program and its first arguments; a list is alternatives
  decision = "prompt"                    # allow | prompt | forbidden; the strictest that applies wins
  justification = "talks to the remote"  # optional: shown when it asks or refuses
  match = [["git", "push", "origin"]]    # optional examples, checked when the config loads
  not_match = ["git status"]

allow runs a line without asking and outside the sandbox, but only when every command in it is allowed (or is
read-only); prompt always asks (and is refused under approval policy never); forbidden is refused whatever the policy.`;

export async function rulesCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [sub, ...rest] = argv;
  const helpFirst = rest[0] === '--help' || rest[0] === '-h';
  if (sub === undefined || sub === '--help' || sub === '-h' || helpFirst || (sub !== 'check' && rest.includes('--help'))) {
    process.stdout.write(`${RULES_HELP}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'check' && sub !== 'list') throw new UsageError(`unknown rules command "${sub}": see keel rules --help`);
  const { profile, overrides, words } = parseOptions(rest);
  if (sub === 'list' && words.length > 0) throw new UsageError(`keel rules list takes no command (got "${words.join(' ')}"): did you mean keel rules check?`);
  if (sub === 'check' && words.length === 0) throw new UsageError('keel rules check needs a command: keel rules check -- git push origin main');
  let rules: CommandRule[];
  try {
    const loaded = await loadConfig({ home: keelHome(env), cwd: process.cwd(), env, profile, overrides });
    for (const warning of loaded.warnings) warn(warning);
    rules = commandRules(loaded.config);
  } catch (error) {
    if (isConfigError(error)) throw new UsageError(error.message);
    throw error;
  }
  const text = sub === 'list' ? describeRules(rules) : describeReport(words, explainRules(words, rules));
  process.stdout.write(`${text}\n`);
  return 0;
}

/** Options come before the command; the first other word (or what follows `--`) starts it. */
function parseOptions(args: readonly string[]): { profile?: string; overrides: string[]; words: string[] } {
  const overrides: string[] = [];
  let profile: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return { profile, overrides, words: args.slice(i + 1) };
    const valued = arg === '-c' || arg === '--config' ? 'config' : arg === '-p' || arg === '--profile' ? 'profile' : null;
    if (valued === null) {
      if (arg.startsWith('-')) throw new UsageError(`unknown option "${arg}": put the command after "--" (keel rules check -- ${arg} …)`);
      return { profile, overrides, words: args.slice(i) };
    }
    const value = args[++i];
    if (value === undefined) throw new UsageError(`${arg} needs a value`);
    if (valued === 'config') overrides.push(value);
    else profile = value;
  }
  return { profile, overrides, words: [] };
}

const VERDICTS: Record<RulesReport['match']['type'], string> = {
  forbidden: 'forbidden (refused, whatever the approval policy)',
  prompt: 'prompt (asked every time; refused under approval policy never)',
  unverifiable: 'prompt (a rule may apply to what cannot be read exactly: asked; refused under approval policy never)',
  allowed: 'allow (runs without asking, outside the sandbox)',
  no_match: 'no rule: the default policy decides (known-safe / sandboxed / asked)',
};

export function describeReport(words: readonly string[], report: RulesReport): string {
  const line = words.length === 1 ? words[0]! : quoteArgv(words);
  const lines = [`${VERDICTS[report.match.type]}: ${line}`];
  const anyRule = report.commands.some((command) => command.rule !== null || command.doubts.length > 0);
  if (anyRule) {
    for (const command of report.commands) {
      const rule = command.rule;
      if (rule !== null) lines.push(`  ${command.command}: ${rule.decision}, by ${ruleText(rule)}`);
      for (const doubt of command.doubts) lines.push(`  ${command.command}: may match the ${doubt.decision} rule ${ruleText(doubt)}`);
      if (rule === null && command.doubts.length === 0) lines.push(`  ${command.command}: no rule`);
    }
  }
  if (report.match.type === 'unverifiable') lines.push(`  cannot check the ${report.match.decision} rules: ${report.match.reason}`);
  if (report.match.type === 'no_match' && report.commands.some((command) => command.rule?.decision === 'allow')) {
    lines.push('  (allow applies only when every command of the line is allowed or read-only and nothing is written by a redirection)');
  }
  return lines.join('\n');
}

function ruleText(rule: CommandRule): string {
  return `${describePattern(rule.pattern)}${rule.source ? ` (${rule.source})` : ''}${rule.justification ? `: ${rule.justification}` : ''}`;
}

function describeRules(rules: readonly CommandRule[]): string {
  if (rules.length === 0) return 'No rules are configured. Add [[rules]] tables to config.toml ("keel rules --help" shows how).';
  return rules.map((rule) => `${rule.decision.padEnd(9)} ${ruleText(rule)}`).join('\n');
}
