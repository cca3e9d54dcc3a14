import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
import { CodebuildWebhook } from '@cdktf/provider-aws/lib/codebuild-webhook';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { headRefPattern } from '../aws/codebuild';
import { LISTENER_ARN } from '../aws/elb';
import { partitionOf, policyDocument, Statement } from '../aws/iam';
import { isReference } from '../kit/reference';
import { PreviewBuildspecProps, previewBuildspecObject } from '../pipeline/preview-buildspec';
import { dockerBuildEnvironment, gitHubSourceAuth } from './codebuild';
import { accessHeaderReads } from './pipeline';
import { requireValid } from './validate';

/** The names and ARNs a preview stack creates or uses, for the build role's scope. */
export interface PreviewScope {
  readonly region: string;
  /** The production account (from the listener ARN). */
  readonly account: string;
  /** The staging cluster the previews' services run in. */
  readonly clusterName: string;
  /** Previews' services are named `<servicePrefix><number>`. */
  readonly servicePrefix: string;
  /** Previews' log groups are named `<logGroupPrefix><number>`. */
  readonly logGroupPrefix: string;
  /**
   * The production listener the previews' rules go on (`listener/app/<alb>/<id>/<id>`): the ARN, a
   * whole Terraform reference, or the looked-up `aws_lb_listener`'s `arn` (resolved at plan).
   */
  readonly listenerArn: string;
  /**
   * The tag every preview resource carries with this environment's value (the preview stacks' provider
   * `default_tags`): the build may change and delete only the rules and target groups that carry it.
   */
  readonly previewTag: { readonly key: string; readonly value: string };
  /** Every tag key a preview stack puts on what it creates: the only keys the build may tag with at creation. */
  readonly tagKeys: readonly string[];
  /** The ECR repository the build pushes `pr-<n>` images to. */
  readonly repositoryArn: string;
  /** Roles the preview task definitions name (iam:PassRole). */
  readonly passRoleArns: readonly string[];
  /** The state bucket, the previews' key prefix, and the staging state key (read for its outputs). */
  readonly stateBucket: string;
  readonly statePrefix: string;
  readonly stagingStateKey: string;
  /**
   * Previews have working hours: the build registers their scalable targets and scheduled actions.
   * @default false
   */
  readonly workingHours?: boolean;
  /**
   * Each preview has a copy-on-write clone of its own (`previews.database.access: "clone"`): what the
   * build may do to make and destroy it, by name (`<source>-<stack>-pr-*`, never production's).
   * @default - no clones
   */
  readonly clones?: PreviewClonesScope;
}

/** What a preview's clone is made from and in, for the build role's scope. */
export interface PreviewClonesScope {
  /** The production cluster's ARN: the restore's source. */
  readonly sourceArn: string;
  /** The clones' identifiers, `<source>-<stack>-pr-*`: their clusters, instances (`<id>-1`) and subnet groups. */
  readonly identifierPattern: string;
  /** The source's KMS key (a lookup, "" when unencrypted): the restore creates a grant on it. */
  readonly kmsKeyId: string;
  /** The production VPC the clones' security groups are made in. */
  readonly vpcId: string;
  /** The masking job's group, which each preview gives an egress rule to its clone. @default - no masking job */
  readonly maskSecurityGroupId?: string;
  /** The role the previews' clone schedules pass to EventBridge Scheduler. @default - no schedules */
  readonly schedulerRoleArn?: string;
  /** Each preview's masking job (`previewMaskingPatterns`, `PreviewMaskingRoles`). @default - no masking jobs */
  readonly masking?: PreviewMaskingScope;
}

