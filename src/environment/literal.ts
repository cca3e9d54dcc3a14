import { childSchema } from './fields';
import { isReference } from '../kit/reference';
import { referenceFields } from './rules/rule';
import type { EnvironmentConfig } from './schema';
import { environmentSchema } from './schema';

/** Whether the field takes references (see `referenceRule`), on itself or on what it wraps. */
function takesReferences(schema: any): boolean {
  for (let current = schema; current?._zod; current = current._zod.def?.innerType) {
    if (referenceFields.get(current)?.reference) return true;
  }
  return false;
}

/**
 * Terraform's JSON syntax reads every string as a template: `${…}` is evaluated and `%{…}` runs
 * (Terraform docs, "JSON Configuration Syntax"). So the text of a file reaches AWS as written, every
 * string is escaped (`$${`, `%%{`), except one whole reference in a field that takes references.
 */
export function escapeTemplate(text: string): string {
  // (a function, since "$$" in a replacement string means one "$")
  return text.replace(/([$%])\{/g, (_, sign: string) => `${sign}${sign}{`);
}

/**
 * The config as Terraform must receive it: every string escaped by `escapeTemplate`, unless it is a
 * reference in a reference field (the rules allow no other `${` there). Built once, where a file's
 * config becomes a stack; rules and generated files (the buildspec) see the text as written.
 */
export function literalText(config: EnvironmentConfig): EnvironmentConfig {
  return escapeAll(environmentSchema, config) as EnvironmentConfig;
}

function escapeAll(schema: any, value: unknown): unknown {
  if (typeof value === 'string') return takesReferences(schema) && isReference(value) ? value : escapeTemplate(value);
  if (Array.isArray(value)) return value.map((item, index) => escapeAll(childSchema(schema, index), item));
  if (value !== null && typeof value === 'object') {
    // Keys need none: names and tag keys have no "$", "%" or "{" (their rules), and Terraform reads a map's keys literally.
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, escapeAll(childSchema(schema, key), item)]));
  }
  return value;
}
