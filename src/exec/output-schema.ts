/**
 * `keel exec --output-schema FILE`: the JSON Schema the final answer must follow. Loaded and compiled before
 * anything is sent (a file that is missing, not JSON, not an object or not a schema the validator can compile is a
 * usage error), sent to the model as the response format, and the final answer checked against it at the end: stdout
 * gets the answer as compact JSON, or nothing when it does not follow the schema.
 *
 * The validator is Ajv 8 as the MCP SDK packages it (JSON Schema draft-07, formats on, every error reported). It is
 * loaded only when a schema is given, so that `keel exec` without one does not pay for it at start-up.
 */
import { readFile } from 'node:fs/promises';
import type { OutputSchema } from '../core/agent.ts';

/** What the model API calls the format (`text.format.name`, `json_schema.name`). */
const FORMAT_NAME = 'keel_output';

export type AnswerCheck = { type: 'valid'; json: string } | { type: 'invalid'; problem: string };

export interface AnswerSchema {
  /** The path as given on the command line, for messages. */
  path: string;
  format: OutputSchema;
  /** Checks a final answer: it must be JSON text and follow the schema. */
  check(answer: string | null): AnswerCheck;
}

export type SchemaLoad = { type: 'loaded'; schema: AnswerSchema } | { type: 'unusable'; message: string };

export async function loadOutputSchema(path: string, readText: (path: string) => Promise<string> = (file) => readFile(file, 'utf8')): Promise<SchemaLoad> {
  let text: string;
  try {
    text = await readText(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file (check the path)' : code === 'EISDIR' ? 'a directory, not a file' : `cannot be read (${(error as Error).message})`;
    return { type: 'unusable', message: `--output-schema ${path}: ${why}` };
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    return { type: 'unusable', message: `--output-schema ${path} is not JSON: ${(error as Error).message}` };
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return { type: 'unusable', message: `--output-schema ${path} must hold a JSON Schema object ({"type": "object", …}), not ${describe(schema)}` };
  }
  const { AjvJsonSchemaValidator } = await import('@modelcontextprotocol/sdk/validation/ajv');
  let validate: ReturnType<InstanceType<typeof AjvJsonSchemaValidator>['getValidator']>;
  try {
    validate = new AjvJsonSchemaValidator().getValidator(schema);
  } catch (error) {
    return { type: 'unusable', message: `--output-schema ${path} is not a JSON Schema keel can check answers with: ${(error as Error).message}` };
  }
  const format: OutputSchema = { name: FORMAT_NAME, schema: schema as Record<string, unknown>, strict: true };
  return { type: 'loaded', schema: { path, format, check: (answer) => checkAnswer(answer, validate) } };
}

function checkAnswer(answer: string | null, validate: (input: unknown) => { valid: boolean; errorMessage?: string }): AnswerCheck {
  if (answer === null || answer.trim() === '') return { type: 'invalid', problem: 'the task ended without an answer' };
  let value: unknown;
  try {
    value = JSON.parse(answer);
  } catch (error) {
    return { type: 'invalid', problem: `the answer is not JSON (${(error as Error).message}): ${excerpt(answer)}` };
  }
  const result = validate(value);
  if (result.valid) return { type: 'valid', json: JSON.stringify(value) };
  // Ajv names the value `data` ("data/verdict must be …"); here it is the answer.
  const problem = (result.errorMessage ?? 'it does not match').replace(/(^|, )data(?=[/ ])/g, '$1answer');
  return { type: 'invalid', problem };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return `a ${typeof value}`;
}

const EXCERPT_CHARS = 120;

function excerpt(text: string): string {
  const line = text.trim().replace(/\s+/g, ' ');
  return JSON.stringify(line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS - 1)}…` : line);
}
