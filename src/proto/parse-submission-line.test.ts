import { describe, expect, it } from 'vitest';
import { parseSubmissionLine, PROTO_ID } from './parse-submission-line.ts';

describe('parseSubmissionLine', () => {
  it('accepts a submission as the protocol defines it, dropping unknown top-level keys', () => {
    const line = JSON.stringify({ id: 'a1', op: { type: 'user_turn', items: [{ type: 'text', text: 'hi' }] }, note: 'x' });
    expect(parseSubmissionLine(line, 1)).toEqual({
      type: 'submission',
      submission: { id: 'a1', op: { type: 'user_turn', items: [{ type: 'text', text: 'hi' }] } },
    });
  });

  it('skips blank lines', () => {
    expect(parseSubmissionLine('', 1)).toEqual({ type: 'blank' });
    expect(parseSubmissionLine('  \t', 2)).toEqual({ type: 'blank' });
  });

  it('names the line and says it is not JSON', () => {
    const verdict = parseSubmissionLine('{"id": "1", op', 7);
    expect(verdict).toMatchObject({ type: 'malformed', id: PROTO_ID });
    expect(verdict.type === 'malformed' && verdict.message).toMatch(/^line 7: not JSON \(/);
  });

  it('answers an unknown op under the line\'s own id, listing the op types there are', () => {
    const verdict = parseSubmissionLine('{"id":"x9","op":{"type":"frobnicate"}}', 3);
    expect(verdict).toMatchObject({ type: 'malformed', id: 'x9' });
    const message = verdict.type === 'malformed' ? verdict.message : '';
    expect(message).toMatch(/^line 3: not a submission/);
    expect(message).toContain('op.type:');
    expect(message).toContain("'user_turn'");
    expect(message).toContain('(got "frobnicate")');
  });

  it('says which field is missing or wrong, under "proto" when the id is not a readable string', () => {
    expect(parseSubmissionLine('{"op":{"type":"interrupt"}}', 4)).toMatchObject({ type: 'malformed', id: PROTO_ID, message: expect.stringMatching(/^line 4: .*id: /) });
    expect(parseSubmissionLine('{"id":5,"op":{"type":"interrupt"}}', 5)).toMatchObject({ id: PROTO_ID, message: expect.stringContaining('expected string, received number') });
    expect(parseSubmissionLine('[1,2]', 6)).toMatchObject({ id: PROTO_ID, message: expect.stringContaining('line 6:') });
    const badDecision = parseSubmissionLine('{"id":"d","op":{"type":"exec_approval","id":"call_1","decision":"yes"}}', 8);
    expect(badDecision).toMatchObject({ id: 'd', message: expect.stringContaining('op.decision:') });
  });
});
