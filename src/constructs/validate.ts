import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { isReference } from '../kit/reference';

/**
 * Props validation at the top of a constructor, for users of the constructs who bypass the
 * environment file. Unresolved tokens and `${...}` references are skipped: their values are only known at apply.
 */
export function requireValid<T>(scope: Construct, field: string, value: T | undefined, isValid: (value: T) => boolean, rule: string): void {
  // cdktf tokens, and Terraform references written in an environment file ("${...}")
  if (value === undefined || Token.isUnresolved(value) || isReference(value)) return;
  if (!isValid(value)) throw new Error(`${scope.node.path}: ${field}: ${rule} (got ${JSON.stringify(value)})`);
}
