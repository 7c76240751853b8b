/**
 * What the parser says bash will run, in the terms of the differential test's records: for every simple command
 * whose turn comes, the words it claims to know (a literal word exactly, the rest only as "something"), the value
 * of K1 it will see and, for `cat`, what it reads on stdin. In the test's shell every command is a function that
 * records itself and returns 0, so which `&&`/`||` branches run is known too.
 *
 * Words are compared as bytes: each value here is the UTF-8 of the parser's string, held as a latin1 string.
 */
import type { Redirect, ShellCommand, ShellList, SimpleCommand, Word } from './shell-ast.ts';
import { wordValue, type WordValue } from './word-value.ts';

export interface ExpectedCommand {
  /** The words up to the first one the parser does not know exactly. */
  known: string[];
  /** Every word is known: the command has exactly `known`. */
  complete: boolean;
  /** K1 as the command sees it: a value, `undefined` for unset, null when the parser cannot know. */
  k1: string | undefined | null;
  /** What `cat` reads ('' for any other program), null when not known. */
  stdin: string | null;
  /** It certainly runs (its program word is known and every condition before it is). */
  required: boolean;
  /**
   * An `&&`/`||` before it says it does not run. It is kept for scripts where bash reported an error: an expansion
   * that fails makes its command fail, and the branch taken can then differ.
   */
  skipped: boolean;
}

type Status = 0 | 1 | null;

interface Context {
  required: boolean;
  skipped: boolean;
  /** What a command without an input redirection of its own reads, null when not known. */
  stdin: string | null;
}

export function bytes(value: string): string {
  return Buffer.from(value, 'utf8').toString('latin1');
}

export function expectedCommands(script: ShellList): ExpectedCommand[] {
  const out: ExpectedCommand[] = [];
  // A K1 assignment that can outlive its command (nothing to run it for) makes K1 unknowable for the rest.
  const k1Known = !someSimple(script, (command) => command.assignments.some((a) => a.name === 'K1') && (command.words.length === 0 || wordValue(command.words[0]!, 'bash').type !== 'literal'));
  runList(script, { required: true, skipped: false, stdin: '' }, out, k1Known);
  return out;
}

function runList(list: ShellList, context: Context, out: ExpectedCommand[], k1Known: boolean): Status {
  let status: Status = 0;
  for (const item of list.items) {
    const itemContext = item.background ? { ...context, required: false } : context;
    let itemStatus = runPipeline(item.pipelines[0]!, itemContext, out, k1Known);
    item.operators.forEach((operator, index) => {
      const pipeline = item.pipelines[index + 1]!;
      if (itemStatus === null) runPipeline(pipeline, { ...itemContext, required: false }, out, k1Known);
      else if ((operator === '&&') === (itemStatus === 0)) itemStatus = runPipeline(pipeline, itemContext, out, k1Known);
      else runPipeline(pipeline, { ...itemContext, required: false, skipped: true }, out, k1Known);
    });
    status = item.background ? 0 : itemStatus;
  }
  return status;
}

function runPipeline(pipeline: ShellList['items'][number]['pipelines'][number], context: Context, out: ExpectedCommand[], k1Known: boolean): Status {
  let status: Status = 0;
  pipeline.commands.forEach((command, index) => {
    // Later commands read the pipe, and the commands before them write nothing to it.
    status = runCommand(command, index === 0 ? context : { ...context, stdin: '' }, out, k1Known);
  });
  if (pipeline.negated && status !== null) status = status === 0 ? 1 : 0;
  return status;
}

