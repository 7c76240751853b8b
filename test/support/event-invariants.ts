/**
 * Checks an engine event stream against the invariants stated at the top of src/protocol/events.ts:
 *
 *   1. `session_configured` comes first (seq 0), and only once.
 *   2. `seq` grows by exactly one from event to event.
 *   3. Every `task_started` is closed by exactly one `task_complete` or `turn_aborted` before the next one.
 *   4. Every `exec_command_begin` / `patch_apply_begin` gets exactly one matching `*_end` (same call_id) before its
 *      task ends.
 *   5. `agent_message_delta`s precede their `agent_message`, which carries their whole text (likewise reasoning).
 *   6. A `compaction_started` is closed by `context_compacted`, `warning`, `error` or `turn_aborted`, with only
 *      retries and the summary's `token_count` in between (the summary is never shown as the model's words).
 *
 * Every event must also match the protocol's schema (src/protocol/events.ts `Event`): the event contract.
 *
 * Returns one readable line per broken invariant; an empty list means the stream is sound.
 */

import { Event } from '../../src/protocol/index.ts';

export interface CheckedEvent {
  id: string;
  seq: number;
  msg: { type: string; [field: string]: unknown };
}

export interface InvariantOptions {
  /**
   * The stream is over (default true): a task or a `*_begin` still open at the end is a problem. Pass false to
   * check a stream taken mid-session.
   */
  complete?: boolean;
  /** Check every event against the protocol's schema too (default true); false for hand-written partial events. */
  schema?: boolean;
}

const BEGIN_TO_END: Record<string, string> = {
  exec_command_begin: 'exec_command_end',
  patch_apply_begin: 'patch_apply_end',
  mcp_tool_call_begin: 'mcp_tool_call_end',
};
const END_TO_BEGIN: Record<string, string> = {
  exec_command_end: 'exec_command_begin',
  patch_apply_end: 'patch_apply_begin',
  mcp_tool_call_end: 'mcp_tool_call_begin',
};

/** Deltas of one kind of streamed item, accumulated until its final event. */
interface PendingText {
  text: string;
  seq: number;
}

const STREAMED: Record<string, { final: string; field: string }> = {
  agent_message_delta: { final: 'agent_message', field: 'message' },
  agent_reasoning_delta: { final: 'agent_reasoning', field: 'text' },
};

function quote(text: string): string {
  const json = JSON.stringify(text);
  return json.length > 80 ? `${json.slice(0, 77)}..."` : json;
}

