/**
 * `npm run bench`: runs every benchmark (files named *.bench.ts here, each exporting `run()`) and prints one table.
 * Figures are medians of whole runs on this machine; the targets come from the issues.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import type { BenchRow } from './bench-row.ts';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const files = readdirSync(here)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => only === undefined || name.includes(only))
  .sort();

const rows: BenchRow[] = [];
for (const file of files) {
  const module = (await import(pathToFileURL(join(here, file)).href)) as { run(): Promise<BenchRow[]> };
  process.stderr.write(`running ${file}…\n`);
  rows.push(...(await module.run()));
}

const table = [['benchmark', 'value', 'target', 'ok', 'how'], ...rows.map((row) => [row.name, `${formatValue(row.value)} ${row.unit}`, row.target, row.ok ? 'yes' : 'NO', row.note ?? ''])];
const widths = table[0]!.map((_, column) => Math.max(...table.map((line) => line[column]!.length)));
for (const [index, line] of table.entries()) {
  process.stdout.write(`${line.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}\n`);
  if (index === 0) process.stdout.write(`${widths.map((width) => '-'.repeat(width)).join('  ')}\n`);
}
process.exitCode = rows.every((row) => row.ok) ? 0 : 1;

function formatValue(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}
