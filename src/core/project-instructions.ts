/**
 * AGENTS.md files: the user's own (`$KEEL_HOME/AGENTS.md`) first, then one per directory from the repository
 * root down to the cwd, so that the most specific instructions come last and win where they disagree. Their text
 * is joined under one byte budget and given to the model as a user-instructions message.
 *
 * The message is
 *
 *     # AGENTS.md instructions for <cwd>
 *
 *     <INSTRUCTIONS>
 *     --- <path of the first file> ---
 *     <its text>
 *
 *     --- <path of the next file> ---
 *     <its text>
 *     </INSTRUCTIONS>
 *
 * Each file keeps its path because an AGENTS.md applies to the folder it sits in: the model needs to know which
 * folder each part speaks for. The budget counts the files' own bytes (UTF-8); the wrapper, the path lines and
 * the note saying that text was cut are outside it.
 */
import { readFile } from 'node:fs/promises';
import { join, relative, resolve, sep, isAbsolute } from 'node:path';

export const AGENTS_FILE_NAME = 'AGENTS.md';

export interface ProjectInstructionsOptions {
  cwd: string;
  /** The repository's top directory, or null outside a repository (then only the cwd's own AGENTS.md is read). */
  repoRoot: string | null;
  /** KEEL_HOME, where the user's own AGENTS.md lives. */
  home: string;
  /** Budget for the files' text in bytes; 0 reads nothing. */
  maxBytes: number;
  /** The file's text, or null when there is no such file. Throwing means the file exists but cannot be read. */
  readFile: (path: string) => Promise<string | null>;
}

export interface InstructionFile {
  path: string;
  scope: 'user' | 'project';
  /** Bytes of this file given to the model. */
  bytes: number;
  /** True when the budget ran out inside this file. */
  cut: boolean;
}

export interface ProjectInstructions {
  /** The files whose text is used, in order (for `/status`). Empty and whitespace-only files are not listed. */
  files: InstructionFile[];
  /** Files left out entirely because the budget was spent before them. */
  omitted: string[];
  /** Files that exist but could not be read, each with the reason, for a front end to show as a warning. */
  problems: string[];
  /** The joined text with the path lines (and the note, when cut); empty when there are no files. */
  text: string;
  /** The user-instructions message for the model, or null when there is nothing to say. */
  message: string | null;
}

export async function loadProjectInstructions(options: ProjectInstructionsOptions): Promise<ProjectInstructions> {
  const result: ProjectInstructions = { files: [], omitted: [], problems: [], text: '', message: null };
  if (options.maxBytes <= 0) return result;
  const candidates = candidatePaths(options);
  const sections: string[] = [];
  let remaining = options.maxBytes;
  let cutNote: string | null = null;
  for (const { path, scope } of candidates) {
    let content: string | null;
    try {
      content = await options.readFile(path);
    } catch (error) {
      result.problems.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    // Trailing blank lines would only pile up between sections.
    const body = content?.trimEnd() ?? '';
    if (body.trim() === '') continue;
    if (remaining <= 0) {
      result.omitted.push(path);
      continue;
    }
    const whole = Buffer.byteLength(body, 'utf8');
    if (whole <= remaining) {
      remaining -= whole;
      result.files.push({ path, scope, bytes: whole, cut: false });
      sections.push(`--- ${path} ---\n${body}`);
      continue;
    }
    const taken = cutAtCharacter(body, remaining);
    const bytes = Buffer.byteLength(taken, 'utf8');
    remaining = 0;
    if (bytes === 0) {
      result.omitted.push(path);
      continue;
    }
    cutNote = `${whole - bytes} bytes of ${path}`;
    result.files.push({ path, scope, bytes, cut: true });
    sections.push(`--- ${path} ---\n${taken}`);
  }
  if (sections.length === 0) return result;
  const leftOut = [...(cutNote === null ? [] : [`the last ${cutNote}`]), ...result.omitted];
  if (leftOut.length > 0) {
    // Said to the model too, so that it does not take a half-read file for the whole of it.
    sections.push(`[keel: AGENTS.md text was cut at the ${options.maxBytes}-byte limit (project_doc_max_bytes); left out: ${leftOut.join(', ')}]`);
  }
  result.text = sections.join('\n\n');
  result.message = `# AGENTS.md instructions for ${options.cwd}\n\n<INSTRUCTIONS>\n${result.text}\n</INSTRUCTIONS>`;
  return result;
}

/** Reads a file as UTF-8, with null for "no such file" (including a folder named AGENTS.md). */
export async function readTextFileOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return null;
    throw error;
  }
}

function candidatePaths(options: ProjectInstructionsOptions): { path: string; scope: InstructionFile['scope'] }[] {
  const cwd = resolve(options.cwd);
  const root = options.repoRoot === null ? null : resolve(options.repoRoot);
  const rel = root === null ? null : relative(root, cwd);
  // Never above the repository; a cwd outside the given root is treated like no repository at all.
  const inside = root !== null && rel !== null && !isAbsolute(rel) && rel.split(sep)[0] !== '..';
  const dirs = [inside ? root : cwd];
  if (inside && rel !== '') {
    let dir = root;
    for (const segment of rel.split(sep)) dirs.push((dir = join(dir, segment)));
  }
  const userPath = join(resolve(options.home), AGENTS_FILE_NAME);
  const project = dirs.map((dir) => join(dir, AGENTS_FILE_NAME)).filter((path) => path !== userPath);
  return [{ path: userPath, scope: 'user' }, ...project.map((path) => ({ path, scope: 'project' as const }))];
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8 without splitting a character. */
export function cutAtCharacter(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  // Continuation bytes look like 10xxxxxx; step back to the first byte of the character that would be split.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}
