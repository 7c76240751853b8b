import { describe, expect, it } from 'vitest';
import { parseScriptJson, ScriptError, validateScript } from './parse-script-json.ts';
import { functionCall, httpError, respond, text } from './script-builders.ts';

describe('parseScriptJson', () => {
  it('reads a bare array or {steps}, encoding JSON-valued arguments as the wire string', () => {
    const steps = parseScriptJson(
      JSON.stringify({
        steps: [
          { type: 'response', outputs: [{ type: 'function_call', name: 'shell', arguments: { command: ['ls'] }, call_id: 'c1' }] },
          { type: 'http_error', status: 429, headers: { 'retry-after': '1' } },
          { type: 'failed', code: 'server_error', message: 'boom', faults: { delayMs: 5 } },
        ],
      }),
    );
    expect(steps).toEqual([
      respond(functionCall('shell', { command: ['ls'] }, 'c1')),
      httpError(429, { headers: { 'retry-after': '1' } }),
      { type: 'failed', code: 'server_error', message: 'boom', faults: { delayMs: 5 } },
    ]);
    expect(parseScriptJson('[{"type":"response","outputs":[{"type":"text","text":"hi"}]}]')).toEqual([respond(text('hi'))]);
  });

  it('keeps string arguments verbatim, malformed JSON included', () => {
    const [step] = parseScriptJson(
      '[{"type":"response","outputs":[{"type":"function_call","name":"shell","arguments":"{\\"command\\": ["}]}]',
    );
    expect(step).toEqual(respond(functionCall('shell', '{"command": [')));
  });

  it('names the step index and field of every problem', () => {
    const text = JSON.stringify([
      { type: 'response', outputs: [] },
      { type: 'response', outputs: [{ type: 'txt', text: 'x' }] },
      { type: 'http_error', status: 200 },
      { type: 'failed', code: 'x', message: 'y', faults: { dropAfterEvents: 1, stallAfterEvents: 2 } },
      { type: 'response', outputs: [], expect: 'nope' },
    ]);
    let error: unknown;
    try {
      parseScriptJson(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScriptError);
    const problems = (error as ScriptError).problems;
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^step 1 at outputs\.0\.type: /);
    expect(problems[1]).toMatch(/^step 2 at status: /);
    expect(problems[2]).toMatch(/^step 3 at faults: dropAfterEvents and stallAfterEvents exclude each other/);
    expect(problems[3]).toMatch(/^step 4: .*expect/);
  });

  it('reports text that is not JSON or not a list of steps', () => {
    expect(() => parseScriptJson('{')).toThrow(/not JSON/);
    expect(() => parseScriptJson('{"steps": 3}')).toThrow(/expected an array of steps/);
  });
});

describe('validateScript', () => {
  it('accepts steps with expect hooks and rejects bad data, naming the step', () => {
    expect(() => validateScript([respond(text('hi'), { expect: () => undefined })])).not.toThrow();
    expect(() => validateScript([respond(text('hi')), respond(text('x'), { faults: { delayMs: -1 } })])).toThrow(
      /step 1 at faults\.delayMs/,
    );
  });
});
