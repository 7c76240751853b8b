/**
 * The JSON form of a script, for scripts given in a file (`keel demo --script`, users' offline tests). It is the
 * `ScriptStep` shape without `expect` hooks, either a bare array of steps or `{"steps": [...]}`. A function call's
 * `arguments` may be written as a JSON value for convenience; it is encoded to the string the wire carries.
 *
 * The same schema validates scripts built in code when a server starts, so mistakes fail early, naming the step.
 */
import * as z from 'zod/mini';
import '../protocol/zod-messages.ts';
import type { ScriptStep } from './script.ts';

const count = z.int().check(z.nonnegative());
const nonEmpty = z.string().check(z.minLength(1));

const ScriptOutputJson = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: z.string() }),
  z.strictObject({ type: z.literal('reasoning'), summary: z.array(z.string()) }),
  z.strictObject({
    type: z.literal('function_call'),
    name: nonEmpty,
    arguments: z.union([z.string(), z.pipe(z.json(), z.transform((value) => JSON.stringify(value)))]),
    call_id: z.optional(nonEmpty),
  }),
  z.strictObject({
    type: z.literal('custom_tool_call'),
    name: nonEmpty,
    input: z.string(),
    call_id: z.optional(nonEmpty),
  }),
]);

const StreamFaultsJson = z
  .strictObject({
    dropAfterEvents: z.optional(count),
    stallAfterEvents: z.optional(count),
    malformedAfterEvents: z.optional(count),
    delayMs: z.optional(count),
    eventsPerSecond: z.optional(z.number().check(z.positive())),
  })
  .check(
    z.refine((faults) => faults.dropAfterEvents === undefined || faults.stallAfterEvents === undefined, {
      message: 'dropAfterEvents and stallAfterEvents exclude each other',
    }),
  );

const headers = z.record(z.string(), z.string());

const ScriptStepJson = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('response'),
    outputs: z.array(ScriptOutputJson),
    id: z.optional(nonEmpty),
    usage: z.optional(
      z.strictObject({
        input_tokens: count,
        output_tokens: count,
        cached_tokens: z.optional(count),
        reasoning_tokens: z.optional(count),
      }),
    ),
    faults: z.optional(StreamFaultsJson),
    headers: z.optional(headers),
    chat: z.optional(
      z.strictObject({
        toolCallIds: z.optional(z.boolean()),
        usage: z.optional(z.boolean()),
        reasoningField: z.optional(z.enum(['reasoning_content', 'reasoning', 'think_tags', 'think_close_only'])),
      }),
    ),
  }),
  z.strictObject({
    type: z.literal('http_error'),
    status: z.int().check(z.gte(400), z.lte(599)),
    headers: z.optional(headers),
    body: z.optional(z.json()),
  }),
  z.strictObject({
    type: z.literal('failed'),
    code: z.string(),
    message: z.string(),
    id: z.optional(nonEmpty),
    faults: z.optional(StreamFaultsJson),
  }),
]);

export class ScriptError extends Error {
  readonly kind = 'invalid_script';
  /** One line per problem, each naming the step index and the field. */
  readonly problems: string[];

  constructor(problems: string[], options?: { cause?: unknown }) {
    super(`invalid script:\n  ${problems.join('\n  ')}`, options);
    this.name = 'ScriptError';
    this.problems = problems;
  }
}

function describeIssues(index: number, error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    return `step ${index}${where}: ${issue.message}`;
  });
}

function parseSteps(raw: unknown[]): { steps: ScriptStep[]; problems: string[] } {
  const steps: ScriptStep[] = [];
  const problems: string[] = [];
  raw.forEach((candidate, index) => {
    const result = ScriptStepJson.safeParse(candidate);
    if (result.success) steps.push(result.data as ScriptStep);
    else problems.push(...describeIssues(index, result.error));
  });
  return { steps, problems };
}

/** Parses a script file's text. Throws `ScriptError` listing every problem. */
export function parseScriptJson(text: string): ScriptStep[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new ScriptError([`not JSON: ${(cause as Error).message}`], { cause });
  }
  const list = Array.isArray(raw)
    ? raw
    : typeof raw === 'object' && raw !== null && Array.isArray((raw as { steps?: unknown }).steps)
      ? ((raw as { steps: unknown[] }).steps)
      : undefined;
  if (!list) throw new ScriptError(['expected an array of steps or an object {"steps": [...]}']);
  const { steps, problems } = parseSteps(list);
  if (problems.length > 0) throw new ScriptError(problems);
  return steps;
}

/** Checks steps built in code (their data, not their `expect` hooks). Throws `ScriptError` listing every problem. */
export function validateScript(steps: readonly ScriptStep[]): void {
  const data = steps.map((step) => {
    const { expect: _expect, ...rest } = step;
    return rest;
  });
  const { problems } = parseSteps(data);
  if (problems.length > 0) throw new ScriptError(problems);
}
