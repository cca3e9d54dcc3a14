import { z } from 'zod';
import { isReference, REFERENCE, REFERENCE_RULE, TEMPLATE_SYNTAX } from '../../kit/reference';

/** The editor (JSON Schema, ECMA-262) pattern of a field that takes references: the rule's own pattern, or a whole reference. */
export function orReference(pattern: RegExp): string {
  return `(?:${pattern.source})|(?:${REFERENCE.source})`;
}

/**
 * A string field checked by `test`, whose value is text (a name, a host, a CIDR): never a reference,
 * so every rule sees the real value. `pattern`, anchored, is `test` as a regex for the editor schema.
 */
export function stringRule(message: string, test: (value: string) => boolean, pattern?: RegExp) {
  const schema = z.string().refine(test, { error: message });
  return pattern ? schema.meta({ pattern: pattern.source }) : schema;
}

/**
 * A field that points at something that exists (an ID, an ARN, the image): its value checked by
 * `test`, or one whole reference, which passes unchecked in the style of aws-cdk's `Token.isUnresolved`
 * guards. Anything else holding `${` or `%{` is refused: it would run as a Terraform expression.
 */
export function referenceRule(message: string, test: (value: string) => boolean, pattern?: RegExp) {
  const schema = z.string().superRefine((value, context) => {
    if (isReference(value)) return;
    if (TEMPLATE_SYNTAX.test(value)) context.addIssue({ code: 'custom', input: value, message: REFERENCE_RULE });
    else if (!test(value)) context.addIssue({ code: 'custom', input: value, message });
  });
  const rule = pattern ? schema.meta({ pattern: orReference(pattern) }) : schema;
  referenceFields.add(rule, { reference: true });
  return rule;
}

/** Marks which fields take references, for `literalText` (a registry, like `secretFields`, so the editor schema stays clean). */
export const referenceFields = z.registry<{ reference: true }>();

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

/** The largest integer the AWS APIs take where they name no smaller limit: theirs are 32-bit (Java `Integer`). */
export const INT32_MAX = 2147483647;

/** An integer field of at least `min` (and, as every AWS integer, at most `INT32_MAX`). */
export function integerAtLeast(min: number) {
  const message = `must be an integer of at least ${min}`;
  return z
    .number()
    .int({ error: message })
    .min(min, { error: message })
    .max(INT32_MAX, { error: `must be at most ${INT32_MAX}: AWS takes 32-bit integers` });
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