export function checkEventInvariants(events: readonly CheckedEvent[], options: InvariantOptions = {}): string[] {
  const problems: string[] = [];
  const first = events[0];
  if (!first) return ['no events: session_configured must come first'];
  if (first.msg.type !== 'session_configured') problems.push(`the first event is ${first.msg.type}, not session_configured`);
  else if (first.seq !== 0) problems.push(`session_configured has seq ${first.seq}; seq starts at 0`);

  // The contract: every event is one the protocol's schema (the source of schema/event.schema.json) accepts.
  for (const event of options.schema === false ? [] : events) {
    const checked = Event.safeParse(event);
    if (!checked.success) problems.push(`event seq ${event.seq} (${event.msg.type}) does not match the protocol schema: ${checked.error.message.slice(0, 300)}`);
  }

  let task: number | null = null;
  const open = new Map<string, number>(); // `${begin type}:${call_id}` → seq of the begin
  const pending = new Map<string, PendingText>(); // delta type → accumulated text

  const endTask = (ender: string, seq: number) => {
    for (const [key, beginSeq] of open) {
      const [begin, callId] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
      problems.push(`${begin} for call_id ${callId} (seq ${beginSeq}) has no ${BEGIN_TO_END[begin]} before ${ender} (seq ${seq})`);
    }
    open.clear();
    if (ender === 'task_complete') {
      for (const [delta, text] of pending) {
        problems.push(`${delta} from seq ${text.seq} is never followed by ${STREAMED[delta]?.final} before task_complete (seq ${seq})`);
      }
    }
    // An aborted turn may drop a partial message: its deltas are not owed a final event.
    pending.clear();
    task = null;
  };

  let compacting: number | null = null;
  const BETWEEN_COMPACTION = new Set(['stream_error', 'token_count']);
  const ENDS_COMPACTION = new Set(['context_compacted', 'warning', 'error', 'turn_aborted']);

  events.forEach((event, index) => {
    const { type } = event.msg;
    if (compacting !== null && type !== 'compaction_started') {
      if (ENDS_COMPACTION.has(type)) compacting = null;
      else if (!BETWEEN_COMPACTION.has(type)) {
        problems.push(`${type} at seq ${event.seq} comes inside the compaction started at seq ${compacting}`);
        compacting = null;
      }
    }
    const previous = events[index - 1];
    if (previous && event.seq !== previous.seq + 1) {
      problems.push(`seq ${event.seq} (${type}) follows seq ${previous.seq}; seq must grow by exactly one`);
    }
    if (index > 0 && type === 'session_configured') problems.push(`session_configured again at seq ${event.seq}`);
    switch (type) {
      case 'task_started':
        if (task !== null) {
          problems.push(`task_started at seq ${event.seq} while the task started at seq ${task} has not ended`);
          endTask('task_started', event.seq);
        }
        task = event.seq;
        break;
      case 'task_complete':
      case 'turn_aborted':
        if (task === null) problems.push(`${type} at seq ${event.seq} without a running task`);
        endTask(type, event.seq);
        break;
      case 'exec_command_begin':
      case 'patch_apply_begin': {
        const key = `${type}:${String(event.msg.call_id)}`;
        if (open.has(key)) problems.push(`${type} for call_id ${String(event.msg.call_id)} again at seq ${event.seq} while one is open`);
        open.set(key, event.seq);
        break;
      }
      case 'exec_command_end':
      case 'patch_apply_end': {
        const key = `${END_TO_BEGIN[type]}:${String(event.msg.call_id)}`;
        if (!open.delete(key)) problems.push(`${type} for call_id ${String(event.msg.call_id)} at seq ${event.seq} has no open ${END_TO_BEGIN[type]}`);
        break;
      }
      case 'agent_message_delta':
      case 'agent_reasoning_delta': {
        const sofar = pending.get(type);
        const delta = typeof event.msg.delta === 'string' ? event.msg.delta : '';
        pending.set(type, { text: (sofar?.text ?? '') + delta, seq: sofar?.seq ?? event.seq });
        break;
      }
      case 'agent_message':
      case 'agent_reasoning': {
        const deltaType = type === 'agent_message' ? 'agent_message_delta' : 'agent_reasoning_delta';
        const sofar = pending.get(deltaType);
        const field = STREAMED[deltaType]?.field ?? '';
        const whole = event.msg[field];
        if (sofar && sofar.text !== whole) {
          problems.push(`${type} at seq ${event.seq} is ${quote(String(whole))}, not the whole text of its deltas ${quote(sofar.text)}`);
        }
        pending.delete(deltaType);
        break;
      }
      case 'compaction_started':
        if (compacting !== null) problems.push(`compaction_started at seq ${event.seq} while the one at seq ${compacting} is open`);
        if (task === null) problems.push(`compaction_started at seq ${event.seq} outside a task`);
        compacting = event.seq;
        break;
      case 'context_compacted':
        if (index === 0 || events.slice(0, index).every((earlier) => earlier.msg.type !== 'compaction_started')) {
          problems.push(`context_compacted at seq ${event.seq} without a compaction_started`);
        }
        break;
      case 'stream_error':
      case 'error':
        // The attempt that streamed these deltas failed; a retry streams its own.
        pending.clear();
        break;
    }
  });

  if (options.complete !== false) {
    if (task !== null) problems.push(`task_started at seq ${task} never ended`);
    for (const [key, seq] of open) problems.push(`${key.replace(':', ' for call_id ')} (seq ${seq}) never ended`);
    if (compacting !== null) problems.push(`compaction_started at seq ${compacting} never ended`);
  }
  return problems;
}
