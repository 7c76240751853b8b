/**
 * The environment a command gets. By default everything keel has, minus variables whose names contain KEY,
 * SECRET or TOKEN (the model API key first of all): a command the model chose should not be able to read or send
 * them. Configurable as in the reference's `shell_environment_policy`: inherit all, a core set or nothing, drop
 * more patterns, keep only some, and set variables on purpose. A variable named in `set` is kept even when it
 * looks secret: the person put it there.
 */

export interface CommandEnvPolicy {
  inherit: 'all' | 'core' | 'none';
  /** Keep variables whose names contain KEY, SECRET or TOKEN. */
  ignoreDefaultExcludes?: boolean;
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

const DEFAULT_EXCLUDES = ['*KEY*', '*SECRET*', '*TOKEN*'];

export function commandEnv(env: Readonly<Record<string, string | undefined>>, policy: CommandEnvPolicy, context: CommandEnvContext): Record<string, string> {
  const excludes = [...(policy.ignoreDefaultExcludes ? [] : DEFAULT_EXCLUDES), ...(policy.exclude ?? [])].map(pattern);
  const includeOnly = (policy.includeOnly ?? []).map(pattern);
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (policy.inherit === 'none' || (policy.inherit === 'core' && !CORE.includes(name))) continue;
    if (excludes.some((re) => re.test(name))) continue;
    if (includeOnly.length > 0 && !includeOnly.some((re) => re.test(name))) continue;
    result[name] = value;
  }
  Object.assign(result, policy.set ?? {});
  if (context.networkDisabled) result.KEEL_SANDBOX_NETWORK_DISABLED = '1';
  if (context.sandbox !== null) result.KEEL_SANDBOX = context.sandbox;
  return result;
}

function pattern(glob: string): RegExp {
  const source = glob.split('*').map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, 'i');
}
