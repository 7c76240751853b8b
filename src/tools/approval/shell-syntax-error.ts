/** Thrown inside the shell parser for anything it cannot read exactly; `parseShell` turns it into "unparsable". */
export class ShellSyntaxError extends Error {
  readonly kind = 'shell_syntax';
}
