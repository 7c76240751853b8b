/**
 * Child process: takes the lock of the session log at <log path>, prints `locked <pid>`, and holds it until its
 * stdin ends (then releases it and exits) or it is killed.
 * Usage: hold-session-lock.ts <log path>
 */
import { acquireSessionLock } from '../session-lock.ts';

const lock = await acquireSessionLock(process.argv[2]!);
process.stdout.write(`locked ${process.pid}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  lock.release();
  process.exit(0);
});
