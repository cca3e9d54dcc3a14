import { Token } from 'cdktf';
import { Construct } from 'constructs';

/**
 * Props validation at the top of a constructor, for users of the constructs who bypass the
 * environment file. Unresolved tokens are skipped: their values are only known at apply.
 */
export function requireValid<T>(scope: Construct, field: string, value: T | undefined, isValid: (value: T) => boolean, rule: string): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!isValid(value)) throw new Error(`${scope.node.path}: ${field}: ${rule} (got ${JSON.stringify(value)})`);
}
