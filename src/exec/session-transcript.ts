/**
 * A recorded session as a Markdown transcript, for `keel sessions show`: what was asked, what keel said, each
 * command with its exit status and output, where the session was interrupted and where its context was compacted
 * (the whole log is shown: what the model was given after a compaction is not what the person saw).
 */
import type { EventMsg } from '../protocol/index.ts';
import { quoteArgv } from '../util/shell-quote.ts';
import { compactionNote } from './compaction-note.ts';

export interface TranscriptInput {
  id: string;
  cwd: string;
  model: string;
  startedAt: string;
  events: ReadonlyArray<{ ts: string; event: EventMsg }>;
  problems: ReadonlyArray<{ line: number; message: string }>;
}

const OUTPUT_LINES = 20;

export function sessionMarkdown(input: TranscriptInput): string {
  const out: string[] = [`# Session ${input.id}`, '', `- started: ${input.startedAt}`, `- directory: ${input.cwd}`, `- model: ${input.model}`, ''];
  const commands = new Map<string, string[]>();
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
        commands.set(event.call_id, event.command);
        break;
      case 'exec_command_end': {
        const command = commands.get(event.call_id) ?? [];
        commands.delete(event.call_id);
        out.push('```console', `$ ${quoteArgv(command)}`, ...lastLines(event.aggregated_output), '```');
        out.push(`_${event.status}, exit ${event.exit_code ?? '?'}, ${(event.duration_ms / 1000).toFixed(1)}s_`, '');
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
      default:
        break;
    }
  }
  for (const command of commands.values()) out.push('```console', `$ ${quoteArgv(command)}`, '```', '_still running when the session stopped_', '');
  if (input.problems.length > 0) {
    out.push('## Damaged lines', '', ...input.problems.map((problem) => `- line ${problem.line}: ${problem.message}`), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function lastLines(text: string): string[] {
  const lines = text.replace(/\n$/, '').split('\n');
  if (lines.length === 1 && lines[0] === '') return [];
  return lines.length <= OUTPUT_LINES ? lines : [`… (${lines.length - OUTPUT_LINES} earlier lines)`, ...lines.slice(-OUTPUT_LINES)];
}
