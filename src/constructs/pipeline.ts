import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
import { CodebuildWebhook } from '@cdktf/provider-aws/lib/codebuild-webhook';
import { Construct } from 'constructs';
import { ADDRESS, KIT } from '../kit/defaults';
import { headRefPattern } from '../aws/codebuild';
import { BuildspecProps, renderBuildspec } from '../pipeline/buildspec';
import { partitionOf } from '../aws/iam';
import { isSmokeSkip, SmokeTest } from '../pipeline/deploy-check';
import { BuildRole } from './build-role';
import { secretArnOf } from './execution-role';
import { dockerBuildEnvironment, gitHubSourceAuth } from './codebuild';

export interface PipelineProps {
  /** The generated buildspec's inputs: the same names the stack builds. */
  readonly buildspec: BuildspecProps;
  /** CodeBuild project name. */
  readonly projectName: string;
  /** GitHub repository URL. */
  readonly repository: string;
  /**
   * A push to this branch builds and deploys.
   * @default "develop"
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
  /** The one staging repository the build pushes to. */
  readonly repositoryArn: string;
  /** The one service the build redeploys. */
  readonly serviceArn: string;
  /**
   * @default "BUILD_GENERAL1_SMALL"
   */
  readonly computeType?: string;
  /**
   * The build image: the Linux standard image.
   * @default "aws/codebuild/amazonlinux-x86_64-standard:5.0", or its aarch64 twin for ARM64 tasks
   */
  readonly image?: string;
  /**
   * Build an ARM64 image (on an ARM build host), matching the task's CPU architecture.
   * @default false
   */
  readonly arm64?: boolean;
  /**
   * Build log retention.
   * @default 30
   */
  readonly logRetentionInDays?: number;
}

/**
 * The article's "Deploys" section as resources: a CodeBuild project whose buildspec is generated from
 * the environment file, a webhook for pushes to one branch, its log group and a least-privilege role.
 */
export class Pipeline extends Construct {
  public readonly project: CodebuildProject;
  public readonly webhook: CodebuildWebhook;
  public readonly role: BuildRole;
  public readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: PipelineProps) {
    super(scope, id);
    const auth = gitHubSourceAuth(this, props);
    const accessHeader = accessHeaderReads(props.buildspec.smokeTest, props.buildspec.region, props.repositoryArn);
    this.logGroup = new CloudwatchLogGroup(this, 'Logs', {
      name: `/aws/codebuild/${props.projectName}`,
      retentionInDays: props.logRetentionInDays ?? KIT.logs.retentionInDays,
    });
    this.logGroup.overrideLogicalId(ADDRESS.buildProject);
    this.role = new BuildRole(this, 'Role', {
      name: `${props.projectName}-codebuild`,
      repositoryArn: props.repositoryArn,
      serviceArn: props.serviceArn,
      logGroupArn: this.logGroup.arn,
      connectionArn: props.connectionArn,
      secretArns: [props.tokenSecretArn, props.buildspec.dockerHubSecretArn, ...accessHeader.secretArns].filter((arn): arn is string => arn !== undefined),
      parameterArns: accessHeader.parameterArns,
    });
    const arm64 = props.arm64 ?? false;
    this.project = new CodebuildProject(this, 'Project', {
      name: props.projectName,
      description: `Builds ${props.repository} on pushes to ${props.branch ?? KIT.pipeline.branch}, pushes to ECR and redeploys ${props.buildspec.service}`,
      serviceRole: this.role.arn,
      buildTimeout: 30,
      source: {
        type: 'GITHUB',
        location: props.repository,
        gitCloneDepth: 1,
        buildspec: renderBuildspec(props.buildspec),
        auth,
      },
      sourceVersion: props.branch ?? KIT.pipeline.branch,
      artifacts: { type: 'NO_ARTIFACTS' },
      environment: dockerBuildEnvironment(arm64, props.computeType, props.image),
      // Local caches: Docker layers (the Go build runs inside `docker build`) and the buildspec's cache paths.
      cache: { type: 'LOCAL', modes: ['LOCAL_DOCKER_LAYER_CACHE', 'LOCAL_CUSTOM_CACHE'] },
      logsConfig: { cloudwatchLogs: { groupName: this.logGroup.name, status: 'ENABLED' } },
      dependsOn: [this.role.policy],
    });
    this.project.overrideLogicalId(ADDRESS.buildProject);
    this.webhook = new CodebuildWebhook(this, 'Webhook', {
      projectName: this.project.name,
      buildType: 'BUILD',
      filterGroup: [
        {
          filter: [
            { type: 'EVENT', pattern: 'PUSH' },
            { type: 'HEAD_REF', pattern: headRefPattern(props.branch ?? KIT.pipeline.branch) },
          ],
        },
      ],
    });
    this.webhook.overrideLogicalId(ADDRESS.buildProject);
  }
}

/**
 * What the smoke test's header makes the build read: its Secrets Manager secret (the ARN IAM matches,
 * without a `:json-key` suffix), or its SSM parameter, whose ARN a bare name "/x" gets in the build's
 * region and account (the repository's: the build pushes to its own account's ECR, as the previews' does).
 */
export function accessHeaderReads(smokeTest: SmokeTest | undefined, region: string, repositoryArn: string): { secretArns: string[]; parameterArns: string[] } {
  if (smokeTest === undefined || isSmokeSkip(smokeTest) || smokeTest.header === undefined) return { secretArns: [], parameterArns: [] };
  const reference = smokeTest.header.valueFrom;
  if (reference.includes(':secretsmanager:')) return { secretArns: [secretArnOf(reference)], parameterArns: [] };
  if (reference.startsWith('arn:')) return { secretArns: [], parameterArns: [reference] };
  const account = repositoryArn.split(':')[4];
  return { secretArns: [], parameterArns: [`arn:${partitionOf(region)}:ssm:${region}:${account}:parameter${reference}`] };
}
