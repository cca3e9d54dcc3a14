import { z } from 'zod';

/** A Terraform reference such as `${data.aws_lb.production.arn}`: resolved at apply, so value checks skip it. */
export function isToken(value: unknown): boolean {
  return typeof value === 'string' && /\$\{[^}]+\}/.test(value);
}

/** A string field checked by `test`; tokens pass unchecked, in the style of aws-cdk's `Token.isUnresolved` guards. */
export function stringRule(message: string, test: (value: string) => boolean, pattern?: RegExp) {
  const schema = z.string().refine((value) => isToken(value) || test(value), { error: message });
  return pattern ? schema.meta({ pattern: pattern.source }) : schema;
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
}
