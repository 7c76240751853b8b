/** How a command is shown to people: the script of a `sh -c SCRIPT` style argv as typed, anything else quoted. */
import { quoteArgv } from './shell-quote.ts';

const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh']);

/** `['/bin/bash', '-lc', 'npm run dev']` → `npm run dev`; `['python3', '-c', 'x']` → `python3 -c x` (quoted). */
export function scriptOf(argv: readonly string[]): string {
  const [program, flag, script] = argv;
  const shell = program?.slice(program.lastIndexOf('/') + 1) ?? '';
  if (argv.length === 3 && SHELLS.has(shell) && /^-[a-z]*c$/.test(flag ?? '') && script !== undefined) return script;
  return quoteArgv(argv);
}
