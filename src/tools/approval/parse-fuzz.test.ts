/** Whatever the model sends, the parser and the decision answer with a verdict: they never throw or hang. */
import { describe, expect, it } from 'vitest';
import { assessCommand } from './assess-command.ts';
import { MAX_COMMANDS, MAX_DEPTH, MAX_SOURCE_LENGTH, parseShell } from './parse-shell.ts';

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
    expect(parseShell('( '.repeat(50_000))).toEqual({ type: 'unparsable', reason: 'the script nests too deeply' });
    expect(parseShell('{ '.repeat(50_000))).toEqual({ type: 'unparsable', reason: 'the script nests too deeply' });
    expect(parseShell(`${'( '.repeat(10)}ls${' )'.repeat(10)}`).type).toBe('parsed');
    expect(parseShell('$('.repeat(50_000)).type).toBe('unparsable');
    expect(parseShell('`'.repeat(10_001)).type).toBe('unparsable');
    expect(parseShell(`${'ls -la | '.repeat(9_000)}wc`).type).toBe('parsed');
  });

  it('refuses a script of more commands than the limit, counting those in substitutions and backquotes', () => {
    expect(parseShell('a;'.repeat(MAX_COMMANDS))).toMatchObject({ type: 'parsed' });
    expect(parseShell('a;'.repeat(MAX_COMMANDS + 1))).toEqual({ type: 'unparsable', reason: `the script has more than ${MAX_COMMANDS} commands` });
    expect(parseShell(`echo ${'$(a) `b` '.repeat(MAX_COMMANDS / 2)}`).type).toBe('unparsable');
  });

  it('refuses a script longer than the limit, and reads one just under it', () => {
    expect(parseShell(`ls ${'a'.repeat(MAX_SOURCE_LENGTH)}`)).toEqual({ type: 'unparsable', reason: 'the script is longer than 128 KiB' });
    expect(parseShell(`ls ${'a '.repeat((MAX_SOURCE_LENGTH - 3) / 2)}`).type).toBe('parsed');
  });

  it('counts every kind of nesting against the depth limit', () => {
    const nest = (open: string, close: string, levels: number) => `${open.repeat(levels)}ls${close.repeat(levels)}`;
    for (const [open, close] of [['echo $(', ')'], ['( ', ' )'], ['{ ', '; }'], ['echo "$(', ')"'], ['cat <(', ')']]) {
      expect(parseShell(nest(open!, close!, MAX_DEPTH)).type, open).toBe('parsed');
      expect(parseShell(nest(open!, close!, MAX_DEPTH + 1)), open).toEqual({ type: 'unparsable', reason: 'the script nests too deeply' });
    }
  });
});
