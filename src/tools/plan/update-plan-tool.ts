/**
 * `update_plan`: the model's plan for the task, which the person follows as a checklist. It changes nothing on disk
 * and needs no approval. A call emits `plan_update` with the plan as given (the log keeps it, so a resumed session
 * shows the last one) and answers "Plan updated". A plan that breaks the rules is refused with what to fix, and
 * no event: the checklist never shows a plan the model was told is wrong.
 */
import { parseJsonObject } from '../json-args.ts';
import type { EventOf } from '../../protocol/index.ts';
import type { ParseResult, Tool } from '../tool.ts';

type PlanUpdate = Omit<EventOf<'plan_update'>, 'type'>;
type StepStatus = PlanUpdate['plan'][number]['status'];

const STATUSES: readonly StepStatus[] = ['pending', 'in_progress', 'completed'];
/** A plan is a checklist a person reads, not a place to store work. */
const MAX_STEPS = 50;
const MAX_STEP_CHARS = 500;

const DESCRIPTION = `Keep the user informed with a short plan for the task: a list of steps, each pending, in_progress or completed.
Call it when the task has several steps: once at the start, then whenever a step starts or finishes (send the whole
plan each time). At most one step may be in_progress at a time. Use explanation to say briefly why the plan changed.`;

export function createUpdatePlanTool(): Tool<PlanUpdate> {
  return {
    name: 'update_plan',
    kind: 'read',
    spec: {
      type: 'function',
      name: 'update_plan',
      description: DESCRIPTION,
      strict: false,
      parameters: {
        type: 'object',
        properties: {
          explanation: { type: 'string', description: 'Why the plan changed, in a sentence (optional).' },
          plan: {
            type: 'array',
            description: 'The whole plan, in order.',
            items: {
              type: 'object',
              properties: {
                step: { type: 'string', description: 'What the step does, in a few words.' },
                status: { type: 'string', enum: [...STATUSES] },
              },
              required: ['step', 'status'],
              additionalProperties: false,
            },
          },
        },
        required: ['plan'],
        additionalProperties: false,
      },
    },
    parse: parsePlan,
    run(update, ctx) {
      ctx.emit({ type: 'plan_update', explanation: update.explanation, plan: update.plan });
      return Promise.resolve({ output: 'Plan updated', success: true });
    },
  };
}

export function parsePlan(raw: string): ParseResult<PlanUpdate> {
  const parsed = parseJsonObject(raw);
  if (!parsed.ok) return parsed;
  const { explanation, plan } = parsed.fields;
  if (explanation !== undefined && explanation !== null && typeof explanation !== 'string') return fail('explanation must be a string');
  if (!Array.isArray(plan)) return fail('plan must be an array of {"step": string, "status": "pending" | "in_progress" | "completed"}');
  if (plan.length > MAX_STEPS) return fail(`plan has ${plan.length} steps; keep it to at most ${MAX_STEPS}`);
  const steps: PlanUpdate['plan'] = [];
  for (const [index, entry] of plan.entries()) {
    if (typeof entry !== 'object' || entry === null) return fail(`plan[${index}] must be an object with "step" and "status"`);
    const { step, status } = entry as Record<string, unknown>;
    if (typeof step !== 'string' || step.trim() === '') return fail(`plan[${index}].step must be a non-empty string`);
    if (step.length > MAX_STEP_CHARS) return fail(`plan[${index}].step is ${step.length} characters; keep each step under ${MAX_STEP_CHARS}`);
    if (typeof status !== 'string' || !STATUSES.includes(status as StepStatus)) {
      return fail(`plan[${index}].status must be "pending", "in_progress" or "completed", not ${JSON.stringify(status)}`);
    }
    steps.push({ step: step.trim(), status: status as StepStatus });
  }
  const inProgress = steps.filter((step) => step.status === 'in_progress');
  if (inProgress.length > 1) {
    return fail(
      `${inProgress.length} steps are in_progress (${inProgress.map((step) => JSON.stringify(step.step)).join(', ')}); ` +
        'at most one step may be in progress at a time: mark the others pending or completed and send the plan again',
    );
  }
  return { ok: true, args: { explanation: typeof explanation === 'string' && explanation.trim() !== '' ? explanation.trim() : null, plan: steps } };
}

function fail(error: string): ParseResult<PlanUpdate> {
  return { ok: false, error };
}
