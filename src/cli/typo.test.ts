import { describe, expect, it } from 'vitest';
import { likelyCommand } from './typo.ts';

describe('likelyCommand', () => {
  it('names the command a near miss meant', () => {
    expect(likelyCommand('sesions')).toBe('sessions');
    expect(likelyCommand('resmue')).toBe('resume');
    expect(likelyCommand('doctr')).toBe('doctor');
    expect(likelyCommand('exce')).toBe('exec');
    expect(likelyCommand('mcp-servr')).toBe('mcp-server');
    expect(likelyCommand('prot')).toBe('proto');
  });

  it('leaves real prompts alone: commands themselves, short words, far words, several words', () => {
    expect(likelyCommand('sessions')).toBeNull();
    expect(likelyCommand('fix')).toBeNull();
    expect(likelyCommand('refactor')).toBeNull();
    expect(likelyCommand('deploy')).toBeNull();
    expect(likelyCommand('fix the tests')).toBeNull();
  });
});