/** What a preview stack makes for its clone's masking job, and the roles it passes. */
export interface PreviewMaskingScope {
  /** The jobs' projects (and their log groups `/aws/codebuild/<project>`): `<source>-<stack>-pr-*-mask`. */
  readonly projectPattern: string;
  /** The EventBridge rules that start them. */
  readonly rulePattern: string;
  /** The role the projects run with (staging's), passed to CodeBuild. */
  readonly jobRoleArn: string;
  /** The role the rules' targets start them with (staging's), passed to EventBridge. */
  readonly startRoleArn: string;
  /** The connection the projects read their source with, passed to CodeBuild. @default - a token secret */
  readonly connectionArn?: string;
}

export interface PreviewPipelineProps {
  /** CodeBuild project name; its role is `<projectName>-codebuild`. */
  readonly projectName: string;
  /** The application repository: the pull request's head is the primary source. */
  readonly repository: string;
  /** Pull requests into this branch get previews. */
  readonly baseBranch: string;
  /** GitHub user IDs whose pull request events start a deploy. */
  readonly trustedActors: readonly string[];
  /** This repository, pinned: the infrastructure the build applies. */
  readonly infrastructure: { readonly repository: string; readonly commit: string };
  /** CodeConnections connection to GitHub (or `tokenSecretArn`). */
  readonly connectionArn?: string;
  /** Secrets Manager secret holding a GitHub token (or `connectionArn`). */
  readonly tokenSecretArn?: string;
  /** The generated buildspec's values (the infra source identifier is set here). */
  readonly buildspec: Omit<PreviewBuildspecProps, 'infraSourceIdentifier'>;
  readonly scope: PreviewScope;
  /**
   * Build an ARM64 image on an ARM build host.
   * @default false
   */
  readonly arm64?: boolean;
  /**
   * Build log retention in days.
   * @default 30
   */
  readonly logRetentionInDays?: number;
  /**
   * When the reaper runs (EventBridge Scheduler expression, UTC).
   * @default "cron(0 3 * * ? *)" - daily at 03:00 UTC
   */
  readonly reaperSchedule?: string;
}

/** Terraform addresses of the previews' machinery in the staging stack (fixed, so state stays stable). */
const ADDRESS = { build: 'previews_build', reaper: 'previews_reaper' } as const;

/** The secondary source holding this repository: its directory is `$CODEBUILD_SRC_DIR_infra`. */
export const INFRA_SOURCE = 'infra';

// CodeBuild webhook filter events for pull requests (CodeBuild User Guide, "GitHub webhook events").
const OPEN_EVENTS = 'PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED, PULL_REQUEST_REOPENED';
const CLOSE_EVENTS = 'PULL_REQUEST_MERGED, PULL_REQUEST_CLOSED';

/**
 * The previews' machinery, created once by the staging stack: a CodeBuild project run by pull request
 * events (deploy for trusted actors; destroy on merge or close, whoever closes), its role scoped to what
 * a preview stack holds, and a daily schedule that starts the same project to reap idle previews.
 */
export class PreviewPipeline extends Construct {
  public readonly project: CodebuildProject;
  public readonly webhook: CodebuildWebhook;
  public readonly role: IamRole;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly reaper: SchedulerSchedule;

