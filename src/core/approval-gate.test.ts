/** The gate with a fake machine: the person's rules applied, "allow for good" saved as a rule, and every failure closed. */
import { describe, expect, it } from 'vitest';
import type { AskForApproval, EventMsg, SandboxPolicy } from '../protocol/index.ts';
import type { CommandRule } from '../tools/approval/rules-match.ts';
import type { SaveRuleResult } from '../tools/approval/rules-file.ts';
import { ApprovalGate, type GateDecision, type SafetyServices } from './approval-gate.ts';

const WORKSPACE: SandboxPolicy = { type: 'workspace-write', writable_roots: [], network_access: false };

function services(overrides: Partial<SafetyServices> = {}): SafetyServices {
  return {
    sandboxAvailable: () => Promise.resolve(true),
    sandboxProblem: () => Promise.resolve(null),
    writable: () => ({ roots: ['/w'], readOnlySubpaths: [] }),
    wrap: (argv) => ({ type: 'wrapped', argv: ['sandbox', ...argv] }),
    probe: { readlink: () => null },
    ...overrides,
  };
}

function decide(gate: ApprovalGate, argv: string[], approvalPolicy: AskForApproval = 'on-request', sandboxPolicy: SandboxPolicy = WORKSPACE) {
  const events: EventMsg[] = [];
  const decision = gate.decide({ callId: 'c1', cwd: '/w', subject: { type: 'command', argv, cwd: '/w' }, approvalPolicy, sandboxPolicy, emit: (msg) => events.push(msg) });
  return decision.then((result) => ({ decision: result, events }));
}

function question(decision: GateDecision) {
  if (decision.type !== 'ask') throw new Error(`expected a question, got ${JSON.stringify(decision)}`);
  return decision;
}

const RULES: CommandRule[] = [
  { pattern: ['git', 'push'], decision: 'forbidden', justification: 'push from your own terminal', source: 'cfg' },
  { pattern: ['make', 'deploy'], decision: 'prompt', source: 'cfg' },
  { pattern: ['npm', 'test'], decision: 'allow', source: 'cfg' },
];

describe('ApprovalGate: the person’s rules', () => {
  it('refuses a forbidden command, asks for a prompt one, runs an allowed one outside the sandbox', async () => {
    const gate = new ApprovalGate(services({ rules: RULES }));
    expect((await decide(gate, ['/bin/bash', '-c', 'git status && git push'])).decision).toEqual({
      type: 'refuse',
      reason: 'git push is forbidden by the rule ["git", "push"] (cfg): push from your own terminal',
    });
    expect((await decide(gate, ['make', 'deploy'])).decision).toMatchObject({ type: 'ask', request: { type: 'exec_approval_request', reason: expect.stringContaining('["make", "deploy"]') } });
    expect((await decide(gate, ['make', 'deploy'], 'never')).decision).toMatchObject({ type: 'refuse', reason: expect.stringContaining('approval policy is never') });
    expect((await decide(gate, ['/bin/bash', '-c', 'npm test | tail -5'], 'untrusted')).decision).toEqual({ type: 'run', sandboxed: false });
  });

  it('offers to save the approved command as an allow rule, which then applies at once', async () => {
    const saved: (readonly string[])[] = [];
    const saveAllowRule = (pattern: readonly string[]): Promise<SaveRuleResult> => {
      saved.push(pattern);
      return Promise.resolve({ type: 'saved', path: '/home/.keel/config.toml', rule: 'x' });
    };
    const gate = new ApprovalGate(services({ rules: RULES, saveAllowRule }));
    const ask = question((await decide(gate, ['/bin/bash', '-c', 'cargo build --release'], 'untrusted')).decision);
    expect(ask.saveAsRule?.pattern).toEqual(['cargo', 'build', '--release']);
    expect(await ask.saveAsRule!.save()).toMatchObject({ type: 'saved' });
    expect(saved).toEqual([['cargo', 'build', '--release']]);
    expect((await decide(gate, ['/bin/bash', '-c', 'cargo build --release --locked'], 'untrusted')).decision).toEqual({ type: 'run', sandboxed: false });
  });

  it('offers no rule where one would not make the line run unasked, or could be rewritten by the model', async () => {
    const gate = new ApprovalGate(services({ rules: RULES, saveAllowRule: () => Promise.resolve({ type: 'not_saved', reason: 'no' }) }));
    for (const line of ['make deploy', 'cargo build && cargo test', 'cargo build > out.log', 'cargo build $FLAGS', './build.sh']) {
      const ask = question((await decide(gate, ['/bin/bash', '-c', line], 'untrusted')).decision);
      expect(ask.saveAsRule, line).toBeUndefined();
    }
    const noSaving = new ApprovalGate(services());
    expect(question((await decide(noSaving, ['cargo', 'build'], 'untrusted')).decision).saveAsRule).toBeUndefined();
  });

  it('keeps a rule that could not be saved out of the session’s rules, but still remembers the approval', async () => {
    const gate = new ApprovalGate(services({ saveAllowRule: () => Promise.resolve({ type: 'not_saved', reason: 'config.toml is not valid TOML' }) }));
    const ask = question((await decide(gate, ['cargo', 'build'], 'untrusted')).decision);
    expect(await ask.saveAsRule!.save()).toEqual({ type: 'not_saved', reason: 'config.toml is not valid TOML' });
    expect((await decide(gate, ['cargo', 'build'], 'untrusted')).decision).toEqual({ type: 'run', sandboxed: false });
    expect((await decide(gate, ['cargo', 'build', '-v'], 'untrusted')).decision.type).toBe('ask');
  });
});

