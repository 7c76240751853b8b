#!/usr/bin/env node
// Start-up fast path: `keel --version` is answered without loading the bundle.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { version } = JSON.parse(readFileSync(new URL('../dist/version.json', import.meta.url), 'utf8'));
  process.stdout.write(`keel ${version}\n`);
} else {
  await import('../dist/keel.mjs');
}
