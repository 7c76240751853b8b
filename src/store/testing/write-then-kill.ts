/**
 * Child process: starts a session log in `home`, records `count` items and the events of one task, prints the log's
 * path, and kills itself with SIGKILL without flushing or closing anything.
 * Usage: write-then-kill.ts <home> <count> [secret]
 */
import { assistantMessage, userMessage } from '../../protocol/index.ts';
import { SessionLogWriter } from '../session-log-writer.ts';
import { newMeta } from './temp-home.ts';

const [home, count, secret] = process.argv.slice(2);
const writer = await SessionLogWriter.create({ home: home!, meta: newMeta(), secrets: secret === undefined ? [] : [secret] });
writer.recordEvent({ type: 'task_started', model_context_window: null });
for (let i = 0; i < Number(count); i++) {
  writer.recordItem(i % 2 === 0 ? userMessage(`prompt ${i} ${secret ?? ''}`) : assistantMessage(`answer ${i}`));
}
writer.recordEvent({ type: 'agent_message', message: 'last words' });
process.stdout.write(`path ${writer.path}\n`, () => process.kill(process.pid, 'SIGKILL'));
