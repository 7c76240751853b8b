/** How a person answers: what each answer to an approval question prints (its keys are APPROVAL_KEYS), and the /approvals presets. */
import type { AskForApproval, ReviewDecision, SandboxPolicy } from '../protocol/index.ts';
import { notice } from './notice.ts';
import type { Line } from '../util/text/styled.ts';

export interface ApprovalPreset {
  label: string;
  detail: string;
  approval: AskForApproval;
  sandbox: SandboxPolicy;
}

export const APPROVAL_PRESETS: readonly ApprovalPreset[] = [
  { label: 'Read only', detail: 'reads freely, asks before anything that could change something', approval: 'on-request', sandbox: { type: 'read-only' } },
  {
    label: 'Auto',
    detail: 'edits and runs commands inside this workspace, asks for the rest',
    approval: 'on-request',
    sandbox: { type: 'workspace-write', writable_roots: [], network_access: false },
  },
  { label: 'Full access', detail: 'no sandbox and no questions: for throwaway machines', approval: 'never', sandbox: { type: 'danger-full-access' } },
];

export function decisionLine(decision: ReviewDecision, kind: 'command' | 'patch' | 'tool'): Line {
  const what = kind === 'tool' ? 'tool call' : kind;
  switch (decision) {
    case 'approved':
      return notice(`✓ ${what} approved`, 'green');
    case 'approved_for_session':
      return notice(`✓ ${what} approved for the rest of this session`, 'green');
    case 'approved_always':
      return notice(`✓ ${what} approved, and allowed from now on (an allow rule goes into your config.toml)`, 'green');
    case 'denied':
      return notice(`✗ ${what} denied: keel tells the model and goes on`, 'red');
    case 'abort':
      return notice(`⏹ ${what} not approved: stopping the task`, 'yellow');
  }
}
