import { describe, expect, it } from 'vitest';
import { parseShellArgs } from './shell-args.ts';

const parse = (value: unknown) => parseShellArgs(typeof value === 'string' ? value : JSON.stringify(value));

describe('parseShellArgs', () => {
  it('accepts command, workdir and timeout_ms', () => {
    expect(parse({ command: ['ls', '-l'], workdir: 'src', timeout_ms: 500 })).toEqual({
      ok: true,
      args: { command: ['ls', '-l'], workdir: 'src', timeoutMs: 500 },
    });
  });

  it('accepts `timeout` as an alias, `timeout_ms` winning when both are given', () => {
    expect(parse({ command: ['ls'], timeout: 700 })).toEqual({ ok: true, args: { command: ['ls'], timeoutMs: 700 } });
    expect(parse({ command: ['ls'], timeout: 700, timeout_ms: 800 })).toMatchObject({ args: { timeoutMs: 800 } });
  });

  it('treats null optional fields as absent and ignores fields it does not know', () => {
    expect(parse({ command: ['ls'], workdir: null, timeout_ms: null, justification: 'x' })).toEqual({
      ok: true,
      args: { command: ['ls'] },
    });
  });

  it('explains what is wrong', () => {
    expect(parse('{"command": ')).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid JSON: /) });
    expect(parse(['ls'])).toEqual({ ok: false, error: 'arguments must be a JSON object' });
    expect(parse({})).toEqual({ ok: false, error: 'command must be a non-empty array of strings' });
    expect(parse({ command: 'ls -l' })).toEqual({ ok: false, error: 'command must be a non-empty array of strings' });
    expect(parse({ command: [] })).toEqual({ ok: false, error: 'command must be a non-empty array of strings' });
    expect(parse({ command: ['ls', 3] })).toEqual({ ok: false, error: 'command must be a non-empty array of strings' });
    expect(parse({ command: [''] })).toEqual({ ok: false, error: 'command[0] must name the program to run' });
    expect(parse({ command: ['ls'], workdir: 3 })).toEqual({ ok: false, error: 'workdir must be a string' });
    expect(parse({ command: ['ls'], timeout_ms: '5' })).toEqual({
      ok: false,
      error: 'timeout_ms must be a positive number of milliseconds',
    });
    expect(parse({ command: ['ls'], timeout: -1 })).toEqual({
      ok: false,
      error: 'timeout must be a positive number of milliseconds',
    });
  });
});
