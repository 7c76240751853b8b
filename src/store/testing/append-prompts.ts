/**
 * Child process: prints `ready`, waits for a `go` line on stdin (so that all children start appending together),
 * appends <count> prompts to the history in <home>, and prints `done`.
 * Usage: append-prompts.ts <home> <label> <count> [maxBytes]
 */
import { createInterface } from 'node:readline';
import { appendPrompt } from '../prompt-history.ts';

const [home, label, count, maxBytes] = process.argv.slice(2);
const input = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of input) if (line === 'go') break;
for (let i = 0; i < Number(count); i++) {
  await appendPrompt({
    home: home!,
    sessionId: label!,
    text: `${label} prompt ${i} ${'x'.repeat(100)}`,
    ...(maxBytes === undefined ? {} : { maxBytes: Number(maxBytes) }),
  });
}
process.stdout.write('done\n');
process.exit(0);
