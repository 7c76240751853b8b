/**
 * An in-memory `PatchFs` for tests (of this tool and of callers such as approvals): POSIX absolute paths, no links,
 * and scriptable failures, so that commit's all-or-nothing promise can be tested at every step.
 */
import { posix } from 'node:path';
import type { EntryInfo, PatchFs } from './patch-fs.ts';

type Node = { type: 'file'; bytes: Uint8Array; mode: number } | { type: 'directory' };

export type FsOperation = 'stat' | 'readFile' | 'realpath' | 'mkdir' | 'writeNew' | 'rename' | 'unlink' | 'rmdir';

/** Decides whether an operation fails: return an error to throw, or null to let it run. */
export type FailureRule = (operation: FsOperation, path: string) => Error | null;

function fsError(code: string, operation: FsOperation, path: string): Error {
  return Object.assign(new Error(`${code}: ${operation} '${path}'`), { code });
}

export class MemoryPatchFs implements PatchFs {
  private readonly nodes = new Map<string, Node>([['/', { type: 'directory' }]]);
  /** Every mutating call, in order, for tests that assert on what was (not) done. */
  readonly log: string[] = [];
  failure: FailureRule | null = null;

  /** `files` maps absolute paths to contents; their folders are created. */
  constructor(files: Record<string, string | Uint8Array> = {}) {
    for (const [path, content] of Object.entries(files)) this.put(path, content);
  }

  put(path: string, content: string | Uint8Array, mode = 0o644): void {
    const parts = posix.normalize(path).split('/').filter(Boolean);
    for (let depth = 1; depth < parts.length; depth++) this.nodes.set('/' + parts.slice(0, depth).join('/'), { type: 'directory' });
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    this.nodes.set(posix.normalize(path), { type: 'file', bytes, mode });
  }

  putDirectory(path: string): void {
    this.nodes.set(posix.normalize(path), { type: 'directory' });
  }

  /** Every entry: files as UTF-8 text, directories as `<dir>`. */
  snapshot(): Record<string, string> {
    const entries = [...this.nodes].filter(([path]) => path !== '/').sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries.map(([path, node]) => [path, node.type === 'file' ? Buffer.from(node.bytes).toString('utf8') : '<dir>']));
  }

  bytes(path: string): Uint8Array | null {
    const node = this.nodes.get(posix.normalize(path));
    return node?.type === 'file' ? node.bytes : null;
  }

  modeOf(path: string): number | null {
    const node = this.nodes.get(posix.normalize(path));
    return node?.type === 'file' ? node.mode : null;
  }

  private check(operation: FsOperation, path: string): string {
    const normal = posix.normalize(path);
    const error = this.failure?.(operation, normal) ?? null;
    if (error !== null) throw error;
    return normal;
  }

  private parentIsDirectory(path: string): boolean {
    return this.nodes.get(posix.dirname(path))?.type === 'directory';
  }

  async stat(path: string): Promise<EntryInfo | null> {
    const node = this.nodes.get(this.check('stat', path));
    if (node === undefined) return null;
    return node.type === 'file' ? { kind: 'file', mode: node.mode } : { kind: 'directory', mode: 0o755 };
  }

  async readFile(path: string): Promise<Uint8Array> {
    const normal = this.check('readFile', path);
    const node = this.nodes.get(normal);
    if (node === undefined) throw fsError('ENOENT', 'readFile', normal);
    if (node.type !== 'file') throw fsError('EISDIR', 'readFile', normal);
    return node.bytes;
  }

  async realpath(path: string): Promise<string> {
    const normal = this.check('realpath', path);
    if (!this.nodes.has(normal)) throw fsError('ENOENT', 'realpath', normal);
    return normal;
  }

  async mkdir(path: string): Promise<void> {
    const normal = this.check('mkdir', path);
    if (this.nodes.has(normal)) throw fsError('EEXIST', 'mkdir', normal);
    if (!this.parentIsDirectory(normal)) throw fsError('ENOENT', 'mkdir', normal);
    this.nodes.set(normal, { type: 'directory' });
    this.log.push(`mkdir ${normal}`);
  }

  async writeNew(path: string, data: Uint8Array, mode: number | null): Promise<void> {
    const normal = this.check('writeNew', path);
    if (this.nodes.has(normal)) throw fsError('EEXIST', 'writeNew', normal);
    if (!this.parentIsDirectory(normal)) throw fsError('ENOENT', 'writeNew', normal);
    this.nodes.set(normal, { type: 'file', bytes: Uint8Array.from(data), mode: mode ?? 0o644 });
    this.log.push(`writeNew ${normal}`);
  }

  async rename(from: string, to: string): Promise<void> {
    const source = this.check('rename', from);
    const target = posix.normalize(to);
    const node = this.nodes.get(source);
    if (node?.type !== 'file') throw fsError('ENOENT', 'rename', source);
    if (this.nodes.get(target)?.type === 'directory') throw fsError('EISDIR', 'rename', target);
    if (!this.parentIsDirectory(target)) throw fsError('ENOENT', 'rename', target);
    this.nodes.delete(source);
    this.nodes.set(target, node);
    this.log.push(`rename ${source} ${target}`);
  }

  async unlink(path: string): Promise<void> {
    const normal = this.check('unlink', path);
    const node = this.nodes.get(normal);
    if (node === undefined) throw fsError('ENOENT', 'unlink', normal);
    if (node.type !== 'file') throw fsError('EISDIR', 'unlink', normal);
    this.nodes.delete(normal);
    this.log.push(`unlink ${normal}`);
  }

  async rmdir(path: string): Promise<void> {
    const normal = this.check('rmdir', path);
    if (this.nodes.get(normal)?.type !== 'directory') throw fsError('ENOTDIR', 'rmdir', normal);
    const prefix = normal.endsWith('/') ? normal : normal + '/';
    if ([...this.nodes.keys()].some((other) => other.startsWith(prefix))) throw fsError('ENOTEMPTY', 'rmdir', normal);
    this.nodes.delete(normal);
    this.log.push(`rmdir ${normal}`);
  }
}
