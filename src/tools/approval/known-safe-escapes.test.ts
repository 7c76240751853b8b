/**
 * Classes of commands that look read-only but are not, each closed as a class: an option's value taken for the end
 * of options, and reads of /proc or of keel's own files (directly, through `cd`, `~`, an option's value, a
 * redirection or a symlink).
 */
import { mkdtempSync, symlinkSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkKnownSafe } from './known-safe.ts';
import { registerPrivateDir } from './private-paths.ts';

const bash = (script: string) => ['bash', '-lc', script];
const verdict = (argv: string[], cwd: string | null = '/work') => checkKnownSafe(argv, cwd);

describe('an option value taken for "--" does not end the options', () => {
  it.each([
    [['rg', '--', '--pre', 'x'], /rg --pre/],
    [['rg', '-e', '--', '--pre=./evil.sh', '.'], /rg --pre/],
    [['rg', '--regexp', '--', '--pre', './evil.sh', '.'], /rg --pre/],
    [['rg', '-g', '--', '--search-zip', 'x'], /search-zip/],
    [['rg', '--glob=x', '--', '-z', 'x'], /search-zip/],
    [['git', 'log', '--grep', '--', '--output=/tmp/x'], /git log --output writes a file/],
    [['git', 'diff', '-G', '--', '--ext-diff'], /--ext-diff/],
    [['git', 'show', '--format', '--', '--textconv'], /--textconv/],
    [['base64', '-w', '--', '-o', 'out', 'in'], /base64 -o writes a file/],
  ])('%j is not known-safe', (argv, reason) => {
    const result = verdict(argv);
    expect(result.type).toBe('not_safe');
    expect(result.type === 'not_safe' && result.reason).toMatch(reason);
  });

  it('still knows the plain forms', () => {
    expect(verdict(['rg', '-e', 'pattern', 'src']).type).toBe('known_safe');
    expect(verdict(['git', 'log', '--grep', 'fix', '-n', '3']).type).toBe('known_safe');
  });
});

describe('/proc and keel home are never known-safe to read', () => {
  const keelHome = mkdtempSync(join(tmpdir(), 'keel-private-'));
  registerPrivateDir(keelHome);

  it.each([
    [['cat', '/proc/self/environ']],
    [['cat', '/proc/1234/environ']],
    [['head', '-c', '4096', '/proc/1/environ']],
    [['grep', '-a', 'KEY', '/proc/self/../1/environ']],
    [bash('grep -a KEY /proc/*/environ')],
    [bash('cd /proc && cat self/environ')],
    [bash('cd / && cat proc/1/environ')],
    [bash('cd /proc; cd 1; cat environ')],
    [bash('cat < /proc/self/environ')],
    [['grep', '--file=/proc/self/environ', 'x']],
    [['grep', '-f/proc/self/environ', 'x']],
    [['tail', '/dev/fd/3']],
    [['cat', '../../../../../../proc/self/environ']],
    [['cat', join(keelHome, 'history.jsonl')]],
    [['ls', keelHome]],
    [['rg', 'sk-', keelHome]],
  ])('%j reads a private place', (argv) => {
    const result = verdict(argv);
    expect(result.type).toBe('not_safe');
    expect(result.type === 'not_safe' && result.reason).toMatch(/process information under \/proc|\/dev\/fd|keel's own files/);
  });

  it('follows "~" to the home directory', () => {
    const underHome = mkdtempSync(join(homedir(), '.keel-private-test-'));
    registerPrivateDir(underHome);
    const name = underHome.slice(homedir().length + 1);
    expect(verdict(bash(`cat ~/${name}/config.toml`)).type).toBe('not_safe');
  });

  it('follows a symlink an earlier command could have made', () => {
    const work = mkdtempSync(join(tmpdir(), 'keel-work-'));
    symlinkSync('/proc/self/environ', join(work, 'innocent.txt'));
    symlinkSync(keelHome, join(work, 'notes'));
    expect(verdict(['cat', 'innocent.txt'], work).type).toBe('not_safe');
    expect(verdict(['cat', 'notes/history.jsonl'], work).type).toBe('not_safe');
  });

  it('is not fooled into refusing ordinary reads', () => {
    expect(verdict(['cat', 'src/proc/reader.ts']).type).toBe('known_safe');
    expect(verdict(bash('cd src && cat ../README.md')).type).toBe('known_safe');
    expect(verdict(['echo', '/proc/self/environ']).type).toBe('known_safe');
  });

  it('does not guess where a relative path leads after a cd it cannot follow', () => {
    const result = verdict(bash('cd - && cat ../x'));
    expect(result.type === 'not_safe' && result.reason).toMatch(/relative path after a directory change/);
  });
});
