/**
 * The Responses API's rules on reasoning and on item ids, as the API reference states them and as clients that broke
 * them were answered (messages as reported in those clients' issues; wording close to, not always exactly, the API's):
 *
 * - `reasoning.effort`, `reasoning.summary` and `text.verbosity` take only their documented values.
 * - With `store: false` nothing is kept, so a reasoning item that has only its `id` names nothing the server can
 *   find: 404 "Item with id 'rs_…' not found. Items are not persisted when `store` is set to false." With its
 *   encrypted content the server decrypts that instead (the stateless replay pattern, where the returned output
 *   items go back as they are, ids included; other items are whole in themselves and their ids are not looked up).
 * - Encrypted content must be what the server issued (this server's blobs name their item, see
 *   `scriptedEncryptedReasoning`): anything else "could not be verified".
 * - A reasoning item in input carries no raw reasoning text (`content` must be empty), and needs an `id` unless it
 *   carries encrypted content.
 */
import { scriptedEncryptedReasoning } from './responses-events.ts';
import { isRecord, missing, reject, type RulesVerdict } from './rules-verdict.ts';

const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'];
const SUMMARIES = ['auto', 'concise', 'detailed'];
const VERBOSITIES = ['low', 'medium', 'high'];
const ENCRYPTED_PREFIX = scriptedEncryptedReasoning('');

function invalidValue(param: string, value: unknown, supported: readonly string[]): RulesVerdict {
  const list = supported.map((entry) => `'${entry}'`).join(', ');
  return reject(`Invalid value: ${JSON.stringify(value)}. Supported values are: ${list}.`, param, 'invalid_value');
}

/** `reasoning` and `text` of a request body. */
export function checkReasoningParams(body: Record<string, unknown>): RulesVerdict | undefined {
  const reasoning = body.reasoning;
  if (reasoning !== undefined && reasoning !== null) {
    if (!isRecord(reasoning)) return reject(`Invalid type for 'reasoning': expected an object.`, 'reasoning', 'invalid_type');
    if (reasoning.effort !== undefined && reasoning.effort !== null && !EFFORTS.includes(String(reasoning.effort))) {
      return invalidValue('reasoning.effort', reasoning.effort, EFFORTS);
    }
    if (reasoning.summary !== undefined && reasoning.summary !== null && !SUMMARIES.includes(String(reasoning.summary))) {
      return invalidValue('reasoning.summary', reasoning.summary, SUMMARIES);
    }
  }
  const text = body.text;
  if (isRecord(text) && text.verbosity !== undefined && text.verbosity !== null && !VERBOSITIES.includes(String(text.verbosity))) {
    return invalidValue('text.verbosity', text.verbosity, VERBOSITIES);
  }
  return undefined;
}

/** A reasoning input item: its id, content and encrypted content. */
export function checkReasoningItem(item: Record<string, unknown>, index: number, store: boolean): RulesVerdict | undefined {
  const at = `input[${index}]`;
  const id = typeof item.id === 'string' && item.id !== '' ? item.id : undefined;
  if (Array.isArray(item.content) && item.content.length > 0) {
    return reject(
      `Invalid '${at}.content': array too long. Expected an array with maximum length 0, but got an array with length ${item.content.length} instead.`,
      `${at}.content`,
      'array_above_max_length',
    );
  }
  const encrypted = item.encrypted_content;
  if (typeof encrypted === 'string') {
    const verified = encrypted.startsWith(ENCRYPTED_PREFIX) && (id === undefined || encrypted === scriptedEncryptedReasoning(id));
    if (!verified) return reject(`The encrypted content for item ${id ?? at} could not be verified.`, `${at}.encrypted_content`, 'invalid_encrypted_content');
    return undefined;
  }
  if (id === undefined) return missing(`${at}.id`);
  return store ? undefined : notPersisted(id);
}

function notPersisted(id: string): RulesVerdict {
  return reject(
    `Item with id '${id}' not found. Items are not persisted when \`store\` is set to false. Try again with \`store\` set to true, or remove this item from your input.`,
    'input',
    null,
    404,
  );
}
