import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { partitionOf, policyDocument, Statement } from '../aws/iam';
import { boundedName } from '../aws/scheduler';
import { ADDRESS, KIT } from '../kit/defaults';
import { MaskWorkingHours, renderMaskBuildspec } from '../pipeline/mask-buildspec';
import type { CloneMaskTarget } from './clone-database';
import { gitHubSourceAuth } from './codebuild';

export interface MaskingJobProps {
  /** CodeBuild project name (2–255 letters, digits, "-" and "_"); its role is `<projectName>-codebuild`, its logs `/aws/codebuild/<projectName>`. */
  readonly projectName: string;
  /**
   * The clone to mask: `CloneDatabase.maskTarget`. Its `maskFile` and `securityGroupId` (the
   * `MaskJobSecurityGroup` the clone admits, given to `CloneDatabase` as `maskSecurityGroupId`) are required here.
   */
  readonly clone: CloneMaskTarget;
  /** Region of the clone and of the service. */
  readonly region: string;
  /** The ECS cluster of the service, by name (or ARN). */
  readonly ecsClusterName: string;
  /** The service that waits at 0 tasks (`Service` with `startsAtZero`), by name. */
  readonly serviceName: string;
  /** Its ARN (an `aws_ecs_service` id): the one service the role may describe and scale. */
  readonly serviceArn: string;
  /** The tasks the service gets once the clone is masked: the file's desired count (while awake, with `workingHours`). */
  readonly desiredCount: number;
  /**
   * The service's working hours, whose scalable target waits suspended at 0 (`WorkingHours`
   * `startsSuspended`): after the mask the job resumes it at the capacity the schedule has now, instead
   * of update-service. `ecsClusterName` must then be a name.
   * @default - none: the job scales the service with update-service
   */
  readonly workingHours?: MaskWorkingHours;
  /**
   * The scalable target's ARN (`WorkingHours.targetArn`): the one target the role may register again.
   * Required with `workingHours`, unless `roleArn` is given.
   * @default - none
   */
  readonly scalableTargetArn?: string;
  /**
   * A role made elsewhere for the project (a preview's: staging's `PreviewMaskingRole`, which a preview's
   * build may pass but not make). Given, the job creates no role and no policy.
   * @default - a role of its own, scoped to this clone and this service
   */
  readonly roleArn?: string;
  /** The application repository on GitHub, which holds the mask file: the build's source. */
  readonly repository: string;
  /**
   * The branch (or commit) whose mask file runs.
   * @default "develop" - the staging pipeline's branch
   */
  readonly branch?: string;
  /**
   * CodeConnections connection to GitHub (give this or `tokenSecretArn`).
   * @default - none
   */
  readonly connectionArn?: string;
  /**
   * Secrets Manager secret holding a GitHub token (give this or `connectionArn`).
   * @default - none
   */
  readonly tokenSecretArn?: string;
  /**
   * Seconds to wait for the service to become stable after the scale-up, 1–600.
   * @default 600 - the AWS CLI waiter's own limit
   */
  readonly waitTimeoutSeconds?: number;
  /**
   * Minutes the whole build may take (5–2160): the clone's wait (up to 30), the mask itself, the service's wait (up to 10).
   * @default 60
   */
  readonly buildTimeoutMinutes?: number;
  /**
   * @default "BUILD_GENERAL1_SMALL"
   */
  readonly computeType?: string;
  /**
   * The build image: Amazon Linux 2023, whose `dnf` installs the client when the image lacks it.
   * @default "aws/codebuild/amazonlinux-x86_64-standard:5.0"
   */
  readonly image?: string;
  /**
   * Build log retention, in days.
   * @default 30
   */
  readonly logRetentionInDays?: number;
  /**
   * Environment file the props come from, named in the buildspec's header.
   * @default - none
   */
  readonly sourceEnvironmentFile?: string;
  /**
   * Tags of everything created.
   * @default - none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The role's statement ids, for the tests and the guardrails' readers. */
export const MASKING_JOB_STATEMENTS = ['Logs', 'CloneSecret', 'CloneCluster', 'Scale', 'ResumeWorkingHours', 'VpcNetworkInterfaces', 'VpcNetworkInterfacePermission', 'Source'] as const;

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{1,254}$/;

/**
 * The clone's masking job, fail closed (issue 27): a CodeBuild project in the VPC (the tasks' subnets,
 * the job's own `MaskJobSecurityGroup`) that runs the application repository's mask SQL against the
 * clone in one transaction, and only when it succeeds scales the service, created at 0 tasks, to its
 * count, or with working hours resumes its suspended scalable target (`renderMaskBuildspec`). Nothing
 * starts it here: `MaskStart` does, on the clone's instance's "DB instance created" event; a failed
 * build leaves the service at 0.
 *
 * Its role may do exactly that: read the clone's master secret, describe the clone's cluster, describe
 * and scale the one service (and register its one scalable target again, with working hours), write its
 * own logs, reach its source, and what CodeBuild needs to put the build in the VPC (network interfaces,
 * which EC2 grants on `*` but for the permission, scoped to the subnets).
 * The subnets must reach the AWS APIs and GitHub (a NAT gateway, or endpoints): CodeBuild gives a build
 * in a VPC no public IP.
 */
export class MaskingJob extends Construct {
  public readonly project: CodebuildProject;
  /** Its own role; undefined with `roleArn`. */
  public readonly role?: IamRole;
  public readonly policy?: IamRolePolicy;
  public readonly logGroup: CloudwatchLogGroup;
  /** The job's security group, which the clone's group admits on its port (`CloneDatabase` `maskSecurityGroupId`). */
  public readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: MaskingJobProps) {
    super(scope, id);
    const { clone } = props;
    if (!Token.isUnresolved(props.projectName) && !NAME.test(props.projectName)) {
      throw new Error(`${this.node.path}: projectName: must be 2–255 letters, digits, "-" and "_", starting with a letter or digit (got ${JSON.stringify(props.projectName)})`);
    }
    if (clone.maskFile === undefined) throw new Error(`${this.node.path}: clone.maskFile: the clone has no mask file, so there is nothing to run (a clone consented to unmasked data needs no masking job)`);
    if (clone.securityGroupId === undefined) throw new Error(`${this.node.path}: clone.securityGroupId: give CloneDatabase the MaskJobSecurityGroup as maskSecurityGroupId, else the clone admits no masking job`);
    if (!Token.isUnresolved(clone.subnetIds) && clone.subnetIds.length === 0) throw new Error(`${this.node.path}: clone.subnetIds: the job needs the tasks' subnets, which reach the clone`);
    const timeout = props.buildTimeoutMinutes ?? 60;
    if (!(Number.isInteger(timeout) && timeout >= 5 && timeout <= 2160)) throw new Error(`${this.node.path}: buildTimeoutMinutes: must be an integer from 5 to 2160 (got ${timeout})`);
    if (props.workingHours && props.scalableTargetArn === undefined && props.roleArn === undefined) {
      throw new Error(`${this.node.path}: scalableTargetArn: give WorkingHours.targetArn with workingHours: the role may register that one target again, to resume it`);
    }
    const auth = gitHubSourceAuth(this, props);
    const tags = props.tags ? { ...props.tags } : undefined;
    this.securityGroupId = clone.securityGroupId;
    // the throw-on-bad-props check of the buildspec runs here, at synth
    const buildspec = renderMaskBuildspec({
      engine: clone.engine,
      maskFile: clone.maskFile,
      clusterIdentifier: clone.clusterIdentifier,
      endpoint: clone.endpoint,
      // the lookup's port is a number token: as a reference in the buildspec's text
      port: Token.isUnresolved(clone.port) ? Token.asString(clone.port) : clone.port,
      databaseName: clone.databaseName,
      secretArn: clone.secretArn,
      region: props.region,
      ecsCluster: props.ecsClusterName,
      ecsService: props.serviceName,
      desiredCount: props.desiredCount,
      workingHours: props.workingHours,
      waitTimeoutSeconds: props.waitTimeoutSeconds,
      sourceEnvironmentFile: props.sourceEnvironmentFile,
    });

    this.logGroup = new CloudwatchLogGroup(this, 'Logs', {
      name: `/aws/codebuild/${props.projectName}`,
      retentionInDays: props.logRetentionInDays ?? KIT.logs.retentionInDays,
      tags,
    });
    this.logGroup.overrideLogicalId(ADDRESS.databaseCloneMask);

    if (props.roleArn === undefined) {
      this.role = new IamRole(this, 'Role', {
        name: boundedName(props.projectName, 'codebuild', 64),
        description: 'Masking job: mask one clone, then scale one service up',
        assumeRolePolicy: assumedByCodeBuild(),
        tags,
      });
      this.role.overrideLogicalId(ADDRESS.databaseCloneMask);
      const partition = partitionOf(props.region);
      // the account is the clone's (its ARN, known at plan)
      const account = Fn.element(Fn.split(':', clone.clusterArn), 4);
      const statements: Statement[] = [
        { Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [`${this.logGroup.arn}:*`] },
        { Sid: 'CloneSecret', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [clone.secretArn] },
        // `aws rds wait db-cluster-available` and the endpoint check: DescribeDBClusters of the clone only
        { Sid: 'CloneCluster', Effect: 'Allow', Action: ['rds:DescribeDBClusters'], Resource: [clone.clusterArn] },
        { Sid: 'Scale', Effect: 'Allow', Action: ['ecs:DescribeServices', 'ecs:UpdateService'], Resource: [props.serviceArn] },
        // resuming the working hours: the one scalable target, by its ARN (Service Authorization Reference,
        // Application Auto Scaling: RegisterScalableTarget on scalable-target); ECS checks Scale above
        ...(props.workingHours ? [{ Sid: 'ResumeWorkingHours', Effect: 'Allow' as const, Action: ['application-autoscaling:RegisterScalableTarget'], Resource: [props.scalableTargetArn!] }] : []),
        ...vpcStatements(partition, props.region, account, clone.subnetIds),
        sourceStatement(props),
      ];
      this.policy = new IamRolePolicy(this, 'Policy', { name: 'masking-job', role: this.role.id, policy: policyDocument(statements) });
      this.policy.overrideLogicalId(ADDRESS.databaseCloneMask);
    }

    const branch = props.branch ?? KIT.pipeline.branch;
    this.project = new CodebuildProject(this, 'Project', {
      name: props.projectName,
      description: props.workingHours
        ? `Masks the clone with ${clone.maskFile} of ${props.repository}, then resumes the working hours of ${props.serviceName}; a failure leaves it at 0 tasks`
        : `Masks the clone with ${clone.maskFile} of ${props.repository}, then scales ${props.serviceName} to ${props.desiredCount}; a failure leaves it at 0 tasks`,
      serviceRole: props.roleArn ?? this.role!.arn,
      buildTimeout: timeout,
      source: { type: 'GITHUB', location: props.repository, gitCloneDepth: 1, buildspec, auth },
      sourceVersion: branch,
      artifacts: { type: 'NO_ARTIFACTS' },
      // no Docker daemon: the job runs a database client, nothing privileged
      environment: {
        type: 'LINUX_CONTAINER',
        computeType: props.computeType ?? KIT.pipeline.computeType,
        image: props.image ?? 'aws/codebuild/amazonlinux-x86_64-standard:5.0',
        privilegedMode: false,
      },
      vpcConfig: { vpcId: clone.vpcId, subnets: [...clone.subnetIds], securityGroupIds: [clone.securityGroupId] },
      logsConfig: { cloudwatchLogs: { groupName: this.logGroup.name, status: 'ENABLED' } },
      tags,
      // CodeBuild checks the role's VPC permissions when the project is created
      dependsOn: this.policy ? [this.policy] : undefined,
    });
    this.project.overrideLogicalId(ADDRESS.databaseCloneMask);
  }

