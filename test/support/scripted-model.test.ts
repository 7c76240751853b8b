import { describe, expect, it } from 'vitest';
import { functionCall, httpError, respond, startScriptedServer, text } from '../../src/scripted/index.ts';
import { strictnessProblems, useScriptedServer } from './scripted-model.ts';
import { postJson, readSse } from './sse-read.ts';

const body = { model: 'm', input: 'hi', stream: true, store: false };

describe('useScriptedServer', () => {
  it('passes a test that consumed its script without violations', async () => {
    const server = await useScriptedServer([respond(text('hi'))]);
    await readSse(await postJson(`${server.url}/responses`, body));
    expect(server.requests).toHaveLength(1);
  });

  it.fails('fails a test whose request the API would refuse', async () => {
    const server = await useScriptedServer([]);
    const input = [{ type: 'function_call', name: 'shell', arguments: '{}', call_id: 'c' }];
    await postJson(`${server.url}/responses`, { ...body, input }).then((response) => response.text());
  });

  it.fails('fails a test that left script steps unconsumed', async () => {
    await useScriptedServer([respond(text('never requested'))]);
  });

  it('lets a test opt out of strictness', async () => {
    const server = await useScriptedServer([respond(text('left over'))], { allowViolations: true, allowUnconsumedSteps: true });
    await (await postJson(`${server.url}/nowhere`, body)).text();
    expect(server.violations).toHaveLength(1);
  });
});

describe('strictnessProblems', () => {
  it('lists violations and unconsumed steps', async () => {
    const server = await startScriptedServer({ script: [httpError(500), respond(functionCall('shell', {}))] });
    try {
      await (await postJson(`${server.url}/responses`, body)).text();
      await (await postJson(`${server.url}/responses`, { ...body, model: undefined })).text();
      expect(strictnessProblems(server)).toEqual([
        expect.stringContaining("Missing required parameter: 'model'."),
        '1 script step(s) were never requested',
      ]);
      expect(strictnessProblems(server, { allowViolations: true, allowUnconsumedSteps: true })).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
