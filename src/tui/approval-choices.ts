/** How a person answers: the keys of an approval question, what each answer prints, and the /approvals presets. */
import type { AskForApproval, ReviewDecision, SandboxPolicy } from '../protocol/index.ts';
import type { Key } from './input/keys.ts';
import { notice } from './notice.ts';
import type { Line } from './text/styled.ts';

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

/** The answer a key gives: y, a, n (any case), Esc or Ctrl+C (abort); null for any other key. */
export function approvalDecision(key: Key): ReviewDecision | null {
  if (key.kind === 'text') {
    switch (key.text.toLowerCase()) {
      case 'y':
        return 'approved';
      case 'a':
        return 'approved_for_session';
      case 'n':
        return 'denied';
      default:
        return null;
    }
  }
  if (key.kind !== 'key') return null;
  if (key.name === 'escape' || (key.ctrl && key.name === 'c')) return 'abort';
  return null;
}

export function decisionLine(decision: ReviewDecision, what: 'command' | 'patch'): Line {
  switch (decision) {
    case 'approved':
      return notice(`✓ ${what} approved`, 'green');
    case 'approved_for_session':
      return notice(`✓ ${what} approved for the rest of this session`, 'green');
    case 'denied':
      return notice(`✗ ${what} denied: keel tells the model and goes on`, 'red');
    case 'abort':
      return notice(`⏹ ${what} not approved: stopping the task`, 'yellow');
  }
}
