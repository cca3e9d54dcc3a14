import { z } from 'zod';
import { environmentSchema } from './schema';
import { EDITOR_SCHEMA_FILE, ENVIRONMENTS_DIR } from './sources';

/** Where the editor schema is committed; environment files point at it with "$schema". */
export const JSON_SCHEMA_FILE = `${ENVIRONMENTS_DIR}/${EDITOR_SCHEMA_FILE}`;

/** The editor JSON Schema, generated from the same zod schema that validates at synth. */
export function environmentJsonSchema(): string {
  const schema = z.toJSONSchema(environmentSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify(schema, null, 2)}\n`;
}
