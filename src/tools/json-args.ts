/**
 * The first step of every function tool's argument parsing: the model's text must be one JSON object. Errors are
 * worded for the model; the registry prefixes them with "failed to parse function arguments: ".
 */
export type JsonObjectResult = { ok: true; fields: Record<string, unknown> } | { ok: false; error: string };

export function parseJsonObject(raw: string): JsonObjectResult {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { ok: false, error: `invalid JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'arguments must be a JSON object' };
  return { ok: true, fields: value as Record<string, unknown> };
}
