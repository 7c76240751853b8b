/** A mistake in how keel was called or configured: reported in one message with what to do, exit code 2. */
export class UsageError extends Error {
  readonly kind = 'usage';
}

/** A flag's whole-number value (undefined when the flag was not given), or a usage error that says what was wrong. */
export function optionalInteger(raw: string | undefined, flag: string, allowZero = false): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new UsageError(`${flag} expects a ${allowZero ? 'non-negative' : 'positive'} whole number, got "${raw}"`);
  }
  return value;
}
