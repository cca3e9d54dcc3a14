import { z } from 'zod';
import { environmentSchema, suppressionRuleId } from '../environment/schema';
import { SUPPRESSIBLE_RULE_IDS } from '../guardrails/pack';
import { EDITOR_SCHEMA_FILE, ENVIRONMENTS_DIR } from '../environment/sources';

/** Where the editor schema is committed; environment files point at it with "$schema". */
export const JSON_SCHEMA_FILE = `${ENVIRONMENTS_DIR}/${EDITOR_SCHEMA_FILE}`;

/**
 * The editor JSON Schema, generated from the same zod schema that validates at synth. The guardrail
 * rule IDs a suppression may name come from the pack, a layer above the schema (synth checks them
 * when the guardrails run): here, above both, they become the field's enum, so editors complete them.
 */
export function environmentJsonSchema(): string {
  const schema = z.toJSONSchema(environmentSchema, {
    io: 'input',
    unrepresentable: 'any',
    override: (context) => {
      if (context.zodSchema === suppressionRuleId) {
        delete context.jsonSchema.pattern;
        context.jsonSchema.enum = [...SUPPRESSIBLE_RULE_IDS];
      }
    },
  });
  return `${JSON.stringify(schema, null, 2)}\n`;
}
