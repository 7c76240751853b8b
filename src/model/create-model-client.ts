/**
 * The one place that picks a wire adapter; the rest of keel holds a `ModelClient` and never names a vendor API.
 */
import { ChatClient } from './chat/client.ts';
import type { ClientOptions } from './client-options.ts';
import type { ModelClient } from './model-event.ts';
import { ResponsesClient } from './responses/client.ts';

export type WireApi = 'responses' | 'chat';

export interface ModelClientConfig extends ClientOptions {
  wireApi: WireApi;
}

export function createModelClient(opts: ModelClientConfig): ModelClient {
  const { wireApi, ...options } = opts;
  switch (wireApi) {
    case 'responses':
      return new ResponsesClient(options);
    case 'chat':
      return new ChatClient(options);
  }
}
