/**
 * How calls about background processes read in the transcript. `exec_command` runs a script the model wrote, so its
 * cell shows that script (keel's own `bash -lc` around it is noise); one that outlasts its wait goes on in the
 * background, and its cell says so instead of a status it does not have yet. `write_stdin` talks to such a process:
 * its cell is one compact line (what was sent, or that it was polled) with the new output and whether the process
 * still runs.
 */
import { scriptOf } from '../util/command-line.ts';
import { quoteArgv } from '../util/shell-quote.ts';
import type { EventOf } from '../protocol/index.ts';
import { sanitize } from '../util/text/sanitize.ts';
import { span, type Line, type Span, type SpanStyle } from '../util/text/styled.ts';

const DIM: SpanStyle = { dim: true };
/** Characters of the sent input, and of the polled command, shown in an interaction's one line. */
const INPUT_CHARS = 60;
const COMMAND_CHARS = 60;

/** What a command cell is titled with: a command line (`$ …`), or an interaction with background process `processId`. */
export type CommandTitle =
  | { type: 'command'; text: string; processId: number | null }
  | { type: 'interaction'; processId: number; input: string; command: string };

export function commandTitle(begin: EventOf<'exec_command_begin'>): CommandTitle {
  if (begin.process_id === undefined) return { type: 'command', text: quoteArgv(begin.command), processId: null };
  const script = scriptOf(begin.command);
  if (begin.interaction_input === undefined) return { type: 'command', text: script, processId: begin.process_id };
  return { type: 'interaction', processId: begin.process_id, input: begin.interaction_input, command: script };
}

/**
 * The script of `bash -lc SCRIPT` (any POSIX shell, with `-c`, `-lc` or another flag word ending in c); any other
 * argv quoted for a shell.
 */

/** `↳ sent to 3: q⏎` or `↳ polled 3 (npm run dev)`. */
export function interactionLine(title: Extract<CommandTitle, { type: 'interaction' }>): Line {
  const arrow = span('↳ ', { color: 'cyan' });
  if (title.input === '') {
    return { spans: [arrow, span(`polled ${title.processId} `), span(`(${shortened(firstLine(title.command), COMMAND_CHARS)})`, DIM)], indent: 2 };
  }
  return { spans: [arrow, span(`sent to ${title.processId}: `), span(shortened(visibleInput(title.input), INPUT_CHARS))], indent: 2 };
}

/** The title of a command that went on in the background, put before its script's first line. */
export function backgroundLead(processId: number): Span[] {
  return [span('• ', { color: 'cyan' }), span(`Running in background (session ${processId}): `)];
}

/** Under a backgrounded command's output: how to see and stop it. */
export function backgroundHintLine(processId: number): Line {
  return { spans: [span(`  /ps lists it · /stop ${processId} stops it`, DIM)] };
}

/** How an interaction ended: the process still runs, it exited, or the wait for it was stopped. */
export function interactionStatusLine(msg: EventOf<'exec_command_end'>): Line {
  switch (msg.status) {
    case 'backgrounded':
      return { spans: [span('  ● still running', { color: 'cyan' })] };
    case 'aborted':
      return { spans: [span('  ⏹ stopped waiting; the process still runs', { color: 'yellow' })] };
    case 'completed':
    case 'failed':
    case 'timed_out':
      return msg.exit_code === 0
        ? { spans: [span('  ✓ exited with code 0', { color: 'green' })] }
        : { spans: [span(`  ✗ exited with code ${msg.exit_code ?? '?'}`, { color: 'red' })] };
  }
}

export const NO_NEW_OUTPUT: Line = { spans: [span('  (no new output)', DIM)] };

/**
 * Input as a person can read it on one line: line ends as ⏎, a tab as ⇥, other control characters in caret
 * notation (`^C`), and nothing that could talk to the terminal.
 */
export function visibleInput(input: string): string {
  const shown = input
    .replace(/\r\n|\r|\n/g, '⏎')
    .replace(/\t/g, '⇥')
    .replace(/[\u0000-\u001f\u007f]/g, (char) => (char === '\u007f' ? '^?' : `^${String.fromCharCode(char.charCodeAt(0) + 64)}`));
  return sanitize(shown);
}

export function firstLine(text: string): string {
  const lines = text.split('\n').filter((row) => row.trim() !== '');
  const first = sanitize(lines[0] ?? '').trim();
  return lines.length > 1 ? `${first} …` : first;
}

function shortened(text: string, chars: number): string {
  const characters = [...text];
  return characters.length > chars ? `${characters.slice(0, chars - 1).join('')}…` : text;
}
