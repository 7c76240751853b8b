import { describe, expect, it } from 'vitest';
import { ChatClient } from './chat/client.ts';
import { createModelClient } from './create-model-client.ts';
import { ResponsesClient } from './responses/client.ts';

describe('createModelClient', () => {
  it('picks the adapter for the wire API', () => {
    expect(createModelClient({ wireApi: 'responses', baseUrl: 'http://h' })).toBeInstanceOf(ResponsesClient);
    expect(createModelClient({ wireApi: 'chat', baseUrl: 'http://h' })).toBeInstanceOf(ChatClient);
  });
});
