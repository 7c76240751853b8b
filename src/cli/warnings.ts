/**
 * keel's warnings for people: on stderr, or, while the interactive UI owns the terminal, shown by the UI (a line
 * written to stderr then would land in the middle of its drawing).
 */
let sink: ((text: string) => void) | null = null;

export function warn(text: string): void {
  if (sink !== null) sink(text);
  else process.stderr.write(`keel: warning: ${text}\n`);
}

/** Sends warnings to `show` until the returned function is called. */
export function routeWarnings(show: (text: string) => void): () => void {
  sink = show;
  return () => {
    if (sink === show) sink = null;
  };
}
