/**
 * Checks a parsed TOML table against a spec (field-spec.ts) and returns the typed value it describes. The first
 * wrong value fails the whole source with a message naming the source, the key path and what was expected;
 * unknown keys are dropped with a warning, because a key keel does not know (a typo, or a setting of a newer keel
 * or of Codex) should not stop someone from working.
 */
import { resolve } from 'node:path';
import { TomlDate } from 'smol-toml';
import { invalidValue, quotedList } from './config-error.ts';
import type { FieldSpec, Fields, Infer, TableSpec } from './field-spec.ts';

export interface ValidationSource {
  /** How messages name the source: a file's path, `-c key=value`, `command line`. */
  label: string;
  /** Relative paths (`writable_roots`) are made absolute against this directory. */
  baseDir: string;
}

export interface Validated<T> {
  value: T;
  warnings: string[];
}

export function validateTable<F extends Fields>(spec: TableSpec<F>, raw: unknown, source: ValidationSource): Validated<Infer<TableSpec<F>>> {
  const warnings: string[] = [];
  const value = check(spec, raw, [], source, warnings) as Infer<TableSpec<F>>;
  return { value, warnings };
}

type KeyPath = readonly (string | number)[];

function check(spec: FieldSpec, value: unknown, path: KeyPath, source: ValidationSource, warnings: string[]): unknown {
  const fail = (expected: string): never => {
    throw invalidValue(source.label, formatKeyPath(path), expected, describeValue(value));
  };
  switch (spec.type) {
    case 'text':
      return typeof value === 'string' && value.trim() !== '' ? value : fail('a non-empty string');
    case 'http_url':
      return typeof value === 'string' && isHttpUrl(value) ? value : fail('an http:// or https:// URL');
    case 'flag':
      return typeof value === 'boolean' ? value : fail('true or false');
    case 'whole_number': {
      const expected = spec.max === Number.MAX_SAFE_INTEGER ? `a whole number >= ${spec.min}` : `a whole number from ${spec.min} to ${spec.max}`;
      return typeof value === 'number' && Number.isInteger(value) && value >= spec.min && value <= spec.max ? value : fail(expected);
    }
    case 'one_of':
      return typeof value === 'string' && spec.values.includes(value) ? value : fail(quotedList(spec.values));
    case 'text_list':
    case 'path_list': {
      if (!Array.isArray(value)) return fail('an array of strings');
      return value.map((entry: unknown, index) => {
        const entryPath = [...path, index];
        if (typeof entry !== 'string') throw invalidValue(source.label, formatKeyPath(entryPath), 'a string', describeValue(entry));
        if (spec.type === 'text_list') return entry;
        if (entry.trim() === '') throw invalidValue(source.label, formatKeyPath(entryPath), 'a path', describeValue(entry));
        return resolve(source.baseDir, entry);
      });
    }
    case 'text_map': {
      if (!isTable(value)) return fail('a table of strings');
      const out: Record<string, string> = {};
      for (const [key, entry] of Object.entries(value)) {
        if (typeof entry !== 'string') throw invalidValue(source.label, formatKeyPath([...path, key]), 'a string', describeValue(entry));
        setOwn(out, key, entry);
      }
      return out;
    }
    case 'table': {
      if (!isTable(value)) return fail('a table');
      const out: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(value)) {
        const field = Object.hasOwn(spec.fields, key) ? spec.fields[key] : undefined;
        if (field === undefined) {
          warnings.push(`${source.label}: ${formatKeyPath([...path, key])}: unknown key, ignored`);
          continue;
        }
        setOwn(out, key, check(field, entry, [...path, key], source, warnings));
      }
      return out;
    }
    case 'table_map': {
      if (!isTable(value)) return fail('a table');
      const out: Record<string, unknown> = {};
      for (const [id, entry] of Object.entries(value)) setOwn(out, id, check(spec.entry, entry, [...path, id], source, warnings));
      return out;
    }
    case 'table_list':
      if (!Array.isArray(value)) return fail(`an array of tables ([[${formatKeyPath(path)}]])`);
      return value.map((entry: unknown, index) => check(spec.entry, entry, [...path, index], source, warnings));
    case 'word_pattern':
      if (!Array.isArray(value) || value.length === 0) return fail('a non-empty array of words (each a string, or an array of alternative strings)');
      return value.map((entry: unknown, index) => wordOrList(entry, [...path, index], source, 'a word or an array of alternative words'));
    case 'example_list':
      if (!Array.isArray(value)) return fail('an array of example commands (each a string, or an array of strings)');
      return value.map((entry: unknown, index) => wordOrList(entry, [...path, index], source, 'a command (a string, or an array of strings)'));
  }
}

/** A non-empty string, or a non-empty array of non-empty strings. */
function wordOrList(value: unknown, path: KeyPath, source: ValidationSource, expected: string): string | string[] {
  if (typeof value === 'string' && value !== '') return value;
  if (!Array.isArray(value) || value.length === 0) throw invalidValue(source.label, formatKeyPath(path), expected, describeValue(value));
  return value.map((word: unknown, index) => {
    if (typeof word === 'string' && word !== '') return word;
    throw invalidValue(source.label, formatKeyPath([...path, index]), 'a non-empty string', describeValue(word));
  });
}

/** A plain TOML table: not an array, not a date. */
export function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof TomlDate);
}

/**
 * Defines a property even for a key like `__proto__`, which plain assignment would treat as the prototype: ids
 * and header names come from files keel does not control.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `model_providers."my.host".base_url`, `notify[1]`: the spelling a person would type in a `-c` override. */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += `${out === '' ? '' : '.'}${/^[A-Za-z0-9_-]+$/.test(segment) ? segment : JSON.stringify(segment)}`;
  }
  return out === '' ? '(top level)' : out;
}

const MAX_QUOTED = 80;

export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const quoted = JSON.stringify(value);
    return quoted.length > MAX_QUOTED ? `${quoted.slice(0, MAX_QUOTED)}…" (${value.length} characters)` : quoted;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof TomlDate) return `a date (${value.toISOString()})`;
  if (Array.isArray(value)) return 'an array';
  if (value === null || value === undefined) return 'nothing';
  return 'a table';
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    // Not parseable as a URL at all: the caller reports it as the wrong kind of value.
    return false;
  }
}
