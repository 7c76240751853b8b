/**
 * The engine's facade, the only thing front ends use: submit ops, read events. Nothing here prints or reads the
 * terminal.
 */
import { randomUUID } from 'node:crypto';
import type { Event, Op } from '../protocol/index.ts';
import { Session, type SessionOptions } from './session.ts';

export interface Agent {
  readonly sessionId: string;
  /** Queues an op and returns its submission id (the `id` of the events it causes). */
  submit(op: Op): string;
  /** Every event of the session, in order; ends after `shutdown_complete`. Single consumer. */
  readonly events: AsyncIterable<Event>;
}

export type AgentOptions = Omit<SessionOptions, 'sessionId'> & { sessionId?: string };

export function createAgent(options: AgentOptions): Agent {
  const sessionId = options.sessionId ?? randomUUID();
  const session = new Session({ ...options, sessionId });
  let next = 1;
  return {
    sessionId,
    submit(op: Op): string {
      const id = String(next++);
      session.submit({ id, op });
      return id;
    },
    events: session.events,
  };
}
