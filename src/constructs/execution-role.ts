import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { ADDRESS } from '../kit/defaults';
import { assumedByEcsTasks, partitionOf, policyDocument, Statement } from '../aws/iam';

export interface ExecutionRoleProps {
  /** Role name, unique in the account. */
  readonly name: string;
  /** Region of the stack, for the managed policy's partition. */
  readonly region: string;
  /**
   * The container's `secrets` values: Secrets Manager or SSM parameter ARNs.
   * @default []
   */
  readonly secretReferences?: readonly string[];
  /**
   * More statements of exactly what the role must read, written by the stack: a clone's master secret
   * by its ARN (known at plan), or the previews' clones' secrets by the tag RDS gives them.
   * @default []
   */
  readonly statements?: readonly Statement[];
  /**
   * Customer managed key that encrypts the secrets.
   * @default - none (AWS managed keys need no grant)
   */
  readonly kmsKeyArn?: string;
}

/** A Secrets Manager `valueFrom` may carry `:json-key:version-stage:version-id`; IAM wants the secret ARN. */
export function secretArnOf(reference: string): string {
  return reference.split(':').slice(0, 7).join(':');
}

/** Reading exactly these secrets (and decrypting with the key, if given): nothing on "*". */
export function secretReadStatements(secretReferences: readonly string[], kmsKeyArn?: string): Statement[] {
  const references = [...new Set(secretReferences)];
  const secrets = [...new Set(references.filter((r) => r.includes(':secretsmanager:')).map(secretArnOf))].sort();
  const parameters = references.filter((r) => r.includes(':ssm:')).sort();
  return [
    ...(secrets.length > 0 ? [{ Sid: 'ReadSecrets', Effect: 'Allow' as const, Action: ['secretsmanager:GetSecretValue'], Resource: secrets }] : []),
    ...(parameters.length > 0 ? [{ Sid: 'ReadParameters', Effect: 'Allow' as const, Action: ['ssm:GetParameters'], Resource: parameters }] : []),
    ...(kmsKeyArn ? [{ Sid: 'DecryptSecrets', Effect: 'Allow' as const, Action: ['kms:Decrypt'], Resource: [kmsKeyArn] }] : []),
  ];
}

/**
 * The role the ECS agent uses: the AWS managed task-execution policy (image pull, logs), plus reading
 * exactly the secrets the container lists. Nothing is granted on "*" for secrets or KMS.
 */
export class ExecutionRole extends Construct {
  public readonly role: IamRole;
  /** The secrets policy, absent when the container lists no secret. */
  public readonly secretsPolicy?: IamRolePolicy;

  constructor(scope: Construct, id: string, props: ExecutionRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'Role', { name: props.name, assumeRolePolicy: assumedByEcsTasks(), description: 'ECS agent: image pull, logs, the listed secrets' });
    this.role.overrideLogicalId(ADDRESS.executionRole);
    const managed = new IamRolePolicyAttachment(this, 'Managed', {
      role: this.role.name,
      policyArn: `arn:${partitionOf(props.region)}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy`,
    });
    managed.overrideLogicalId(`${ADDRESS.executionRole}_managed`);

    const statements = [...secretReadStatements(props.secretReferences ?? [], props.kmsKeyArn), ...(props.statements ?? [])];
    if (statements.length > 0) {
      this.secretsPolicy = new IamRolePolicy(this, 'Secrets', { name: 'read-listed-secrets', role: this.role.id, policy: policyDocument(statements) });
      this.secretsPolicy.overrideLogicalId(`${ADDRESS.executionRole}_secrets`);
    }
  }

  public get arn(): string {
    return this.role.arn;
  }
}
