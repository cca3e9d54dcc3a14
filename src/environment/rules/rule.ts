import { z } from 'zod';

const TOKEN = /\$\{[^}]+\}/;

/** A Terraform reference such as `${data.aws_lb.production.arn}`: resolved at apply, so value checks skip it. */
export function isToken(value: unknown): boolean {
  return typeof value === 'string' && TOKEN.test(value);
}

/** What `isToken` finds, as an (unanchored) JSON Schema pattern: a string holding a reference anywhere. */
export const TOKEN_PATTERN = TOKEN.source;

/**
 * The editor (JSON Schema, ECMA-262) pattern of a field that takes references: the rule's own
 * pattern, anchored by itself, or a string holding a reference, as `isToken` admits it.
 */
export function orToken(pattern: RegExp): string {
  return `(?:${pattern.source})|${TOKEN_PATTERN}`;
}

/**
 * A string field checked by `test`; tokens pass unchecked, in the style of aws-cdk's `Token.isUnresolved` guards.
 * `pattern`, anchored, is `test` as a regex for the editor schema, which gets it with the reference form beside it.
 */
export function stringRule(message: string, test: (value: string) => boolean, pattern?: RegExp) {
  const schema = z.string().refine((value) => isToken(value) || test(value), { error: message });
  return pattern ? schema.meta({ pattern: orToken(pattern) }) : schema;
}

/**
 * Fields that hold a secret's reference (an ARN or an SSM parameter name), never the secret: a plain
 * value found there is most likely the secret itself, so errors about the field never print it
 * (`src/environment/errors.ts` looks fields up here by JSON path). A registry of its own, not
 * `.meta()`, so the mark stays out of the editor JSON Schema.
 */
export const secretFields = z.registry<{ secret: true }>();

/** Marks a field as a secret's reference (see `secretFields`); every field built from it inherits the mark. */
export function secretField<T extends z.ZodType>(schema: T): T {
  secretFields.add(schema, { secret: true });
  return schema;
}

/** An integer field in `[min, max]`, with one message for every way to miss it. */
export function integerBetween(min: number, max: number) {
  const message = `must be an integer from ${min} to ${max}`;
  return z.number().int({ error: message }).min(min, { error: message }).max(max, { error: message });
}

/** An integer field of at least `min`. */
export function integerAtLeast(min: number) {
  const message = `must be an integer of at least ${min}`;
  return z.number().int({ error: message }).min(min, { error: message });
}

/** A problem found by a rule that spans several fields or files. */
export interface Finding {
  /** JSON path of the field the problem is reported on. */
  readonly path: readonly (string | number)[];
  /** What the rule requires, phrased as "must …". */
  readonly message: string;
  /** The value found. */
  readonly value?: unknown;
  /** How the message quotes the value, when its JSON is not enough (e.g. `region "us-east-1" in "arn:…"`). */
  readonly got?: string;
}
