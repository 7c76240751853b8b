/**
 * One file's change as `git diff` writes it (`diff --git a/x b/x`, mode lines, `--- /dev/null` for a new file,
 * `+++ /dev/null` for a deleted one, hunks with 3 lines of context), from its content before and after. Used for the
 * task's diff (`turn_diff`), which `git apply` can take. Pure.
 */
import { lineSpans } from './line-diff.ts';
import { sameBytes } from './plan-hunks.ts';
import { decodeText, type TextFile } from './text-file.ts';
import { diffHunks } from './unified-diff.ts';

/** A file's content; null means no file. */
export interface FileVersion {
  bytes: Uint8Array;
  /** Permission bits; null for a new file with the default mode. */
  mode: number | null;
}

/** '' when nothing changed. `label` is the path git would show (relative, forward slashes). */
export function gitFileDiff(label: string, before: FileVersion | null, after: FileVersion | null): string {
  if (before === null && after === null) return '';
  const header = [`diff --git a/${label} b/${label}`];
  if (before === null) header.push(`new file mode ${gitMode(after!.mode)}`);
  else if (after === null) header.push(`deleted file mode ${gitMode(before.mode)}`);
  else {
    const modeChanged = after.mode !== null && gitMode(before.mode) !== gitMode(after.mode);
    if (!modeChanged && sameBytes(before.bytes, after.bytes)) return '';
    if (modeChanged) header.push(`old mode ${gitMode(before.mode)}`, `new mode ${gitMode(after.mode)}`);
  }
  const oldName = before === null ? '/dev/null' : `a/${label}`;
  const newName = after === null ? '/dev/null' : `b/${label}`;
  const oldText = textOf(before);
  const newText = textOf(after);
  if (oldText === null || newText === null) return [...header, `Binary files ${oldName} and ${newName} differ`, ''].join('\n');
  const hunks = diffHunks(oldText, newText, lineSpans(oldText, newText));
  // A mode change alone, or an empty file added or deleted, has no hunks and, like git, no ---/+++ lines.
  if (hunks === '') return header.join('\n') + '\n';
  return [...header, `--- ${oldName}`, `+++ ${newName}`].join('\n') + '\n' + hunks;
}

/** The text of a version as git sees it; an absent file reads as empty, a binary one as null. */
function textOf(version: FileVersion | null): TextFile | null {
  if (version === null) return { encoding: 'utf8', bom: false, lines: [], eols: [] };
  const decoded = decodeText(version.bytes);
  return decoded.type === 'text' ? gitLines(decoded.file) : null;
}

/**
 * git splits lines at LF only: a CR is part of the line's text. Keeping it there is what makes the diff of a CRLF
 * (or lone-CR) file apply with `git apply`.
 */
function gitLines(file: TextFile): TextFile {
  if (file.eols.every((eol) => eol === '\n' || eol === '')) return file;
  const lines: string[] = [];
  const eols: string[] = [];
  let pending = '';
  for (const [index, line] of file.lines.entries()) {
    const eol = file.eols[index]!;
    if (eol === '\r') {
      pending += line + '\r';
      continue;
    }
    lines.push(pending + line + (eol === '\r\n' ? '\r' : ''));
    eols.push(eol === '' ? '' : '\n');
    pending = '';
  }
  if (pending !== '') {
    lines.push(pending);
    eols.push('');
  }
  return { ...file, lines, eols };
}

/** git records only whether a file is executable. */
function gitMode(mode: number | null): string {
  return mode !== null && (mode & 0o111) !== 0 ? '100755' : '100644';
}
