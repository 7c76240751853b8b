/** Token counts as people read them: `950`, `9.4k`, `182k`, `1.2M`. */
export function formatTokens(count: number): string {
  const whole = Math.round(count);
  if (whole < 1000) return String(whole);
  if (whole < 1_000_000) return `${(whole / 1000).toFixed(whole < 10_000 ? 1 : 0)}k`;
  return `${(whole / 1_000_000).toFixed(1)}M`;
}