function runCommand(command: ShellCommand, outer: Context, out: ExpectedCommand[], k1Known: boolean): Status {
  const subs = runSubstitutions(redirectWords(command.redirects), outer, out, k1Known);
  // A redirection that can fail stops the command, and its message may go where the test does not see it (`2>&1`).
  const fragile = command.redirects.some(mayFail);
  const context = fragile ? { ...outer, required: false } : outer;
  if (command.type !== 'simple') {
    const stdin = ownStdin(command.redirects);
    // Commands of a group share its input, so what each one reads depends on the ones before it.
    const status = runList(command.body, { ...context, stdin: stdin === undefined ? context.stdin : null }, out, k1Known);
    return fragile ? null : status;
  }
  const assignmentSubs = runSubstitutions([...command.words, ...command.assignments.map((a) => a.value)], context, out, k1Known);
  const values = command.words.map((word) => wordValue(word, 'bash'));
  if (values.length === 0) return subs || assignmentSubs || fragile ? null : 0;
  const firstUnknown = values.findIndex((value) => value.type !== 'literal');
  const known = (firstUnknown < 0 ? values : values.slice(0, firstUnknown)).map((value) => bytes(value.value));
  const programKnown = values[0]!.type === 'literal';
  // A program named by a path is run as that file, not by the recorder: it leaves no record.
  if (programKnown && values[0]!.value.includes('/')) return null;
  const stdin = ownStdin(command.redirects);
  const input = stdin === undefined ? context.stdin : stdin;
  out.push({
    known,
    complete: firstUnknown < 0,
    k1: k1Known ? k1Value(command) : null,
    stdin: programKnown ? (values[0]!.value === 'cat' ? input : '') : null,
    required: context.required && programKnown,
    skipped: context.skipped,
  });
  return programKnown && !fragile ? 0 : null;
}

/** A file that may not open: a name only known at run time (0 or 2 words is an error), or a file to read. */
function mayFail(redirect: Redirect): boolean {
  if (redirect.op === '<<' || redirect.op === '<<-' || redirect.op === '<<<') return false;
  const target = wordValue(redirect.target, 'bash');
  if (target.type !== 'literal') return true;
  return (redirect.op === '<' || redirect.op === '<>') && target.value !== '/dev/null';
}

/** Runs the substitutions in `words` (they run before the command); true when there was one. */
function runSubstitutions(words: readonly Word[], context: Context, out: ExpectedCommand[], k1Known: boolean): boolean {
  let found = false;
  for (const word of words) {
    for (const part of word.parts) {
      if (part.type === 'command_sub') runList(part.body, context, out, k1Known);
      // bash does not wait for a process substitution: its record may come after the script ends.
      else if (part.type === 'process_sub') runList(part.body, { ...context, required: false, stdin: null }, out, k1Known);
      else continue;
      found = true;
    }
  }
  return found;
}

function redirectWords(redirects: readonly Redirect[]): Word[] {
  return redirects.flatMap((redirect) => (redirect.heredoc ? [redirect.target, redirect.heredoc] : [redirect.target]));
}

/** What the command's own input redirections give it (the last one wins); undefined when it has none. */
function ownStdin(redirects: readonly Redirect[]): string | null | undefined {
  let stdin: string | null | undefined;
  for (const redirect of redirects) {
    const fd = redirect.fd ?? (redirect.op.startsWith('<') ? 0 : 1);
    if (fd !== 0) continue;
    const target = wordValue(redirect.target, 'bash');
    if (redirect.op === '<' && literalIs(target, '/dev/null')) stdin = '';
    else if (redirect.op === '<<' || redirect.op === '<<-') stdin = literalOrNull(wordValue(redirect.heredoc!, 'bash'));
    else if (redirect.op === '<<<') stdin = target.type === 'literal' ? bytes(`${target.value}\n`) : null;
    else stdin = null;
  }
  return stdin;
}

function k1Value(command: SimpleCommand): string | undefined | null {
  const assignments = command.assignments.filter((assignment) => assignment.name === 'K1');
  const last = assignments[assignments.length - 1];
  if (last === undefined) return undefined;
  if (assignments.some((assignment) => assignment.append)) return null;
  return literalOrNull(wordValue(last.value, 'bash'));
}

function literalIs(value: WordValue, text: string): boolean {
  return value.type === 'literal' && value.value === text;
}

function literalOrNull(value: WordValue): string | null {
  return value.type === 'literal' ? bytes(value.value) : null;
}

function someSimple(list: ShellList, test: (command: SimpleCommand) => boolean): boolean {
  const inWords = (words: readonly Word[]) => words.some((word) => word.parts.some((part) => (part.type === 'command_sub' || part.type === 'process_sub') && someSimple(part.body, test)));
  return list.items.some((item) =>
    item.pipelines.some((pipeline) =>
      pipeline.commands.some((command) => {
        if (inWords(redirectWords(command.redirects))) return true;
        if (command.type !== 'simple') return someSimple(command.body, test);
        return test(command) || inWords([...command.words, ...command.assignments.map((a) => a.value)]);
      }),
    ),
  );
}
