/**
 * The model's plan as a checklist. While a task works through it, it is live: redrawn in place on every update. It
 * is committed to the scrollback once, as it then stands, when every step is done or the task ends, so that the
 * scrollback holds one copy per task instead of one per update. /status shows the latest one.
 */
import type { EventOf } from '../protocol/index.ts';
import { sanitize, sanitizeLines } from '../util/text/sanitize.ts';
import { span, type Line, type SpanStyle } from '../util/text/styled.ts';
import { wrapLines } from '../util/text/wrap.ts';

export type Plan = Omit<EventOf<'plan_update'>, 'type'>;
type Step = Plan['plan'][number];

const DIM: SpanStyle = { dim: true };
const PLAN_MARKS = {
  completed: span('✓', { color: 'green' }),
  in_progress: span('→', { color: 'cyan' }),
  pending: span('·'),
} as const;

/** The plan as committed: `Plan`, the explanation, then each step with its mark. */
export function planLines(plan: Plan): Line[] {
  return [{ spans: [span('Plan', { bold: true })] }, ...explanationLines(plan), ...plan.plan.map(stepLine)];
}

/**
 * The plan while it is live, wrapped to `width`, in at most `maxRows` rows: the heading says how far it got, and when
 * the steps do not fit, the ones done at the top are summed up in one line, so the step being worked on shows.
 */
export function livePlanLines(plan: Plan, width: number, maxRows: number): Line[] {
  const heading: Line = { spans: [span('Plan', { bold: true }), span(` · ${planProgress(plan)}`, DIM)] };
  const whole = wrapLines([heading, ...explanationLines(plan), ...plan.plan.map(stepLine)], width);
  if (whole.length <= maxRows) return whole;
  const done = plan.plan.findIndex((step) => step.status !== 'completed');
  const leading = done < 0 ? plan.plan.length : done;
  if (leading === 0) return whole.slice(0, maxRows);
  const summary: Line = { spans: [span('  '), PLAN_MARKS.completed, span(` ${leading} ${leading === 1 ? 'step' : 'steps'} done`, DIM)] };
  return wrapLines([heading, ...explanationLines(plan), summary, ...plan.plan.slice(leading).map(stepLine)], width).slice(0, maxRows);
}

/** Whether every step is done: the plan is complete (an empty plan is not a plan). */
export function planDone(plan: Plan): boolean {
  return plan.plan.length > 0 && plan.plan.every((step) => step.status === 'completed');
}

export function samePlan(a: Plan | null, b: Plan | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.explanation === b.explanation &&
    a.plan.length === b.plan.length &&
    a.plan.every((step, index) => step.step === b.plan[index]?.step && step.status === b.plan[index]?.status)
  );
}

/** `2 of 5 done`. */
export function planProgress(plan: Plan): string {
  return `${plan.plan.filter((step) => step.status === 'completed').length} of ${plan.plan.length} done`;
}

/** The plan's steps for /status, indented by `indent` columns. */
export function planStepLines(plan: Plan, indent: number): Line[] {
  const pad = ' '.repeat(Math.max(0, indent - 2));
  return plan.plan.map((step) => {
    const row = stepLine(step);
    return { spans: [span(pad), ...row.spans], indent: indent + 2 };
  });
}

function stepLine(step: Step): Line {
  return { spans: [span('  '), PLAN_MARKS[step.status], span(` ${sanitize(step.step)}`)], indent: 4 };
}

function explanationLines(plan: Plan): Line[] {
  return plan.explanation === null ? [] : sanitizeLines(plan.explanation).map((text): Line => ({ spans: [span(text, DIM)] }));
}
