/**
 * The scenario keel was started for: Ctrl+C while a command runs, then a follow-up, and the API accepts the
 * history — in stateless and in stateful mode.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { AgentHarness } from '../support/agent-harness.ts';
import { liveProcessesMatching } from '../support/processes.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { checkEventInvariants } from '../support/event-invariants.ts';
import { waitUntil } from '../support/wait-until.ts';

const harnesses: AgentHarness[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.shutdown();
});

describe.each([
  { mode: 'stateless', stateful: false },
  { mode: 'stateful', stateful: true },
])('interrupting a running command ($mode)', ({ stateful }) => {
  it('stops the whole process group, answers the call, and the follow-up request is accepted', async () => {
    // An unusual duration marks this test's sleeps among the machine's processes.
    const marker = stateful ? '30.271' : '30.137';
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: ['bash', '-lc', `sleep ${marker} & sleep ${marker}; wait`] }, 'call_seed'), { id: 'resp_first' }),
      respond(text('Understood, stopping there.'), { id: 'resp_second' }),
    ]);
    const harness = new AgentHarness({ baseUrl: server.url, stateful });
    harnesses.push(harness);

    harness.say('run the slow thing');
    const begin = await harness.first('exec_command_begin');
    expect(begin.call_id).toBe('call_seed');
    // Both sleeps (the child and the backgrounded grandchild) exist before the interrupt...
    await waitUntil(() => liveProcessesMatching(`sleep ${marker}`).length === 2);
    harness.submit({ type: 'interrupt' });
    await harness.first('turn_aborted');
    // ...and none is left once the turn is reported aborted.
    expect(liveProcessesMatching(`sleep ${marker}`)).toEqual([]);
    const end = harness.ofType('exec_command_end')[0]!;
    expect(end.status).toBe('aborted');

    harness.say('never mind, just say ok');
    const complete = await harness.first('task_complete');
    expect(complete.last_agent_message).toBe('Understood, stopping there.');

    const [first, second] = await server.waitForRequests(2);
    expect(first!.status).toBe(200);
    expect(second!.status).toBe(200);
    const input = second!.body.input as Array<Record<string, unknown>>;
    if (stateful) {
      expect(second!.body.previous_response_id).toBe('resp_first');
      expect(second!.body.store).toBe(true);
      // Only what the server does not hold: the call's output, then the follow-up.
      expect(input[0]).toMatchObject({ type: 'function_call_output', call_id: 'call_seed' });
    } else {
      expect(second!.body.store).toBe(false);
      const callAt = input.findIndex((item) => item.type === 'function_call' && item.call_id === 'call_seed');
      expect(callAt).toBeGreaterThanOrEqual(0);
      expect(input[callAt + 1]).toMatchObject({ type: 'function_call_output', call_id: 'call_seed' });
    }
    const output = input.find((item) => item.type === 'function_call_output') as { output: string };
    expect(output.output).toContain('aborted by user');
    expect(input.at(-1)).toMatchObject({ type: 'message', role: 'user' });
    expect(checkEventInvariants(harness.events)).toEqual([]);
  });
});
