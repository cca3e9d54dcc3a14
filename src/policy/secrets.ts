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

/**
 * The one wildcard a secret grant may hold: the master secrets RDS manages (`secret:rds!cluster-*`),
 * narrowed by the tags RDS gives each (AWS managed policy AmazonRDSServiceRolePolicy: it tags them
 * `aws:secretsmanager:owningService = rds` and `aws:rds:primaryDBClusterArn = <the cluster's ARN>`) to
 * the clusters of one preview clone pattern, `cluster:<source>-<stack>-pr-*`. Those names are longer
 * than the source's, so no production cluster's secret matches. The previews' clones are made after
 * staging's roles: their secrets' ARNs cannot be listed, only this pattern.
 */
export const RDS_MANAGED_SECRET = /^arn:[^:]+:secretsmanager:[^:]+:[^:]+:secret:rds!cluster-\*$/;
const CLONE_CLUSTER_PATTERN = /^arn:[^:*?]+:rds:[^:*?]+:[^:*?]+:cluster:[a-z][a-z0-9-]*-pr-\*$/;
export const RDS_OWNING_SERVICE_TAG = 'secretsmanager:ResourceTag/aws:secretsmanager:owningService';
export const RDS_CLUSTER_TAG = 'secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn';

/** The parts of a statement the predicate reads. */
export interface ConditionedStatement {
  readonly Condition?: Record<string, Record<string, unknown>>;
}

// Terraform's `${…}` (a value known at plan, e.g. the account from the lookup's ARN) stands for one value without wildcards.
const oneValue = (text: string) => text.replace(/\$\{[^{}]*\}/g, 'REF');

/** Whether `resource` of the statement is RDS's managed secrets narrowed to the clusters of a preview clone pattern, and nothing wider. */
export function grantsOnlyPreviewCloneSecrets(resource: string, statement: ConditionedStatement): boolean {
  if (!RDS_MANAGED_SECRET.test(oneValue(resource))) return false;
  const equals = statement.Condition?.StringEquals ?? {};
  const like = statement.Condition?.StringLike ?? {};
  const owner = [equals[RDS_OWNING_SERVICE_TAG]].flat();
  const clusters = [like[RDS_CLUSTER_TAG] ?? equals[RDS_CLUSTER_TAG]].flat();
  return owner.length === 1 && owner[0] === 'rds' && clusters.length > 0 && clusters.every((cluster) => typeof cluster === 'string' && CLONE_CLUSTER_PATTERN.test(oneValue(cluster)));
}

/** Creating (and tagging at creation) the master secrets RDS manages, which grants no read: what making a clone with a managed password takes. */
const CREATE_ONLY = new Set(['secretsmanager:createsecret', 'secretsmanager:tagresource']);
export function createsOnlyRdsManagedSecrets(resource: string, actions: readonly string[]): boolean {
  return RDS_MANAGED_SECRET.test(oneValue(resource)) && actions.length > 0 && actions.every((action) => CREATE_ONLY.has(action.toLowerCase()));
}
