import { describe, expect, it } from 'vitest';
import type { SandboxLayout } from './sandbox-layout.ts';
import { seatbeltPolicy } from './seatbelt-profile.ts';

const layout: SandboxLayout = {
  cwd: '/Users/me/p',
  writableRoots: ['/Users/me/p', '/private/tmp'],
  readOnlySubpaths: ['/Users/me/p/.git', '/Users/me/p/.keel'],
  networkAccess: false,
  platform: 'darwin',
};

describe('seatbeltPolicy', () => {
  it('denies by default, reads everywhere, writes only in the roots minus their read-only paths', () => {
    const { profile, params } = seatbeltPolicy(layout, true);
    expect(profile.startsWith('(version 1)\n')).toBe(true);
    expect(profile).toContain('(deny default)');
    expect(profile).toContain('(allow file-read*)');
    expect(profile).toContain(
      '(allow file-write*\n' +
        '  (require-all (subpath (param "WRITABLE_ROOT_0")) (require-not (subpath (param "READ_ONLY_0_0")))' +
        ' (require-not (subpath (param "READ_ONLY_0_1"))))\n' +
        '  (subpath (param "WRITABLE_ROOT_1")))',
    );
    expect(params).toEqual([
      ['WRITABLE_ROOT_0', '/Users/me/p'],
      ['READ_ONLY_0_0', '/Users/me/p/.git'],
      ['READ_ONLY_0_1', '/Users/me/p/.keel'],
      ['WRITABLE_ROOT_1', '/private/tmp'],
    ]);
  });

  it('never puts a path into the profile text', () => {
    const { profile } = seatbeltPolicy({ ...layout, writableRoots: ['/x") (allow default) ("'] }, true);
    expect(profile).not.toContain('/x');
    expect(profile).not.toContain('(allow default)');
  });

  it('allows the network only when asked, and then IP only', () => {
    expect(seatbeltPolicy(layout, true).profile).not.toMatch(/\(allow network/);
    const open = seatbeltPolicy({ ...layout, networkAccess: true }, true).profile;
    expect(open).toContain('(allow network-outbound (remote ip))');
    expect(open).not.toContain('unix-socket');
  });

  it('allows no file writes beyond the null and tty devices under read-only', () => {
    const { profile, params } = seatbeltPolicy(layout, false);
    expect(params).toEqual([]);
    expect(profile).not.toContain('file-write*');
    expect(profile).toContain('(allow file-write-data (literal "/dev/null")');
  });
});
