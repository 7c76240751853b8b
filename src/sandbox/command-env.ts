/**
 * The environment a command gets. By default everything keel has, minus what looks like a secret: variables whose
 * names contain KEY, SECRET, TOKEN, PASSWORD, PASSWD, CREDENTIAL or AUTH (the model API key first of all; AUTHOR,
 * as in GIT_AUTHOR_NAME, is a name, not a credential), and variables whose value carries a credential whatever the
 * name (`DATABASE_URL=postgres://user:pw@db/app`, `https://user:token@host`, `https://token@host`). A command the
 * model chose should not be able to read or send them. Configurable as in the reference's
 * `shell_environment_policy`: inherit all, a core set or nothing, drop more patterns, keep only some, and set
 * variables on purpose. A variable named in `set` is kept even when it looks secret: the person put it there.
 */

export interface CommandEnvPolicy {
  inherit: 'all' | 'core' | 'none';
  /** Keep variables whose names look secret (KEY, SECRET, TOKEN, PASSWORD, PASSWD, CREDENTIAL, AUTH). */
  ignoreDefaultExcludes?: boolean;
  /** Drop variables whose value looks like a credential (see `looksLikeCredential`), whatever the name. Default true. */
  excludeCredentialValues?: boolean;
  /** Name patterns to drop (`*` matches anything, case-insensitive). */
  exclude?: readonly string[];
  /** When non-empty, only names matching one of these patterns are inherited. */
  includeOnly?: readonly string[];
  /** Variables to set, after all filtering. */
  set?: Readonly<Record<string, string>>;
}

export interface CommandEnvContext {
  /** The sandbox cuts the network off: tell the command, so tools can skip what cannot work. */
  networkDisabled: boolean;
  /** The sandbox the command runs in, if any. */
  sandbox: 'bwrap' | 'seatbelt' | null;
}

export const DEFAULT_COMMAND_ENV_POLICY: CommandEnvPolicy = { inherit: 'all' };

const CORE = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'USER', 'USERNAME', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TERM', 'TZ'];

/** Names that say "secret". */
const SECRET_NAME = /KEY|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|AUTH(?!OR)/i;

export function commandEnv(env: Readonly<Record<string, string | undefined>>, policy: CommandEnvPolicy, context: CommandEnvContext): Record<string, string> {
  const excludes = (policy.exclude ?? []).map(pattern);
  const includeOnly = (policy.includeOnly ?? []).map(pattern);
  const checkValues = policy.excludeCredentialValues ?? true;
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (policy.inherit === 'none' || (policy.inherit === 'core' && !CORE.includes(name))) continue;
    if (!policy.ignoreDefaultExcludes && isSecretName(name)) continue;
    if (checkValues && looksLikeCredential(value)) continue;
    if (excludes.some((re) => re.test(name))) continue;
    if (includeOnly.length > 0 && !includeOnly.some((re) => re.test(name))) continue;
    result[name] = value;
  }
  Object.assign(result, policy.set ?? {});
  if (context.networkDisabled) result.KEEL_SANDBOX_NETWORK_DISABLED = '1';
  if (context.sandbox !== null) result.KEEL_SANDBOX = context.sandbox;
  return result;
}

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * A URL with a credential in it: a password (`scheme://user:password@host`, any scheme), or, for the web's schemes,
 * any user part (`https://token@github.com`: tokens ride there). `ssh://git@host` names an account, not a secret.
 */
const CREDENTIAL_URL = /[a-z][a-z0-9+.-]*:\/\/(?:[^\s:/?#@]*:[^\s/?#@]+@|[^\s:/?#@]+@)/i;
const WEB_SCHEME = /^(?:https?|wss?|ftp)$/i;

export function looksLikeCredential(value: string): boolean {
  for (const match of value.matchAll(new RegExp(CREDENTIAL_URL, 'gi'))) {
    const [text] = match;
    const scheme = text.slice(0, text.indexOf(':'));
    // The first alternative (with a password) always counts; a bare user part only on the web's schemes.
    if (/:\/\/[^@]*:/.test(text) || WEB_SCHEME.test(scheme)) return true;
  }
  return false;
}

/**
 * The values in `env` that are secrets, to be kept out of the session log, the prompt history and the notify hook:
 * values of variables with secret-looking names, and values carrying a credential. A path (`XAUTHORITY`,
 * `GOOGLE_APPLICATION_CREDENTIALS`, `SSH_AUTH_SOCK`) names where a secret is, and is not one: blanking it out
 * would blank out the directories the session works in.
 */
export function secretEnvValues(env: Readonly<Record<string, string | undefined>>): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    if (looksLikeCredential(value) || (isSecretName(name) && !/^(?:[/~]|[A-Za-z]:[\\/])/.test(value))) values.add(value);
  }
  return [...values];
}

function pattern(glob: string): RegExp {
  const source = glob.split('*').map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, 'i');
}