  constructor(scope: Construct, id: string, props: PreviewPipelineProps) {
    super(scope, id);
    const auth = gitHubSourceAuth(this, props);
    if (props.trustedActors.length === 0) throw new Error(`${this.node.path}: trustedActors: must name at least one GitHub user ID`);
    if (!/^[0-9a-f]{40}$/.test(props.infrastructure.commit)) {
      throw new Error(`${this.node.path}: infrastructure.commit: must be a full 40-character commit SHA (got ${JSON.stringify(props.infrastructure.commit)})`);
    }
    requireValid(this, 'scope.listenerArn', props.scope.listenerArn, (arn) => LISTENER_ARN.test(arn), 'must be an ALB listener ARN (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<id>/<id>)');
    const account = props.scope.account;
    this.logGroup = new CloudwatchLogGroup(this, 'Logs', { name: `/aws/codebuild/${props.projectName}`, retentionInDays: props.logRetentionInDays ?? 30 });
    this.logGroup.overrideLogicalId(ADDRESS.build);
    this.role = new IamRole(this, 'Role', {
      name: `${props.projectName}-codebuild`,
      description: 'Preview builds: push pr-<n> images, apply and destroy preview stacks',
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    this.role.overrideLogicalId(ADDRESS.build);
    const policy = new IamRolePolicy(this, 'Policy', { name: 'preview-build', role: this.role.id, policy: policyDocument(this.statements(props)) });
    policy.overrideLogicalId(ADDRESS.build);
    const arm64 = props.arm64 ?? false;
    const buildspec = previewBuildspecObject({ ...props.buildspec, infraSourceIdentifier: INFRA_SOURCE });
    this.project = new CodebuildProject(this, 'Project', {
      name: props.projectName,
      description: `Previews of ${props.repository}: pull requests into ${props.baseBranch} from trusted actors, applied with ${props.infrastructure.repository} at ${props.infrastructure.commit.slice(0, 12)}`,
      serviceRole: this.role.arn,
      buildTimeout: 60,
      source: {
        type: 'GITHUB',
        location: props.repository,
        gitCloneDepth: 1,
        // Inline, generated: a pull request's own buildspec.yml is never read.
        buildspec: JSON.stringify(buildspec, null, 2),
        auth,
      },
      secondarySources: [{ sourceIdentifier: INFRA_SOURCE, type: 'GITHUB', location: props.infrastructure.repository, gitCloneDepth: 1, auth }],
      // The reviewed commit, never a branch: changing it is a reviewed change of this file.
      secondarySourceVersion: [{ sourceIdentifier: INFRA_SOURCE, sourceVersion: props.infrastructure.commit }],
      artifacts: { type: 'NO_ARTIFACTS' },
      environment: dockerBuildEnvironment(arm64),
      // The buildspec's cache paths (pipeline.cachePaths), kept on the build host.
      ...(buildspec.cache ? { cache: { type: 'LOCAL', modes: ['LOCAL_CUSTOM_CACHE'] } } : {}),
      // One build per pull request event at a time per project is not enforced by CodeBuild; the state lock is.
      logsConfig: { cloudwatchLogs: { groupName: this.logGroup.name, status: 'ENABLED' } },
      dependsOn: [policy],
    });
    this.project.overrideLogicalId(ADDRESS.build);
    const baseRef = { type: 'BASE_REF', pattern: headRefPattern(props.baseBranch) };
    this.webhook = new CodebuildWebhook(this, 'Webhook', {
      projectName: this.project.name,
      buildType: 'BUILD',
      filterGroup: [
        // Deploys: only for trusted actors, so a fork's pull request never runs with these credentials.
        {
          filter: [
            { type: 'EVENT', pattern: OPEN_EVENTS },
            baseRef,
            { type: 'ACTOR_ACCOUNT_ID', pattern: `^(${props.trustedActors.join('|')})$` },
          ],
        },
        // Destroys: whoever merges or closes; the build runs no code of the pull request.
        { filter: [{ type: 'EVENT', pattern: CLOSE_EVENTS }, baseRef] },
      ],
    });
    this.webhook.overrideLogicalId(ADDRESS.build);
    const schedulerRole = new IamRole(this, 'ReaperRole', {
      name: `${props.projectName}-reaper`,
      description: 'EventBridge Scheduler: start the preview reaper build',
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'scheduler.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': account } } }],
      }),
    });
    schedulerRole.overrideLogicalId(ADDRESS.reaper);
    const schedulerPolicy = new IamRolePolicy(this, 'ReaperPolicy', {
      name: 'start-reaper',
      role: schedulerRole.id,
      policy: policyDocument([{ Sid: 'StartReaper', Effect: 'Allow', Action: ['codebuild:StartBuild'], Resource: [this.project.arn] }]),
    });
    schedulerPolicy.overrideLogicalId(ADDRESS.reaper);
    this.reaper = new SchedulerSchedule(this, 'Reaper', {
      name: `${props.projectName}-reaper`,
      description: `Destroys previews idle for ${props.buildspec.ttlDays} days, and finishes failed destroys`,
      scheduleExpression: props.reaperSchedule ?? 'cron(0 3 * * ? *)',
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        // The SDK's universal target: StartBuild with one variable overridden.
        arn: 'arn:aws:scheduler:::aws-sdk:codebuild:startBuild',
        roleArn: schedulerRole.arn,
        input: JSON.stringify({ ProjectName: props.projectName, EnvironmentVariablesOverride: [{ Name: 'PREVIEW_ACTION', Value: 'reap', Type: 'PLAINTEXT' }] }),
        retryPolicy: { maximumRetryAttempts: 0 },
      },
    });
    this.reaper.overrideLogicalId(ADDRESS.reaper);
  }

  /** Least privilege for applying and destroying preview stacks, scoped by name prefix. */
  private statements(props: PreviewPipelineProps): Statement[] {
    const s = props.scope;
    const partition = partitionOf(s.region);
    const arn = (service: string, resource: string) => `arn:${partition}:${service}:${s.region}:${s.account}:${resource}`;
    const connectionService = props.connectionArn?.split(':')[2];
    const listenerRules = listenerRulesOf(s.listenerArn);
    const targetGroups = arn('elasticloadbalancing', 'targetgroup/pr-*/*');
    const tagged = { StringEquals: { [`aws:ResourceTag/${s.previewTag.key}`]: s.previewTag.value } };
    const requestTags = { [`aws:RequestTag/${s.previewTag.key}`]: s.previewTag.value };
    const onlyPreviewTagKeys = { 'ForAllValues:StringEquals': { 'aws:TagKeys': [...s.tagKeys] } };
    const header = accessHeaderReads(props.buildspec.deployCheck?.smokeTest, s.region, s.repositoryArn);
    return [
      // No resource-level permissions for these (Service Authorization Reference).
      {
        Sid: 'Read',
        Effect: 'Allow',
        Action: ['ecr:GetAuthorizationToken', 'ecs:RegisterTaskDefinition', 'ecs:DeregisterTaskDefinition', 'ecs:DescribeTaskDefinition', 'elasticloadbalancing:Describe*', 'logs:DescribeLogGroups'],
        Resource: '*',
      },
      {
        Sid: 'EcrPush',
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:CompleteLayerUpload', 'ecr:GetDownloadUrlForLayer', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'],
        Resource: [s.repositoryArn],
      },
      {
        Sid: 'PreviewServices',
        Effect: 'Allow',
        Action: ['ecs:CreateService', 'ecs:UpdateService', 'ecs:DeleteService', 'ecs:DescribeServices', 'ecs:TagResource'],
        Resource: [arn('ecs', `service/${s.clusterName}/${s.servicePrefix}*`)],
      },
      // Target groups and rules: created only with this environment's preview tag (and no other keys
      // than a preview stack sets), changed and deleted only when they carry it. A tagged create is
      // authorized a second time as AddTags on the new resource, allowed only there (ELB User Guide,
      // "tag resources during creation"; elasticloadbalancing:CreateAction).
      { Sid: 'PreviewTargetGroupsCreate', Effect: 'Allow', Action: ['elasticloadbalancing:CreateTargetGroup'], Resource: [targetGroups], Condition: { StringEquals: requestTags, ...onlyPreviewTagKeys } },
      {
        Sid: 'PreviewTargetGroups',
        Effect: 'Allow',
        Action: ['elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:ModifyTargetGroup', 'elasticloadbalancing:ModifyTargetGroupAttributes'],
        Resource: [targetGroups],
        Condition: tagged,
      },
      // CreateRule's resource is the listener; the rules' ARNs are listener-rule/…/<listener-id>/<rule-id>.
      { Sid: 'PreviewRulesCreate', Effect: 'Allow', Action: ['elasticloadbalancing:CreateRule'], Resource: [s.listenerArn], Condition: { StringEquals: requestTags, ...onlyPreviewTagKeys } },
      { Sid: 'PreviewRules', Effect: 'Allow', Action: ['elasticloadbalancing:DeleteRule', 'elasticloadbalancing:ModifyRule'], Resource: [listenerRules], Condition: tagged },
      {
        Sid: 'PreviewTagOnCreate',
        Effect: 'Allow',
        Action: ['elasticloadbalancing:AddTags'],
        Resource: [listenerRules, targetGroups],
        Condition: { StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateRule', 'CreateTargetGroup'], ...requestTags }, ...onlyPreviewTagKeys },
      },
      {
        Sid: 'PreviewLogGroups',
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:TagResource', 'logs:ListTagsForResource'],
        Resource: [arn('logs', `log-group:${s.logGroupPrefix}*`)],
      },
      // Application Auto Scaling names a target by a random ID, so its actions cannot be scoped to the
      // previews' services by ARN; the targets are the account's ECS ones (Service Authorization Reference).
      ...(s.workingHours
        ? [
            { Sid: 'PreviewWorkingHoursRead', Effect: 'Allow' as const, Action: ['application-autoscaling:DescribeScalableTargets', 'application-autoscaling:DescribeScheduledActions'], Resource: '*' },
            {
              Sid: 'PreviewWorkingHours',
              Effect: 'Allow' as const,
              Action: ['application-autoscaling:RegisterScalableTarget', 'application-autoscaling:DeregisterScalableTarget', 'application-autoscaling:PutScheduledAction', 'application-autoscaling:DeleteScheduledAction', 'application-autoscaling:TagResource', 'application-autoscaling:ListTagsForResource'],
              Resource: [arn('application-autoscaling', 'scalable-target/*')],
            },
            // the first target of an account creates Application Auto Scaling's role for ECS
            { Sid: 'AutoScalingServiceRole', Effect: 'Allow' as const, Action: ['iam:CreateServiceLinkedRole'], Resource: [`arn:${partition}:iam::${s.account}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/*`], Condition: { StringEquals: { 'iam:AWSServiceName': 'ecs.application-autoscaling.amazonaws.com' } } },
          ]
        : []),
      ...(s.clones ? previewCloneStatements(s, s.clones, arn, tagged, requestTags) : []),
      { Sid: 'BuildLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [`${this.logGroup.arn}:*`] },
      { Sid: 'PassTaskRoles', Effect: 'Allow', Action: ['iam:PassRole'], Resource: [...s.passRoleArns], Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } } },
      { Sid: 'PreviewStates', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: [`arn:${partition}:s3:::${s.stateBucket}/${s.statePrefix}/*`] },
      { Sid: 'StagingState', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`arn:${partition}:s3:::${s.stateBucket}/${s.stagingStateKey}`] },
      { Sid: 'ListStates', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [`arn:${partition}:s3:::${s.stateBucket}`], Condition: { StringLike: { 's3:prefix': [`${s.statePrefix}/*`] } } },
      ...(props.connectionArn
        ? [{ Sid: 'Source', Effect: 'Allow' as const, Action: [`${connectionService}:GetConnection`, `${connectionService}:GetConnectionToken`, `${connectionService}:UseConnection`], Resource: [props.connectionArn] }]
        : [{ Sid: 'Source', Effect: 'Allow' as const, Action: ['secretsmanager:GetSecretValue'], Resource: [props.tokenSecretArn!] }]),
      // The access header's value: CodeBuild reads it for the smoke test (env), and the preview stack's
      // plan reads it for its listener rule's condition (data source: ssm:GetParameter).
      ...(header.secretArns.length > 0 ? [{ Sid: 'AccessHeader', Effect: 'Allow' as const, Action: ['secretsmanager:GetSecretValue'], Resource: header.secretArns }] : []),
      ...(header.parameterArns.length > 0 ? [{ Sid: 'AccessHeader', Effect: 'Allow' as const, Action: ['ssm:GetParameter', 'ssm:GetParameters'], Resource: header.parameterArns }] : []),
    ];
  }
}

