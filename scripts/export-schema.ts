// npm run schema: writes the protocol's JSON Schema, generated from the zod
// schemas, to schema/vfio-tck-protocol.schema.json. Commit the result; a unit
// test fails while the committed file is not current.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { protocolJsonSchemaText, SCHEMA_FILE } from '../support/adapter/json-schema';

const file = join(__dirname, '..', SCHEMA_FILE);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, protocolJsonSchemaText());
console.log(`wrote ${SCHEMA_FILE}`);
