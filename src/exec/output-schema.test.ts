import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOutputSchema, type AnswerSchema } from './output-schema.ts';

const VERDICT_SCHEMA = {
  type: 'object',
  properties: { verdict: { enum: ['pass', 'fail'] }, reason: { type: 'string' } },
  required: ['verdict', 'reason'],
  additionalProperties: false,
};

async function loaded(schema: unknown = VERDICT_SCHEMA): Promise<AnswerSchema> {
  const result = await loadOutputSchema('verdict.json', async () => JSON.stringify(schema));
  if (result.type !== 'loaded') throw new Error(result.message);
  return result.schema;
}

describe('loadOutputSchema', () => {
  it('loads a schema as a strict response format', async () => {
    expect((await loaded()).format).toEqual({ name: 'keel_output', schema: VERDICT_SCHEMA, strict: true });
  });

  it('refuses a missing file, a directory, text that is not JSON, JSON that is not an object, and a broken schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-schema-'));
    const message = async (path: string, text?: string): Promise<string> => {
      if (text !== undefined) writeFileSync(join(dir, path), text);
      const result = await loadOutputSchema(join(dir, path));
      return result.type === 'unusable' ? result.message : 'loaded';
    };
    expect(await message('gone.json')).toBe(`--output-schema ${join(dir, 'gone.json')}: no such file (check the path)`);
    expect(await message('')).toContain('a directory, not a file');
    expect(await message('bad.json', '{"type": ')).toMatch(/bad\.json is not JSON: /);
    expect(await message('list.json', '[1]')).toMatch(/list\.json must hold a JSON Schema object .*, not an array$/);
    expect(await message('text.json', '"object"')).toMatch(/not a string$/);
    expect(await message('typo.json', '{"type": "strin"}')).toMatch(/typo\.json is not a JSON Schema keel can check answers with: type must be JSONType/);
    expect(await message('ok.json', JSON.stringify(VERDICT_SCHEMA))).toBe('loaded');
  });
});

describe('an answer checked against the schema', () => {
  it('is given back as compact JSON when it follows the schema', async () => {
    const schema = await loaded();
    expect(schema.check('{\n  "verdict": "pass",\n  "reason": "tests green"\n}\n')).toEqual({ type: 'valid', json: '{"verdict":"pass","reason":"tests green"}' });
  });

  it('names the path and the problem when it does not', async () => {
    const check = (await loaded()).check('{"verdict": "maybe"}');
    expect(check.type).toBe('invalid');
    const problem = check.type === 'invalid' ? check.problem : '';
    expect(problem).toContain("answer must have required property 'reason'");
    expect(problem).toContain('answer/verdict must be equal to one of the allowed values');
  });

  it('says when the answer is not JSON, or there is none', async () => {
    const schema = await loaded();
    expect(schema.check('The verdict is pass.')).toMatchObject({ type: 'invalid', problem: expect.stringMatching(/^the answer is not JSON \(.*\): "The verdict is pass\."$/) });
    expect(schema.check(null)).toEqual({ type: 'invalid', problem: 'the task ended without an answer' });
    expect(schema.check('  ')).toEqual({ type: 'invalid', problem: 'the task ended without an answer' });
  });
});
