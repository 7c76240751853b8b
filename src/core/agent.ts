/**
 * The engine's facade, the only thing front ends use: submit ops, read events. Nothing here prints or reads the
 * terminal.
 */
import { randomUUID } from 'node:crypto';
import type { OutputSchema } from '../model/model-event.ts';
import type { Event, Op } from '../protocol/index.ts';
import { Session, type SessionOptions } from './session.ts';

export type { OutputSchema } from '../model/model-event.ts';

export interface Agent {
  readonly sessionId: string;
  /** Queues an op and returns its submission id (the `id` of the events it causes). */
  submit(op: Op): string;
  /** Every event of the session, in order; ends after `shutdown_complete`. Single consumer. */
  readonly events: AsyncIterable<Event>;
  /**
   * Asks every later model request of the session (not compaction's summaries) for answers in this JSON Schema's
   * format; null: free text again. Takes effect with the next request, so call it before the turn it is for. The
   * engine does not check answers against it: the front end that asked does. Optional so that test doubles of the
   * facade need not have it; `createAgent`'s agent always does.
   */
  setOutputSchema?(schema: OutputSchema | null): void;
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
    setOutputSchema: (schema) => session.setOutputSchema(schema),
  };
}
