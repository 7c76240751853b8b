/** One line of the benchmark table printed by `npm run bench`. */
export interface BenchRow {
  name: string;
  /** The measured figure (a median where runs repeat). */
  value: number;
  unit: string;
  /** The target in words, e.g. "< 200 ms". */
  target: string;
  ok: boolean;
  /** How it was measured: runs, what the figure is. */
  note?: string;
}
