import { describe, expect, it } from 'vitest';
import { statusReport } from './status-report.ts';
import type { StatusInfo } from './status-line.ts';
import type { ModelDescription } from './tui-options.ts';

const status: StatusInfo & { sessionId: string; providerId: string; compactions: number } = {
  model: 'gpt-5-codex',
  reasoningEffort: 'high',
  cwd: '/repo',
  approval: 'on-request',
  sandbox: { type: 'read-only' },
  totalUsage: null,
  contextUsed: null,
  contextWindow: null,
  sessionId: 's-1',
  providerId: 'openai',
  compactions: 0,
};
const session = { logPath: '/home/ada/.keel/sessions/s-1.jsonl', instructionFiles: [] };
const known: ModelDescription = { known: true, reasoning: 'high, summary auto', effort: 'high', contextWindow: 272_000, warning: null, notes: [] };

/** The report's rows as `label: value`. */
function rows(model: ModelDescription, over: Partial<typeof status> = {}): string[] {
  return statusReport({ ...status, ...over }, session, model)
    .slice(1)
    .map((row) => `${row.spans[0]!.text.trim()}: ${row.spans[1]!.text}`);
}

describe('/status', () => {
  it('says what requests ask of the model about reasoning, and its window before the engine reports one', () => {
    expect(rows(known)).toEqual([
      'Session: s-1',
      'Log: /home/ada/.keel/sessions/s-1.jsonl',
      'Model: gpt-5-codex (provider openai)',
      'Reasoning: high, summary auto',
      'Directory: /repo',
      'Approvals: on-request',
      'Sandbox: read-only',
      'Instructions: none (no AGENTS.md found)',
      'Tokens: none used yet',
      'Context: 272k window, nothing used yet',
      'Compactions: none yet',
    ]);
    expect(rows(known, { contextUsed: 62_000, contextWindow: 112_000 })).toContain('Context: 50% left of 112k');
  });

  it('adds why keel knows little of an unknown model, and the settings that do not take effect', () => {
    const unknown: ModelDescription = {
      known: false,
      reasoning: 'off',
      effort: null,
      contextWindow: null,
      warning: 'keel does not know the model "my-model"',
      notes: ['model_verbosity is not sent to my-model'],
    };
    const report = rows(unknown, { model: 'my-model' });
    expect(report).toContain('Reasoning: off');
    expect(report).toContain('Context: window unknown');
    expect(report.slice(-2)).toEqual(['Note: keel does not know the model "my-model"', 'Note: model_verbosity is not sent to my-model']);
  });

  it('shows the latest plan, how far it got and each step', () => {
    const plan = {
      explanation: null,
      plan: [
        { step: 'read the code', status: 'completed' as const },
        { step: 'fix the bug', status: 'in_progress' as const },
      ],
    };
    const report = statusReport(status, session, known, plan).map((row) => row.spans.map((part) => part.text).join(''));
    expect(report.slice(-3)).toEqual(['  Plan         1 of 2 done', '               ✓ read the code', '               → fix the bug']);
    expect(rows(known).some((row) => row.startsWith('Plan'))).toBe(false);
  });

  it('counts the compactions of the session\u2019s whole life', () => {
    expect(rows(known, { compactions: 3 })).toContain('Compactions: 3');
  });
});
