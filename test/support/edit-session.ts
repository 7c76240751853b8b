/**
 * A session of three prompts whose tasks edit a git repository, shared by the fork tests: task 2 edits a tracked
 * file in place and creates one, task 3 edits another, so a fork at prompt 2 has files to put back.
 */
export const EDIT_PROMPTS = ['add a line to first.txt', 'fix the notes and make made.txt', 'now edit other.txt'] as const;
/** The shell command each of EDIT_PROMPTS' tasks runs. */
export const EDITS = [
  "printf 'added by task 1\\n' >> first.txt",
  "sed -i 's/beta/BETA/' notes.txt && printf 'made by task 2\\n' > made.txt",
  "printf 'edited by task 3' > other.txt",
] as const;
/** The repository's files as committed; CRLF and no final newline, so that "byte for byte" means something. */
export const COMMITTED: Record<string, string> = { 'first.txt': 'first\n', 'notes.txt': 'alpha\r\nbeta\r\ngamma', 'other.txt': 'other\r\n' };
