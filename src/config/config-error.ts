/**
 * The one error type of the config layer. Every message names where the bad value came from (a file, a `-c`
 * override, the command line) so a person can fix it without guessing; `detail` carries the same facts for code
 * (`keel doctor` branches on `kind`).
 */

export type ConfigErrorDetail =
  /** The file is not valid TOML. */
  | { kind: 'syntax'; file: string; line: number; column: number }
  /** A value has the wrong type or is out of range; `got` is null when a required value is missing. */
  | { kind: 'invalid'; file: string; keyPath: string; expected: string; got: string | null }
  /** `--profile NAME` (or `profile = "NAME"`) names a profile no `[profiles.NAME]` table defines. */
  | { kind: 'unknown_profile'; profile: string; known: string[] }
  /** `model_provider` names a provider that is neither built in nor defined in `[model_providers.ID]`. */
  | { kind: 'unknown_provider'; provider: string; known: string[] }
  /** The provider reads its API key from `envKey`, and that variable is unset or empty. */
  | { kind: 'missing_env_key'; provider: string; envKey: string }
  /** A `-c` argument is not `key.path=VALUE`. */
  | { kind: 'bad_override'; override: string; reason: string }
  /** A config file exists but cannot be read; `cause` has the system error. */
  | { kind: 'io'; file: string; operation: string };

export type ConfigErrorKind = ConfigErrorDetail['kind'];

export class ConfigError extends Error {
  readonly kind: ConfigErrorKind;
  readonly detail: ConfigErrorDetail;

  constructor(detail: ConfigErrorDetail, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
    this.kind = detail.kind;
    this.detail = detail;
  }
}

export function isConfigError(error: unknown, kind?: ConfigErrorKind): error is ConfigError {
  return error instanceof ConfigError && (kind === undefined || error.kind === kind);
}

export function invalidValue(file: string, keyPath: string, expected: string, got: string | null): ConfigError {
  const found = got === null ? 'but it is missing' : `got ${got}`;
  return new ConfigError({ kind: 'invalid', file, keyPath, expected, got }, `${file}: ${keyPath}: expected ${expected}, ${found}`);
}

/** Quoted names in a readable list: `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
export function quotedList(values: readonly string[], conjunction = 'or'): string {
  const quoted = values.map((value) => JSON.stringify(value));
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted.at(-1)}`;
}
