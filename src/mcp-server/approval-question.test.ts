import { describe, expect, it } from 'vitest';
import { approvalQuestion, decisionFromAnswer, DECISION_SCHEMA, isApprovalRequest } from './approval-question.ts';

describe('approvalQuestion', () => {
  it('asks about a command as it would be typed, with where it runs and why it asks', () => {
    const question = approvalQuestion({ type: 'exec_approval_request', call_id: 'c1', command: ['bash', '-lc', 'rm -rf build'], cwd: '/srv/app', reason: 'not known to be safe' });
    expect(question).toEqual({ callId: 'c1', answerOp: 'exec_approval', message: 'keel wants to run a command in /srv/app (not known to be safe):\nrm -rf build' });
  });

  it('lists the files a patch touches, answered with patch_approval', () => {
    const question = approvalQuestion({
      type: 'apply_patch_approval_request',
      call_id: 'p1',
      reason: null,
      changes: { 'a.txt': { type: 'add', content: 'x' }, 'b.txt': { type: 'update', unified_diff: '', move_path: null } },
    });
    expect(question).toEqual({ callId: 'p1', answerOp: 'patch_approval', message: 'keel wants to change files:\nadd a.txt\nupdate b.txt' });
  });

  it('names an MCP tool and its arguments, answered with exec_approval', () => {
    const question = approvalQuestion({ type: 'mcp_tool_approval_request', call_id: 'm1', reason: null, invocation: { server: 'docs', tool: 'write_note', arguments: { text: 'hi' } } });
    expect(question).toEqual({ callId: 'm1', answerOp: 'exec_approval', message: 'keel wants to call the tool write_note of MCP server docs with {"text":"hi"}' });
  });

  it('shortens a very long command, saying how much was left out', () => {
    const question = approvalQuestion({ type: 'exec_approval_request', call_id: 'c2', command: ['bash', '-c', `echo ${'x'.repeat(1000)}`], cwd: '/', reason: null });
    expect(question.message).toMatch(/… \(605 more characters\)$/);
  });

  it('tells approval requests from other events', () => {
    expect(isApprovalRequest({ type: 'exec_approval_request', call_id: 'c', command: [], cwd: '/', reason: null })).toBe(true);
    expect(isApprovalRequest({ type: 'agent_message', message: 'hi' })).toBe(false);
  });
});

describe('decisionFromAnswer', () => {
  it('takes the decision of an accepted form', () => {
    for (const decision of ['approved', 'approved_for_session', 'denied', 'abort']) {
      expect(decisionFromAnswer({ action: 'accept', content: { decision } })).toBe(decision);
    }
  });

  it('runs nothing for an accepted form without a known decision', () => {
    expect(decisionFromAnswer({ action: 'accept' })).toBe('denied');
    expect(decisionFromAnswer({ action: 'accept', content: { decision: 'yes please' } })).toBe('denied');
  });

  it('denies on decline and aborts the task on cancel', () => {
    expect(decisionFromAnswer({ action: 'decline' })).toBe('denied');
    expect(decisionFromAnswer({ action: 'cancel' })).toBe('abort');
  });

  it('offers exactly the four decisions, one required choice', () => {
    expect(DECISION_SCHEMA).toMatchObject({ type: 'object', required: ['decision'], properties: { decision: { type: 'string', enum: ['approved', 'approved_for_session', 'denied', 'abort'] } } });
  });
});
