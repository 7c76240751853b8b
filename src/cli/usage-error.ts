/** A mistake in how keel was called or configured: reported in one message with what to do, exit code 2. */
export class UsageError extends Error {
  readonly kind = 'usage';
}
