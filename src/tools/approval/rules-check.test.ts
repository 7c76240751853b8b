import { describe, expect, it } from 'vitest';
import { analyzeArgv } from './analyze-command.ts';
import { matchRules, type CommandRule } from './command-rules.ts';
import { explainRules, lineArgv, ruleMatchesExample } from './rules-check.ts';
import { describePattern, matchPattern, stricter } from './rules-match.ts';

const rule = (decision: CommandRule['decision'], ...pattern: CommandRule['pattern']): CommandRule => ({ decision, pattern, source: 'cfg' });

/** How `pattern` (as `decision`) matches the shell line's last command (its substitutions come first). */
function matchOf(line: string, decision: CommandRule['decision'], ...pattern: CommandRule['pattern']) {
  const command = analyzeArgv(['bash', '-c', line]).commands.at(-1)!;
  return matchPattern(command, rule(decision, ...pattern));
}

describe('matchPattern', () => {
  it('matches a prefix of the words, with alternatives anywhere', () => {
    expect(matchOf('git push origin main', 'forbidden', 'git', 'push')).toBe('match');
    expect(matchOf('git fetch', 'forbidden', 'git', ['push', 'fetch'])).toBe('match');
    expect(matchOf('gh pr', 'forbidden', ['git', 'gh'], 'pr')).toBe('match');
    expect(matchOf('git pull', 'forbidden', 'git', ['push', 'fetch'])).toBe('no');
    expect(matchOf('git', 'forbidden', 'git', 'push')).toBe('no');
  });

  it('names a program on any path, but lets allow rules vouch only for system programs', () => {
    expect(matchOf('/usr/bin/git push', 'forbidden', 'git', 'push')).toBe('match');
    expect(matchOf('./git push', 'forbidden', 'git', 'push')).toBe('match');
    expect(matchOf('/usr/bin/git push', 'allow', 'git', 'push')).toBe('match');
    expect(matchOf('./git push', 'allow', 'git', 'push')).toBe('no');
    expect(matchOf('./tools/run.sh x', 'allow', './tools/run.sh')).toBe('match');
    expect(matchOf('tools/run.sh x', 'allow', './tools/run.sh')).toBe('no');
  });

  it('answers maybe for words only known at run time, and for globs that could become the word', () => {
    expect(matchOf('git $SUB', 'forbidden', 'git', 'push')).toBe('maybe');
    expect(matchOf('git "$(pick)"', 'forbidden', 'git', 'push')).toBe('maybe');
    expect(matchOf('git p*', 'forbidden', 'git', 'push')).toBe('maybe');
    expect(matchOf('git [ab]ush', 'forbidden', 'git', 'push')).toBe('maybe');
    expect(matchOf('git *.txt', 'forbidden', 'git', 'push')).toBe('no');
    expect(matchOf('cat ~/x', 'forbidden', 'cat', '/etc/shadow')).toBe('maybe');
    expect(matchOf('cat ~/x', 'forbidden', 'cat', 'secret')).toBe('no');
  });

  it('never matches an empty pattern', () => {
    expect(matchOf('ls', 'forbidden')).toBe('no');
  });
});

describe('rule helpers', () => {
  it('shows a pattern as it is written in config.toml, and ranks decisions', () => {
    expect(describePattern(['git', ['push', 'fetch']])).toBe('["git", ["push", "fetch"]]');
    expect(stricter('allow', 'prompt')).toBe('prompt');
    expect(stricter('forbidden', 'prompt')).toBe('forbidden');
  });

  it('reads one string as a shell line and several as an argv', () => {
    expect(lineArgv(['git status && git push'])).toEqual(['bash', '-c', 'git status && git push']);
    expect(lineArgv(['git', 'push'])).toEqual(['git', 'push']);
  });

  it('checks examples as argv or as shell lines', () => {
    const push = rule('prompt', 'git', ['push', 'fetch']);
    expect(ruleMatchesExample(push, ['git', 'push', 'origin'])).toBe(true);
    expect(ruleMatchesExample(push, 'cd x && git fetch --all')).toBe(true);
    expect(ruleMatchesExample(push, 'git status')).toBe(false);
    expect(ruleMatchesExample(push, ['git', 'status'])).toBe(false);
  });
});

describe('matchRules: the strictest decision of the line wins', () => {
  const rules = [rule('allow', 'git'), rule('prompt', 'git', 'push'), rule('forbidden', 'git', 'push', '--force')];
  const line = (text: string) => matchRules(analyzeArgv(['bash', '-c', text]), rules);

  it('forbidden > prompt > allow, whichever command of the line says it', () => {
    expect(line('git status && git push --force origin')).toMatchObject({ type: 'forbidden', command: 'git push --force origin' });
    expect(line('git log | head; git push')).toMatchObject({ type: 'prompt', command: 'git push' });
    expect(line('git log | head')).toMatchObject({ type: 'allowed' });
  });

  it('reports what cannot be read when a strict rule exists', () => {
    expect(line('bash -c "$SCRIPT"')).toMatchObject({ type: 'unverifiable', decision: 'forbidden' });
    // An allow rule is a prefix: `git` allows any arguments, `git status` cannot vouch for `git $X`.
    expect(matchRules(analyzeArgv(['bash', '-c', 'git $X']), [rule('allow', 'git')])).toMatchObject({ type: 'allowed' });
    expect(matchRules(analyzeArgv(['bash', '-c', 'git $X']), [rule('allow', 'git', 'status')])).toEqual({ type: 'no_match' });
  });
});

describe('explainRules', () => {
  it('lists each command of the line with the strictest rule that matches, leaving out the carrying shell', () => {
    const rules = [rule('allow', 'git'), rule('prompt', 'git', 'push'), rule('forbidden', 'rm', '-rf')];
    const report = explainRules(['git status && git push && rm $X'], rules);
    expect(report.match).toMatchObject({ type: 'unverifiable', decision: 'forbidden' });
    expect(report.commands).toEqual([
      { command: 'git status', via: 'bash -c', rule: rules[0], doubts: [] },
      { command: 'git push', via: 'bash -c', rule: rules[1], doubts: [] },
      { command: 'rm $X', via: 'bash -c', rule: null, doubts: [rules[2]] },
    ]);
  });

  it('shows the shell itself when a rule is about it', () => {
    const report = explainRules(['ls'], [rule('forbidden', 'bash')]);
    expect(report.match).toMatchObject({ type: 'forbidden', command: 'bash -c ls' });
    expect(report.commands.map((command) => command.command)).toEqual(['bash -c ls', 'ls']);
  });
});
