/**
 * A recorded session as a Markdown transcript, for `keel sessions show`: what was asked, what keel said, each
 * command with its exit status and output, where the session was interrupted and where its context was compacted
 * (the whole log is shown: what the model was given after a compaction is not what the person saw).
 */
import type { EventMsg, EventOf } from '../protocol/index.ts';
import { quoteArgv } from '../util/shell-quote.ts';
import { scriptOf } from '../util/command-line.ts';
import { compactionNote } from './compaction-note.ts';

export interface TranscriptInput {
  id: string;
  cwd: string;
  model: string;
  startedAt: string;
  /** The session this one was forked from, and at which of its prompts. */
  forkedFrom?: { sessionId: string; prompt: number };
  events: ReadonlyArray<{ ts: string; event: EventMsg }>;
  problems: ReadonlyArray<{ line: number; message: string }>;
}

const OUTPUT_LINES = 20;

export function sessionMarkdown(input: TranscriptInput): string {
  const out: string[] = [`# Session ${input.id}`, '', `- started: ${input.startedAt}`, `- directory: ${input.cwd}`, `- model: ${input.model}`];
  if (input.forkedFrom !== undefined) out.push(`- forked from: ${input.forkedFrom.sessionId} at prompt ${input.forkedFrom.prompt}`);
  out.push('');
  const commands = new Map<string, string>();
  for (const { event } of input.events) {
    switch (event.type) {
      case 'user_message':
        out.push('## User', '', event.message, '');
        if (event.images !== undefined && event.images.length > 0) out.push(event.images.map((name) => `[image: ${name}]`).join(' '), '');
        break;
      case 'agent_message':
        out.push('## keel', '', event.message, '');
        break;
      case 'agent_reasoning':
        out.push(`> _thinking:_ ${event.text.replace(/\n/g, '\n> ')}`, '');
        break;
      case 'exec_command_begin':
        commands.set(event.call_id, commandLine(event));
        break;
      case 'exec_command_end': {
        const command = commands.get(event.call_id) ?? '$';
        commands.delete(event.call_id);
        const seconds = `${(event.duration_ms / 1000).toFixed(1)}s`;
        out.push('```console', command, ...lastLines(event.aggregated_output), '```');
        if (event.status === 'backgrounded') out.push(`_running in background as session ${event.process_id ?? '?'}, ${seconds}_`, '');
        else out.push(`_${event.status}, exit ${event.exit_code ?? '?'}, ${seconds}_`, '');
        break;
      }
      case 'mcp_tool_call_end': {
        const { server, tool, arguments: args } = event.invocation;
        out.push('```text', `${server}.${tool} ${JSON.stringify(args)}`, ...lastLines(event.output), '```');
        out.push(`_MCP tool call ${event.status}, ${(event.duration_ms / 1000).toFixed(1)}s_`, '');
        break;
      }
      case 'patch_apply_end':
        out.push(event.success ? `_patch applied:_ ${event.stdout.trim().replace(/\n/g, '; ')}` : `_patch failed:_ ${event.stderr.trim()}`, '');
        break;
      case 'error':
        out.push(`**error:** ${event.message}`, '');
        break;
      case 'turn_aborted':
        out.push('_— interrupted —_', '');
        break;
      case 'context_compacted':
        out.push(`_— ${compactionNote(event, 'always')} —_`, '');
        break;
      case 'undo_result':
        if (event.done) {
          const scope = event.and_later === true ? `task ${event.task} and the tasks after it` : `task ${event.task}`;
          out.push(`_— undid ${scope}: ${event.restored.length} file(s) put back, ${event.deleted.length} deleted${event.conflicts.length > 0 ? `, ${event.conflicts.length} left as they were changed since` : ''} —_`, '');
        }
        break;
      default:
        break;
    }
  }
  for (const command of commands.values()) out.push('```console', command, '```', '_still running when the session stopped_', '');
  if (input.problems.length > 0) {
    out.push('## Damaged lines', '', ...input.problems.map((problem) => `- line ${problem.line}: ${problem.message}`), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** `$ script` for a command; `↳ session 3: poll` or `↳ session 3: sent "y\n"` for a `write_stdin` call. */
function commandLine(event: EventOf<'exec_command_begin'>): string {
  if (event.interaction_input !== undefined && event.process_id !== undefined) {
    const what = event.interaction_input === '' ? 'poll' : `sent ${JSON.stringify(event.interaction_input)}`;
    return `↳ session ${event.process_id}: ${what}`;
  }
  return `$ ${event.process_id !== undefined ? scriptOf(event.command) : quoteArgv(event.command)}`;
}

function lastLines(text: string): string[] {
  const lines = text.replace(/\n$/, '').split('\n');
  if (lines.length === 1 && lines[0] === '') return [];
  return lines.length <= OUTPUT_LINES ? lines : [`… (${lines.length - OUTPUT_LINES} earlier lines)`, ...lines.slice(-OUTPUT_LINES)];
}
