/**
 * The OpenAI Responses API client (`POST {baseUrl}/responses`, streamed).
 */
import { requestBase, type ClientOptions } from '../client-options.ts';
import type { ModelClient, ModelEvent, Prompt } from '../model-event.ts';
import { streamModelEvents } from '../stream-model-events.ts';
import { ResponsesEventMapper } from './map-events.ts';
import { buildResponsesRequest } from './request.ts';

export class ResponsesClient implements ModelClient {
  constructor(private readonly options: ClientOptions) {}

  stream(prompt: Prompt, signal: AbortSignal): AsyncIterable<ModelEvent> {
    return streamModelEvents(
      requestBase(this.options, 'responses'),
      () => JSON.stringify(buildResponsesRequest(prompt)),
      new ResponsesEventMapper(),
      signal,
    );
  }
}
