import { chmodSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cutAtCharacter, loadProjectInstructions, readTextFileOrNull, type ProjectInstructionsOptions } from './project-instructions.ts';

/** A KEEL_HOME and a repository at `repo/` with a nested cwd `repo/packages/app/src`, holding the given files. */
function setup(files: Record<string, string>) {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'keel-agents-')));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  mkdirSync(join(root, 'repo/.git'), { recursive: true });
  mkdirSync(join(root, 'repo/packages/app/src'), { recursive: true });
  mkdirSync(join(root, 'home'), { recursive: true });
  const options: ProjectInstructionsOptions = {
    cwd: join(root, 'repo/packages/app/src'),
    repoRoot: join(root, 'repo'),
    home: join(root, 'home'),
    maxBytes: 32 * 1024,
    readFile: readTextFileOrNull,
  };
  return { root, options, load: (more: Partial<ProjectInstructionsOptions> = {}) => loadProjectInstructions({ ...options, ...more }) };
}

describe('loadProjectInstructions', () => {
  it('joins the user\'s file, then the repository root\'s down to the cwd\'s, and wraps them for the model', async () => {
    const s = setup({
      'home/AGENTS.md': 'Answer in English.\n',
      'repo/AGENTS.md': 'Run npm test before finishing.\n\n\n',
      'repo/packages/AGENTS.md': '   \n\n',
      'repo/packages/app/AGENTS.md': 'This package uses tabs.',
      'AGENTS.md': 'Above the repository: never read.',
    });
    const result = await s.load();
    const [user, top, app] = [join(s.root, 'home/AGENTS.md'), join(s.root, 'repo/AGENTS.md'), join(s.root, 'repo/packages/app/AGENTS.md')];
    expect(result.files).toEqual([
      { path: user, scope: 'user', bytes: 18, cut: false },
      { path: top, scope: 'project', bytes: 30, cut: false },
      { path: app, scope: 'project', bytes: 23, cut: false },
    ]);
    expect(result.omitted).toEqual([]);
    expect(result.problems).toEqual([]);
    expect(result.text).toBe(
      `--- ${user} ---\nAnswer in English.\n\n--- ${top} ---\nRun npm test before finishing.\n\n--- ${app} ---\nThis package uses tabs.`,
    );
    expect(result.message).toBe(`# AGENTS.md instructions for ${s.options.cwd}\n\n<INSTRUCTIONS>\n${result.text}\n</INSTRUCTIONS>`);
  });

  it('reads only the cwd\'s own file outside a repository', async () => {
    const s = setup({ 'repo/AGENTS.md': 'root', 'repo/packages/app/src/AGENTS.md': 'here' });
    const result = await s.load({ repoRoot: null });
    expect(result.files.map((file) => file.path)).toEqual([join(s.root, 'repo/packages/app/src/AGENTS.md')]);
  });

  it('reads the root\'s file when the cwd is the repository root', async () => {
    const s = setup({ 'repo/AGENTS.md': 'root' });
    const result = await s.load({ cwd: join(s.root, 'repo') });
    expect(result.files.map((file) => file.path)).toEqual([join(s.root, 'repo/AGENTS.md')]);
  });

  it('gives no message when there is nothing to say', async () => {
    const result = await setup({}).load();
    expect(result).toEqual({ files: [], omitted: [], problems: [], text: '', message: null });
  });

  it('reads nothing at all with a budget of 0', async () => {
    const s = setup({ 'repo/AGENTS.md': 'root' });
    let reads = 0;
    const result = await s.load({ maxBytes: 0, readFile: async () => (reads++, 'x') });
    expect(reads).toBe(0);
    expect(result.message).toBeNull();
  });

  it('cuts at the byte budget on a character boundary, says so, and lists what was left out', async () => {
    // "é" is two bytes: a budget ending inside it must not leave half a character.
    const s = setup({ 'repo/AGENTS.md': 'abcé', 'repo/packages/AGENTS.md': 'second', 'repo/packages/app/AGENTS.md': 'third' });
    const [top, packages, app] = [join(s.root, 'repo/AGENTS.md'), join(s.root, 'repo/packages/AGENTS.md'), join(s.root, 'repo/packages/app/AGENTS.md')];
    const result = await s.load({ maxBytes: 4 });
    expect(result.files).toEqual([{ path: top, scope: 'project', bytes: 3, cut: true }]);
    expect(result.omitted).toEqual([packages, app]);
    expect(result.text).toBe(
      `--- ${top} ---\nabc\n\n[keel: AGENTS.md text was cut at the 4-byte limit (project_doc_max_bytes); left out: ` +
        `the last 2 bytes of ${top}, ${packages}, ${app}]`,
    );
  });

  it('fits whole files in the budget exactly and cuts the next one', async () => {
    const s = setup({ 'home/AGENTS.md': '12345', 'repo/AGENTS.md': '67890' });
    const result = await s.load({ maxBytes: 8 });
    expect(result.files.map((file) => [file.bytes, file.cut])).toEqual([
      [5, false],
      [3, true],
    ]);
    expect(result.text).toContain('\n678\n\n[keel: AGENTS.md text was cut at the 8-byte limit');
  });

  it('reports a file it cannot read and goes on with the others', async () => {
    const s = setup({ 'repo/AGENTS.md': 'root', 'repo/packages/app/AGENTS.md': 'app' });
    const failing = join(s.root, 'repo/AGENTS.md');
    const result = await s.load({
      readFile: async (path) => {
        if (path === failing) throw new Error('EACCES: permission denied');
        return readTextFileOrNull(path);
      },
    });
    expect(result.problems).toEqual([`${failing}: EACCES: permission denied`]);
    expect(result.files.map((file) => file.path)).toEqual([join(s.root, 'repo/packages/app/AGENTS.md')]);
  });

  it('treats a folder named AGENTS.md as no file, and an unreadable file as a problem', async () => {
    const s = setup({ 'repo/AGENTS.md/.keep': '' });
    expect(await readTextFileOrNull(join(s.root, 'repo/AGENTS.md'))).toBeNull();
    expect(await readTextFileOrNull(join(s.root, 'missing/AGENTS.md'))).toBeNull();
    if (process.getuid?.() !== 0) {
      writeFileSync(join(s.root, 'locked.md'), 'x');
      chmodSync(join(s.root, 'locked.md'), 0o000);
      await expect(readTextFileOrNull(join(s.root, 'locked.md'))).rejects.toMatchObject({ code: 'EACCES' });
    }
  });
});

describe('cutAtCharacter', () => {
  it.each([
    ['hello', 10, 'hello'],
    ['hello', 3, 'hel'],
    ['héllo', 2, 'h'],
    ['héllo', 3, 'hé'],
    ['a😀b', 4, 'a'],
    ['a😀b', 5, 'a😀'],
    ['日本', 5, '日'],
    ['x', 0, ''],
  ])('cuts %j to %i bytes as %j', (text, maxBytes, expected) => {
    expect(cutAtCharacter(text, maxBytes)).toBe(expected);
  });
});
