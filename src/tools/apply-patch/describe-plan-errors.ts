/**
 * The model-facing text for a patch that does not apply. Written so the model can fix its patch in one try: every
 * failing operation and chunk at once, each with the patch line it comes from, what the file really contains nearby
 * (with line numbers) and the first line that differs, quoted so that tabs and trailing spaces are visible. Pure.
 */
import type { ShownLine } from './apply-chunks.ts';
import type { LineDifference } from './closest-region.ts';
import type { PlanError } from './plan-hunks.ts';

const MAX_ERRORS = 10;
const MAX_EXPECTED_LINES = 15;
const MAX_SHOWN_WIDTH = 200;

const HEADERS: Record<PlanError['operation'], string> = {
  add: '*** Add File:',
  delete: '*** Delete File:',
  update: '*** Update File:',
};

export function describePlanErrors(errors: readonly PlanError[]): string {
  const problems = errors.length === 1 ? 'this problem' : `these ${errors.length} problems`;
  const parts = [
    'The patch was not applied, and no file was changed (a patch applies in full or not at all). ' +
      `Fix ${problems} and send the whole corrected patch again:`,
  ];
  for (const [index, error] of errors.slice(0, MAX_ERRORS).entries()) {
    const where = error.hunkLine > 0 ? ` (patch line ${error.hunkLine})` : '';
    parts.push(`${index + 1}. ${HEADERS[error.operation]} ${error.path}${where}: ${describeOne(error)}`);
  }
  if (errors.length > MAX_ERRORS) parts.push(`… and ${errors.length - MAX_ERRORS} more problems of the same kind.`);
  return parts.join('\n\n');
}

function describeOne(error: PlanError): string {
  const path = error.path;
  switch (error.kind) {
    case 'file_not_found':
      return error.operation === 'delete'
        ? 'this file does not exist, so it cannot be deleted.'
        : `this file does not exist. To create it, use '*** Add File: ${path}' with every line prefixed by '+'.`;
    case 'not_a_file':
      return error.found === 'directory'
        ? `'${path}' is a directory; apply_patch adds, updates and deletes files only.`
        : `'${path}' is not a regular file; apply_patch adds, updates and deletes regular files only.`;
    case 'unreadable':
      return `the file cannot be edited as text: ${error.reason}.`;
    case 'unencodable':
      return (
        `the file is not UTF-8 (its bytes are kept as they are), and the new text puts ${quote(error.char)} ` +
        `(U+${error.char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) on line ${error.line}, which ` +
        'its 8-bit encoding cannot hold. Use characters the file can hold, or rewrite it whole with Add File.'
      );
    case 'already_applied':
      return (
        `the chunk at patch line ${error.chunkLine} looks already applied: its old lines are not in the file, but its new ` +
        `lines are, at line ${error.at}. Re-read the file; if the change is already there, leave this chunk out.`
      );
    case 'anchor_not_found': {
      const earlier =
        error.foundEarlierAt === null
          ? ' Re-read the file and use a line that exists in it, or a bare @@.'
          : ` It is at line ${error.foundEarlierAt}, before where the previous chunk matched: chunks must follow the order of the file.`;
      return `the context line '@@ ${error.anchor}' of the chunk at patch line ${error.chunkLine} was not found from line ${error.searchedFrom} on.${earlier}`;
    }
    case 'lines_not_found':
      return describeMissingLines(error);
  }
}

function describeMissingLines(error: Extract<PlanError, { kind: 'lines_not_found' }>): string {
  const scope = error.endOfFile ? 'at the end of the file (the chunk ends with *** End of File)' : `from line ${error.searchedFrom} on`;
  const lines = [`the chunk at patch line ${error.chunkLine} does not match the file. These lines were not found ${scope}:`];
  for (const line of error.expected.slice(0, MAX_EXPECTED_LINES)) lines.push(`    ${clip(line)}`);
  if (error.expected.length > MAX_EXPECTED_LINES) lines.push(`    … (${error.expected.length - MAX_EXPECTED_LINES} more lines)`);

  if (error.foundEarlierAt !== null) {
    lines.push(
      `They are at line ${error.foundEarlierAt}, before where the previous chunk matched: chunks of one file must follow ` +
        'the order of its lines.',
    );
  } else if (error.closest === null || error.shown.length === 0) {
    lines.push('None of these lines is in the file. Re-read the file and copy the lines to change exactly.');
  } else {
    const first = error.shown[0]!.line;
    const last = error.shown[error.shown.length - 1]!.line;
    lines.push(`The closest part of the file is at lines ${first}-${last}:`);
    lines.push(...error.shown.map(numbered));
    if (error.closest.difference !== null) lines.push(describeDifference(error.closest.difference));
  }
  return lines.join('\n');
}

function numbered(shown: ShownLine): string {
  return `  ${String(shown.line).padStart(6)} | ${clip(shown.text)}`;
}

function describeDifference(difference: LineDifference): string {
  const line = difference.fileIndex + 1;
  if (difference.actual === null) {
    const edge = difference.fileIndex < 0 ? 'starts' : 'ends';
    return `The file ${edge} before the patch's line ${quote(difference.expected)}.`;
  }
  const [actual, expected] = aroundFirstDifference(difference.actual, difference.expected);
  return `First difference, at line ${line}: the file has ${actual} where the patch has ${expected}.`;
}

/** Both lines quoted; long ones cut to a window around the first differing character, with its column. */
function aroundFirstDifference(actual: string, expected: string): [string, string] {
  if (actual.length <= MAX_SHOWN_WIDTH && expected.length <= MAX_SHOWN_WIDTH) return [quote(actual), quote(expected)];
  let column = 0;
  while (column < actual.length && column < expected.length && actual[column] === expected[column]) column++;
  const from = Math.max(0, column - 60);
  const cut = (text: string) => (from > 0 ? '…' : '') + quote(text.slice(from, from + 120)) + (text.length > from + 120 ? '…' : '');
  return [`${cut(actual)} (from column ${from + 1})`, cut(expected)];
}

/** JSON quoting shows tabs, trailing spaces and invisible characters, which are exactly what models get wrong. */
function quote(text: string): string {
  return JSON.stringify(text);
}

function clip(text: string): string {
  return text.length > MAX_SHOWN_WIDTH ? `${text.slice(0, MAX_SHOWN_WIDTH)}… (${text.length} characters)` : text;
}
