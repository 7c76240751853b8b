/**
 * What the schemas cannot say about a tool call's arguments: a prompt that is only blanks, a directory that does not
 * exist. Pure: the file system is asked through `isDirectory`.
 */
import { isAbsolute, resolve } from 'node:path';
import type { AskForApproval, SandboxMode } from '../protocol/index.ts';
import type { KeelArgs, ReplyArgs } from './tool-schemas.ts';

/** A new session and its first task, as the `keel` tool asks for them. */
export interface NewTaskRequest {
  prompt: string;
  /** Absolute, and a directory. */
  cwd: string;
  model?: string;
  sandbox?: SandboxMode;
  approvalPolicy?: AskForApproval;
}

export interface ReplyRequest {
  sessionId: string;
  prompt: string;
}

export type Checked<T> = { type: 'ok'; request: T } | { type: 'invalid'; message: string };

export interface ArgumentContext {
  /** Where a missing or relative `cwd` points from. */
  serverCwd: string;
  isDirectory(path: string): boolean;
}

export function checkKeelArgs(args: KeelArgs, context: ArgumentContext): Checked<NewTaskRequest> {
  if (args.prompt.trim() === '') return invalid('the prompt is empty: say what keel should do');
  const given = args.cwd?.trim();
  const cwd = given === undefined || given === '' ? context.serverCwd : isAbsolute(given) ? given : resolve(context.serverCwd, given);
  if (!context.isDirectory(cwd)) {
    return invalid(`cwd ${JSON.stringify(args.cwd)}: ${cwd} is not a directory (a relative cwd is taken from ${context.serverCwd})`);
  }
  const model = args.model?.trim();
  return {
    type: 'ok',
    request: {
      prompt: args.prompt,
      cwd,
      ...(model === undefined || model === '' ? {} : { model }),
      ...(args.sandbox === undefined ? {} : { sandbox: args.sandbox }),
      ...(args.approval_policy === undefined ? {} : { approvalPolicy: args.approval_policy }),
    },
  };
}

export function checkReplyArgs(args: ReplyArgs): Checked<ReplyRequest> {
  const sessionId = args.session_id.trim();
  if (sessionId === '') return invalid('session_id is empty: give the id a keel call returned');
  if (args.prompt.trim() === '') return invalid('the prompt is empty: say what keel should do next');
  return { type: 'ok', request: { sessionId, prompt: args.prompt } };
}

/**
 * The policy a session runs under. A client that cannot answer questions would leave every asked call hanging, so
 * it gets `never`: what would need a question is refused, and the model is told why (as in `keel exec`).
 */
export function effectiveApprovalPolicy(clientAnswers: boolean, configured: AskForApproval): AskForApproval {
  return clientAnswers ? configured : 'never';
}

function invalid(message: string): { type: 'invalid'; message: string } {
  return { type: 'invalid', message };
}
