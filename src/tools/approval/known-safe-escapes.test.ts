/**
 * Classes of commands that look read-only but are not, each closed as a class: an option's value taken for the end
 * of options, and reads of /proc or of keel's own files (directly, through `cd`, `~`, an option's value, a
 * redirection or a symlink).
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

describe('git reads only a repository whose configuration runs no program', () => {
  function repo(config = '', files: Record<string, string> = {}): string {
    const root = mkdtempSync(join(tmpdir(), 'keel-repo-'));
    mkdirSync(join(root, '.git', 'objects'), { recursive: true });
    mkdirSync(join(root, '.git', 'refs'), { recursive: true });
    writeFileSync(join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(root, '.git', 'config'), `[core]\n\trepositoryformatversion = 0\n${config}`);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  }

  it('passes a plain repository', () => {
    expect(verdict(['git', 'status'], repo()).type).toBe('known_safe');
    expect(verdict(['git', 'log', '-n', '1'], repo('\tfsmonitor = false\n')).type).toBe('known_safe');
  });

  it.each([
    ['\tfsmonitor = ./watch.sh\n', /core\.fsmonitor/],
    ['\tpager = ./less.sh\n', /core\.pager/],
    ['[pager]\n\tlog = ./p.sh\n', /pager\.log/],
    ['[diff "bin"]\n\ttextconv = ./conv.sh\n', /diff\.textconv/],
    ['[diff]\n\texternal = ./d.sh\n', /diff\.external/],
    ['[filter "lfs"]\n\tclean = ./c.sh\n', /filter\.clean/],
    ['[include]\n\tpath = /tmp/other.config\n', /include\.path/],
    ['[includeIf "gitdir:/"]\n\tpath = x\n', /includeif\.path/],
    ['[core]\n\thooksPath = ./hooks\n', /core\.hookspath/],
    ['[gpg]\n\tprogram = ./g.sh\n', /gpg\.program/],
    ['[core] fsmonitor = ./w.sh\n', /core\.fsmonitor/],
  ])('refuses a repository whose config has %j', (config, key) => {
    const result = verdict(['git', 'status'], repo(config));
    expect(result.type).toBe('not_safe');
    expect(result.type === 'not_safe' && result.reason).toMatch(key);
  });

  it('refuses a repository with a hook a status can run', () => {
    const root = repo('', { '.git/hooks/post-index-change': '#!/bin/sh\n' });
    expect(verdict(['git', 'status'], root)).toMatchObject({ type: 'not_safe', reason: /post-index-change hook/ });
  });

  it('checks the repository git would really use: nested, bare, a worktree pointer, after cd', () => {
    const outer = repo();
    const nested = join(outer, 'vendor', 'lib');
    mkdirSync(join(nested, '.git', 'objects'), { recursive: true });
    mkdirSync(join(nested, '.git', 'refs'), { recursive: true });
    writeFileSync(join(nested, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(nested, '.git', 'config'), '[core]\n\tfsmonitor = ./evil\n');
    expect(verdict(['git', 'status'], nested).type).toBe('not_safe');
    expect(verdict(bash('cd vendor/lib && git status'), outer).type).toBe('not_safe');
    expect(verdict(['git', 'status'], outer).type).toBe('known_safe');

    // A bare repository checked in as plain files.
    const bare = join(outer, 'fixtures', 'evil.git');
    mkdirSync(join(bare, 'objects'), { recursive: true });
    mkdirSync(join(bare, 'refs'), { recursive: true });
    writeFileSync(join(bare, 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(bare, 'config'), '[core]\n\tpager = ./evil\n');
    expect(verdict(bash('cd fixtures/evil.git && git log'), outer).type).toBe('not_safe');

    // A .git file pointing somewhere else.
    const elsewhere = repo('[diff]\n\texternal = ./x\n');
    const pointer = mkdtempSync(join(tmpdir(), 'keel-wt-'));
    writeFileSync(join(pointer, '.git'), `gitdir: ${join(elsewhere, '.git')}\n`);
    expect(verdict(['git', 'diff'], pointer).type).toBe('not_safe');
  });

  it("refuses a repository other than the workspace's own when the workspace is known", () => {
    const workspace = repo();
    const other = repo();
    expect(checkKnownSafe(['git', 'status'], workspace, workspace).type).toBe('known_safe');
    expect(checkKnownSafe(['git', 'status'], other, workspace)).toMatchObject({ type: 'not_safe', reason: /not the workspace's own/ });
  });

  it('refuses git after a cd it cannot follow', () => {
    expect(verdict(bash('cd - && git status')).type).toBe('not_safe');
  });
});
