/** Catches a mistyped command before it becomes the first prompt of a session (`keel sesions`). */
export const COMMANDS = ['exec', 'resume', 'sessions', 'undo', 'fork', 'doctor', 'sandbox', 'rules', 'demo', 'apply_patch', 'proto', 'mcp', 'mcp-server', 'help'] as const;

/** The command `word` was probably meant to be, or null: one word, close to a command but not one. */
export function likelyCommand(word: string): string | null {
  if (!/^[a-z_-]{4,}$/.test(word)) return null;
  let best: { command: string; distance: number } | null = null;
  for (const command of COMMANDS) {
    const distance = editDistance(word, command);
    if (distance > 0 && distance <= 2 && (best === null || distance < best.distance)) best = { command, distance };
  }
  return best?.command ?? null;
}

/** Levenshtein distance, two rows at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
