/** The plan tool through the engine: each valid plan reaches the front ends as `plan_update`; a broken one only the model hears about. */
import { afterEach, expect, it } from 'vitest';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { functionCallOutput, outputText } from '../../src/scripted/index.ts';
import { createUpdatePlanTool } from '../../src/tools/plan/update-plan-tool.ts';
import { createShellTool } from '../../src/tools/shell/shell-tool.ts';
import { AgentHarness } from '../support/agent-harness.ts';
import { checkEventInvariants } from '../support/event-invariants.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const harnesses: AgentHarness[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.shutdown();
});

const planCall = (plan: Array<[string, string]>, callId: string, explanation?: string) =>
  functionCall('update_plan', { ...(explanation === undefined ? {} : { explanation }), plan: plan.map(([step, status]) => ({ step, status })) }, callId);

it('creates, updates and completes a plan, each one shown as given', async () => {
  const server = await useScriptedServer([
    respond(planCall([['Read the loader', 'in_progress'], ['Rename it', 'pending']], 'p1')),
    respond(planCall([['Read the loader', 'completed'], ['Rename it', 'in_progress']], 'p2', 'The loader is small.')),
    respond(planCall([['Read the loader', 'completed'], ['Rename it', 'completed']], 'p3'), text('Renamed.')),
    respond(text('Renamed.')),
  ]);
  const harness = new AgentHarness({ baseUrl: server.url, tools: [createShellTool({}), createUpdatePlanTool()] });
  harnesses.push(harness);
  harness.say('rename the loader');
  await harness.first('task_complete');
  const plans = harness.ofType('plan_update');
  expect(plans.map((update) => update.plan.map((step) => step.status))).toEqual([
    ['in_progress', 'pending'],
    ['completed', 'in_progress'],
    ['completed', 'completed'],
  ]);
  expect(plans[1]!.explanation).toBe('The loader is small.');
  const requests = await server.waitForRequests(4);
  expect(outputText(functionCallOutput(requests[1]!, 'p1'))).toBe('Plan updated');
  expect(requests[0]!.body.tools.map((tool: { name: string }) => tool.name)).toContain('update_plan');
  expect(checkEventInvariants(harness.events)).toEqual([]);
});

it('refuses a plan with two steps in progress: the model is told why, the person sees no broken plan', async () => {
  const server = await useScriptedServer([
    respond(planCall([['Read', 'in_progress'], ['Write', 'in_progress']], 'bad')),
    respond(planCall([['Read', 'in_progress'], ['Write', 'pending']], 'good')),
    respond(text('ok')),
  ]);
  const harness = new AgentHarness({ baseUrl: server.url, tools: [createUpdatePlanTool()] });
  harnesses.push(harness);
  harness.say('plan it');
  await harness.first('task_complete');
  const [, second] = await server.waitForRequests(2);
  expect(outputText(functionCallOutput(second!, 'bad'))).toBe(
    'failed to parse function arguments: 2 steps are in_progress ("Read", "Write"); at most one step may be in progress at a time: mark the others pending or completed and send the plan again',
  );
  expect(harness.ofType('plan_update')).toHaveLength(1);
  expect(harness.ofType('plan_update')[0]!.plan.map((step) => step.status)).toEqual(['in_progress', 'pending']);
});
