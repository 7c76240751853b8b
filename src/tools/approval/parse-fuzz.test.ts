/** Whatever the model sends, the parser and the decision answer with a verdict: they never throw or hang. */
import { describe, expect, it } from 'vitest';
import { assessCommand } from './assess-command.ts';
import { parseShell } from './parse-shell.ts';

const ALPHABET = ['a', 'ls', ' ', '\n', '\t', "'", '"', '\\', '$', '(', ')', '{', '}', '`', '|', '&', ';', '<', '>', '#', '*', '?', '[', ']', '~', '=', '-', '!', '<<', 'EOF', '$(', '${', '$((', "$'", '<(', '2>&1', 'rm', 'bash -c '];

/** A small seeded generator, so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

describe('parser robustness', () => {
  it('answers parsed or unparsable for 3,000 random scripts, and the decision never throws', () => {
    const next = random(20_251_125);
    for (let i = 0; i < 3_000; i += 1) {
      const length = 1 + Math.floor(next() * 30);
      const script = Array.from({ length }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('');
      const outcome = parseShell(script);
      expect(['parsed', 'unparsable'], script).toContain(outcome.type);
      const decision = assessCommand({ argv: ['bash', '-lc', script], cwd: '/w', approvalPolicy: 'untrusted', sandboxPolicy: { type: 'read-only' }, sandboxAvailable: true, sessionApproved: new Set() });
      expect(['auto_approve', 'ask', 'reject'], script).toContain(decision.type);
    }
  });

  it('handles long and deeply nested input without blowing the stack', () => {
    expect(parseShell('('.repeat(100_000)).type).toBe('unparsable');
    expect(parseShell('( '.repeat(100_000))).toEqual({ type: 'unparsable', reason: 'the script nests too deeply' });
    expect(parseShell('{ '.repeat(100_000))).toEqual({ type: 'unparsable', reason: 'the script nests too deeply' });
    expect(parseShell(`${'( '.repeat(10)}ls${' )'.repeat(10)}`).type).toBe('parsed');
    expect(parseShell('$('.repeat(100_000)).type).toBe('unparsable');
    expect(parseShell('`'.repeat(10_001)).type).toBe('unparsable');
    expect(parseShell(`${'ls -la | '.repeat(20_000)}wc`).type).toBe('parsed');
  });
});