describe('ApprovalGate: fails closed', () => {
  it('refuses a command whose wrapping is unsupported or throws, at decision time and at spawn time', async () => {
    const unsupported = new ApprovalGate(services({ wrap: () => ({ type: 'unsupported', reason: 'bwrap is gone' }) }));
    expect((await decide(unsupported, ['cargo', 'build'])).decision).toEqual({ type: 'refuse', reason: 'bwrap is gone' });
    const throwing = new ApprovalGate(services({ wrap: () => { throw new Error('EACCES reading /proc'); } }));
    expect((await decide(throwing, ['cargo', 'build'])).decision).toEqual({ type: 'refuse', reason: 'the command cannot be confined: EACCES reading /proc' });
    let calls = 0;
    const later = new ApprovalGate(services({ wrap: (argv) => { if (++calls > 1) throw new Error('gone'); return { type: 'wrapped', argv: [...argv] }; } }));
    const run = (await decide(later, ['cargo', 'build'])).decision;
    if (run.type !== 'run' || !run.sandboxed) throw new Error('expected a sandboxed run');
    expect(run.wrap(['cargo', 'build'], '/w')).toEqual({ type: 'unsupported', reason: 'the command cannot be confined: gone' });
  });

  it('refuses what would run sandboxed when the sandbox probe throws, with the reason, and warns once', async () => {
    const gate = new ApprovalGate(services({ sandboxAvailable: () => Promise.reject(new Error('probe crashed')), rules: RULES }));
    const first = await decide(gate, ['cargo', 'build'], 'never');
    expect(first.decision).toEqual({ type: 'refuse', reason: 'the sandbox check failed (probe crashed); the command would run in the sandbox, so it does not run' });
    expect(first.events).toEqual([{ type: 'warning', message: 'the sandbox check failed (probe crashed): commands that would run sandboxed are refused' }]);
    const second = await decide(gate, ['cargo', 'build'], 'on-failure');
    expect(second.decision.type).toBe('refuse');
    expect(second.events).toEqual([]);
    // What never needed the sandbox is decided as usual: read-only commands, the person's allow rules, questions.
    expect((await decide(gate, ['ls'], 'never')).decision).toEqual({ type: 'run', sandboxed: false });
    expect((await decide(gate, ['npm', 'test'], 'never')).decision).toEqual({ type: 'run', sandboxed: false });
    expect((await decide(gate, ['cargo', 'build'], 'untrusted')).decision.type).toBe('ask');
    expect((await decide(gate, ['git', 'push'], 'never')).decision.type).toBe('refuse');
  });

  it('still gives the no-sandbox notice when the problem itself cannot be read', async () => {
    const gate = new ApprovalGate(services({ sandboxAvailable: () => Promise.resolve(false), sandboxProblem: () => Promise.reject(new Error('boom')) }));
    const { decision, events } = await decide(gate, ['cargo', 'build'], 'never');
    expect(decision.type).toBe('refuse');
    expect(events).toEqual([{ type: 'warning', message: expect.stringMatching(/^no sandbox can run here \(boom\)/) }]);
  });

  it('refuses a command when the rules cannot be applied', async () => {
    const gate = new ApprovalGate(services({ rules: [{ decision: 'forbidden', pattern: 'rm' } as unknown as CommandRule] }));
    expect((await decide(gate, ['rm', 'x'], 'on-request', { type: 'danger-full-access' })).decision).toMatchObject({
      type: 'refuse',
      reason: expect.stringMatching(/^the command could not be checked against the approval rules/),
    });
  });
});
