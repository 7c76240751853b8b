/**
 * Keeps secrets (API keys, and with them any `Authorization: Bearer <key>` header) out of every file the store
 * writes. Every exact occurrence of a secret becomes `[redacted]`.
 *
 * The replacement happens on the values, not on the JSON text: replacing inside the text could cut through JSON
 * syntax (a secret that happens to contain a quote or a key name) and leave a line no reader can parse. Checking the
 * serialized line first keeps the common case (no secret present) at one substring search per secret.
 */

export const REDACTED = '[redacted]';

/**
 * Shorter strings are not treated as secrets: real API keys are long and random, while a short "key" (a test's
 * `k`, a local server's `none`) would match inside field names and ordinary words and wreck every line it touched.
 */
export const MIN_SECRET_LENGTH = 12;

/** Turns a record into the line to write (without the newline), with every secret replaced. */
export type LineSerializer = (record: unknown) => string;

export function createLineSerializer(secrets: readonly string[] = []): LineSerializer {
  // Longest first, so a secret that contains another is replaced whole.
  const needles = [...new Set(secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  if (needles.length === 0) return (record) => JSON.stringify(record);
  // A secret with quotes, backslashes or control characters appears escaped in JSON text; look for both spellings.
  const spellings = needles.flatMap((secret) => {
    const escaped = JSON.stringify(secret).slice(1, -1);
    return escaped === secret ? [secret] : [secret, escaped];
  });
  const present = (line: string): boolean => spellings.some((spelling) => line.includes(spelling));
  const redactText = (text: string): string => needles.reduce((result, secret) => result.replaceAll(secret, REDACTED), text);

  return (record) => {
    const line = JSON.stringify(record);
    if (!present(line)) return line;
    const redacted = JSON.stringify(redactValue(record, redactText));
    // Unreachable as far as we know; if some spelling still got through, losing the line's syntax is the lesser harm.
    return present(redacted) ? spellings.reduce((result, spelling) => result.replaceAll(spelling, REDACTED), redacted) : redacted;
  };
}

function redactValue(value: unknown, redactText: (text: string) => string): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((element) => redactValue(element, redactText));
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, element] of Object.entries(value)) copy[redactText(key)] = redactValue(element, redactText);
    return copy;
  }
  return value;
}
