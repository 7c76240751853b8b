/**
 * The task's diff (`turn_diff`): every file the task's tools changed, from its content before the task's first
 * change to it, to its content now, as one git-style diff. Fed with what each call reports it wrote (absolute paths,
 * bytes before and after), so it never reads the disk; it sees only those writes, not what a shell command did.
 * One tracker per task.
 */
import { diffLabel, gitFileDiff } from '../tools/apply-patch/index.ts';
import type { FileContent, FileWrite } from '../tools/tool.ts';

interface TrackedFile {
  /** Before the task's first change; null: no file was there. */
  baseline: FileContent | null;
  current: FileContent | null;
  /** The file's diff for a working directory, kept until the file changes again. */
  rendered: { cwd: string; diff: string } | null;
}

export class TurnDiffTracker {
  private readonly files = new Map<string, TrackedFile>();

  record(writes: readonly FileWrite[]): void {
    for (const write of writes) {
      const known = this.files.get(write.path);
      if (known === undefined) this.files.set(write.path, { baseline: write.before, current: write.after, rendered: null });
      else {
        known.current = write.after;
        known.rendered = null;
      }
    }
  }

  /**
   * The whole diff, files ordered by path, labelled relative to `cwd` (absolute outside it); '' when every file is
   * back to how the task found it. A move shows as the deletion of one path and the addition of the other.
   */
  diff(cwd: string): string {
    const parts: Array<{ label: string; diff: string }> = [];
    for (const [path, file] of this.files) {
      if (file.rendered?.cwd !== cwd) {
        file.rendered = { cwd, diff: gitFileDiff(diffLabel(cwd, path), file.baseline, file.current) };
      }
      parts.push({ label: diffLabel(cwd, path), diff: file.rendered.diff });
    }
    parts.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    return parts.map((part) => part.diff).join('');
  }
}
