// Writes schema/*.schema.json, the JSON Schemas of keel proto's submissions and events, from the protocol's zod
// schemas (src/cli/schema-files.ts). Run it after changing src/protocol/: npm run gen:schema
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { protocolSchemaFiles } from '../src/cli/schema-files.ts';

const dir = resolve(import.meta.dirname, '../schema');
mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(protocolSchemaFiles())) {
  writeFileSync(join(dir, name), text);
  process.stdout.write(`wrote schema/${name}\n`);
}
