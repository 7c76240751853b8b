/**
 * Child process: plans the undo of a task (back to `target` from `expected`) in the tree of `cwd`, prints
 * `planned <paths>`, applies it, and prints `done`. The crash test SIGKILLs it part-way through.
 * Usage: undo-child.ts <home> <cwd> <target> <expected>
 */
import { applyRestore, planRestore } from '../restore.ts';
import { SnapshotStore } from '../snapshot-store.ts';

const [home, cwd, target, expected] = process.argv.slice(2);
const store = await SnapshotStore.open(home!, cwd!);
const plan = await planRestore(store, target!, expected!);
process.stdout.write(`planned ${plan.restore.length + plan.remove.length}\n`);
await applyRestore(store, plan, { force: false, sessionId: 'crash-test', task: 1 });
process.stdout.write('done\n');
