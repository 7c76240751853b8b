/**
 * Whether an undo in the tree `cwd` belongs to was cut off (its journal is still there), found without running git:
 * checked as a session opens, so a person hears of it before anything else happens to the files.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '../../util/git-info.ts';
import { storeDirFor } from './store-dir.ts';

export function pendingUndo(home: string, cwd: string): { task: number; sessionId: string; root: string } | null {
  try {
    const root = realpathSync(findRepoRoot(cwd) ?? cwd);
    const path = join(storeDirFor(home, root), 'undo-journal.json');
    if (!existsSync(path)) return null;
    const journal = JSON.parse(readFileSync(path, 'utf8')) as { task?: unknown; session_id?: unknown };
    return { task: Number(journal.task), sessionId: String(journal.session_id), root };
  } catch {
    // A journal that cannot be read is reported by keel undo, which reads it for real.
    return null;
  }
}
