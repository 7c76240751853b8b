import { describe, expect, it } from 'vitest';
import { detectSandboxDenial, isLikelySandboxDenial } from './sandbox-denial.ts';

const sandboxed = { sandboxed: true, networkDisabled: false };

describe('detectSandboxDenial', () => {
  it('recognises what blocked writes and bubblewrap print, quoting the line', () => {
    expect(detectSandboxDenial(1, "ok\ntouch: cannot touch '/etc/x': Read-only file system\n", sandboxed)).toEqual({
      type: 'likely_denial',
      evidence: "touch: cannot touch '/etc/x': Read-only file system",
    });
    for (const output of ['Permission denied', 'Operation not permitted', 'bwrap: Can\'t mkdir /x', 'seccomp', 'failed to write file']) {
      expect(isLikelySandboxDenial(1, output), output).toBe(true);
    }
  });

  it('counts network failures only when the sandbox cut the network', () => {
    const output = 'npm error getaddrinfo EAI_AGAIN registry.npmjs.org';
    expect(isLikelySandboxDenial(1, output, sandboxed)).toBe(false);
    expect(isLikelySandboxDenial(1, output, { sandboxed: true, networkDisabled: true })).toBe(true);
  });

  it('is never a denial without a sandbox, on success, or for a plain failure', () => {
    expect(isLikelySandboxDenial(1, 'Permission denied', { sandboxed: false, networkDisabled: true })).toBe(false);
    expect(isLikelySandboxDenial(0, 'Permission denied')).toBe(false);
    expect(isLikelySandboxDenial(127, 'command not found')).toBe(false);
    expect(isLikelySandboxDenial(2, 'usage: x')).toBe(false);
    expect(isLikelySandboxDenial(1, 'test failed')).toBe(false);
    expect(isLikelySandboxDenial(159, '')).toBe(true);
  });
});
