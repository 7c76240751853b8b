/**
 * `-c key.path=VALUE`: a dotted TOML key and a value that is TOML when it parses as TOML and a plain string
 * otherwise, so `-c model=gpt-5.1` and `-c notify='["notify-send", "done"]'` both do what they look like.
 * TOML itself parses the key (quoted segments such as `model_providers."my.host".base_url` work as in a file).
 */
import { parse, TomlDate } from 'smol-toml';
import { ConfigError } from './config-error.ts';
import { isTable, setOwn } from './validate-table.ts';

export interface ConfigOverride {
  /** The argument as given, for messages. */
  text: string;
  /** Key segments, outermost first; never empty. */
  path: string[];
  value: unknown;
}

export function parseOverride(text: string): ConfigOverride {
  const equals = assignmentIndex(text);
  if (equals < 0) throw badOverride(text, 'expected key.path=VALUE');
  const keyText = text.slice(0, equals).trim();
  if (keyText === '') throw badOverride(text, 'the key path before "=" is empty');
  return { text, path: parseKeyPath(text, keyText), value: parseValue(text.slice(equals + 1).trim()) };
}

/** The override as the nested table it stands for: `a.b=1` → `{a: {b: 1}}`. */
export function overrideTable(override: ConfigOverride): Record<string, unknown> {
  let node: unknown = override.value;
  for (let i = override.path.length - 1; i >= 0; i--) {
    const parent: Record<string, unknown> = {};
    setOwn(parent, override.path[i]!, node);
    node = parent;
  }
  return node as Record<string, unknown>;
}

/** The first `=` outside a quoted key segment (a quoted segment may itself contain `=`). */
function assignmentIndex(text: string): number {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quote !== null) {
      if (char === '\\' && quote === '"') i++;
      else if (char === quote) quote = null;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '=') {
      return i;
    }
  }
  return -1;
}

function parseKeyPath(text: string, keyText: string): string[] {
  // A newline would let the "key" smuggle in further assignments or table headers.
  if (/[\r\n]/.test(keyText)) throw badOverride(text, 'the key path must be on one line');
  let parsed: unknown;
  try {
    parsed = parse(`${keyText} = 0`);
  } catch {
    throw badOverride(text, `"${keyText}" is not a key path (segments are letters, digits, "_" and "-", joined by "."; quote other segments)`);
  }
  const path: string[] = [];
  let node = parsed;
  while (isTable(node)) {
    const keys = Object.keys(node);
    if (keys.length !== 1) break;
    path.push(keys[0]!);
    node = node[keys[0]!];
  }
  if (path.length === 0 || node !== 0) throw badOverride(text, `"${keyText}" is not a single key path`);
  return path;
}

function parseValue(valueText: string): unknown {
  try {
    const parsed = parse(`value = ${valueText}`);
    const keys = Object.keys(parsed);
    // Anything beyond the one value (a newline and more assignments) means the text was not one TOML value.
    if (keys.length !== 1 || keys[0] !== 'value') return valueText;
    // A bare date-looking word (`-c model=2025-01-01`) is far more likely meant as text than as a TOML date.
    if (parsed.value instanceof TomlDate) return valueText;
    return parsed.value;
  } catch {
    // Not TOML: the documented fallback is to take the text as a string.
    return valueText;
  }
}

function badOverride(text: string, reason: string): ConfigError {
  return new ConfigError({ kind: 'bad_override', override: text, reason }, `-c ${text}: ${reason}`);
}
