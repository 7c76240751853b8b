/**
 * The names MCP tools get for the model: `mcp__<server>__<tool>`, only `[A-Za-z0-9_-]` (what every provider
 * accepts), at most 64 characters (the Responses and Chat APIs' limit). A name that must be cut, or that two tools
 * would share after sanitizing, ends in a short hash of the raw server and tool names, so the same configuration
 * always gives the same names whatever order the servers answered in. Pure.
 */
import { createHash } from 'node:crypto';

export const MAX_TOOL_NAME = 64;
const HASH_LENGTH = 8;

export interface RawToolName {
  server: string;
  tool: string;
}

function sanitize(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_');
}

function hashOf({ server, tool }: RawToolName): string {
  return createHash('sha1').update(`${server}\u0000${tool}`).digest('hex').slice(0, HASH_LENGTH);
}

function withHash(base: string, raw: RawToolName): string {
  return `${base.slice(0, MAX_TOOL_NAME - HASH_LENGTH - 1)}_${hashOf(raw)}`;
}

/**
 * Model-facing names for `tools`, in the same order. Collisions (after sanitizing, or with `taken` — the built-in
 * tools' names) are resolved by the hash suffix for every tool involved but the first in sorted raw order.
 */
export function modelToolNames(tools: readonly RawToolName[], taken: ReadonlySet<string> = new Set()): string[] {
  const plain = tools.map(({ server, tool }) => `mcp__${sanitize(server)}__${sanitize(tool)}`);
  const order = tools.map((_, index) => index).sort((a, b) => compareRaw(tools[a]!, tools[b]!));
  const names = new Array<string>(tools.length);
  const used = new Set(taken);
  for (const index of order) {
    const base = plain[index]!;
    const raw = tools[index]!;
    let name = base.length <= MAX_TOOL_NAME && !used.has(base) ? base : withHash(base, raw);
    // Two raw names with the same hash prefix are astronomically rare; still never hand out one name twice.
    for (let extra = 1; used.has(name); extra++) name = `${withHash(base, raw).slice(0, MAX_TOOL_NAME - String(extra).length - 1)}_${extra}`;
    used.add(name);
    names[index] = name;
  }
  return names;
}

function compareRaw(a: RawToolName, b: RawToolName): number {
  return a.server === b.server ? (a.tool < b.tool ? -1 : a.tool > b.tool ? 1 : 0) : a.server < b.server ? -1 : 1;
}
