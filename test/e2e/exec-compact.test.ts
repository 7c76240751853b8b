/**
 * Compaction as `keel exec` and `keel sessions show` present it, against the scripted model server: the line on
 * stderr, the events of --json, and the compaction in its place in the recorded transcript.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUMMARY_PREFIX } from '../../src/core/compaction.ts';
import { Event, type EventOf } from '../../src/protocol/index.ts';
import { userMessageTexts } from '../../src/scripted/index.ts';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { formatTokens } from '../../src/util/format-tokens.ts';
import { checkEventInvariants } from '../support/event-invariants.ts';
import { runKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const TASK = 'rename the config loader';
const OLD_OUTPUT = 'OLD-TOOL-OUTPUT-7731';
const SUMMARY = 'Task: rename the loader. Done: listed src/. Next: edit src/config.ts.';
/** A limit the first response's usage passes. */
const TINY_LIMIT = ['-c', 'model_auto_compact_token_limit=1000'];

/** A tool call whose reported usage passes the limit, the summary, and the answer after it. */
function compactingScript() {
  return [
    respond(functionCall('shell', { command: ['bash', '-c', `echo ${OLD_OUTPUT}`] }, 'call_ls'), { usage: { input_tokens: 1100, output_tokens: 40 } }),
    respond(text(SUMMARY), { usage: { input_tokens: 1400, output_tokens: 60 } }),
    respond(text('Renamed.')),
  ];
}

function place(serverUrl: string): { env: Record<string, string>; home: string } {
  const home = mkdtempSync(join(tmpdir(), 'keel-home-'));
  return { home, env: { OPENAI_BASE_URL: serverUrl, OPENAI_API_KEY: 'test-key', KEEL_HOME: home } };
}

describe('keel exec: compaction', () => {
  it('says on stderr that the context was compacted, and keel sessions show marks where', async () => {
    const server = await useScriptedServer(compactingScript());
    const { env } = place(server.url);
    const result = await runKeel(['exec', ...TINY_LIMIT, TASK], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Renamed.\n');

    // What went over the wire: a summary request without tools, then the task and the summary, not the old output.
    const [, summary, next] = await server.waitForRequests(3);
    expect(summary!.body.tools).toBeUndefined();
    expect(userMessageTexts(next!)).toContain(TASK);
    expect(userMessageTexts(next!).some((message) => message.startsWith(SUMMARY_PREFIX))).toBe(true);
    expect(JSON.stringify(next!.body.input)).not.toContain(OLD_OUTPUT);

    // The log has the event with the sizes; stderr says them in the same words, after the command, before the answer.
    const sessionId = /session ([0-9a-f-]{36})/.exec(result.stderr)![1]!;
    const shownJson = await runKeel(['sessions', 'show', sessionId, '--format', 'json'], { env });
    const events = (JSON.parse(shownJson.stdout) as { events: Array<{ event: Event['msg'] }> }).events.map((logged) => logged.event);
    const compacted = events.find((event): event is EventOf<'context_compacted'> => event.type === 'context_compacted')!;
    expect(compacted).toMatchObject({ reason: 'auto', tokens_before: 1400, compactions: 1 });
    const line = `context compacted: 1.4k → ${formatTokens(compacted.tokens_after)} tokens`;
    expect(result.stderr.split('\n')).toContain(line);
    expect(result.stderr.indexOf(OLD_OUTPUT)).toBeLessThan(result.stderr.indexOf(line));

    const shown = await runKeel(['sessions', 'show', sessionId.slice(0, 8)], { env });
    expect(shown.code).toBe(0);
    const marker = `_— ${line} (automatic) —_`;
    expect(shown.stdout).toContain(marker);
    expect(shown.stdout.indexOf(`$ bash -c 'echo ${OLD_OUTPUT}'`)).toBeLessThan(shown.stdout.indexOf(marker));
    expect(shown.stdout.indexOf(marker)).toBeLessThan(shown.stdout.indexOf('Renamed.'));
    // The summary is the model's notes to itself, not something it said to the person.
    expect(shown.stdout).not.toContain(SUMMARY);
  });

  it('--json passes the compaction events through like every other, keeping the invariants', async () => {
    const server = await useScriptedServer(compactingScript());
    const result = await runKeel(['exec', '--json', ...TINY_LIMIT, TASK], { env: place(server.url).env });
    expect(result.code).toBe(0);
    const events = result.stdout
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => JSON.parse(line) as { type?: string })
      // exec's own verdict line (exec_result) is no event.
      .filter((line) => line.type !== 'exec_result')
      .map((line) => Event.parse(line));
    const types = events.map((event) => event.msg.type);
    expect(types.indexOf('compaction_started')).toBeGreaterThan(types.indexOf('exec_command_end'));
    expect(types.indexOf('context_compacted')).toBeGreaterThan(types.indexOf('compaction_started'));
    expect(events.find((event) => event.msg.type === 'context_compacted')!.msg).toMatchObject({ reason: 'auto', tokens_before: 1400, compactions: 1 });
    expect(checkEventInvariants(events)).toEqual([]);
  });
});
