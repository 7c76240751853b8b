/**
 * Saves "allow this command from now on" as a `[[rules]]` entry at the end of the person's config.toml. Every other
 * byte of the file stays as it was: the entry is appended as text, never by re-serialising the file. Before
 * anything is written, the new text is parsed and must say exactly what the old one said plus the one rule; the
 * file is then replaced in one rename (a temporary file next to the real one, flushed first), so a crash leaves the
 * old file or the new one, never half of either. A file that already cannot be read is not touched.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse } from 'smol-toml';

export type SaveRuleResult =
  | { type: 'saved'; path: string; rule: string }
  | { type: 'already_there'; path: string; rule: string }
  | { type: 'not_saved'; reason: string };

export interface AllowRuleEntry {
  /** Literal words: the command's program and arguments. */
  pattern: readonly string[];
  justification?: string;
}

const MARK = '# Added by keel: you approved this command for good.';

export async function appendAllowRule(configPath: string, entry: AllowRuleEntry): Promise<SaveRuleResult> {
  if (entry.pattern.length === 0 || entry.pattern.some((word) => word === '')) return { type: 'not_saved', reason: 'the rule would have an empty word' };
  const target = await resolveTarget(configPath);
  const block = ruleBlock(entry);
  try {
    // Another keel may save a rule at the same moment: write only over the text this decision was made on.
    for (let attempt = 0; attempt < 3; attempt++) {
      const before = await readOrEmpty(target);
      const prepared = prepare(before, entry, block, target);
      if (prepared.type !== 'ready') return prepared.result;
      const written = await replaceIfUnchanged(target, before, prepared.text);
      if (written) return { type: 'saved', path: target, rule: shownRule(block) };
    }
  } catch (error) {
    return { type: 'not_saved', reason: `${target} cannot be updated: ${error instanceof Error ? error.message : String(error)}` };
  }
  return { type: 'not_saved', reason: `${target} kept changing while the rule was being saved; try again` };
}

type Prepared = { type: 'ready'; text: string } | { type: 'done'; result: SaveRuleResult };

function prepare(before: string, entry: AllowRuleEntry, block: string, target: string): Prepared {
  const old = parseOrNull(before);
  if (old === null) return { type: 'done', result: { type: 'not_saved', reason: `${target} is not valid TOML as it is; fix it first, then approve again` } };
  const rules = old.rules;
  if (rules !== undefined && !(Array.isArray(rules) && rules.every(isPlainTable))) {
    return { type: 'done', result: { type: 'not_saved', reason: `${target}: rules is not a list of [[rules]] tables; not touching it` } };
  }
  const wanted = { pattern: [...entry.pattern], decision: 'allow', ...(entry.justification ? { justification: entry.justification } : {}) };
  if ((rules ?? []).some((rule) => sameJson(rule, wanted))) return { type: 'done', result: { type: 'already_there', path: target, rule: shownRule(block) } };
  const separator = before === '' || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
  const text = `${before}${separator}${block}`;
  const after = parseOrNull(text);
  // Appending a [[rules]] table can only add that table; anything else means the file is not what it seemed.
  const { rules: newRules, ...restAfter } = after ?? {};
  const { rules: _oldRules, ...restBefore } = old;
  const added = Array.isArray(newRules) ? newRules.at(-1) : undefined;
  if (after === null || !Array.isArray(newRules) || newRules.length !== (rules ?? []).length + 1 || !sameJson(added, wanted) || !sameJson(restAfter, restBefore)) {
    return { type: 'done', result: { type: 'not_saved', reason: `${target}: the rule cannot be appended without changing what the file says (is rules set as an inline array?)` } };
  }
  return { type: 'ready', text };
}

function ruleBlock(entry: AllowRuleEntry): string {
  const lines = [MARK, '[[rules]]', `pattern = [${entry.pattern.map(tomlString).join(', ')}]`, 'decision = "allow"'];
  if (entry.justification) lines.push(`justification = ${tomlString(entry.justification)}`);
  return `${lines.join('\n')}\n`;
}

/** The entry without its comment, on one line: `[[rules]]; pattern = ["npm", "test"]; decision = "allow"`. */
function shownRule(block: string): string {
  return block.trimEnd().split('\n').slice(1).join('; ');
}

/** A TOML basic string: quotes, backslashes and every control character (DEL too) escaped. */
export function tomlString(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

/** A config.toml that is a symlink (dotfiles) is edited where it points, so the link stays a link. */
async function resolveTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    // No file yet: it is created where it is asked for.
    return path;
  }
}

async function readOrEmpty(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

async function replaceIfUnchanged(path: string, before: string, text: string): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true });
  const mode = await stat(path).then(
    (info) => info.mode & 0o777,
    () => 0o600,
  );
  const temporary = join(dirname(path), `.config.toml.keel-${randomBytes(6).toString('hex')}`);
  const handle = await open(temporary, 'wx', mode);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if ((await readOrEmpty(path)) !== before) {
      await unlink(temporary);
      return false;
    }
    await rename(temporary, path);
    return true;
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

function parseOrNull(text: string): Record<string, unknown> | null {
  try {
    return parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function isPlainTable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
