/**
 * `keel -i FILE`: the images go with the first prompt of the session, whether it came on the command line or is
 * typed in the UI. The UI submits plain text turns; this wraps the session's engine so that the first `user_turn`
 * carries the images after its text, without the UI having to know about the flag.
 */
import type { Agent } from '../core/agent.ts';
import type { UserInput } from '../protocol/index.ts';

export function withImagesOnFirstTurn(agent: Agent, images: readonly UserInput[]): Agent {
  if (images.length === 0) return agent;
  let pending: readonly UserInput[] = images;
  return {
    sessionId: agent.sessionId,
    events: agent.events,
    submit(op) {
      if (op.type !== 'user_turn' || pending.length === 0) return agent.submit(op);
      const items = [...op.items, ...pending];
      pending = [];
      return agent.submit({ ...op, items });
    },
  };
}
