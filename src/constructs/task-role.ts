import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { ADDRESS } from '../kit/defaults';
import { assumedByEcsTasks, policyDocument, Statement } from '../aws/iam';

export interface TaskRoleProps {
  /** Role name, unique in the account. */
  readonly name: string;
  /**
   * Grant what ECS Exec needs: the SSM agent's channels, and writing session logs to `execLogGroupArn`.
   * @default false
   */
  readonly execEnabled?: boolean;
  /**
   * Log group of the exec session logs.
   * @default - none; required when `execEnabled`
   */
  readonly execLogGroupArn?: string;
  /**
   * What the application itself needs, by exact ARN.
   * @default []
   */
  readonly statements?: readonly { readonly actions: readonly string[]; readonly resources: readonly string[] }[];
  /**
   * `rds-db:connect` on exactly this `dbuser` ARN: the application connects to production's database
   * as one user, with an IAM token.
   * @default - none
   */
  readonly databaseConnectResource?: string;
}

/** `rds-db:connect` as one database user (RDS User Guide, "Creating and using an IAM policy for IAM database access"). */
export function databaseConnectStatement(resource: string): Statement {
  return { Sid: 'ConnectToDatabase', Effect: 'Allow', Action: ['rds-db:connect'], Resource: [resource] };
}

// ECS Developer Guide, "Using ECS Exec": these ssmmessages actions support no resource-level permissions.
const SSM_MESSAGES = ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'];

/** The role the application assumes: ECS Exec's channels when exec is on, plus the listed statements. */
export class TaskRole extends Construct {
  public readonly role: IamRole;
  public readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: TaskRoleProps) {
    super(scope, id);
    if (props.execEnabled && !props.execLogGroupArn) throw new Error(`${this.node.path}: execLogGroupArn: is required when execEnabled is true`);
    this.role = new IamRole(this, 'Role', { name: props.name, assumeRolePolicy: assumedByEcsTasks(), description: 'Staging application' });
    this.role.overrideLogicalId(ADDRESS.taskRole);
    const exec: Statement[] = props.execEnabled
      ? [
          { Sid: 'ExecChannels', Effect: 'Allow', Action: SSM_MESSAGES, Resource: '*' },
          // DescribeLogGroups is account-wide; ECS Exec calls it before writing.
          { Sid: 'ExecFindLogGroup', Effect: 'Allow', Action: ['logs:DescribeLogGroups'], Resource: '*' },
          { Sid: 'ExecWriteLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], Resource: [`${props.execLogGroupArn}:*`] },
        ]
      : [];
    const application: Statement[] = (props.statements ?? []).map((statement, index) => ({
      Sid: `Application${index + 1}`,
      Effect: 'Allow',
      Action: [...statement.actions],
      Resource: [...statement.resources],
    }));
    this.policy = new IamRolePolicy(this, 'Policy', { name: 'staging-task', role: this.role.id, policy: policyDocument([...exec, ...application, ...(props.databaseConnectResource ? [databaseConnectStatement(props.databaseConnectResource)] : [])]) });
    this.policy.overrideLogicalId(`${ADDRESS.taskRole}_policy`);
  }

  public get arn(): string {
    return this.role.arn;
  }
}
