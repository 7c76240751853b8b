import { describe, expect, it } from 'vitest';
import type { AskForApproval, SandboxPolicy } from '../../protocol/index.ts';
import { assessCommand, commandApprovalKey, type CommandAssessmentInput } from './assess-command.ts';
import { assessSandboxRetry } from './assess-sandbox-retry.ts';
import type { CommandRule } from './command-rules.ts';

const READ_ONLY: SandboxPolicy = { type: 'read-only' };
const WORKSPACE: SandboxPolicy = { type: 'workspace-write', writable_roots: [], network_access: false };
const FULL: SandboxPolicy = { type: 'danger-full-access' };

const UNSAFE = ['npm', 'test'];
const SAFE = ['bash', '-lc', 'git status && ls'];

function assess(overrides: Partial<CommandAssessmentInput>) {
  return assessCommand({ argv: UNSAFE, cwd: '/w', approvalPolicy: 'on-request', sandboxPolicy: WORKSPACE, sandboxAvailable: true, sessionApproved: new Set(), ...overrides });
}

describe('assessCommand: policy × sandbox for a command that is not known-safe', () => {
  // [approval, sandbox policy, sandbox available, expected type, expected sandbox]
  const matrix: [AskForApproval, SandboxPolicy, boolean, 'auto_approve' | 'ask' | 'reject', 'none' | 'sandboxed' | null][] = [
    ['untrusted', READ_ONLY, true, 'ask', null],
    ['untrusted', WORKSPACE, true, 'ask', null],
    ['untrusted', FULL, true, 'ask', null],
    ['untrusted', WORKSPACE, false, 'ask', null],
    ['on-failure', READ_ONLY, true, 'auto_approve', 'sandboxed'],
    ['on-failure', WORKSPACE, true, 'auto_approve', 'sandboxed'],
    ['on-failure', FULL, true, 'auto_approve', 'none'],
    ['on-failure', WORKSPACE, false, 'ask', null],
    ['on-failure', FULL, false, 'auto_approve', 'none'],
    ['on-request', READ_ONLY, true, 'auto_approve', 'sandboxed'],
    ['on-request', WORKSPACE, true, 'auto_approve', 'sandboxed'],
    ['on-request', FULL, true, 'auto_approve', 'none'],
    ['on-request', READ_ONLY, false, 'ask', null],
    ['on-request', WORKSPACE, false, 'ask', null],
    ['never', READ_ONLY, true, 'auto_approve', 'sandboxed'],
    ['never', WORKSPACE, true, 'auto_approve', 'sandboxed'],
    ['never', FULL, true, 'auto_approve', 'none'],
    ['never', READ_ONLY, false, 'reject', null],
    ['never', WORKSPACE, false, 'reject', null],
    ['never', FULL, false, 'auto_approve', 'none'],
  ];

  it.each(matrix)('%s × %o, sandbox available: %s → %s', (approvalPolicy, sandboxPolicy, sandboxAvailable, type, sandbox) => {
    const result = assess({ approvalPolicy, sandboxPolicy, sandboxAvailable });
    expect(result.type).toBe(type);
    if (result.type === 'auto_approve') expect(result.sandbox).toBe(sandbox);
    expect(result.reason).not.toBe('');
  });

  it('never runs unsandboxed because the sandbox is missing, and says why', () => {
    expect(assess({ sandboxAvailable: false })).toEqual({ type: 'ask', reason: expect.stringMatching(/^no sandbox can run here/) });
    expect(assess({ approvalPolicy: 'never', sandboxAvailable: false })).toEqual({
      type: 'reject',
      reason: 'auto-rejected because command is not on trusted list and no sandbox can run here (npm is not on the read-only list)',
    });
  });

  it('runs known-safe commands without a sandbox under every policy, even with no sandbox', () => {
    for (const approvalPolicy of ['untrusted', 'on-failure', 'on-request', 'never'] as const) {
      for (const sandboxPolicy of [READ_ONLY, WORKSPACE, FULL]) {
        expect(assess({ argv: SAFE, approvalPolicy, sandboxPolicy, sandboxAvailable: false })).toEqual({
          type: 'auto_approve',
          sandbox: 'none',
          reason: 'read-only command (git, ls)',
        });
      }
    }
  });
});

describe('assessCommand: session approvals', () => {
  it('runs the exact argv approved for the session in the same directory without asking or sandbox', () => {
    const sessionApproved = new Set([commandApprovalKey(UNSAFE, '/w')]);
    expect(assess({ approvalPolicy: 'untrusted', sessionApproved })).toEqual({ type: 'auto_approve', sandbox: 'none', reason: 'approved for this session' });
    expect(assess({ approvalPolicy: 'never', sandboxAvailable: false, sessionApproved })).toMatchObject({ type: 'auto_approve' });
  });

  it('does not extend the approval to other arguments or another directory', () => {
    const sessionApproved = new Set([commandApprovalKey(UNSAFE, '/w')]);
    expect(assess({ approvalPolicy: 'untrusted', argv: ['npm', 'test', '--', '-x'], sessionApproved }).type).toBe('ask');
    expect(assess({ approvalPolicy: 'untrusted', cwd: '/other', sessionApproved }).type).toBe('ask');
    expect(assess({ approvalPolicy: 'untrusted', argv: ['bash', '-lc', 'npm test'], sessionApproved }).type).toBe('ask');
  });
});