  /** The project's name, for `aws codebuild start-build`. */
  public get projectName(): string {
    return this.project.name;
  }

  /** The project's ARN: what `codebuild:StartBuild` is granted on. */
  public get projectArn(): string {
    return this.project.arn;
  }
}

/** The masking job's project of a clone (staging's, or a preview's; a pattern of them too): `<clone>-mask`. */
export function maskingJobName(cloneIdentifier: string): string {
  return `${cloneIdentifier}-mask`;
}

/** The trust policy of a masking job's role: CodeBuild's. */
export function assumedByCodeBuild(): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
}

/**
 * What CodeBuild needs to put a build in the VPC (CodeBuild User Guide, "Allow CodeBuild access to AWS
 * services required to create a VPC network interface"): these EC2 actions take no resource-level
 * scope; the interface permission is scoped to the job's subnets.
 */
export function vpcStatements(partition: string, region: string, account: string, subnetIds: readonly string[]): Statement[] {
  const ec2Arn = (resource: string) => `arn:${partition}:ec2:${region}:${account}:${resource}`;
  const subnets = Token.isUnresolved(subnetIds) ? [] : subnetIds.map((subnet) => ec2Arn(`subnet/${subnet}`));
  return [
    {
      Sid: 'VpcNetworkInterfaces',
      Effect: 'Allow',
      Action: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeDhcpOptions', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'],
      Resource: '*',
    },
    {
      Sid: 'VpcNetworkInterfacePermission',
      Effect: 'Allow',
      Action: ['ec2:CreateNetworkInterfacePermission'],
      Resource: [ec2Arn('network-interface/*')],
      Condition: {
        StringEquals: { 'ec2:AuthorizedService': 'codebuild.amazonaws.com', ...(subnets.length > 0 ? { 'ec2:Subnet': subnets } : {}) },
      },
    },
  ];
}

/** Reading the job's source: the CodeConnections connection, or the token secret. */
export function sourceStatement(props: { readonly connectionArn?: string; readonly tokenSecretArn?: string }): Statement {
  const connectionService = props.connectionArn?.split(':')[2];
  return props.connectionArn
    ? { Sid: 'Source', Effect: 'Allow', Action: [`${connectionService}:GetConnection`, `${connectionService}:GetConnectionToken`, `${connectionService}:UseConnection`], Resource: [props.connectionArn] }
    : { Sid: 'Source', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [props.tokenSecretArn!] };
}
