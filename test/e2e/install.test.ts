/**
 * keel installs like any npm CLI: the packed tarball holds only what runs (the bundle, the schemas, README, the
 * license), installs into a fresh prefix without the network (nothing is left to download: everything is bundled),
 * and the installed `keel` answers --version and runs a task against the scripted server.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { respond, text } from '../../src/scripted/script-builders.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

it('packs only what runs, installs offline into a fresh prefix, and the installed keel works', async () => {
  const work = mkdtempSync(join(tmpdir(), 'keel-install-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' })) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  const files = packed[0]!.files.map((file) => file.path).sort();
  expect(files).toContain('bin/keel.js');
  expect(files).toContain('dist/keel.mjs');
  expect(files).toContain('schema/event.schema.json');
  expect(files).toContain('README.md');
  expect(files).toContain('LICENSE');
  expect(files.filter((path) => !/^(bin\/|dist\/|schema\/|README\.md$|LICENSE$|package\.json$)/.test(path))).toEqual([]);
  expect(files.filter((path) => path.endsWith('.map'))).toEqual([]);

  const prefix = join(work, 'prefix');
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', join(work, packed[0]!.filename)], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, npm_config_cache: join(work, 'npm-cache') },
  });
  const keel = join(prefix, 'bin', 'keel');
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
  expect(execFileSync(keel, ['--version'], { encoding: 'utf8' })).toBe(`keel ${version}\n`);

  const server = await useScriptedServer([respond(text('installed and working'))]);
  const home = mkdtempSync(join(tmpdir(), 'keel-install-home-'));
  // Asynchronously: the scripted server answers from this very process.
  const { stdout: out } = await run(keel, ['exec', 'say hi'], {
    cwd: mkdtempSync(join(tmpdir(), 'keel-install-cwd-')),
    env: { ...process.env, KEEL_HOME: home, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'test-key' },
  });
  expect(out).toBe('installed and working\n');
}, 120_000);
