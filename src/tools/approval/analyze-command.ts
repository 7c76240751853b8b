/**
 * Everything a command line would run, flattened: the argv itself, the commands of any `bash -lc` script in it
 * (every pipe, chain, list, subshell and substitution), and what wrappers such as `env`, `sudo` or `find -exec`
 * run. Plus every redirection, and `gaps`: why the list may be incomplete. Safety checks and rules judge this list,
 * so the shell's grammar is dealt with once, here.
 */
import { parseShell } from './parse-shell.ts';
import type { Redirect, RedirectOp, ShellDialect, ShellList, Word } from './shell-ast.ts';
import { unwrapCommand, type AssignmentValue, type Unwrapping } from './unwrap-command.ts';
import { literal, wordValue, type WordValue } from './word-value.ts';

export interface FoundCommand {
  /** Program and arguments; empty for a command that only assigns or redirects. */
  words: WordValue[];
  assignments: AssignmentValue[];
  /** What ran this command: null for the argv itself, else "bash -c", "env", "$(…)", … */
  via: string | null;
  /** Set when this command runs others (they follow it in the list). */
  unwrapping: Unwrapping | null;
}

export interface FoundRedirect {
  fd: number | null;
  op: RedirectOp;
  target: WordValue;
  /** The here-document's text, for `<<` and `<<-`. */
  heredoc: WordValue | null;
}

export interface CommandAnalysis {
  commands: FoundCommand[];
  redirects: FoundRedirect[];
  /** Why `commands` may miss something or misread it. Empty when the list is complete and exact. */
  gaps: string[];
}

// A wrapper of a wrapper of … is only ever written to confuse a reader.
const MAX_NESTING = 8;

export function analyzeArgv(argv: readonly string[]): CommandAnalysis {
  const analysis: CommandAnalysis = { commands: [], redirects: [], gaps: [] };
  if (argv.length === 0) analysis.gaps.push('the command is empty');
  else visitCommand(analysis, argv.map(literal), [], null, 'bash', 0);
  return analysis;
}

function visitCommand(
  analysis: CommandAnalysis,
  words: WordValue[],
  assignments: AssignmentValue[],
  via: string | null,
  dialect: ShellDialect,
  depth: number,
): void {
  const found: FoundCommand = { words, assignments, via, unwrapping: null };
  analysis.commands.push(found);
  const program = words[0];
  if (program === undefined) return;
  if (program.type !== 'literal') {
    analysis.gaps.push(`the program ${program.value} is only known at run time`);
    return;
  }
  const unwrapping = unwrapCommand(words, dialect);
  found.unwrapping = unwrapping;
  if (unwrapping === null) return;
  if (unwrapping.gap !== null) analysis.gaps.push(unwrapping.gap);
  if (depth >= MAX_NESTING && unwrapping.runs.length > 0) {
    analysis.gaps.push('commands are nested too deeply to analyse');
    return;
  }
  for (const run of unwrapping.runs) {
    if (run.type === 'argv') {
      visitCommand(analysis, run.words, run.assignments, unwrapping.kind, dialect, depth + 1);
      continue;
    }
    const parsed = parseShell(run.source, run.dialect);
    if (parsed.type === 'unparsable') analysis.gaps.push(`cannot read the ${unwrapping.kind} script: ${parsed.reason}`);
    else visitList(analysis, parsed.script, unwrapping.kind, run.dialect, depth + 1);
  }
}

function visitList(analysis: CommandAnalysis, list: ShellList, via: string, dialect: ShellDialect, depth: number): void {
  for (const item of list.items) {
    for (const pipeline of item.pipelines) {
      for (const command of pipeline.commands) {
        if (command.type !== 'simple') {
          visitRedirects(analysis, command.redirects, dialect, depth);
          visitList(analysis, command.body, via, dialect, depth);
          continue;
        }
        visitRedirects(analysis, command.redirects, dialect, depth);
        for (const word of command.words) visitSubstitutions(analysis, word, dialect, depth);
        for (const assignment of command.assignments) visitSubstitutions(analysis, assignment.value, dialect, depth);
        const assignments = command.assignments.map((assignment) => ({ name: assignment.name, value: wordValue(assignment.value, dialect) }));
        visitCommand(analysis, command.words.map((word) => wordValue(word, dialect)), assignments, via, dialect, depth);
      }
    }
  }
}

function visitRedirects(analysis: CommandAnalysis, redirects: readonly Redirect[], dialect: ShellDialect, depth: number): void {
  for (const redirect of redirects) {
    visitSubstitutions(analysis, redirect.target, dialect, depth);
    if (redirect.heredoc) visitSubstitutions(analysis, redirect.heredoc, dialect, depth);
    analysis.redirects.push({
      fd: redirect.fd,
      op: redirect.op,
      target: wordValue(redirect.target, dialect),
      heredoc: redirect.heredoc ? wordValue(redirect.heredoc, dialect) : null,
    });
  }
}

/** The commands inside `$( … )`, backticks and `<( … )` run too. */
function visitSubstitutions(analysis: CommandAnalysis, word: Word, dialect: ShellDialect, depth: number): void {
  for (const part of word.parts) {
    if (part.type !== 'command_sub' && part.type !== 'process_sub') continue;
    if (depth >= MAX_NESTING) {
      analysis.gaps.push('commands are nested too deeply to analyse');
      return;
    }
    visitList(analysis, part.body, part.type === 'command_sub' ? '$(…)' : '<(…)', dialect, depth + 1);
  }
}
