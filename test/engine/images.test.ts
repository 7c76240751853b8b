/**
 * Images in a user turn reach the model in each wire API's own shape: `input_image` content parts on Responses,
 * `image_url` parts on Chat Completions; and the `user_message` event names them without repeating their data.
 */
import { afterEach, expect, it } from 'vitest';
import { respond, text } from '../../src/scripted/script-builders.ts';
import { UNKNOWN_MODEL_PROFILE } from '../../src/model/model-profile.ts';
import { AgentHarness } from '../support/agent-harness.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const harnesses: AgentHarness[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.shutdown();
});

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==';
const JPEG = 'data:image/jpeg;base64,/9j/4AAQSkZJRgAB';

function askAboutTwoImages(url: string, wireApi: 'responses' | 'chat'): AgentHarness {
  const harness = new AgentHarness({ baseUrl: url, wireApi });
  harnesses.push(harness);
  harness.submit({
    type: 'user_turn',
    items: [
      { type: 'text', text: 'what differs?' },
      { type: 'image', image_url: PNG, name: 'before.png' },
      { type: 'image', image_url: JPEG, name: 'after.jpg' },
    ],
  });
  return harness;
}

it('sends the images as input_image parts after the text on the Responses API', async () => {
  const server = await useScriptedServer([respond(text('The colour.'))]);
  const harness = askAboutTwoImages(server.url, 'responses');
  expect((await harness.first('task_complete')).last_agent_message).toBe('The colour.');
  const input = server.requests[0]!.body.input as Array<Record<string, unknown>>;
  expect(input.at(-1)).toEqual({
    type: 'message',
    role: 'user',
    content: [
      { type: 'input_text', text: 'what differs?' },
      { type: 'input_image', image_url: PNG },
      { type: 'input_image', image_url: JPEG },
    ],
  });
  expect(await harness.first('user_message')).toEqual({ type: 'user_message', message: 'what differs?', images: ['before.png', 'after.jpg'] });
});

it('sends the images as image_url parts on Chat Completions', async () => {
  const server = await useScriptedServer([respond(text('The colour.'))]);
  const harness = askAboutTwoImages(server.url, 'chat');
  expect((await harness.first('task_complete')).last_agent_message).toBe('The colour.');
  const messages = server.requests[0]!.body.messages as Array<{ role: string; content: unknown }>;
  const last = messages.at(-1)!;
  expect(last.role).toBe('user');
  expect((last.content as unknown[]).slice(-3)).toEqual([
    { type: 'text', text: 'what differs?' },
    { type: 'image_url', image_url: { url: PNG } },
    { type: 'image_url', image_url: { url: JPEG } },
  ]);
  // The environment message before it travels in the same user message (see chat-messages.ts).
  expect(messages.filter((message) => message.role === 'user')).toHaveLength(1);
});

it('refuses a turn with images for a model known to take none, sending and recording nothing, and goes on', async () => {
  const server = await useScriptedServer([respond(text('Fine without it.'))]);
  const harness = new AgentHarness({
    baseUrl: server.url,
    model: 'text-only-model',
    modelProfile: () => ({ ...UNKNOWN_MODEL_PROFILE, acceptsImages: false }),
  });
  harnesses.push(harness);
  harness.submit({ type: 'user_turn', items: [{ type: 'text', text: 'see this' }, { type: 'image', image_url: PNG, name: 'a.png' }] });
  const error = await harness.first('error');
  expect(error.message).toMatch(/^text-only-model does not take images, so this prompt was not sent: /);
  expect(harness.ofType('task_started')).toEqual([]);
  harness.say('describe it in words then');
  expect((await harness.first('task_complete')).last_agent_message).toBe('Fine without it.');
  expect(JSON.stringify(server.requests[0]!.body)).not.toContain('see this');
});
