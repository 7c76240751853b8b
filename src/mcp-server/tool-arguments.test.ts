import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { checkKeelArgs, checkReplyArgs, effectiveApprovalPolicy } from './tool-arguments.ts';
import { KEEL_INPUT, REPLY_INPUT } from './tool-schemas.ts';

const dirs = new Set(['/srv/app', '/srv/app/web', '/tmp']);
const context = { serverCwd: '/srv/app', isDirectory: (path: string) => dirs.has(path) };

describe('the keel tool\'s arguments', () => {
  it('works in the server\'s directory when no cwd is given, and passes on only the choices made', () => {
    expect(checkKeelArgs({ prompt: 'fix the build' }, context)).toEqual({ type: 'ok', request: { prompt: 'fix the build', cwd: '/srv/app' } });
    expect(checkKeelArgs({ prompt: 'x', cwd: '  ', model: ' ' }, context)).toEqual({ type: 'ok', request: { prompt: 'x', cwd: '/srv/app' } });
  });

  it('takes a relative cwd from the server\'s directory and an absolute one as it is', () => {
    expect(checkKeelArgs({ prompt: 'x', cwd: 'web' }, context)).toMatchObject({ type: 'ok', request: { cwd: '/srv/app/web' } });
    expect(checkKeelArgs({ prompt: 'x', cwd: '/tmp' }, context)).toMatchObject({ type: 'ok', request: { cwd: '/tmp' } });
  });

  it('keeps the model, sandbox and approval policy asked for', () => {
    const checked = checkKeelArgs({ prompt: 'x', model: 'gpt-5', sandbox: 'workspace-write', approval_policy: 'untrusted' }, context);
    expect(checked).toEqual({ type: 'ok', request: { prompt: 'x', cwd: '/srv/app', model: 'gpt-5', sandbox: 'workspace-write', approvalPolicy: 'untrusted' } });
  });

  it('refuses a blank prompt and a cwd that is not a directory, saying which path it looked at', () => {
    expect(checkKeelArgs({ prompt: ' \n ' }, context)).toEqual({ type: 'invalid', message: 'the prompt is empty: say what keel should do' });
    const missing = checkKeelArgs({ prompt: 'x', cwd: 'nope' }, context);
    expect(missing.type === 'invalid' && missing.message).toBe('cwd "nope": /srv/app/nope is not a directory (a relative cwd is taken from /srv/app)');
  });

  it('lets the schema refuse policies and sandboxes that do not exist', () => {
    const schema = z.object(KEEL_INPUT);
    expect(z.safeParse(schema, { prompt: 'x', sandbox: 'full' }).success).toBe(false);
    expect(z.safeParse(schema, { prompt: 'x', approval_policy: 'always' }).success).toBe(false);
    expect(z.safeParse(schema, { cwd: '/tmp' }).success).toBe(false);
    expect(z.safeParse(schema, { prompt: 'x', sandbox: 'read-only', approval_policy: 'on-failure' }).success).toBe(true);
  });
});

describe('the keel-reply tool\'s arguments', () => {
  it('trims the session id and keeps the prompt as given', () => {
    expect(checkReplyArgs({ session_id: ' 4f1c ', prompt: ' go on ' })).toEqual({ type: 'ok', request: { sessionId: '4f1c', prompt: ' go on ' } });
  });

  it('refuses a blank session id or prompt', () => {
    expect(checkReplyArgs({ session_id: ' ', prompt: 'x' })).toMatchObject({ type: 'invalid', message: expect.stringContaining('session_id is empty') });
    expect(checkReplyArgs({ session_id: 'abc', prompt: '' })).toMatchObject({ type: 'invalid', message: expect.stringContaining('the prompt is empty') });
    expect(z.safeParse(z.object(REPLY_INPUT), { prompt: 'x' }).success).toBe(false);
  });
});

describe('effectiveApprovalPolicy', () => {
  it('keeps the configured policy for a client that answers questions, and forces never otherwise', () => {
    expect(effectiveApprovalPolicy(true, 'untrusted')).toBe('untrusted');
    expect(effectiveApprovalPolicy(false, 'untrusted')).toBe('never');
    expect(effectiveApprovalPolicy(false, 'on-request')).toBe('never');
  });
});