describe('assessCommand: escalation requested by the model', () => {
  const escalation = { justification: 'needs the network to install' };

  it('asks under on-request, with the justification', () => {
    expect(assess({ escalation })).toEqual({ type: 'ask', reason: 'the model asks to run this outside the sandbox: needs the network to install' });
  });

  it('is refused under the other policies with the reference message', () => {
    for (const approvalPolicy of ['untrusted', 'on-failure', 'never'] as const) {
      expect(assess({ approvalPolicy, escalation })).toEqual({
        type: 'reject',
        reason: `approval policy is ${approvalPolicy}; reject command — you should not ask for escalated permissions if the approval policy is ${approvalPolicy}`,
      });
    }
  });

  it('is moot under danger-full-access, and not needed for known-safe commands', () => {
    expect(assess({ escalation, sandboxPolicy: FULL })).toMatchObject({ type: 'auto_approve', sandbox: 'none' });
    expect(assess({ escalation, argv: ['ls'] })).toMatchObject({ type: 'auto_approve', sandbox: 'none' });
  });
});

describe('assessCommand: the person’s rules (the strictest wins)', () => {
  const rules: CommandRule[] = [
    { decision: 'allow', pattern: ['npm', 'test'] },
    { decision: 'allow', pattern: ['rm'] },
    { decision: 'forbidden', pattern: ['rm', '-rf'], justification: 'use trash instead', source: 'cfg, rules[2]' },
    { decision: 'forbidden', pattern: ['git', 'push'] },
    { decision: 'prompt', pattern: ['git', ['reset', 'clean']], source: 'cfg, rules[4]' },
  ];

  it('rejects a forbidden command wherever it hides, over allow rules, session approvals and danger-full-access', () => {
    const hidden = [
      ['rm', '-rf', 'x'],
      ['/bin/rm', '-rf', 'x'],
      ['./rm', '-rf', 'x'],
      ['bash', '-lc', 'ls && rm -rf x'],
      ['bash', '-lc', 'echo $(rm -rf x)'],
      ['bash', '-lc', "bash -c 'rm -rf x'"],
      ['env', 'X=1', 'rm', '-rf', 'x'],
      ['sudo', '-u', 'root', 'rm', '-rf', 'x'],
      ['bash', '-lc', 'find . -exec rm -rf {} +'],
      ['bash', '-lc', 'ls | xargs -0 rm -rf'],
      ['timeout', '5', 'git', 'push'],
      ['bash', '-lc', "eval 'git push'"],
      ['bash', '-lc', "$'\\x72m' -rf x"],
    ];
    for (const argv of hidden) {
      const sessionApproved = new Set([commandApprovalKey(argv, '/w')]);
      expect(assess({ argv, rules, sandboxPolicy: FULL, sessionApproved }), argv.join(' ')).toMatchObject({ type: 'reject', reason: expect.stringMatching(/is forbidden by the rule \["(rm", "-rf|git", "push)"\]/) });
    }
  });

  it('names the rule, where it is written and its justification', () => {
    expect(assess({ argv: ['rm', '-rf', 'build'], rules })).toEqual({
      type: 'reject',
      reason: 'rm -rf build is forbidden by the rule ["rm", "-rf"] (cfg, rules[2]): use trash instead',
    });
  });

  it('asks for a prompt rule, even for an allowed or known-safe line, and refuses under never with the rule named', () => {
    const prompt = [...rules, { decision: 'prompt', pattern: ['ls'] } as const];
    expect(assess({ argv: ['git', 'reset', '--hard'], rules, sandboxPolicy: FULL })).toEqual({
      type: 'ask',
      reason: 'the rule ["git", ["reset", "clean"]] (cfg, rules[4]) says to ask before git reset --hard runs',
    });
    expect(assess({ argv: ['bash', '-lc', 'npm test && git clean -fd'], rules }).type).toBe('ask');
    expect(assess({ argv: ['ls'], rules: prompt }).type).toBe('ask');
    expect(assess({ argv: ['git', 'clean', '-fd'], rules, approvalPolicy: 'never' })).toEqual({
      type: 'reject',
      reason: 'the rule ["git", ["reset", "clean"]] (cfg, rules[4]) says to ask before git clean -fd runs; approval policy is never, so it is refused',
    });
  });

  it('lets a session approval answer a prompt rule, never a forbidden one', () => {
    const argv = ['git', 'reset', '--hard'];
    expect(assess({ argv, rules, sessionApproved: new Set([commandApprovalKey(argv, '/w')]) })).toMatchObject({ type: 'auto_approve', sandbox: 'none' });
    const dynamic = ['bash', '-lc', 'rm $FLAGS x'];
    expect(assess({ argv: dynamic, rules, sandboxPolicy: FULL, sessionApproved: new Set([commandApprovalKey(dynamic, '/w')]) }).type).toBe('ask');
  });

  it('asks (or refuses under never) when a forbidden or prompt rule cannot be ruled out', () => {
    for (const argv of [['bash', '-lc', 'rm $FLAGS x'], ['bash', '-lc', 'for f in *; do rm -rf $f; done'], ['bash', '-lc', '$CMD -rf x'], ['bash', '-lc', 'rm -r* x']]) {
      expect(assess({ argv, rules, sandboxPolicy: FULL }), argv.join(' ')).toMatchObject({ type: 'ask', reason: expect.stringMatching(/^cannot check the forbidden rules: /) });
      expect(assess({ argv, rules, sandboxPolicy: FULL, approvalPolicy: 'never' })).toMatchObject({ type: 'reject' });
    }
    expect(assess({ argv: ['bash', '-lc', 'git $SUB'], rules: [{ decision: 'prompt', pattern: ['git', 'reset'] }], sandboxPolicy: FULL })).toEqual({
      type: 'ask',
      reason: 'cannot check the prompt rules: git $SUB may match the prompt rule ["git", "reset"]',
    });
  });

  it('does not doubt a glob that cannot become the word a rule looks at', () => {
    expect(assess({ argv: ['bash', '-lc', 'rm *.txt'], rules, sandboxPolicy: FULL })).toMatchObject({ type: 'auto_approve' });
    expect(assess({ argv: ['bash', '-lc', 'git p*'], rules, sandboxPolicy: FULL }).type).toBe('ask');
  });

  it('runs a line every command of which is allowed (or known-safe) outside the sandbox, whatever the policy', () => {
    expect(assess({ approvalPolicy: 'untrusted', rules })).toEqual({ type: 'auto_approve', sandbox: 'none', reason: 'allowed by your rule ["npm", "test"]' });
    expect(assess({ approvalPolicy: 'untrusted', argv: ['bash', '-lc', 'NODE_ENV=test npm test -- --watch=false && git status'], rules })).toMatchObject({ type: 'auto_approve', sandbox: 'none' });
    expect(assess({ approvalPolicy: 'never', sandboxAvailable: false, argv: ['bash', '-lc', 'npm test; rm out.txt'], rules })).toEqual({
      type: 'auto_approve',
      sandbox: 'none',
      reason: 'allowed by your rules ["npm", "test"], ["rm"]',
    });
    expect(assess({ escalation: { justification: 'network' }, approvalPolicy: 'never', rules })).toMatchObject({ type: 'auto_approve', sandbox: 'none' });
  });

  it('does not stretch an allow rule over other commands, wrappers, redirections, local programs or harmful assignments', () => {
    const notAllowed = [
      ['bash', '-lc', 'npm test && curl x'],
      ['sudo', 'npm', 'test'],
      ['bash', '-lc', 'npm test > /etc/out'],
      ['bash', '-lc', 'NODE_OPTIONS=--require=./x.js npm test'],
      ['./npm', 'test'],
      ['npm', 'install'],
      ['bash', '-lc', 'npm $X'],
    ];
    for (const argv of notAllowed) expect(assess({ approvalPolicy: 'untrusted', argv, rules }).type, argv.join(' ')).toBe('ask');
    // Not allowed by a rule, so the default policy decides: in the sandbox.
    expect(assess({ argv: ['bash', '-lc', 'npm test && curl x'], rules })).toMatchObject({ type: 'auto_approve', sandbox: 'sandboxed' });
  });

  it('fails closed: rules that cannot be applied reject the command with the reason', () => {
    const broken = [{ decision: 'forbidden', pattern: null }] as unknown as CommandRule[];
    expect(assess({ rules: broken, sandboxPolicy: FULL })).toEqual({
      type: 'reject',
      reason: expect.stringMatching(/^the command could not be checked against the approval rules \(.+\); it does not run$/),
    });
  });
});

describe('assessSandboxRetry', () => {
  it('offers a run without the sandbox only under on-failure and untrusted', () => {
    expect(assessSandboxRetry('on-failure', 'Read-only file system')).toEqual({ type: 'ask', reason: 'the command failed in the sandbox (Read-only file system); run it again without the sandbox?' });
    expect(assessSandboxRetry('untrusted', 'x').type).toBe('ask');
    expect(assessSandboxRetry('on-request', 'x')).toMatchObject({ type: 'report_failure', reason: expect.stringMatching(/ask for escalated permissions/) });
    expect(assessSandboxRetry('never', 'x').type).toBe('report_failure');
  });
});
