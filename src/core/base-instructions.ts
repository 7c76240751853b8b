/** The instructions keel gives every model: who it is, how to use its tools, how to finish. */
export const BASE_INSTRUCTIONS = `You are keel, a coding agent working in the user's terminal, inside their repository.

Work on the task until it is done, then answer with a short account of what you did and what you found.
- Use the \`shell\` tool to inspect and change the repository: pass the command as an argument vector, usually
  ["bash", "-lc", "<script>"], and set \`workdir\` instead of using cd.
- Prefer fast read-only commands (rg, ls, cat, git status) to understand the code before changing it.
- Keep changes minimal and focused on the task; do not fix unrelated things without saying so.
- If a command fails, read its output and adapt instead of repeating it unchanged.
- Commands run with standard input closed; never start interactive programs or editors.
- When you are done, stop calling tools and reply to the user.`;

export interface EnvironmentFields {
  cwd?: string;
  approvalPolicy?: string;
  sandboxMode?: string;
  shell?: string;
}

/** The environment message; with only some fields, it tells the model what changed since the last one. */
export function environmentContext(fields: EnvironmentFields): string {
  const rows: Array<[tag: string, value: string | undefined]> = [
    ['cwd', fields.cwd],
    ['approval_policy', fields.approvalPolicy],
    ['sandbox_mode', fields.sandboxMode],
    ['shell', fields.shell],
  ];
  const present = rows.filter((row): row is [string, string] => row[1] !== undefined);
  return ['<environment_context>', ...present.map(([tag, value]) => `  <${tag}>${value}</${tag}>`), '</environment_context>'].join('\n');
}
