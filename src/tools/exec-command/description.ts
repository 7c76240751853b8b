/** What the model reads about `exec_command` and `write_stdin`. */
export const EXEC_COMMAND_DESCRIPTION = `Runs a shell command on the user's machine and returns its output, or a session ID when it is still running.

\`cmd\` is a shell script, run with \`bash -lc\` (or \`shell\`). Set \`workdir\` rather than starting the script with \`cd\`.

The call waits up to \`yield_time_ms\` (default 10000, at most 30000). A command that ends by then answers with
"Process exited with code N" and its output. One that is still running keeps running in the background and the
answer says "Process running with session ID N": read its new output, or send it input, with write_stdin. Use this
for dev servers, watchers and long test runs; keep working while they run. Set \`tty\` to true for programs that
need a terminal (interactive prompts, REPLs). Without a terminal the command's input is a pipe that write_stdin
writes to.

Background processes never outlive the session, and only a few may run at once: when a command is refused because
too many run, wait for one to end or ask the user to stop one.

Output over \`max_output_tokens\` (default 10000) keeps its first and last lines with a note of what was left out.`;

export const WRITE_STDIN_DESCRIPTION = `Writes characters to the input of a process exec_command left running, and returns its new output.

\`session_id\` is the number from "Process running with session ID N". Leave \`chars\` empty to only read what the
process printed since the last call. Send "\\n" to end a line, "\\u0003" for Ctrl+C (with tty). The call waits up to
\`yield_time_ms\` (default 250, at most 30000) for output; the answer says whether the process is still running or
its exit code.`;
