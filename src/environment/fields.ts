import { environmentSchema } from './schema';

// Walking the environment schema alongside a parsed file: which field a JSON path names.

/** The schema of the field at a JSON path (record values and list elements included); undefined for an unknown field. */
export function schemaAt(path: readonly (string | number)[]): any {
  let schema: any = environmentSchema;
  for (const segment of path) {
    schema = childSchema(schema, segment);
    if (schema === undefined) return undefined;
  }
  return schema;
}

/** The schema of one field, record value or list element of `schema`. */
export function childSchema(schema: any, segment: string | number): any {
  const inner = unwrap(schema);
  if (inner?.shape) return typeof segment === 'string' ? inner.shape[segment] : undefined;
  return inner?._zod?.def?.valueType ?? inner?._zod?.def?.element;
}

/** The schema a field wraps (optional, described, defaulted, …). */
export function unwrap(schema: any): any {
  let current = schema;
  while (current?._zod?.def?.innerType) current = current._zod.def.innerType;
  return current;
}
