/** `[[rules]]`: read from every source, adding up; a project may only tighten; every mistake named by file and key. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isConfigError } from './config-error.ts';
import { loadConfig, type LoadConfigOptions } from './load-config.ts';
import { markRepo, tempTree } from './testing/temp-tree.ts';

function setup(userToml: string, projectToml: string | null = null) {
  const files: Record<string, string> = { 'home/.keel/config.toml': userToml, 'repo/src/.keep': '' };
  if (projectToml !== null) files['repo/.keel/config.toml'] = projectToml;
  const root = tempTree(files);
  markRepo(root, 'repo');
  const options = { home: join(root, 'home/.keel'), cwd: join(root, 'repo/src'), env: { HOME: root } };
  return (more: Partial<LoadConfigOptions> = {}) => loadConfig({ ...options, ...more });
}

async function errorOf(load: () => Promise<unknown>): Promise<string> {
  try {
    await load();
  } catch (error) {
    if (isConfigError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** HOME is the temporary root. */
const U = '~/home/.keel/config.toml';
const P = '~/repo/.keel/config.toml';

const USER_RULES = `
[[rules]]
pattern = ["git", ["push", "fetch"]]
decision = "prompt"
justification = "talks to the remote"
match = [["git", "push", "origin"], "git fetch --all"]
not_match = ["git status"]

[[rules]]
pattern = ["npm", "test"]
decision = "allow"
`;

describe('[[rules]] in config.toml', () => {
  it('reads each rule with its alternatives, justification and source, and checks its examples', async () => {
    const { config, warnings } = await setup(USER_RULES)();
    expect(warnings).toEqual([]);
    expect(config.rules).toEqual([
      { pattern: ['git', ['push', 'fetch']], decision: 'prompt', justification: 'talks to the remote', source: U },
      { pattern: ['npm', 'test'], decision: 'allow', justification: null, source: U },
    ]);
  });

  it('has no rules unless configured', async () => {
    expect((await setup('')()).config.rules).toEqual([]);
  });

  it('adds up the rules of the user file, the project, the profile and -c, lowest first', async () => {
    const user = `${USER_RULES}\n[profiles.strict]\nrules = [{ pattern = ["curl"], decision = "forbidden" }]`;
    const load = setup(user, '[[rules]]\npattern = ["rm"]\ndecision = "forbidden"');
    const { config } = await load({ profile: 'strict', overrides: ['rules=[{ pattern = ["make"], decision = "prompt" }]'] });
    expect(config.rules.map((rule) => [rule.pattern[0], rule.decision, rule.source])).toEqual([
      ['git', 'prompt', U],
      ['npm', 'allow', U],
      ['rm', 'forbidden', P],
      ['curl', 'forbidden', `${U} (profile "strict")`],
      ['make', 'prompt', '-c rules=[{ pattern = ["make"], decision = "prompt" }]'],
    ]);
  });

  it('takes a project\'s forbidden and prompt rules but never its allow rules', async () => {
    const project = [
      '[[rules]]', 'pattern = ["curl"]', 'decision = "allow"',
      '[[rules]]', 'pattern = ["git", "push"]', 'decision = "forbidden"', 'justification = "CI pushes"',
      '[[rules]]', 'pattern = ["make", "deploy"]', 'decision = "prompt"',
    ].join('\n');
    const { config, warnings } = await setup('', project)();
    expect(config.rules).toEqual([
      { pattern: ['git', 'push'], decision: 'forbidden', justification: 'CI pushes', source: P },
      { pattern: ['make', 'deploy'], decision: 'prompt', justification: null, source: P },
    ]);
    expect(warnings).toEqual([`${P}: rules[0]: a project cannot allow commands (only your own config can); its forbidden and prompt rules apply; ignored`]);
  });

  it('hides credential-looking values from commands unless the user says otherwise; a project cannot say so', async () => {
    expect((await setup('')()).config.shell_environment_policy.exclude_credential_values).toBe(true);
    const off = '[shell_environment_policy]\nexclude_credential_values = false';
    expect((await setup(off)()).config.shell_environment_policy.exclude_credential_values).toBe(false);
    const { config, warnings } = await setup('', off)();
    expect(config.shell_environment_policy.exclude_credential_values).toBe(true);
    expect(warnings).toHaveLength(1);
  });
});

describe('[[rules]] errors name the file, the key path and what was expected', () => {
  it.each([
    ['rules = "git push"', `${U}: rules: expected an array of tables ([[rules]]), got "git push"`],
    ['rules = [1]', `${U}: rules[0]: expected a table, got 1`],
    ['[[rules]]\ndecision = "allow"', `${U}: rules[0].pattern: expected a non-empty array of words (each a string, or an array of alternative strings), but it is missing`],
    ['[[rules]]\npattern = ["ls"]', `${U}: rules[0].decision: expected "allow", "prompt" or "forbidden", but it is missing`],
    ['[[rules]]\npattern = ["ls"]\ndecision = "deny"', `${U}: rules[0].decision: expected "allow", "prompt" or "forbidden", got "deny"`],
    ['[[rules]]\npattern = "git push"\ndecision = "prompt"', `${U}: rules[0].pattern: expected a non-empty array of words (each a string, or an array of alternative strings), got "git push"`],
    ['[[rules]]\npattern = []\ndecision = "prompt"', `${U}: rules[0].pattern: expected a non-empty array of words (each a string, or an array of alternative strings), got an array`],
    ['[[rules]]\npattern = ["git", 3]\ndecision = "prompt"', `${U}: rules[0].pattern[1]: expected a word or an array of alternative words, got 3`],
    ['[[rules]]\npattern = ["git", ["push", ""]]\ndecision = "prompt"', `${U}: rules[0].pattern[1][1]: expected a non-empty string, got ""`],
    ['[[rules]]\npattern = ["ls"]\ndecision = "allow"\njustification = ""', `${U}: rules[0].justification: expected a non-empty string, got ""`],
    ['[[rules]]\npattern = ["ls"]\ndecision = "allow"\nmatch = "ls"', `${U}: rules[0].match: expected an array of example commands (each a string, or an array of strings), got "ls"`],
    [
      '[[rules]]\npattern = ["ls"]\ndecision = "allow"\n[[rules]]\npattern = ["git", "push"]\ndecision = "forbidden"\nmatch = [["git", "push"], "git status"]',
      `${U}: rules[1].match[1]: expected a command the pattern ["git", "push"] matches, got "git status"`,
    ],
    [
      '[[rules]]\npattern = ["git", ["push", "fetch"]]\ndecision = "prompt"\nnot_match = [["git", "fetch", "-p"]]',
      `${U}: rules[0].not_match[0]: expected a command the pattern ["git", ["push", "fetch"]] does not match, got ["git", "fetch", "-p"]`,
    ],
  ])('%s', async (toml, message) => {
    expect(await errorOf(() => setup(toml)())).toBe(message);
  });

  it('counts a project\'s entries as they are in its file, allow rules included', async () => {
    const project = '[[rules]]\npattern = ["curl"]\ndecision = "allow"\n[[rules]]\npattern = ["rm"]';
    expect(await errorOf(() => setup('', project)())).toBe(`${P}: rules[1].decision: expected "allow", "prompt" or "forbidden", but it is missing`);
  });

  it('names a -c override as the source', async () => {
    const override = 'rules=[{ decision = "allow" }]';
    expect(await errorOf(() => setup('')({ overrides: [override] }))).toMatch(/^-c rules=\[\{ decision = "allow" \}\]: rules\[0\]\.pattern: expected /);
  });
});
