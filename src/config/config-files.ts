/** Finding, reading and naming config files. */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { findRepoRoot } from '../util/git-info.ts';
import { ConfigError } from './config-error.ts';

export interface ProjectConfigFile {
  path: string;
  /** The directory holding `.keel/`: relative paths in the file are relative to it. */
  root: string;
}

/**
 * The nearest `.keel/config.toml` from `cwd` up to the repository root (only `cwd` itself outside a repository,
 * so that a stray file in a parent folder of unrelated work is not picked up). The user's own file is skipped:
 * with KEEL_HOME at `~/.keel`, starting in `~` must not read it a second time as a project file.
 */
export function findProjectConfig(cwd: string, userConfigPath: string): ProjectConfigFile | null {
  const start = resolve(cwd);
  const repoRoot = findRepoRoot(start);
  const stop = repoRoot !== null && isWithin(start, repoRoot) ? repoRoot : start;
  for (let dir = start; ; dir = dirname(dir)) {
    const path = join(dir, '.keel', 'config.toml');
    if (path !== resolve(userConfigPath) && isFile(path)) return { path, root: dir };
    if (dir === stop || dirname(dir) === dir) return null;
  }
}

/** The parsed file, or null when there is none. */
export async function readTomlFile(path: string, label: string): Promise<Record<string, unknown> | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError({ kind: 'io', file: label, operation: 'read' }, `${label}: cannot read the file: ${reason}`, { cause: error });
  }
  try {
    return parse(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document:\s*/, '');
    throw new ConfigError(
      { kind: 'syntax', file: label, line: error.line, column: error.column },
      `${label}:${error.line}:${error.column}: TOML syntax error: ${reason}\n${error.codeblock}`,
      { cause: error },
    );
  }
}

/** `~/.keel/config.toml` rather than `/home/someone/.keel/config.toml`: shorter, and what people type. */
export function displayPath(path: string, homeDir: string | undefined): string {
  if (homeDir === undefined || homeDir === '') return path;
  const home = resolve(homeDir);
  return isWithin(path, home) && path !== home ? `~${sep}${relative(home, path)}` : path;
}

function isWithin(path: string, parent: string): boolean {
  const rel = relative(parent, path);
  return !isAbsolute(rel) && rel.split(sep)[0] !== '..';
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    // Unreadable parent directories just mean there is no project file to use.
    return false;
  }
}
