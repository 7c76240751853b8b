import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { appendAllowRule, tomlString } from './rules-file.ts';

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'keel-rules-file-'));
}

const EXISTING = `# my settings
model = "gpt-5"   # keep this comment

[shell_environment_policy]
inherit = "core"

[[rules]]
pattern = ["git", "push"]
decision = "forbidden"`;

describe('appendAllowRule', () => {
  it('appends a [[rules]] entry and keeps every byte of the file before it', async () => {
    const path = join(dir(), 'config.toml');
    writeFileSync(path, EXISTING);
    chmodSync(path, 0o640);
    const result = await appendAllowRule(path, { pattern: ['npm', 'run', 'test'] });
    expect(result).toEqual({ type: 'saved', path, rule: '[[rules]]; pattern = ["npm", "run", "test"]; decision = "allow"' });
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith(`${EXISTING}\n\n`)).toBe(true);
    const parsed = parse(text) as { model: string; shell_environment_policy: object; rules: object[] };
    expect(parsed.model).toBe('gpt-5');
    expect(parsed.shell_environment_policy).toEqual({ inherit: 'core' });
    expect(parsed.rules).toEqual([
      { pattern: ['git', 'push'], decision: 'forbidden' },
      { pattern: ['npm', 'run', 'test'], decision: 'allow' },
    ]);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    // No temporary file is left behind.
    expect(readdirSync(join(path, '..'))).toEqual(['config.toml']);
  });

  it('creates the file (mode 0600) when there is none, and does not add the same rule twice', async () => {
    const path = join(dir(), 'home', 'config.toml');
    expect((await appendAllowRule(path, { pattern: ['make'], justification: 'builds only' })).type).toBe('saved');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const once = readFileSync(path, 'utf8');
    expect(parse(once)).toEqual({ rules: [{ pattern: ['make'], decision: 'allow', justification: 'builds only' }] });
    expect((await appendAllowRule(path, { pattern: ['make'], justification: 'builds only' })).type).toBe('already_there');
    expect(readFileSync(path, 'utf8')).toBe(once);
  });

  it('writes words with quotes, backslashes and control characters so that they read back exactly', async () => {
    const path = join(dir(), 'config.toml');
    const pattern = ['printf', 'a "b" \\n', 'tab\there', 'del\u007f', 'é ✓'];
    expect((await appendAllowRule(path, { pattern })).type).toBe('saved');
    expect((parse(readFileSync(path, 'utf8')) as { rules: { pattern: string[] }[] }).rules[0]!.pattern).toEqual(pattern);
    expect(tomlString('a"\\\n')).toBe('"a\\"\\\\\\u000a"');
  });

  it('edits the file a symlink points to, so the link stays a link', async () => {
    const root = dir();
    const real = join(root, 'dotfiles-config.toml');
    writeFileSync(real, 'model = "x"\n');
    symlinkSync(real, join(root, 'config.toml'));
    const result = await appendAllowRule(join(root, 'config.toml'), { pattern: ['ls'] });
    expect(result).toMatchObject({ type: 'saved', path: real });
    expect(statSync(join(root, 'config.toml')).isFile()).toBe(true);
    expect(readFileSync(join(root, 'config.toml'), 'utf8')).toContain('pattern = ["ls"]');
  });

  it('does not touch a file it cannot safely add to', async () => {
    const cases: [string, RegExp][] = [
      ['model = "unterminated', /is not valid TOML as it is/],
      ['rules = "none"', /rules is not a list of \[\[rules\]\] tables/],
      ['rules = [{ pattern = ["ls"], decision = "allow" }]', /cannot be appended without changing what the file says/],
    ];
    for (const [text, reason] of cases) {
      const path = join(dir(), 'config.toml');
      writeFileSync(path, text);
      const result = await appendAllowRule(path, { pattern: ['npm', 'test'] });
      expect(result, text).toEqual({ type: 'not_saved', reason: expect.stringMatching(reason) });
      expect(readFileSync(path, 'utf8')).toBe(text);
      expect(readdirSync(join(path, '..'))).toEqual(['config.toml']);
    }
    expect(await appendAllowRule(join(dir(), 'config.toml'), { pattern: [] })).toMatchObject({ type: 'not_saved' });
    // A config.toml that is a directory (or unreadable) is reported, not thrown.
    const odd = join(dir(), 'config.toml');
    mkdirSync(odd);
    expect(await appendAllowRule(odd, { pattern: ['ls'] })).toEqual({ type: 'not_saved', reason: expect.stringMatching(/cannot be updated: /) });
    expect(await appendAllowRule(join(dir(), 'config.toml'), { pattern: ['git', ''] })).toMatchObject({ type: 'not_saved' });
  });
});
