/**
 * Layers stack: a later layer's value replaces an earlier one's, tables merge key by key (so a profile that sets
 * `sandbox_workspace_write.network_access` keeps the file's `writable_roots`), and arrays are replaced whole (a
 * profile's `notify` is the command, not more arguments for the file's command).
 */
import { isTable, setOwn } from './validate-table.ts';

export function mergeLayers<T extends object>(...layers: readonly T[]): T {
  let merged: Record<string, unknown> = {};
  for (const layer of layers) merged = mergeTables(merged, layer as Record<string, unknown>);
  return merged as T;
}

function mergeTables(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(base)) setOwn(out, key, value);
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const existing = Object.hasOwn(out, key) ? out[key] : undefined;
    setOwn(out, key, isTable(existing) && isTable(value) ? mergeTables(existing, value) : value);
  }
  return out;
}
