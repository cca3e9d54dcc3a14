// `npm run schema`: regenerates environments/environment.schema.json from the zod schema.
import * as fs from 'node:fs';
import { environmentJsonSchema, JSON_SCHEMA_FILE } from '../src/synth/editor-schema';

fs.writeFileSync(JSON_SCHEMA_FILE, environmentJsonSchema());
console.log(`wrote ${JSON_SCHEMA_FILE}`);
