/**
 * Plans a parsed patch: reads every file it touches (through a `PatchReader`), computes every new content in memory,
 * and returns the file effects to commit, or every problem found. Nothing is written here, which is what makes a
 * failing patch change nothing and lets an approval step show the exact changes first.
 *
 * Operations apply in patch order to an in-memory view of the files, so a later operation sees an earlier one's
 * result (an Add then an Update of the same file works as if applied one by one); only the final state of each
 * path becomes an effect.
 */
import { resolve } from 'node:path';
import { applyChunks, type ChunkError } from './apply-chunks.ts';
import type { Hunk, Patch } from './patch-syntax.ts';
import type { PatchReader } from './patch-fs.ts';
import { decodeText, defaultEol, encodeText, type TextFile } from './text-file.ts';
import type { Span } from './unified-diff.ts';

export type FileProblem =
  | { kind: 'file_not_found' }
  | { kind: 'not_a_file'; found: 'directory' | 'other' }
  | { kind: 'unreadable'; reason: string }
  | { kind: 'unencodable'; line: number; char: string }
  | ChunkError;

/** A problem with one operation. `path` is as written in the patch (a move's destination when that is the problem). */
export type PlanError = FileProblem & { operation: Hunk['type']; path: string; hunkLine: number };

/** What was at a path when it was planned; commit refuses to proceed if that no longer holds. */
export type Before = { type: 'absent' } | { type: 'file'; bytes: Uint8Array; mode: number };

export type After =
  /** `mode` null: a new file with the default mode. */
  | { type: 'write'; bytes: Uint8Array; mode: number | null }
  | { type: 'remove' };

export interface FileEffect {
  /** Absolute. */
  path: string;
  before: Before;
  after: After;
}

/** The original and final state of every path the patch touched, and what each operation did. */
export interface PlannedState {
  effects: FileEffect[];
  /** Per touched path (absolute), in first-touch order. */
  files: Map<string, PlannedFile>;
  /** One entry per update, add or delete, in patch order, for reporting. */
  records: ChangeRecord[];
}

export interface PlannedFile {
  original: Original;
  current: Current;
  /** How many operations changed this path; one means the update's own spans describe its whole diff. */
  touches: number;
  /** The original bytes decoded, once someone needed them (kept so reporting does not decode again). */
  decoded: TextFile | null;
}

export type Original = Before | { type: 'directory' } | { type: 'other' };

export type Current =
  | { type: 'absent' }
  | { type: 'directory' }
  | { type: 'other' }
  /** `text` null: unchanged and not decoded (kept as the original bytes). */
  | { type: 'file'; text: TextFile | null; mode: number | null; rewritten: boolean };

export interface ChangeRecord {
  /** Absolute path the operation named. */
  path: string;
  moveTo: string | null;
  spans: Span[] | null;
}

export type PlanHunksResult = { type: 'planned'; state: PlannedState } | { type: 'failed'; errors: PlanError[] };

export async function planHunks(patch: Patch, cwd: string, fs: PatchReader): Promise<PlanHunksResult> {
  const planner = new Planner(cwd, fs);
  for (const hunk of patch.hunks) await planner.plan(hunk);
  return planner.finish();
}

type Loaded = { type: 'loaded'; file: PlannedFile } | { type: 'problem'; problem: FileProblem };

class Planner {
  private readonly files = new Map<string, PlannedFile>();
  private readonly records: ChangeRecord[] = [];
  private readonly errors: PlanError[] = [];
  /** The last operation that wrote each path, to blame for an encoding failure found at the end. */
  private readonly writers = new Map<string, { hunk: Hunk; path: string }>();

  constructor(
    private readonly cwd: string,
    private readonly fs: PatchReader,
  ) {}

