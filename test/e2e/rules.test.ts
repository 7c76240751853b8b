/** `[[rules]]` through the binary: `keel rules check` / `list`, and a forbidden rule refusing a command in `keel exec`. */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { runKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const RULES = `
[[rules]]
pattern = ["git", "push"]
decision = "forbidden"
justification = "push from your own terminal"

[[rules]]
pattern = ["git", ["reset", "clean"]]
decision = "prompt"

[[rules]]
pattern = ["npm", "test"]
decision = "allow"
`;

function setup(configToml: string) {
  const home = mkdtempSync(join(tmpdir(), 'keel-home-'));
  const cwd = mkdtempSync(join(tmpdir(), 'keel-work-'));
  writeFileSync(join(home, 'config.toml'), configToml);
  return { home, cwd, env: { KEEL_HOME: home } };
}

describe('keel rules check', () => {
  it('says when no rule applies, and exits 0', async () => {
    const { cwd, env } = setup('');
    const result = await runKeel(['rules', 'check', '--', 'ls', '-la'], { env, cwd });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe('no rule: the default policy decides (known-safe / sandboxed / asked): ls -la\n');
  });

  it('prints the decision for an argv and the rule that made it, with where it is written', async () => {
    const { home, cwd, env } = setup(RULES);
    const result = await runKeel(['rules', 'check', '--', 'git', 'push', 'origin', 'main'], { env, cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'forbidden (refused, whatever the approval policy): git push origin main\n' +
        `  git push origin main: forbidden, by ["git", "push"] (${join(home, 'config.toml')}): push from your own terminal\n`,
    );
  });

  it('parses a single string as a shell line and judges every command of it', async () => {
    const { cwd, env } = setup(RULES);
    const line = await runKeel(['rules', 'check', 'npm test && git clean -fd | cat'], { env, cwd });
    expect(line.code).toBe(0);
    const lines = line.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('prompt (asked every time; refused under approval policy never): npm test && git clean -fd | cat');
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^ {2}npm test: allow, by \["npm", "test"\] \(/),
      expect.stringMatching(/^ {2}git clean -fd: prompt, by \["git", \["reset", "clean"\]\] \(/),
      '  cat: no rule',
    ]);
    const allowed = await runKeel(['rules', 'check', 'npm test | tail -3'], { env, cwd });
    expect(allowed.stdout.split('\n')[0]).toBe('allow (runs without asking, outside the sandbox): npm test | tail -3');
    const doubt = await runKeel(['rules', 'check', 'git $SUB'], { env, cwd });
    expect(doubt.stdout).toContain('cannot check the forbidden rules: git $SUB may match the forbidden rule ["git", "push"]');
  });

  it('takes -c overrides, and lists the rules in force', async () => {
    const { cwd, env } = setup(RULES);
    const result = await runKeel(['rules', 'check', '-c', 'rules=[{ pattern = ["ls"], decision = "forbidden" }]', 'ls'], { env, cwd });
    expect(result.stdout.split('\n')[0]).toBe('forbidden (refused, whatever the approval policy): ls');
    const list = await runKeel(['rules', 'list'], { env, cwd });
    expect(list.code).toBe(0);
    expect(list.stdout.trimEnd().split('\n').map((row) => row.split(' (')[0])).toEqual([
      'forbidden ["git", "push"]',
      'prompt    ["git", ["reset", "clean"]]',
      'allow     ["npm", "test"]',
    ]);
  });

  it('ignores a project\'s allow rules with a warning, and applies its forbidden ones', async () => {
    const { cwd, env } = setup('');
    mkdirSync(join(cwd, '.git'));
    mkdirSync(join(cwd, '.keel'));
    writeFileSync(join(cwd, '.keel/config.toml'), '[[rules]]\npattern = ["curl"]\ndecision = "allow"\n[[rules]]\npattern = ["rm"]\ndecision = "forbidden"\n');
    const allow = await runKeel(['rules', 'check', 'curl', 'x'], { env, cwd });
    expect(allow.stdout).toMatch(/^no rule: /);
    expect(allow.stderr).toContain('rules[0]: a project cannot allow commands (only your own config can)');
    expect((await runKeel(['rules', 'check', 'rm', 'x'], { env, cwd })).stdout).toMatch(/^forbidden /);
  });

  it('refuses to start with a rules section it cannot read, naming the file and the key', async () => {
    const { home, cwd, env } = setup('[[rules]]\npattern = ["git", "push"]\ndecision = "deny"\n');
    const result = await runKeel(['rules', 'check', 'ls'], { env, cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`keel: ${join(home, 'config.toml')}: rules[0].decision: expected "allow", "prompt" or "forbidden", got "deny"\n`);
    const exec = await runKeel(['exec', 'hi'], { env: { ...env, OPENAI_BASE_URL: 'http://127.0.0.1:9', OPENAI_API_KEY: 'k' }, cwd });
    expect(exec.code).toBe(2);
    expect(exec.stderr).toContain('rules[0].decision: expected "allow", "prompt" or "forbidden", got "deny"');
  });
});

describe('keel exec with rules', () => {
  it('refuses a forbidden command wherever it is in the line, tells the model the rule and why, and runs the rest', async () => {
    const { cwd, env } = setup('[[rules]]\npattern = ["touch"]\ndecision = "forbidden"\njustification = "no new files today"\n');
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: ['bash', '-c', 'echo start && touch forbidden.txt'] }, 'call_no')),
      respond(functionCall('shell', { command: ['bash', '-c', 'echo fine > ok.txt'] }, 'call_yes')),
      respond(text('done')),
    ]);
    const result = await runKeel(['exec', '--dangerously-bypass-sandbox', 'make files'], {
      env: { ...env, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'test-key' },
      cwd,
    });
    expect(result.code).toBe(0);
    const [, second, third] = await server.waitForRequests(3);
    const outputOf = (request: typeof second, id: string) =>
      (request!.body.input as Array<Record<string, string>>).find((item) => item.type === 'function_call_output' && item.call_id === id)!.output!;
    expect(outputOf(second, 'call_no')).toBe(
      'exec command rejected: touch forbidden.txt is forbidden by the rule ["touch"] (' + join(env.KEEL_HOME, 'config.toml') + '): no new files today',
    );
    expect(existsSync(join(cwd, 'forbidden.txt'))).toBe(false);
    expect(JSON.parse(outputOf(third, 'call_yes'))).toMatchObject({ metadata: { exit_code: 0 } });
    expect(existsSync(join(cwd, 'ok.txt'))).toBe(true);
    expect(result.stderr).toContain('forbidden by the rule ["touch"]');
  });
});
