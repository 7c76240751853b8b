/**
 * The prompt editor on a big paste, in process: a keystroke and the layout that follows it (every key is followed by
 * one) must not cost in proportion to the whole text. Two pastes: source code of 4,000 lines with some accents, CJK and
 * emoji among them, and one 200 KB line of minified JSON. Each run types 50 keys at the end (four letters, then a
 * Backspace, over and over) and lays out at 80 columns after each; the figure is the median run's time per key.
 *
 * The target is the bound the editor's tests used to time (200 ms for 50 keys, so 4 ms a key), now measured here.
 */
import { Composer } from '../src/tui/input/composer.ts';
import type { BenchRow } from './bench-row.ts';

const KEYS = 50;
const RUNS = 9;
const WIDTH = 80;
const TARGET_MS_PER_KEY = 4;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** 4,000 lines of code as pasted: indented, numbered, every hundredth line a comment in several scripts. */
function codePaste(): string {
  const statement = 'result = transform(input, options) ?? fallback; // keeps the previous value when nothing changed';
  return Array.from({ length: 4000 }, (_, line) =>
    line % 100 === 42 ? `    // ${line}: résumé, 日本語のコメント, ✔️ done 👋🏾 🇯🇵` : `${' '.repeat((line % 4) * 2)}${statement} /* ${line} */`,
  ).join('\n');
}

/** One line of minified JSON, 200 KB long. */
function minifiedLine(): string {
  const records = Array.from({ length: 7000 }, (_, index) => `{"id":${index},"name":"item ${index}","tags":["a","b"],"w":${index % 97}}`);
  return `[${records.join(',')}]`.slice(0, 200_000);
}

/** Milliseconds per key of each run. */
function typeAtTheEnd(text: string): number[] {
  const perKey: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const editor = new Composer();
    editor.setText(text);
    editor.layout(WIDTH);
    const started = performance.now();
    for (let key = 0; key < KEYS; key += 1) {
      if (key % 5 === 4) editor.backspace();
      else editor.insert('a');
      editor.layout(WIDTH);
    }
    perKey.push((performance.now() - started) / KEYS);
  }
  return perKey;
}

export async function run(): Promise<BenchRow[]> {
  const pastes = [
    { name: 'a 4,000-line paste', text: codePaste() },
    { name: 'a 200 KB line', text: minifiedLine() },
  ];
  // A warm-up, so the JIT has compiled the editor's hot paths before anything is timed.
  for (const paste of pastes) typeAtTheEnd(paste.text.slice(0, 20_000));
  return pastes.map(({ name, text }) => {
    const runs = typeAtTheEnd(text);
    const value = median(runs);
    return {
      name: `tui: prompt keystroke + layout in ${name}`,
      value,
      unit: 'ms',
      target: `< ${TARGET_MS_PER_KEY} ms`,
      ok: value < TARGET_MS_PER_KEY,
      note: `median of ${RUNS} runs of ${KEYS} keys at the end (4 letters, 1 Backspace), laid out at ${WIDTH} columns after each; range ${Math.min(...runs).toFixed(2)}–${Math.max(...runs).toFixed(2)} ms`,
    };
  });
}
