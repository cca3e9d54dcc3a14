/** How IAM may grant secrets. The config rule checks taskRolePolicy; the guardrail every IAM policy in the JSON. */

// Secrets Manager secrets, SSM parameters and KMS keys: what a staging task must never read in bulk.
const SECRET_SERVICE = 'secretsmanager|ssm|kms';
const SECRET_ACTION = new RegExp(`^(${SECRET_SERVICE}):`, 'i');
const SECRET_RESOURCE = new RegExp(`^arn:[^:]*:(${SECRET_SERVICE}):`);
// Any wildcard: "*", but also secret:*-* or parameter/*/*, which match every secret or parameter of
// the account (every secret ARN ends in -XXXXXX).
const WILDCARD = /[*?]/;

export const isSecretAction = (action: string): boolean => SECRET_ACTION.test(action);

/**
 * Whether an IAM resource grants secrets by wildcard: a least-privilege breach, since a task that can
 * read every secret of the account can read production's. Whether the grant is about secrets is read
 * from the statement's actions when they are given (the guardrail: `*` under `ssm:GetParameters`), or
 * else from the resource's own ARN (the config rule: `arn:aws:secretsmanager:…:secret:*`, whatever the actions).
 */
export function grantsSecretsByWildcard(resource: string, actions?: readonly string[]): boolean {
  const aboutSecrets = actions === undefined ? SECRET_RESOURCE.test(resource) : actions.some(isSecretAction);
  return aboutSecrets && WILDCARD.test(resource);
}
