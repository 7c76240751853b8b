/**
 * Turns a task's events into the short lines sent as `notifications/progress` messages: a command started or
 * ended, a patch applied, an MCP tool called, a message of keel's, a model request being retried. Everything else
 * (deltas, token counts, plan updates) says nothing. Pure, but stateful over one task: polls of a background process
 * are left out at both ends, and an end needs the command its begin named.
 */
import type { EventMsg } from '../protocol/index.ts';
import { scriptOf } from '../util/command-line.ts';
import { formatDuration } from '../util/format-duration.ts';

const MAX_LINE = 200;

export class ProgressNarrator {
  /** call id → the command line, for the calls whose begin was told. */
  private readonly commands = new Map<string, string>();

  /** The line for this event, or null when it is not worth one. */
  narrate(msg: EventMsg): string | null {
    switch (msg.type) {
      case 'exec_command_begin': {
        // A poll or a write to a running background process is not a new command.
        if (msg.interaction_input !== undefined) return null;
        const command = oneLine(scriptOf(msg.command));
        this.commands.set(msg.call_id, command);
        return `running: ${command}`;
      }
      case 'exec_command_end': {
        const command = this.commands.get(msg.call_id);
        if (command === undefined) return null;
        this.commands.delete(msg.call_id);
        return `${endOf(msg)}: ${command}`;
      }
      case 'patch_apply_end':
        return msg.success ? 'patch applied' : `patch not applied: ${oneLine(msg.stderr || msg.stdout)}`;
      case 'mcp_tool_call_begin':
        return `calling ${msg.invocation.server}/${msg.invocation.tool}`;
      case 'agent_message':
        return oneLine(msg.message);
      case 'stream_error':
        return `model request failed (${msg.kind}); retry ${msg.attempt} of ${msg.max_attempts}`;
      default:
        return null;
    }
  }
}

function endOf(msg: Extract<EventMsg, { type: 'exec_command_end' }>): string {
  const took = formatDuration(msg.duration_ms);
  switch (msg.status) {
    case 'completed':
    case 'failed':
      return `exit ${msg.exit_code ?? '?'} after ${took}`;
    case 'timed_out':
      return `timed out after ${took}`;
    case 'aborted':
      return `stopped after ${took}`;
    case 'backgrounded':
      return `still running as background process ${msg.process_id ?? '?'}`;
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= MAX_LINE ? flat : `${flat.slice(0, MAX_LINE - 1)}…`;
}
