/**
 * The committed JSON Schemas (schema/, shipped in the package) are exactly what the generator makes of the
 * protocol's zod schemas now, and they judge lines as keel itself does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { describe, expect, it } from 'vitest';
import { Submission, type Event } from '../protocol/index.ts';
import { protocolSchemaFiles } from './schema-files.ts';

const SCHEMA_DIR = resolve(import.meta.dirname, '../../schema');
const generated = protocolSchemaFiles();

// The validator of a real dependency (the MCP SDK's, on ajv): no extra package for the tests.
function validator(name: string) {
  return new AjvJsonSchemaValidator().getValidator(JSON.parse(generated[name]!));
}

describe('schema/', () => {
  it('holds exactly the generated files, unchanged (after changing src/protocol/, run npm run gen:schema)', () => {
    expect(readdirSync(SCHEMA_DIR).sort()).toEqual(Object.keys(generated).sort());
    for (const [name, text] of Object.entries(generated)) {
      expect(readFileSync(join(SCHEMA_DIR, name), 'utf8'), `schema/${name} is stale: run npm run gen:schema`).toBe(text);
    }
  });

  it('titles every op and event variant after its type', () => {
    const submission = JSON.parse(generated['submission.schema.json']!);
    const event = JSON.parse(generated['event.schema.json']!);
    const titles = (variants: Array<{ title: string }>) => variants.map((variant) => variant.title);
    expect(titles(submission.properties.op.oneOf)).toEqual(expect.arrayContaining(['user_turn', 'interrupt', 'exec_approval', 'shutdown']));
    expect(titles(event.properties.msg.oneOf)).toEqual(expect.arrayContaining(['session_configured', 'error', 'shutdown_complete']));
  });

  it('accepts and refuses submissions as the zod schema does', () => {
    const check = validator('submission.schema.json');
    const samples: unknown[] = [
      { id: '1', op: { type: 'user_turn', items: [{ type: 'text', text: 'hi' }], approval_policy: 'never' } },
      { id: '2', op: { type: 'exec_approval', id: 'call_1', decision: 'approved_for_session' } },
      { id: '3', op: { type: 'override_turn_context', sandbox_policy: { type: 'workspace-write' } } },
      { id: '4', op: { type: 'stop_background_process', process_id: 'all' } },
      { id: '5', op: { type: 'user_turn', items: [] } },
      { id: '6', op: { type: 'frobnicate' } },
      { op: { type: 'interrupt' } },
      { id: 7, op: { type: 'shutdown' } },
    ];
    for (const sample of samples) {
      expect(check(sample).valid, JSON.stringify(sample)).toBe(Submission.safeParse(sample).success);
    }
  });

  it('accepts the events keel writes and refuses ones it never would', () => {
    const check = validator('event.schema.json');
    const good: Event[] = [
      { id: 'init', seq: 0, msg: { type: 'warning', message: 'hello' } },
      { id: '1', seq: 1, msg: { type: 'error', message: 'line 2: not JSON', kind: null } },
      { id: '1', seq: 2, msg: { type: 'exec_command_end', call_id: 'c', exit_code: null, duration_ms: 3, aggregated_output: '', status: 'aborted' } },
    ];
    for (const event of good) expect(check(event)).toMatchObject({ valid: true });
    expect(check({ id: '1', seq: -1, msg: { type: 'shutdown_complete' } }).valid).toBe(false);
    expect(check({ id: '1', seq: 0, msg: { type: 'warning', message: 'x', extra: true } }).valid).toBe(false);
    expect(check({ id: '1', seq: 0, msg: { type: 'no_such_event' } }).valid).toBe(false);
  });
});