/**
 * Making and destroying a preview's clone: the restore from the source (whose ARN it names), the
 * instance, the subnet group and the security group, each by the clones' name pattern or the preview
 * tag; the master secret RDS makes for it (`rds!cluster-*`: created, never read); a grant on the source's
 * key; with working hours, the clone's schedules and the role they pass; with a mask, the masking job's
 * project, its log group and the EventBridge rule that starts it, by name, and the two roles they pass.
 */
function previewCloneStatements(
  s: PreviewScope,
  clones: PreviewClonesScope,
  arn: (service: string, resource: string) => string,
  tagged: Record<string, Record<string, string>>,
  requestTags: Record<string, string>,
): Statement[] {
  const rds = (type: string, name: string) => arn('rds', `${type}:${name}`);
  const pattern = clones.identifierPattern;
  const group = arn('ec2', 'security-group/*');
  const rule = arn('ec2', 'security-group-rule/*');
  // the schedules' names keep at most their first 50 characters of the identifier (boundedName)
  const schedules = arn('scheduler', `schedule/default/${pattern.replace(/\*$/, '').slice(0, 50)}*`);
  const kmsKey = Fn.coalesce([clones.kmsKeyId, arn('kms', 'alias/aws/rds')]);
  return [
    {
      Sid: 'PreviewClonesRead',
      Effect: 'Allow',
      Action: ['rds:DescribeDBClusters', 'rds:DescribeDBInstances', 'rds:DescribeDBSubnetGroups', 'rds:ListTagsForResource', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules', 'ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeNetworkInterfaces'],
      Resource: '*',
    },
    // RestoreDBClusterToPointInTime is authorized on the source too; it reads, never changes it
    { Sid: 'PreviewCloneRestore', Effect: 'Allow', Action: ['rds:RestoreDBClusterToPointInTime'], Resource: [clones.sourceArn, rds('cluster', pattern), rds('subgrp', pattern), rds('cluster-pg', 'default.*')] },
    {
      Sid: 'PreviewClones',
      Effect: 'Allow',
      Action: ['rds:CreateDBInstance', 'rds:ModifyDBInstance', 'rds:DeleteDBInstance', 'rds:ModifyDBCluster', 'rds:DeleteDBCluster', 'rds:CreateDBSubnetGroup', 'rds:ModifyDBSubnetGroup', 'rds:DeleteDBSubnetGroup', 'rds:AddTagsToResource', 'rds:RemoveTagsFromResource'],
      Resource: [rds('cluster', pattern), rds('db', pattern), rds('subgrp', pattern), rds('pg', 'default.*'), rds('og', 'default:*')],
    },
    // manage_master_user_password: RDS creates the secret with the caller's rights (and tags it); reading it is the execution role's
    { Sid: 'PreviewCloneMasterSecrets', Effect: 'Allow', Action: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'], Resource: [arn('secretsmanager', 'secret:rds!cluster-*')] },
    { Sid: 'PreviewCloneKey', Effect: 'Allow', Action: ['kms:CreateGrant', 'kms:DescribeKey'], Resource: [kmsKey] },
    { Sid: 'PreviewCloneGroupsCreate', Effect: 'Allow', Action: ['ec2:CreateSecurityGroup'], Resource: [arn('ec2', `vpc/${clones.vpcId}`), group], Condition: { StringEquals: requestTags } },
    {
      Sid: 'PreviewCloneGroupsTagOnCreate',
      Effect: 'Allow',
      Action: ['ec2:CreateTags'],
      Resource: [group, rule],
      Condition: { StringEquals: { 'ec2:CreateAction': ['CreateSecurityGroup', 'AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress'] } },
    },
    {
      Sid: 'PreviewCloneGroups',
      Effect: 'Allow',
      Action: ['ec2:DeleteSecurityGroup', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupEgress', 'ec2:ModifySecurityGroupRules'],
      Resource: [group],
      Condition: tagged,
    },
    ...(clones.maskSecurityGroupId
      ? [{ Sid: 'PreviewCloneMaskEgress', Effect: 'Allow' as const, Action: ['ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupEgress'], Resource: [arn('ec2', `security-group/${clones.maskSecurityGroupId}`), rule] }]
      : []),
    ...(clones.schedulerRoleArn && s.workingHours
      ? [
          { Sid: 'PreviewCloneSchedules', Effect: 'Allow' as const, Action: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'], Resource: [schedules] },
          { Sid: 'PassCloneSchedulerRole', Effect: 'Allow' as const, Action: ['iam:PassRole'], Resource: [clones.schedulerRoleArn], Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } } },
        ]
      : []),
    ...(clones.masking ? previewMaskingStatements(clones.masking, arn) : []),
  ];
}

/** A preview's masking job: its project, logs and starting rule by name; staging's two roles passed to the services that assume them. */
function previewMaskingStatements(masking: PreviewMaskingScope, arn: (service: string, resource: string) => string): Statement[] {
  const connectionService = masking.connectionArn?.split(':')[2];
  return [
    { Sid: 'PreviewMaskingProjects', Effect: 'Allow', Action: ['codebuild:CreateProject', 'codebuild:UpdateProject', 'codebuild:DeleteProject', 'codebuild:BatchGetProjects'], Resource: [arn('codebuild', `project/${masking.projectPattern}`)] },
    {
      Sid: 'PreviewMaskingLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:TagResource', 'logs:ListTagsForResource'],
      Resource: [arn('logs', `log-group:/aws/codebuild/${masking.projectPattern}`)],
    },
    {
      Sid: 'PreviewMaskingRules',
      Effect: 'Allow',
      Action: ['events:PutRule', 'events:DeleteRule', 'events:DescribeRule', 'events:PutTargets', 'events:RemoveTargets', 'events:ListTargetsByRule', 'events:TagResource', 'events:UntagResource', 'events:ListTagsForResource'],
      Resource: [arn('events', `rule/${masking.rulePattern}`)],
    },
    { Sid: 'PassMaskingJobRole', Effect: 'Allow', Action: ['iam:PassRole'], Resource: [masking.jobRoleArn], Condition: { StringEquals: { 'iam:PassedToService': 'codebuild.amazonaws.com' } } },
    { Sid: 'PassMaskingStartRole', Effect: 'Allow', Action: ['iam:PassRole'], Resource: [masking.startRoleArn], Condition: { StringEquals: { 'iam:PassedToService': 'events.amazonaws.com' } } },
    // a project whose source authenticates with the connection: CodeBuild is passed it (CodeConnections' PassConnection)
    ...(masking.connectionArn ? [{ Sid: 'PassMaskingSource', Effect: 'Allow' as const, Action: [`${connectionService}:PassConnection`], Resource: [masking.connectionArn] }] : []),
  ];
}

/**
 * The rules of one listener, `…:listener-rule/app/<lb-name>/<lb-id>/<listener-id>/*`, from its ARN
 * `…:listener/app/<lb-name>/<lb-id>/<listener-id>`: by Terraform's `replace()` when the ARN is known
 * only at plan (a looked-up listener, a reference), so the policy never names more than that listener.
 */
export function listenerRulesOf(listenerArn: string): string {
  if (Token.isUnresolved(listenerArn)) return `${Fn.replace(listenerArn, ':listener/', ':listener-rule/')}/*`;
  if (isReference(listenerArn)) return `\${replace(${listenerArn.slice(2, -1)}, ":listener/", ":listener-rule/")}/*`;
  return `${listenerArn.replace(':listener/', ':listener-rule/')}/*`;
}
