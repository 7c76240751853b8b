import { describe, expect, it } from 'vitest';
import type { EventMsg, ResponseItem, ToolCallItem } from '../protocol/index.ts';
import { ToolRegistry } from '../tools/tool-registry.ts';
import { createShellTool } from '../tools/shell/shell-tool.ts';
import { ConversationHistory } from './history.ts';
import { runToolCall } from './run-tool-call.ts';
import { nullRecorder } from './session-recorder.ts';
import { TaskFiles } from './task-files.ts';

import type { TurnContext } from './turn-context.ts';

const context: TurnContext = { model: 'm', cwd: '/tmp', approvalPolicy: 'never', sandboxPolicy: { type: 'danger-full-access' } };

function harness(): { events: EventMsg[]; history: ConversationHistory; run(call: ToolCallItem, signal: AbortSignal): Promise<boolean> } {
  const events: EventMsg[] = [];
  const history = new ConversationHistory();
  const deps = {
    registry: new ToolRegistry([createShellTool({})]),
    history,
    recorder: nullRecorder,
    gate: null,
    waitForDecision: () => Promise.resolve('abort' as const),
    abortTask: () => undefined,
    emit: (msg: EventMsg) => events.push(msg),
  };
  return {
    events,
    history,
    run: (call, signal) => {
      history.record(call);
      return runToolCall(deps, call, context, signal, new TaskFiles(null, 1, () => undefined));
    },
  };
}

describe('a call that did not run is shown', () => {
  it('when the task was interrupted before its turn came', async () => {
    const { events, history, run } = harness();
    const stopped = new AbortController();
    stopped.abort();
    await run({ type: 'function_call', name: 'shell', arguments: '{"command":["echo","queued"]}', call_id: 'queued' }, stopped.signal);
    expect(events).toEqual([
      { type: 'tool_call_blocked', call_id: 'queued', tool: 'shell', summary: 'echo queued', outcome: 'aborted', reason: 'the task was interrupted before it started' },
    ]);
    expect(history.items.at(-1)).toEqual({ type: 'function_call_output', call_id: 'queued', output: 'aborted' } satisfies ResponseItem);
  });

  it('not when it ran: its own end event tells how it went', async () => {
    const { events, run } = harness();
    await run({ type: 'function_call', name: 'shell', arguments: '{"command":["echo","ran"]}', call_id: 'ran' }, new AbortController().signal);
    expect(events.map((event) => event.type)).toEqual(['exec_command_begin', 'exec_command_output_delta', 'exec_command_end']);
  });
});
