/**
 * The Chat Completions client (`POST {baseUrl}/chat/completions`, streamed), for local and third-party servers
 * that speak only the chat API. Same transport, timeouts and error kinds as the Responses client.
 */
import { requestBase, type ClientOptions } from '../client-options.ts';
import type { ModelClient, ModelEvent, Prompt } from '../model-event.ts';
import { streamModelEvents } from '../stream-model-events.ts';
import { ChatEventMapper } from './map-events.ts';
import { buildChatRequest } from './request.ts';

export class ChatClient implements ModelClient {
  constructor(private readonly options: ClientOptions) {}

  stream(prompt: Prompt, signal: AbortSignal): AsyncIterable<ModelEvent> {
    return streamModelEvents(
      requestBase(this.options, 'chat/completions'),
      () => JSON.stringify(buildChatRequest(prompt)),
      new ChatEventMapper(),
      signal,
    );
  }
}
