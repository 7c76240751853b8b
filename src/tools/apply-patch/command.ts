/**
 * `keel apply_patch [PATCH]`: applies a patch in the current directory, like the standalone `apply_patch` program
 * models know. The patch is the one argument, or stdin when there is none. Success prints the summary on stdout and
 * exits 0; any failure prints the error on stderr and exits 1, having changed nothing (all or nothing).
 */
import { applyPatch } from './apply-patch.ts';

export interface CommandIo {
  cwd: string;
  readStdin(): Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
}

const USAGE = `Usage: keel apply_patch [PATCH]

Applies PATCH (or, without an argument, the patch read from stdin) to files under the current directory.
A patch looks like:

*** Begin Patch
*** Add File: path/new.txt
+first line of the new file
*** Update File: path/existing.txt
@@ optional line to position the change
 context line
-line to remove
+line to add
*** Delete File: path/old.txt
*** End Patch

A patch applies in full or not at all. Prints "Success. Updated the following files:" and the files
(A added, M modified, D deleted) and exits 0; or prints the error on stderr and exits 1.
`;

export async function applyPatchCommand(args: string[], io: CommandIo): Promise<number> {
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    io.stdout(USAGE);
    return 0;
  }
  if (args.length > 1) {
    io.stderr(`apply_patch takes one argument, the patch, or none to read it from stdin (got ${args.length}).\n\n${USAGE}`);
    return 1;
  }
  const patch = args.length === 1 ? args[0]! : await io.readStdin();
  if (patch.trim() === '') {
    io.stderr(`apply_patch: no patch given.\n\n${USAGE}`);
    return 1;
  }
  const result = await applyPatch(patch, { cwd: io.cwd });
  if (result.type === 'applied') {
    io.stdout(result.summary);
    return 0;
  }
  io.stderr(result.message.endsWith('\n') ? result.message : `${result.message}\n`);
  return 1;
}
