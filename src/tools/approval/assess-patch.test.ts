import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AskForApproval, SandboxPolicy } from '../../protocol/index.ts';
import { assessPatch, checkWritable, patchPaths, type PatchAssessmentInput } from './assess-patch.ts';
import { nodePathProbe } from '../../sandbox/node-path-probe.ts';
import { resolvePath } from '../../sandbox/resolve-path.ts';
import { writableRoots, type WritablePaths } from '../../sandbox/writable-roots.ts';

const WORKSPACE: SandboxPolicy = { type: 'workspace-write', writable_roots: [], network_access: false };
// The temp directory is under /tmp here; leave /tmp out so "outside" really is outside.
const NO_TMP = { excludeSlashTmp: true, excludeTmpdirEnvVar: true };

let base: string;
let ws: string;
let outside: string;
let writable: WritablePaths;

beforeAll(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'keel-patch-')));
  ws = join(base, 'ws');
  outside = join(base, 'outside');
  for (const dir of [join(ws, '.git'), join(ws, 'src'), join(ws, '.keel'), join(ws, 'keel-home'), join(outside, 'd'), join(base, 'gitdirs', 'wt'), join(base, 'wt')]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(join(ws, 'src', 'a.ts'), 'x');
  symlinkSync(outside, join(ws, 'link-out'));
  symlinkSync(join(outside, 'd'), join(ws, 'sub-link'));
  symlinkSync(join(outside, 'created-by-write'), join(ws, 'dangling'));
  symlinkSync('..', join(ws, 'up'));
  symlinkSync(join(ws, 'src'), join(ws, 'inner-link'));
  symlinkSync('/', join(ws, 'root-link'));
  symlinkSync('loop-b', join(ws, 'loop-a'));
  symlinkSync('loop-a', join(ws, 'loop-b'));
  writeFileSync(join(base, 'wt', '.git'), 'gitdir: ../gitdirs/wt\n');
  writable = writableRoots(WORKSPACE, ws, { KEEL_HOME: join(ws, 'keel-home') }, nodePathProbe, NO_TMP);
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

function assess(paths: string[], overrides: Partial<PatchAssessmentInput> = {}) {
  return assessPatch({ paths, writable, approvalPolicy: 'on-request', sandboxPolicy: WORKSPACE, sessionApprovedPaths: new Set(), probe: nodePathProbe, ...overrides });
}

describe('writableRoots', () => {
  it('is the cwd plus configured roots, with .git, .keel and $KEEL_HOME read-only inside', () => {
    expect(writable).toEqual({ roots: [ws], readOnlySubpaths: [join(ws, '.git'), join(ws, '.keel'), join(ws, 'keel-home')] });
  });

  it('adds /tmp and $TMPDIR unless excluded, resolves links, and drops roots that do not exist', () => {
    const policy: SandboxPolicy = { type: 'workspace-write', writable_roots: ['link-out', '/does/not/exist'], network_access: false };
    const roots = writableRoots(policy, ws, { TMPDIR: join(ws, 'src') }, nodePathProbe);
    expect(roots.roots).toEqual([ws, outside, realpathSync('/tmp'), join(ws, 'src')]);
    expect(writableRoots(policy, ws, { TMPDIR: join(ws, 'src') }, nodePathProbe, NO_TMP).roots).toEqual([ws, outside]);
  });

  it('protects a gitdir file and the directory it points to', () => {
    const policy: SandboxPolicy = { type: 'workspace-write', writable_roots: [base], network_access: false };
    const roots = writableRoots(policy, join(base, 'wt'), {}, nodePathProbe, NO_TMP);
    expect(roots.readOnlySubpaths).toEqual([join(base, 'wt', '.git'), join(base, 'gitdirs', 'wt')]);
  });

  it('has no roots under read-only and danger-full-access', () => {
    expect(writableRoots({ type: 'read-only' }, ws, {}, nodePathProbe)).toEqual({ roots: [], readOnlySubpaths: [] });
    expect(writableRoots({ type: 'danger-full-access' }, ws, {}, nodePathProbe)).toEqual({ roots: [], readOnlySubpaths: [] });
  });
});

describe('resolvePath', () => {
  it('follows links where they occur, then applies ..', () => {
    // Built by hand: path.join would apply the .. lexically, which is the mistake being tested for.
    expect(resolvePath(`${ws}/sub-link/../x`, nodePathProbe)).toEqual({ type: 'resolved', path: join(outside, 'x') });
    expect(resolvePath(join(ws, 'up', 'outside', 'x'), nodePathProbe)).toEqual({ type: 'resolved', path: join(outside, 'x') });
    expect(resolvePath(`${ws}/new/dir/../f`, nodePathProbe)).toEqual({ type: 'resolved', path: join(ws, 'new', 'f') });
    expect(resolvePath(join(ws, 'loop-a', 'x'), nodePathProbe)).toMatchObject({ type: 'unresolvable', reason: expect.stringMatching(/too many symbolic links/) });
  });
});

describe('assessPatch', () => {
  it('applies writes inside the writable roots, new directories included', () => {
    expect(assess([join(ws, 'src', 'a.ts'), join(ws, 'new', 'dir', 'b.ts'), join(ws, 'inner-link', 'c.ts')])).toEqual({
      type: 'auto_approve',
      reason: 'every file is inside the writable roots',
    });
  });

  const escapes: [string, () => string, RegExp][] = [
    ['an absolute path outside', () => join(outside, 'x'), /is outside the writable roots/],
    ['.. out of the project', () => `${ws}/../outside/x`, /is outside the writable roots/],
    ['a symlink that leads out', () => join(ws, 'link-out', 'x'), /leads to .*outside\/x, outside the writable roots/],
    ['.. after a symlink (the text says inside)', () => `${ws}/sub-link/../x`, /leads to .*outside\/x/],
    ['a relative symlink to ..', () => join(ws, 'up', 'outside', 'x'), /leads to/],
    ['a dangling symlink', () => join(ws, 'dangling'), /leads to .*created-by-write/],
    ['a symlink to /', () => join(ws, 'root-link', 'etc', 'passwd'), /leads to \/etc\/passwd/],
    ['.git', () => join(ws, '.git', 'hooks', 'pre-commit'), /inside .*\.git, which stays read-only/],
    ['$KEEL_HOME', () => join(ws, 'keel-home', 'config.toml'), /stays read-only/],
    ['a relative path', () => 'src/a.ts', /is not an absolute path/],
    ['a symlink loop', () => join(ws, 'loop-a'), /too many symbolic links/],
  ];

  it.each(escapes)('asks for %s, and refuses it under never', (_name, path, reason) => {
    expect(assess([join(ws, 'src', 'a.ts'), path()])).toEqual({ type: 'ask', reason: expect.stringMatching(reason), outside: [path()] });
    expect(assess([path()], { approvalPolicy: 'never' })).toEqual({
      type: 'reject',
      reason: expect.stringMatching(/^writing outside of the project; rejected by user approval settings \(/),
      outside: [path()],
    });
  });

  it('checks move targets like any other path', () => {
    const paths = patchPaths({
      [join(ws, 'src', 'a.ts')]: { type: 'update', unified_diff: '', move_path: join(outside, 'a.ts') },
      [join(ws, 'b.ts')]: { type: 'add', content: '' },
    });
    expect(paths).toEqual([join(ws, 'src', 'a.ts'), join(outside, 'a.ts'), join(ws, 'b.ts')]);
    expect(assess(paths)).toMatchObject({ type: 'ask', outside: [join(outside, 'a.ts')] });
  });

  it('follows the policies', () => {
    const inside = [join(ws, 'src', 'a.ts')];
    const cases: [AskForApproval, SandboxPolicy, string][] = [
      ['untrusted', WORKSPACE, 'ask'],
      ['on-failure', WORKSPACE, 'auto_approve'],
      ['on-request', WORKSPACE, 'auto_approve'],
      ['never', WORKSPACE, 'auto_approve'],
      ['on-request', { type: 'read-only' }, 'ask'],
      ['never', { type: 'read-only' }, 'reject'],
      ['on-request', { type: 'danger-full-access' }, 'auto_approve'],
      ['untrusted', { type: 'danger-full-access' }, 'ask'],
    ];
    for (const [approvalPolicy, sandboxPolicy, type] of cases) expect(assess(inside, { approvalPolicy, sandboxPolicy }).type, `${approvalPolicy} ${sandboxPolicy.type}`).toBe(type);
    // Keel writes patches itself, so on-failure has no sandbox to catch a write outside: it asks.
    expect(assess([join(outside, 'x')], { approvalPolicy: 'on-failure' }).type).toBe('ask');
    expect(assess([join(outside, 'x')], { sandboxPolicy: { type: 'danger-full-access' } }).type).toBe('auto_approve');
  });

  it('applies files approved for the session, all of them or none', () => {
    const sessionApprovedPaths = new Set([join(outside, 'x'), join(outside, 'y')]);
    expect(assess([join(outside, 'x'), join(outside, 'y')], { sessionApprovedPaths, approvalPolicy: 'untrusted' })).toEqual({ type: 'auto_approve', reason: 'these files were approved for this session' });
    expect(assess([join(outside, 'x'), join(outside, 'z')], { sessionApprovedPaths }).type).toBe('ask');
  });

  it('rejects an empty patch', () => {
    expect(assess([])).toEqual({ type: 'reject', reason: 'empty patch', outside: [] });
  });

  it('judges one path at a time through checkWritable', () => {
    expect(checkWritable(join(ws, 'src', 'a.ts'), writable, nodePathProbe)).toEqual({ type: 'writable' });
  });
});
