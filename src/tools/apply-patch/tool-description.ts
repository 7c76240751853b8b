/**
 * What the model reads about apply_patch. The function form carries the whole patch language; the freeform form's
 * grammar already constrains the syntax, so its description only needs the essentials.
 */

export const APPLY_PATCH_FUNCTION_DESCRIPTION = `Edit files by applying a patch. Pass the whole patch as the \`input\` string.

A patch is plain text in this format (not a git diff):

*** Begin Patch
[one or more file operations]
*** End Patch

File operations:

*** Add File: <path>
    Creates the file (and missing folders), or replaces it if it exists. Every line of the new file follows,
    each prefixed with "+".

*** Delete File: <path>
    Deletes the file. Nothing follows.

*** Update File: <path>
    Changes an existing file. Optionally followed right away by "*** Move to: <new path>" to rename it too.
    Then one or more chunks. A chunk starts with "@@" and lists lines of the file, each prefixed with one character:
      " " (a space)  a line that stays as it is (context)
      "-"            a line to remove
      "+"            a line to add
    Give about 3 lines of context before and after each change so the place is unambiguous. If that is not enough,
    put a line of the file that comes shortly before the change on the "@@" line itself, e.g. "@@ class Parser" or
    "@@ def load(self):"; stack several "@@ ..." lines to narrow down further.
    Chunks must follow the order of the file. A chunk with only "+" lines appends them at the end of the file
    (or right after its "@@ ..." line). End a chunk with "*** End of File" when its lines are the file's last lines.

Rules:
- Paths are relative to the working directory. Never use absolute paths.
- Copy context and removed lines exactly from the file, including indentation; re-read the file first if unsure.
- The patch is applied in full or not at all: if any part fails, no file is changed, and the error shows the
  closest lines of the file so you can correct the patch and send the whole patch again.

Example:

*** Begin Patch
*** Add File: docs/notes.md
+# Notes
+First line.
*** Update File: src/app.py
@@ def greet(name):
-    print("Hi " + name)
+    print(f"Hello, {name}!")
*** Update File: src/old_name.py
*** Move to: src/new_name.py
@@
 import os
-DEBUG = True
+DEBUG = False
*** Delete File: tmp/scratch.txt
*** End Patch

On success the result lists the changed files: "A path" (added), "M path" (modified or moved), "D path" (deleted).`;

export const APPLY_PATCH_FREEFORM_DESCRIPTION =
  'Use the `apply_patch` tool to edit files: add, update (optionally move) and delete files with one patch. ' +
  'This is a FREEFORM tool, so do not wrap the patch in JSON. Paths are relative to the working directory. Give ' +
  'about 3 lines of unchanged context around each change, copied exactly from the file. The patch applies in full ' +
  'or not at all.';
