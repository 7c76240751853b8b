/**
 * What the model reads about the `shell` tool. Kept as a TypeScript string (not a .txt import) so that vitest, tsx
 * and esbuild all load it without a loader or a module declaration.
 */
export const SHELL_DESCRIPTION = `Runs a command on the user's machine and returns what it printed.

\`command\` is an argv array that is executed directly, without a shell. For pipes, redirections, globs, \`&&\`,
environment variables or any other shell syntax, run a shell explicitly: ["bash", "-lc", "<script>"].

Set \`workdir\` to the directory the command should run in rather than starting the script with \`cd\`.

The command gets no input (stdin is empty), so anything that waits for an answer fails instead of hanging. It is
stopped, with every process it started, when it runs longer than \`timeout_ms\`. Processes put in the background
with \`&\` do not outlive the call either: once the command exits, whatever it left running is stopped.

The result is JSON: {"output": stdout and stderr interleaved, "metadata": {"exit_code": n, "duration_seconds": s}}.
Long output keeps its first and last lines, with a line in between saying how much was left out; to see a
specific part, re-run the command narrowed down (for example with grep, head, tail or sed -n).`;

export const COMMAND_DESCRIPTION = 'The command to run, as argv: program first, then each argument.';
export const WORKDIR_DESCRIPTION = 'Directory to run the command in, absolute or relative to the current one.';
export function timeoutDescription(defaultTimeoutMs: number): string {
  return `Stop the command after this many milliseconds (default ${defaultTimeoutMs}).`;
}