  async plan(hunk: Hunk): Promise<void> {
    const fail = (problem: FileProblem, path = hunk.path) => this.errors.push({ ...problem, operation: hunk.type, path, hunkLine: hunk.line });
    const absolute = resolve(this.cwd, hunk.path);
    const loaded = await this.load(absolute);
    if (loaded.type === 'problem') return void fail(loaded.problem);
    const file = loaded.file;
    const current = file.current;

    switch (hunk.type) {
      case 'add': {
        if (current.type === 'directory' || current.type === 'other') return void fail({ kind: 'not_a_file', found: current.type });
        // Overwriting keeps the old file's encoding, BOM and line-ending style: a rewrite is still that file.
        const old = current.type === 'file' ? this.textOf(absolute, file) : null;
        const style = old !== null && old.type === 'text' ? old.file : null;
        const eol = style ? defaultEol(style) : '\n';
        const text: TextFile = {
          encoding: style?.encoding ?? 'utf8',
          bom: style?.bom ?? false,
          lines: [...hunk.contents],
          eols: hunk.contents.map(() => eol),
        };
        this.write(absolute, file, { type: 'file', text, mode: current.type === 'file' ? current.mode : null, rewritten: true }, hunk);
        this.records.push({ path: absolute, moveTo: null, spans: null });
        return;
      }
      case 'delete': {
        if (current.type === 'absent') return void fail({ kind: 'file_not_found' });
        if (current.type !== 'file') return void fail({ kind: 'not_a_file', found: current.type });
        file.current = { type: 'absent' };
        file.touches++;
        this.records.push({ path: absolute, moveTo: null, spans: null });
        return;
      }
      case 'update': {
        if (current.type === 'absent') return void fail({ kind: 'file_not_found' });
        if (current.type !== 'file') return void fail({ kind: 'not_a_file', found: current.type });
        const decoded = this.textOf(absolute, file);
        if (decoded.type === 'binary') return void fail({ kind: 'unreadable', reason: decoded.reason });
        const applied = applyChunks(decoded.file, hunk.chunks);
        if (applied.type === 'failed') {
          for (const error of applied.errors) fail(error);
          return;
        }
        const destination = hunk.movePath === null ? absolute : resolve(this.cwd, hunk.movePath);
        if (destination === absolute) {
          this.write(absolute, file, { ...current, text: applied.file }, hunk);
          this.records.push({ path: absolute, moveTo: null, spans: applied.spans });
          return;
        }
        const target = await this.load(destination);
        if (target.type === 'problem') return void fail(target.problem, hunk.movePath ?? hunk.path);
        const there = target.file.current.type;
        if (there === 'directory' || there === 'other') return void fail({ kind: 'not_a_file', found: there }, hunk.movePath ?? hunk.path);
        // The moved file keeps its own mode (an executable script stays executable), not the one it replaces.
        const mode = current.mode ?? (file.original.type === 'file' ? file.original.mode : null);
        this.write(destination, target.file, { type: 'file', text: applied.file, mode, rewritten: false }, hunk);
        file.current = { type: 'absent' };
        file.touches++;
        this.records.push({ path: absolute, moveTo: destination, spans: applied.spans });
        return;
      }
    }
  }

  private write(absolute: string, file: PlannedFile, current: Current, hunk: Hunk): void {
    file.current = current;
    file.touches++;
    this.writers.set(absolute, { hunk, path: hunk.type === 'update' && hunk.movePath !== null ? hunk.movePath : hunk.path });
  }

  private async load(absolute: string): Promise<Loaded> {
    const known = this.files.get(absolute);
    if (known !== undefined) return { type: 'loaded', file: known };
    let original: Original;
    try {
      const info = await this.fs.stat(absolute);
      if (info === null) original = { type: 'absent' };
      else if (info.kind !== 'file') original = { type: info.kind };
      else original = { type: 'file', bytes: await this.fs.readFile(absolute), mode: info.mode };
    } catch (error) {
      return { type: 'problem', problem: { kind: 'unreadable', reason: reasonOf(error) } };
    }
    const current: Current = original.type === 'file' ? { type: 'file', text: null, mode: original.mode, rewritten: false } : original;
    const file: PlannedFile = { original, current, touches: 0, decoded: null };
    this.files.set(absolute, file);
    return { type: 'loaded', file };
  }

  /** The current text of a file, decoding the original bytes on first use. */
  private textOf(absolute: string, file: PlannedFile): ReturnType<typeof decodeText> {
    const current = file.current;
    if (current.type !== 'file') throw new Error(`plan-hunks: ${absolute} is not a file`);
    if (current.text !== null) return { type: 'text', file: current.text };
    if (file.decoded !== null) return { type: 'text', file: file.decoded };
    if (file.original.type !== 'file') throw new Error(`plan-hunks: ${absolute} has no bytes`);
    const decoded = decodeText(file.original.bytes);
    if (decoded.type === 'text') file.decoded = decoded.file;
    return decoded;
  }

  finish(): PlanHunksResult {
    if (this.errors.length > 0) return { type: 'failed', errors: this.errors };
    const effects: FileEffect[] = [];
    for (const [path, file] of this.files) {
      const effect = this.effectOf(path, file);
      if (effect !== null) effects.push(effect);
    }
    if (this.errors.length > 0) return { type: 'failed', errors: this.errors };
    return { type: 'planned', state: { effects, files: this.files, records: this.records } };
  }

  private effectOf(path: string, file: PlannedFile): FileEffect | null {
    const { original, current } = file;
    if (original.type === 'directory' || original.type === 'other') return null;
    if (current.type === 'absent') return original.type === 'file' ? { path, before: original, after: { type: 'remove' } } : null;
    if (current.type !== 'file') return null;
    if (current.text === null) return null;
    let encoded = encodeText(current.text);
    // A full rewrite that the old 8-bit encoding cannot hold is written as UTF-8: the model gave the whole text.
    if (encoded.type === 'unencodable' && current.rewritten) encoded = encodeText({ ...current.text, encoding: 'utf8', bom: false });
    if (encoded.type === 'unencodable') {
      const writer = this.writers.get(path);
      const blame = { operation: writer?.hunk.type ?? 'update', path: writer?.path ?? path, hunkLine: writer?.hunk.line ?? 0 };
      this.errors.push({ kind: 'unencodable', line: encoded.line, char: encoded.char, ...blame });
      return null;
    }
    const mode = current.mode ?? (original.type === 'file' ? original.mode : null);
    if (original.type === 'file' && mode === original.mode && sameBytes(encoded.bytes, original.bytes)) return null;
    return { path, before: original, after: { type: 'write', bytes: encoded.bytes, mode } };
  }
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

export function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.startsWith(code) ? `${code}: ${message}` : message;
}
