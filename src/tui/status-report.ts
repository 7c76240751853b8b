/**
 * The /status report: the session, where it is recorded, the model and what keel does with it, what it has used, how
 * often its context was compacted, and the model's latest plan.
 */
import { planProgress, planStepLines, type Plan } from './plan-cells.ts';
import { contextLeftPercent, formatTokens, type StatusInfo } from './status-line.ts';
import { sanitize } from '../util/text/sanitize.ts';
import { span, type Line } from '../util/text/styled.ts';
import type { ModelDescription } from './tui-options.ts';

/** Columns before a row's value, where the plan's steps line up. */
const LABEL_COLUMNS = 15;

export interface ReportedSession {
  logPath: string | null;
  instructionFiles: readonly string[];
}

/** `compactions`: over the session's whole life, earlier runs of a resumed session included; `plan`: the latest one. */
export function statusReport(
  status: StatusInfo & { sessionId: string; providerId: string; compactions: number },
  session: ReportedSession,
  model: ModelDescription,
  plan: Plan | null = null,
): Line[] {
  const rows: Array<[string, string]> = [
    ['Session', status.sessionId],
    ['Log', session.logPath ?? 'not recorded'],
    ['Model', `${status.model} (provider ${status.providerId})`],
    ['Reasoning', model.reasoning],
    ['Directory', status.cwd],
    ['Approvals', status.approval],
    ['Sandbox', status.sandbox.type],
    ['Instructions', session.instructionFiles.length > 0 ? session.instructionFiles.join(', ') : 'none (no AGENTS.md found)'],
    ['Tokens', tokens(status)],
    ['Context', context(status, model.contextWindow)],
    ['Compactions', status.compactions === 0 ? 'none yet' : String(status.compactions)],
  ];
  // What the person may want to change: why keel knows little of the model, and settings it does not apply.
  for (const note of [...(model.warning === null ? [] : [model.warning]), ...model.notes]) rows.push(['Note', note]);
  if (plan !== null) rows.push(['Plan', planProgress(plan)]);
  return [
    { spans: [span('Status', { bold: true })] },
    ...rows.map(([label, value]): Line => ({ spans: [span(`  ${label.padEnd(13)}`, { dim: true }), span(sanitize(value))], indent: LABEL_COLUMNS })),
    ...(plan === null ? [] : planStepLines(plan, LABEL_COLUMNS)),
  ];
}

function tokens(status: StatusInfo): string {
  const usage = status.totalUsage;
  if (usage === null) return 'none used yet';
  return `${formatTokens(usage.total_tokens)} (input ${formatTokens(usage.input_tokens)}, cached ${formatTokens(usage.cached_input_tokens)}, output ${formatTokens(usage.output_tokens)})`;
}

/** `window`: the catalogue's, for before the engine has reported one. */
function context(status: StatusInfo, window: number | null): string {
  const known = status.contextWindow ?? window;
  if (known === null) return 'window unknown';
  if (status.contextUsed === null) return `${formatTokens(known)} window, nothing used yet`;
  return `${contextLeftPercent(status.contextUsed, known)}% left of ${formatTokens(known)}`;
}
