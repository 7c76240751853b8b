/**
 * The engine's approval requests as MCP elicitation questions, and the client's answers as review decisions. Pure.
 */
import type { ElicitRequestFormParams } from '@modelcontextprotocol/sdk/types.js';
import type { EventMsg, EventOf, ReviewDecision } from '../protocol/index.ts';
import { scriptOf } from '../util/command-line.ts';

export type ApprovalRequest = EventOf<'exec_approval_request'> | EventOf<'apply_patch_approval_request'> | EventOf<'mcp_tool_approval_request'>;

/** One question for the client, and the op that carries its answer back to the engine. */
export interface ApprovalQuestion {
  callId: string;
  answerOp: 'exec_approval' | 'patch_approval';
  /** What the person is asked, in one paragraph. */
  message: string;
}

const DECISIONS = ['approved', 'approved_for_session', 'denied', 'abort'] as const satisfies readonly ReviewDecision[];

/** The form every question asks the client to fill in: one choice among the decisions. */
export const DECISION_SCHEMA: ElicitRequestFormParams['requestedSchema'] = {
  type: 'object',
  properties: {
    decision: {
      type: 'string',
      title: 'Decision',
      description: 'approved: run it this once · approved_for_session: run it and the like without asking again · denied: do not run it, the task goes on · abort: stop the task',
      enum: [...DECISIONS],
    },
  },
  required: ['decision'],
};

const MAX_SHOWN = 400;

export function isApprovalRequest(msg: EventMsg): msg is ApprovalRequest {
  return msg.type === 'exec_approval_request' || msg.type === 'apply_patch_approval_request' || msg.type === 'mcp_tool_approval_request';
}

export function approvalQuestion(request: ApprovalRequest): ApprovalQuestion {
  const why = request.reason === null ? '' : ` (${request.reason})`;
  switch (request.type) {
    case 'exec_approval_request':
      return {
        callId: request.call_id,
        answerOp: 'exec_approval',
        message: `keel wants to run a command in ${request.cwd}${why}:\n${shorten(scriptOf(request.command))}`,
      };
    case 'apply_patch_approval_request': {
      const files = Object.entries(request.changes).map(([path, change]) => `${change.type} ${path}`);
      return { callId: request.call_id, answerOp: 'patch_approval', message: `keel wants to change files${why}:\n${shorten(files.join('\n'))}` };
    }
    case 'mcp_tool_approval_request': {
      const { server, tool } = request.invocation;
      const args = JSON.stringify(request.invocation.arguments);
      return { callId: request.call_id, answerOp: 'exec_approval', message: `keel wants to call the tool ${tool} of MCP server ${server}${why} with ${shorten(args)}` };
    }
  }
}

/** The client's answer to `elicitation/create`, as the engine takes it. */
export interface ElicitationAnswer {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, unknown>;
}

/**
 * `decline` is a "no" to this call only, `cancel` (the person dismissed the question) stops the task, as Esc does in
 * the interactive UI. An accepted form without a known decision runs nothing: denied.
 */
export function decisionFromAnswer(answer: ElicitationAnswer): ReviewDecision {
  switch (answer.action) {
    case 'accept': {
      const decision = answer.content?.decision;
      return DECISIONS.find((known) => known === decision) ?? 'denied';
    }
    case 'decline':
      return 'denied';
    case 'cancel':
      return 'abort';
  }
}

function shorten(text: string): string {
  return text.length <= MAX_SHOWN ? text : `${text.slice(0, MAX_SHOWN)}… (${text.length - MAX_SHOWN} more characters)`;
}
