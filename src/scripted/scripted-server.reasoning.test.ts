/** The scripted server hands out encrypted reasoning and holds clients to the API's rules for sending it back. */
import { onTestFinished, describe, expect, it } from 'vitest';
import { jsonPayloads, postJson, readJson, readSse } from '../../test/support/sse-read.ts';
import { reasoning, respond, text } from './script-builders.ts';
import type { ScriptStep } from './script.ts';
import { startScriptedServer, type ScriptedServer } from './scripted-server.ts';

async function start(script: ScriptStep[]): Promise<ScriptedServer> {
  const server = await startScriptedServer({ script });
  onTestFinished(() => server.close());
  return server;
}

const user = { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] };

async function post(server: ScriptedServer, input: unknown[], extra: Record<string, unknown> = {}) {
  const response = await postJson(`${server.url}/responses`, { model: 'm', input, stream: true, store: false, ...extra });
  if (response.status !== 200) return { status: response.status, body: await readJson(response), events: [] };
  return { status: 200, body: undefined, events: jsonPayloads((await readSse(response)).messages) };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON */
function reasoningItemOf(events: any[]): any {
  return events.find((event) => event.type === 'response.output_item.done' && event.item.type === 'reasoning').item;
}

describe('reasoning on the scripted Responses server', () => {
  it('hands out encrypted reasoning only when `include` asks for it, and takes it back as received', async () => {
    const server = await start([respond(reasoning('plan')), respond(reasoning('plan'), text('ok')), respond(text('again'))]);
    const plain = reasoningItemOf((await post(server, [user])).events);
    expect(plain).toEqual({ id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'plan' }] });

    const asked = await post(server, [user], { include: ['reasoning.encrypted_content'] });
    const item = reasoningItemOf(asked.events);
    expect(item.encrypted_content).toBe('scripted-encrypted:rs_2');
    expect((await post(server, [user, item, user])).status).toBe(200);
    // Without its id, as Codex sends it, the encrypted content still carries it.
    const { id: _id, ...withoutId } = item;
    const server2 = await start([respond(text('fine'))]);
    expect((await post(server2, [user, withoutId, user])).status).toBe(200);
  });

  it('answers 404 for a reasoning item sent by id alone while nothing is stored', async () => {
    const server = await start([]);
    const refused = await post(server, [user, { type: 'reasoning', id: 'rs_9', summary: [], encrypted_content: null }]);
    expect(refused.status).toBe(404);
    expect(refused.body.error.message).toBe(
      "Item with id 'rs_9' not found. Items are not persisted when `store` is set to false. Try again with `store` set to true, or remove this item from your input.",
    );
    expect(server.violations).toEqual([expect.stringContaining('rejected 404')]);
  });

  it('refuses altered encrypted content, raw reasoning text, and a reasoning item with neither id nor encrypted content', async () => {
    const server = await start([]);
    const altered = await post(server, [user, { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'scripted-encrypted:rs_2' }]);
    expect(altered.body.error).toMatchObject({ message: 'The encrypted content for item rs_1 could not be verified.', param: 'input[1].encrypted_content' });
    const raw = await post(server, [user, { type: 'reasoning', id: 'rs_1', summary: [], content: [{ type: 'reasoning_text', text: 't' }], encrypted_content: 'scripted-encrypted:rs_1' }]);
    expect(raw.body.error.param).toBe('input[1].content');
    const bare = await post(server, [user, { type: 'reasoning', summary: [] }], { store: true });
    expect(bare.body.error.message).toBe("Missing required parameter: 'input[1].id'.");
  });

  it('takes a reasoning item by id when responses are stored', async () => {
    const server = await start([respond(text('ok'))]);
    expect((await post(server, [user, { type: 'reasoning', id: 'rs_1', summary: [] }], { store: true })).status).toBe(200);
  });

  it('takes only the documented reasoning and verbosity values', async () => {
    const server = await start([respond(text('ok'))]);
    const effort = await post(server, [user], { reasoning: { effort: 'extreme' } });
    expect(effort.body.error).toMatchObject({ param: 'reasoning.effort', code: 'invalid_value' });
    const summary = await post(server, [user], { reasoning: { summary: 'long' } });
    expect(summary.body.error.param).toBe('reasoning.summary');
    const verbosity = await post(server, [user], { text: { verbosity: 'loud' } });
    expect(verbosity.body.error.param).toBe('text.verbosity');
    expect((await post(server, [user], { reasoning: { effort: 'xhigh', summary: 'auto' }, text: { verbosity: 'low' } })).status).toBe(200);
  });
});
