import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { ADDRESS } from '../kit/defaults';
import { policyDocument, Statement } from '../aws/iam';

export interface BuildRoleProps {
  /** Role name, unique in the account. */
  readonly name: string;
  /** The one staging ECR repository the build pushes to. */
  readonly repositoryArn: string;
  /** The one service the build redeploys (an `aws_ecs_service` id is its ARN). */
  readonly serviceArn: string;
  /** The build's own log group. */
  readonly logGroupArn: string;
  /**
   * CodeConnections connection to the source repository.
   * @default - none
   */
  readonly connectionArn?: string;
  /**
   * Secrets the build reads: a GitHub token, Docker Hub credentials, the access header's value.
   * @default []
   */
  readonly secretArns?: readonly string[];
  /**
   * SSM parameters the build reads (CodeBuild's `env.parameter-store`): the access header's value.
   * @default []
   */
  readonly parameterArns?: readonly string[];
}

// ECR: the push sequence of `docker push`, plus the reads it does first (ECR User Guide, "Pushing an image").
const ECR_PUSH = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:CompleteLayerUpload',
  'ecr:GetDownloadUrlForLayer',
  'ecr:InitiateLayerUpload',
  'ecr:PutImage',
  'ecr:UploadLayerPart',
];

/**
 * The CodeBuild service role, least privilege: push to one repository, roll one service, write its
 * own logs, read the listed secrets. The deploy calls `ecs update-service` with the family name (or,
 * rolling back, the revision that ran before) and `ecs describe-services`, so it needs neither
 * ecs:RegisterTaskDefinition nor iam:PassRole. A rollback puts the mutable tag back on the previous
 * image (`ecr describe-images`, `batch-get-image`, `put-image`), in the same one repository.
 */
export class BuildRole extends Construct {
  public readonly role: IamRole;
  public readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: BuildRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'Role', {
      name: props.name,
      description: 'Staging build: push one image, roll one service',
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    this.role.overrideLogicalId(ADDRESS.buildProject);
    const connectionService = props.connectionArn?.split(':')[2];
    const statements: Statement[] = [
      // ECR GetAuthorizationToken has no resource-level permissions (ECR User Guide, IAM actions table).
      { Sid: 'EcrLogin', Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' },
      { Sid: 'EcrPush', Effect: 'Allow', Action: ECR_PUSH, Resource: [props.repositoryArn] },
      // the image the tag named before the build, which a rollback puts the tag back on
      { Sid: 'EcrRollback', Effect: 'Allow', Action: ['ecr:DescribeImages'], Resource: [props.repositoryArn] },
      { Sid: 'Deploy', Effect: 'Allow', Action: ['ecs:DescribeServices', 'ecs:UpdateService'], Resource: [props.serviceArn] },
      { Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [`${props.logGroupArn}:*`] },
      ...(props.connectionArn
        ? [{ Sid: 'Source', Effect: 'Allow' as const, Action: [`${connectionService}:GetConnection`, `${connectionService}:GetConnectionToken`, `${connectionService}:UseConnection`], Resource: [props.connectionArn] }]
        : []),
      ...((props.secretArns ?? []).length > 0
        ? [{ Sid: 'Secrets', Effect: 'Allow' as const, Action: ['secretsmanager:GetSecretValue'], Resource: [...new Set(props.secretArns)].sort() }]
        : []),
      ...((props.parameterArns ?? []).length > 0
        ? [{ Sid: 'Parameters', Effect: 'Allow' as const, Action: ['ssm:GetParameters'], Resource: [...new Set(props.parameterArns)].sort() }]
        : []),
    ];
    this.policy = new IamRolePolicy(this, 'Policy', { name: 'staging-build', role: this.role.id, policy: policyDocument(statements) });
    this.policy.overrideLogicalId(ADDRESS.buildProject);
  }

  public get arn(): string {
    return this.role.arn;
  }
}
