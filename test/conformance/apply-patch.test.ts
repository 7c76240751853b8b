/**
 * The apply_patch conformance suite (`../shared/conformance/apply-patch`), judged as its README says: each scenario's
 * input is copied to a fresh folder, `keel apply_patch <patch>` runs there as a child process, and the whole tree
 * (folders included, files byte for byte) must equal `expected/`. Two project rules on top of upstream's: 015's
 * expected tree is its input (patches are all or nothing), and the exit status must say whether the patch applied.
 *
 * Needs `npm run build` (it runs bin/keel.js). KEEL_CONFORMANCE_IN_PROCESS=1 calls the command function in this
 * process instead, for when the bundle cannot be built; the default is always the real binary.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPatchCommand } from '../../src/tools/apply-patch/command.ts';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../..');
const suite = resolve(repoRoot, '../shared/conformance/apply-patch');
const scenariosDir = join(suite, 'scenarios');
const keelBin = join(repoRoot, 'bin/keel.js');
const inProcess = process.env.KEEL_CONFORMANCE_IN_PROCESS === '1';

/** The README's stricter check: these report failure, every other scenario success. */
const FAILING = new Set(['005', '006', '007', '008', '009', '012', '013', '015']);

const scenarios = readdirSync(scenariosDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

type Tree = Record<string, string>;

/** Every entry under `root`: folders as `<dir>`, files as their exact bytes (text when it round-trips, else base64). */
function snapshot(root: string | null): Tree {
  const tree: Tree = {};
  if (root === null || !existsSync(root)) return tree;
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      const key = relative(root, path).split('\\').join('/');
      // Follows symbolic links, as the newer upstream runner does.
      if (statSync(path).isDirectory()) {
        tree[key] = '<dir>';
        walk(path);
      } else {
        const bytes = readFileSync(path);
        const text = bytes.toString('utf8');
        tree[key] = Buffer.from(text, 'utf8').equals(bytes) ? `text:${text}` : `base64:${bytes.toString('base64')}`;
      }
    }
  };
  walk(root);
  return tree;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

async function runApplyPatch(patch: string, cwd: string): Promise<Run> {
  if (inProcess) {
    let stdout = '';
    let stderr = '';
    const status = await applyPatchCommand([patch], {
      cwd,
      readStdin: async () => '',
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
    });
    return { status, stdout, stderr };
  }
  const child = spawnSync(process.execPath, [keelBin, 'apply_patch', patch], { cwd, encoding: 'utf8', timeout: 20_000 });
  if (child.error) throw child.error;
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

const workspaces: string[] = [];

afterAll(() => {
  for (const folder of workspaces) rmSync(folder, { recursive: true, force: true });
});

describe('apply_patch conformance suite', () => {
  beforeAll(() => {
    // A damaged fixture must fail loudly here, not show up as a puzzling engine bug below.
    const sums = readFileSync(join(suite, 'SHA256SUMS'), 'utf8').trim().split('\n');
    const damaged = sums.flatMap((line) => {
      const [sum, file] = line.split(/\s+\*?/, 2) as [string, string];
      const path = join(suite, file);
      if (!existsSync(path)) return [`${file}: missing`];
      const actual = createHash('sha256').update(readFileSync(path)).digest('hex');
      return actual === sum ? [] : [`${file}: checksum ${actual}, expected ${sum}`];
    });
    if (damaged.length > 0) throw new Error(`conformance fixtures damaged:\n${damaged.join('\n')}`);
    if (sums.length !== 81) throw new Error(`SHA256SUMS lists ${sums.length} files, expected 81`);
    if (!inProcess && !existsSync(join(repoRoot, 'dist/keel.mjs'))) {
      throw new Error('dist/keel.mjs is missing: run `npm run build` (or set KEEL_CONFORMANCE_IN_PROCESS=1)');
    }
  });

  it('has the 25 scenarios', () => {
    expect(scenarios).toHaveLength(25);
  });

  it.each(scenarios)('%s', async (name) => {
    const folder = join(scenariosDir, name);
    const input = existsSync(join(folder, 'input')) ? join(folder, 'input') : null;
    const workspace = mkdtempSync(join(tmpdir(), `keel-conformance-${name.slice(0, 3)}-`));
    workspaces.push(workspace);
    if (input !== null) cpSync(input, workspace, { recursive: true });

    const run = await runApplyPatch(readFileSync(join(folder, 'patch.txt'), 'utf8'), workspace);

    // 015: upstream keeps the operations before the failure; keel applies a patch whole or not at all.
    const expected = name.startsWith('015') ? snapshot(input) : snapshot(join(folder, 'expected'));
    expect(snapshot(workspace)).toEqual(expected);

    const failing = FAILING.has(name.slice(0, 3));
    expect({ status: run.status, stderr: run.stderr === '' ? '' : 'message' }).toEqual(
      failing ? { status: 1, stderr: 'message' } : { status: 0, stderr: '' },
    );
    if (!failing) expect(run.stdout).toMatch(/^Success\. Updated the following files:\n([AMD] .+\n)+$/);
  });
});
