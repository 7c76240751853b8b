/** The commands typed into the prompt box with a leading slash. */
import { keyHelp } from './keymap.ts';

export interface SlashCommand {
  name: string;
  usage: string;
  summary: string;
}

export const SLASH_COMMANDS: readonly SlashCommand[] = [
  { name: 'new', usage: '/new', summary: 'start a new session (this one stays saved)' },
  { name: 'resume', usage: '/resume', summary: "pick one of this repository's sessions to go on with" },
  { name: 'fork', usage: '/fork', summary: 'a new session from before one of these prompts (also Esc Esc)' },
  { name: 'status', usage: '/status', summary: 'session, model and reasoning, approvals, sandbox, tokens' },
  { name: 'model', usage: '/model [NAME]', summary: 'use another model from the next request (no NAME: pick one)' },
  { name: 'approvals', usage: '/approvals', summary: 'choose what keel may do without asking' },
  { name: 'diff', usage: '/diff', summary: 'the changes keel made to files in this session' },
  { name: 'undo', usage: '/undo [N]', summary: 'put the files back as before the last task (or task N)' },
  { name: 'compact', usage: '/compact [TEXT]', summary: 'summarize the conversation so far (TEXT: what it must keep)' },
  { name: 'ps', usage: '/ps', summary: 'list the background processes (commands that went on running)' },
  { name: 'stop', usage: '/stop ID|all', summary: 'stop a background process and all it started (all: every one)' },
  { name: 'mcp', usage: '/mcp', summary: 'the MCP servers: which are up, their tools, why one is not' },
  { name: 'help', usage: '/help', summary: 'this list' },
  { name: 'quit', usage: '/quit', summary: 'save the session and leave (also /exit, Ctrl+D)' },
];

/**
 * `/name args` → its parts; null when the text is a message. Only a slash at the very start makes a command, and a
 * first word that is a path (`/usr/bin/env is missing`) is a message; any message can start with "/" by starting
 * with a space.
 */
export function parseSlashCommand(text: string): { name: string; args: string } | null {
  const match = /^\/(\S+)(?:\s+([\s\S]*))?$/.exec(text.trimEnd());
  if (match === null || match[1]!.includes('/')) return null;
  return { name: match[1]!, args: match[2] ?? '' };
}

/** The /help text: the commands, then the keys as the keymap has them; short lines, to read well at 80 columns. */
export function helpText(): string {
  const column = (rows: ReadonlyArray<readonly [string, string]>): string[] => {
    const width = Math.max(...rows.map(([left]) => left.length));
    return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
  };
  return [
    'Commands:',
    ...column(SLASH_COMMANDS.map((command) => [command.usage, command.summary])),
    'Keys:',
    ...column(keyHelp()),
    'Images: paste or drop an image file (its path) into the prompt to send it along.',
  ].join('\n');
}
