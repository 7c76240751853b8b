/**
 * The JSON Schemas of `keel proto`'s lines and of `keel exec --json`'s, generated from the protocol's own zod schemas, so the documentation a
 * client reads is the validation keel does. `scripts/gen-schema.ts` writes them to `schema/`; a test fails when the
 * committed files differ from what this produces (run `npm run gen:schema` after changing src/protocol/).
 *
 * Not part of keel's runtime: only the generator and tests import this file.
 */
import * as z from 'zod/mini';
import { ExecResult } from '../exec/exec-result.ts';
import { ExecHeader } from '../exec/jsonl-renderer.ts';
import { Event, Submission } from '../protocol/index.ts';

type JsonObject = Record<string, unknown>;

/** File name under `schema/` → its text (two-space JSON, final newline). */
export function protocolSchemaFiles(): Record<string, string> {
  return {
    // What a client sends: read as input, so fields with defaults are optional.
    'submission.schema.json': render(
      document(z.toJSONSchema(Submission, { io: 'input' }) as JsonObject, {
        title: 'keel proto submission',
        description:
          'One line of keel proto standard input: a submission {id, op}. The events it causes carry its id. ' +
          'A line that does not match gets an error event whose message starts with "line N:".',
        union: 'op',
      }),
    ),
    // What keel writes: read as output, so every field keel always fills in is required, and nothing else is allowed.
    'event.schema.json': render(
      document(z.toJSONSchema(Event, { io: 'output' }) as JsonObject, {
        title: 'keel proto event',
        description:
          'One line of keel proto standard output: an event {id, seq, msg}. seq is the line\'s position on stdout, ' +
          'from 0 (session_configured), one more per line. id is the submission the event belongs to.',
        union: 'msg',
      }),
    ),
    // keel exec --json: the header, then events exactly as above, then the verdict.
    'exec-events.schema.json': render({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'keel exec --json line',
      description:
        'One line of keel exec --json standard output. The first is the header (its format_version changes only with ' +
        'a documented migration, see README), then every event {id, seq, msg} as in event.schema.json, then the ' +
        'exec_result verdict right before shutdown_complete. A line with msg is an event; one without is exec\'s own.',
      oneOf: [
        { title: 'header', ...withoutSchemaKey(z.toJSONSchema(ExecHeader, { io: 'output' }) as JsonObject) },
        { title: 'event', ...withoutSchemaKey(z.toJSONSchema(Event, { io: 'output' }) as JsonObject) },
        { title: 'exec_result', ...withoutSchemaKey(z.toJSONSchema(ExecResult, { io: 'output' }) as JsonObject) },
      ],
    }),
  };
}

function withoutSchemaKey(schema: JsonObject): JsonObject {
  const { $schema: _, ...rest } = schema;
  return rest;
}

interface DocumentInfo {
  title: string;
  description: string;
  /** The property holding the tagged union whose variants are titled after their `type` (`op`, `msg`). */
  union: string;
}

/** Adds a title and a description, and names each variant of the tagged union after its tag. */
function document(schema: JsonObject, info: DocumentInfo): JsonObject {
  const { $schema, ...rest } = schema;
  const union = (rest.properties as Record<string, JsonObject>)[info.union];
  const variants = union?.oneOf;
  if (union === undefined || !Array.isArray(variants)) throw new Error(`${info.title}: ${info.union} is not a oneOf union`);
  union.oneOf = (variants as JsonObject[]).map((variant) => {
    const tag = (variant.properties as Record<string, JsonObject> | undefined)?.type?.const;
    if (typeof tag !== 'string') throw new Error(`${info.title}: a variant of ${info.union} has no constant type`);
    // First in the object, where a reader of the file looks for it.
    return { title: tag, ...variant };
  });
  return { $schema, title: info.title, description: info.description, ...rest };
}

function render(schema: JsonObject): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
