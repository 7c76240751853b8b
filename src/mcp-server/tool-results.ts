/**
 * The `CallToolResult`s of both tools. Only a completed task is a success; a failed or interrupted one is an error
 * result (the calling model should not take it for done) that still names the session, so it can be continued.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { TaskOutput, TaskStatus } from './tool-schemas.ts';

export interface TaskOutcome {
  status: TaskStatus;
  finalMessage: string | null;
  /** The task's error messages, in order (a `failed` task has at least one). */
  errors: string[];
  /** Why it was interrupted, for the text: the client cancelled, a question was answered "abort", keel is stopping. */
  interruptedBy?: 'client' | 'abort_answer' | 'shutdown';
}

export function taskResult(sessionId: string, outcome: TaskOutcome): CallToolResult {
  const structured: TaskOutput = { session_id: sessionId, final_message: outcome.finalMessage, status: outcome.status };
  return {
    content: [
      { type: 'text', text: headline(outcome) },
      { type: 'text', text: `session_id: ${sessionId} (continue this session with the keel-reply tool)` },
    ],
    structuredContent: structured,
    ...(outcome.status === 'completed' ? {} : { isError: true }),
  };
}

export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: `keel: ${message}` }], isError: true };
}

function headline(outcome: TaskOutcome): string {
  const message = outcome.finalMessage ?? '';
  switch (outcome.status) {
    case 'completed':
      return message === '' ? '(keel finished the task without a final message)' : message;
    case 'failed': {
      const said = message === '' ? '' : `\n\nIts last message:\n${message}`;
      return `keel's task failed: ${outcome.errors.join('; ') || 'unknown error'}${said}`;
    }
    case 'interrupted': {
      const why = outcome.interruptedBy === undefined ? 'keel stopped it' : INTERRUPTIONS[outcome.interruptedBy];
      const said = message === '' ? '' : `\n\nIts last message:\n${message}`;
      return `keel's task was interrupted (${why}); its commands were stopped and the session is saved.${said}`;
    }
  }
}

const INTERRUPTIONS: Record<NonNullable<TaskOutcome['interruptedBy']>, string> = {
  client: 'the call was cancelled',
  abort_answer: 'a question was answered "abort"',
  shutdown: 'the keel MCP server is shutting down',
};
