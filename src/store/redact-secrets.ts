/**
 * Keeps secrets (API keys, and with them any `Authorization: Bearer <key>` header; the values of keel's
 * secret-looking environment variables) out of every file the store writes. Every exact occurrence of a secret
 * becomes `[redacted]`, and so does the credential part of any URL, whoever wrote it: the password of
 * `postgres://user:pw@db` (the user name stays, to tell connections apart) and the user part of `https://token@host`.
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

/**
 * `scheme://user:password@` (group 3 the password) or `scheme://user@` (group 4 the user). Quotes and backslashes
 * end a match, so that a test on JSON text never runs across a string's end; an already redacted part is skipped.
 */
const CREDENTIAL_URL = /([A-Za-z][A-Za-z0-9+.-]*:\/\/)(?:([^\s:/?#@"\\]*):(?!\[redacted\]@)([^\s/?#@"\\]+)@|(?!\[redacted\]@)([^\s:/?#@"\\]+)@)/g;
/** Cheap first look at a JSON line: a URL with a user part (escapes such as `\n` before it do not hide it). */
const URL_WITH_USER = /:\/\/[^\s/?#@"\\]+@/;
/** A bare user part is a credential only on the web's schemes; `ssh://git@host` names an account. */
const WEB_SCHEME = /^(?:https?|wss?|ftp):\/\/$/i;

/** The text with the credential part of every URL in it replaced. */
export function redactCredentialUrls(text: string): string {
  if (!text.includes('://')) return text;
  return text.replace(CREDENTIAL_URL, (whole, scheme: string, user: string | undefined, password: string | undefined) => {
    if (password !== undefined) return `${scheme}${user ?? ''}:${REDACTED}@`;
    return WEB_SCHEME.test(scheme) ? `${scheme}${REDACTED}@` : whole;
  });
}

/** Every secret (and every URL's credential) in a text replaced: for text that leaves keel other than as a line. */
export function createTextRedactor(secrets: readonly string[] = []): (text: string) => string {
  const needles = usableSecrets(secrets);
  return (text) => redactCredentialUrls(needles.reduce((result, secret) => result.replaceAll(secret, REDACTED), text));
}

function usableSecrets(secrets: readonly string[]): string[] {
  // Longest first, so a secret that contains another is replaced whole.
  return [...new Set(secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
}

export function createLineSerializer(secrets: readonly string[] = []): LineSerializer {
  const needles = usableSecrets(secrets);
  // A secret with quotes, backslashes or control characters appears escaped in JSON text; look for both spellings.
  const spellings = needles.flatMap((secret) => {
    const escaped = JSON.stringify(secret).slice(1, -1);
    return escaped === secret ? [secret] : [secret, escaped];
  });
  const present = (line: string): boolean => spellings.some((spelling) => line.includes(spelling));
  const redactText = createTextRedactor(needles);

  return (record) => {
    const line = JSON.stringify(record);
    if (!present(line) && !URL_WITH_USER.test(line)) return line;
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
