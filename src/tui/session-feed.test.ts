import { describe, expect, it } from 'vitest';
import type { Event, EventMsg, EventOf } from '../protocol/index.ts';
import { EventStream } from '../util/event-stream.ts';
import { SessionFeed } from './session-feed.ts';
import type { SessionHandle } from './session-handle.ts';
import { plainText } from '../util/text/styled.ts';

const configured = (model: string): EventOf<'session_configured'> => ({
  type: 'session_configured',
  session_id: 's-9',
  model,
  model_provider_id: 'openai',
  cwd: '/repo',
  approval_policy: 'on-request',
  sandbox_policy: { type: 'read-only' },
  rollout_path: null,
});

const compacted: EventMsg = { type: 'context_compacted', reason: 'manual', tokens_before: 182_000, tokens_after: 9_000, compactions: 2 };
const EARLIER = 'The earlier part of this conversation was compacted; keel sessions show s-9 shows all of it.';

/**
 * A resumed session with this recorded transcript, whose engine says `live` and ends: what the feed printed, and
 * which events the rest of the UI was given (`null`: replayed).
 */
async function resumed(replay: EventMsg[], live: EventMsg[], replayFromCompaction: boolean): Promise<{ printed: string[]; given: Array<[string, string | null]> }> {
  const events = new EventStream<Event>();
  const handle: SessionHandle = {
    agent: { sessionId: 's-9', submit: () => 'shutdown', events },
    replay,
    cutOff: false,
    replayFromCompaction,
    compactions: 2,
    logPath: null,
    instructionFiles: [],
    close: async () => undefined,
  };
  const printed: string[] = [];
  const given: Array<[string, string | null]> = [];
  const feed = new SessionFeed(handle, '1.2.3', {
    event: (msg, submission) => void given.push([msg.type === 'session_configured' ? `session_configured ${msg.model}` : msg.type, submission]),
    committed: (lines) => void printed.push(...lines.map(plainText)),
  });
  feed.start();
  live.forEach((msg, seq) => events.push({ id: String(seq), seq, msg }));
  events.end();
  await feed.end();
  return { printed, given };
}

describe('SessionFeed: a resumed session', () => {
  it('shows a transcript that begins at a compaction under the live header, saying where the rest is', async () => {
    const replay: EventMsg[] = [
      { type: 'token_count', info: null },
      compacted,
      { type: 'task_complete', last_agent_message: null },
      { type: 'user_message', message: 'go on' },
      { type: 'agent_message', message: 'Went on.' },
    ];
    const { printed, given } = await resumed(replay, [configured('gpt-live')], true);
    expect(printed).toEqual([
      'keel 1.2.3 · gpt-live · session s-9',
      'workdir /repo',
      '',
      EARLIER,
      '',
      'context compacted: 182k → 9.0k tokens',
      '',
      '› go on',
      '',
      'Went on.',
      '',
      'Resumed. Type a message to go on.',
    ]);
    expect(given[0]).toEqual(['session_configured gpt-live', '0']);
    expect(given.slice(1).every(([, submission]) => submission === null)).toBe(true);
  });

  it('leaves out the headers of runs after the compaction: the live one heads the transcript and says what is in force', async () => {
    const replay: EventMsg[] = [compacted, configured('gpt-second-run'), { type: 'user_message', message: 'and now?' }];
    const { printed, given } = await resumed(replay, [configured('gpt-live')], true);
    expect(printed.filter((text) => text.startsWith('keel 1.2.3'))).toEqual(['keel 1.2.3 · gpt-live · session s-9']);
    expect(printed.slice(3, 5)).toEqual([EARLIER, '']);
    expect(given.map(([type]) => type)).toEqual(['session_configured gpt-live', 'context_compacted', 'user_message']);
  });

  it('says which background processes ended with the run that recorded the transcript, and does not count them', async () => {
    const dev = { id: 1, command: 'npm run dev', cwd: '/repo', started_at: 0, status: 'running' as const, exit_code: null };
    const replay: EventMsg[] = [
      configured('gpt-first-run'),
      { type: 'task_started', model_context_window: null },
      { type: 'background_processes', processes: [dev] },
      { type: 'task_complete', last_agent_message: null },
      { type: 'turn_aborted', reason: 'interrupted' },
    ];
    const { printed } = await resumed(replay, [configured('gpt-live'), { type: 'turn_aborted', reason: 'interrupted' }], false);
    expect(printed.slice(3)).toEqual([
      '⏹ Interrupted — tell keel what to do next.',
      '  1 background process still runs: /ps lists them, /stop stops one',
      '',
      "⏹ background session 1 ended with keel's previous run: npm run dev",
      '',
      'Resumed. Type a message to go on.',
      '',
      // Interrupted now, nothing of the earlier run is said to run.
      '⏹ Interrupted — tell keel what to do next.',
    ]);
  });

  it('shows a whole transcript under its own first header, for which the live one is not repeated', async () => {
    const replay: EventMsg[] = [configured('gpt-first-run'), { type: 'user_message', message: 'hello' }, { type: 'agent_message', message: 'Hi.' }];
    const { printed, given } = await resumed(replay, [configured('gpt-live')], false);
    expect(printed).toEqual(['keel 1.2.3 · gpt-first-run · session s-9', 'workdir /repo', '', '› hello', '', 'Hi.', '', 'Resumed. Type a message to go on.']);
    expect(printed).not.toContain(EARLIER);
    // The live header still tells the rest of the UI what is in force now.
    expect(given.at(-1)).toEqual(['session_configured gpt-live', '0']);
  });
});
