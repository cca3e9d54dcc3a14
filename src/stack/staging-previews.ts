import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { TerraformOutput, Token } from 'cdktf';
import { Construct } from 'constructs';
import { splitImage } from '../aws/ecr';
import { PreviewPipeline } from '../constructs/preview-pipeline';
import { PreviewBuildspecProps } from '../pipeline/preview-buildspec';
import { createdNames } from '../environment/names';
import { previewStatePrefix, resolvePreview } from '../environment/previews';
import { previewSchedule } from '../environment/capacity';
import { EnvironmentConfig } from '../environment/schema';
import { repositoryArnOf, smokeTestFor } from './buildspec-props';
import { SAFE_DEPLOYS } from '../kit/defaults';
import { StagingEnvironment } from './staging-environment';
import { DataAwsRdsCluster } from '@cdktf/provider-aws/lib/data-aws-rds-cluster';
import { Fn } from 'cdktf';
import { previewClonePattern, rdsArn } from '../aws/rds';
import { partitionOf } from '../aws/iam';
import { CloneSchedulerRole } from '../constructs/clone-sleep';
import { PreviewMaskingRoles, previewMaskingPatterns } from '../constructs/preview-masking';
import { cloneSettingsOf } from './database';

/** The staging stack's outputs a preview stack reads (through the staging state). */
export const PREVIEW_OUTPUT = {
  clusterArn: 'previews_cluster_arn',
  listenerArn: 'previews_listener_arn',
  vpcId: 'previews_vpc_id',
  subnetIds: 'previews_subnet_ids',
  securityGroupIds: 'previews_security_group_ids',
  executionRoleArn: 'previews_execution_role_arn',
  taskRoleArn: 'previews_task_role_arn',
  databaseHost: 'previews_database_host',
  databasePort: 'previews_database_port',
  // with previews.database.access "clone": what each preview's clone is restored from, and the masking job's group
  cloneSource: 'previews_clone_source',
  clonePort: 'previews_clone_port',
  cloneStorageEncrypted: 'previews_clone_storage_encrypted',
  cloneKmsKeyId: 'previews_clone_kms_key_id',
  cloneMasterUsername: 'previews_clone_master_username',
  cloneMaskSecurityGroupId: 'previews_clone_mask_security_group_id',
  cloneSchedulerRoleArn: 'previews_clone_scheduler_role_arn',
  // with a mask: the roles every preview's masking job runs with and is started with
  cloneMaskRoleArn: 'previews_clone_mask_role_arn',
  cloneMaskStartRoleArn: 'previews_clone_mask_start_role_arn',
} as const;

/** Tags on every resource of a preview, for the reaper, for people in the console, and for the build role's conditions. */
export const PREVIEW_TAGS = { environment: 'staging:preview', pullRequest: 'staging:pull-request', lastDeploy: 'staging:last-deploy' } as const;

/**
 * A preview stack's provider `default_tags`: its environment and pull request on everything it creates.
 * The previews' build role changes only listener rules and target groups tagged with the environment.
 */
export function previewDefaultTags(environment: string, number: number): Record<string, string> {
  return { [PREVIEW_TAGS.environment]: environment, [PREVIEW_TAGS.pullRequest]: String(number) };
}

/** The staging stack's state key: the file's `backend.key`, else `staging/<stack>.tfstate`. */
export function stagingStateKey(environment: string, config: EnvironmentConfig): string {
  return config.backend?.key ?? `staging/${environment}.tfstate`;
}

/** The previews build's values, from the environment file: the CodeBuild project's, and `npm run previews`'. */
export function previewBuildspecPropsFor(environment: string, config: EnvironmentConfig, file: string): Omit<PreviewBuildspecProps, 'infraSourceIdentifier'> {
  if (!config.previews || !config.backend) throw new Error(`${file}: previews: the environment has no previews section (or no backend)`);
  return {
    environment,
    region: config.region,
    repositoryUrl: splitImage(config.taskDefinition.container.image!).repositoryUrl,
    stateBucket: config.backend.bucket,
    statePrefix: previewStatePrefix(environment),
    ttlDays: config.previews.ttlDays,
    trustedActors: config.previews.trustedActors,
    // The image is built as staging's is (the config rules require a pipeline beside previews).
    goVersionFile: config.pipeline?.goVersionFile,
    buildArgs: config.pipeline?.buildArgs,
    cachePaths: config.pipeline?.cachePaths,
    sourceEnvironmentFile: file,
    // after each apply, the check staging's deploy runs: each preview's host in the URL's {host}
    deployCheck: {
      cluster: createdNames(config).cluster,
      servicePrefix: resolvePreview(environment, config, 0).service.replace(/0$/, ''),
      waitTimeoutSeconds: config.pipeline?.waitTimeoutSeconds ?? SAFE_DEPLOYS.waitTimeoutSeconds,
      smokeTest: smokeTestFor(config, '{host}'),
    },
  };
}

export interface StagingPreviewsProps {
  /** The environment's stack name. */
  readonly environment: string;
  /** The file, with `previews`, `pipeline` and `backend` (the config rules require them together). */
  readonly config: EnvironmentConfig;
  /** The staging environment the previews reuse. */
  readonly staging: StagingEnvironment;
  /** The file, for the generated buildspec's header. */
  readonly file: string;
}

/**
 * What the staging stack creates once for its previews: one wildcard record `*.<hostHeader>` (so
 * previews never touch Route 53), the outputs a preview stack reads, and the previews' CodeBuild
 * project with its webhook, role and daily reaper.
 */
export class StagingPreviews extends Construct {
  public readonly wildcardRecord: Route53Record;
  public readonly pipeline: PreviewPipeline;
  /** With previews' clones and working hours: the role their schedules stop and start them with. */
  public readonly cloneSchedulerRole?: CloneSchedulerRole;
  /** With previews' masked clones: the roles each preview's masking job runs with and is started with. */
  public readonly cloneMaskingRoles?: PreviewMaskingRoles;

  constructor(scope: Construct, id: string, props: StagingPreviewsProps) {
    super(scope, id);
    const { config, staging, environment } = props;
    const previews = config.previews!;
    const pipeline = config.pipeline!;
    const backend = config.backend!;
    const production = staging.production;
    const names = createdNames(config);

    const recordName = `*.${config.listenerRule.hostHeader}`;
    this.wildcardRecord = new Route53Record(this, 'WildcardRecord', {
      name: recordName,
      zoneId: production.zoneId,
      ...(config.dnsRecord.type === 'alias'
        ? { type: 'A', alias: { name: production.albDnsName!, zoneId: production.albZoneId!, evaluateTargetHealth: true } }
        : { type: 'CNAME', records: [production.albDnsName!], ttl: config.dnsRecord.ttl ?? 300 }),
    });
    this.wildcardRecord.overrideLogicalId('previews_wildcard');

    const executionRoleArn = config.taskDefinition.executionRoleArn ?? staging.executionRole!.arn;
    const taskRoleArn = config.taskDefinition.taskRoleArn ?? staging.taskRole?.arn;
    const securityGroupIds = staging.securityGroup ? [staging.securityGroup.id] : production.securityGroupIds!;
    // each preview's own clone: restored from the production lookup, masked from the masking job's group
    const clone = cloneSettingsOf(config)?.previews ? cloneSettingsOf(config) : undefined;
    const source = clone && staging.database?.lookup instanceof DataAwsRdsCluster ? staging.database.lookup : undefined;
    const account = source && Fn.element(Fn.split(':', source.arn), 4);
    const clonePattern = clone && previewClonePattern(clone.sourceIdentifier, environment);
    if (source && clone && previewSchedule(config)) {
      this.cloneSchedulerRole = new CloneSchedulerRole(this, 'CloneSchedulerRole', {
        name: clonePattern!.replace(/-pr-\*$/, '-previews'),
        clusterArns: [rdsArn(partitionOf(config.region), config.region, account!, 'cluster', clonePattern!)],
        account: account!,
        address: 'previews_clone_scheduler',
      });
    }
    if (source && clone?.maskFile !== undefined) {
      this.cloneMaskingRoles = new PreviewMaskingRoles(this, 'CloneMaskingRoles', {
        name: clonePattern!.replace(/-pr-\*$/, '-previews'),
        region: config.region,
        account: account!,
        clonePattern: clonePattern!,
        clusterName: names.cluster,
        servicePrefix: resolvePreview(environment, config, 0).service.replace(/0$/, ''),
        subnetIds: production.subnetIds,
        workingHours: previewSchedule(config) !== undefined,
        connectionArn: pipeline.connectionArn,
        tokenSecretArn: pipeline.tokenSecretArn,
      });
    }
    const outputs: Record<keyof typeof PREVIEW_OUTPUT, unknown> = {
      clusterArn: staging.cluster.arn,
      listenerArn: production.listenerArn,
      vpcId: production.vpcId,
      subnetIds: production.subnetIds,
      securityGroupIds,
      executionRoleArn,
      taskRoleArn,
      // a preview connects as staging does, to the host staging looked up
      databaseHost: staging.database?.host,
      databasePort: staging.database && Token.asString(staging.database.port),
      cloneSource: source?.clusterIdentifier,
      clonePort: source && Token.asString(source.port),
      cloneStorageEncrypted: source?.storageEncrypted,
      cloneKmsKeyId: source?.kmsKeyId,
      cloneMasterUsername: source?.masterUsername,
      cloneMaskSecurityGroupId: source && staging.maskJobSecurityGroup?.id,
      cloneSchedulerRoleArn: this.cloneSchedulerRole?.arn,
      cloneMaskRoleArn: this.cloneMaskingRoles?.jobRole.arn,
      cloneMaskStartRoleArn: this.cloneMaskingRoles?.startRole.arn,
    };
    for (const [key, value] of Object.entries(outputs)) {
      if (value !== undefined) new TerraformOutput(this, PREVIEW_OUTPUT[key as keyof typeof PREVIEW_OUTPUT], { value, description: 'Read by the preview stacks.' }).overrideLogicalId(PREVIEW_OUTPUT[key as keyof typeof PREVIEW_OUTPUT]);
    }

    const repositoryUrl = splitImage(config.taskDefinition.container.image!).repositoryUrl;
    const sample = resolvePreview(environment, config, 0);
    this.pipeline = new PreviewPipeline(this, 'Pipeline', {
      projectName: `${names.buildProject}-previews`,
      repository: pipeline.repository,
      baseBranch: previews.baseBranch ?? pipeline.branch,
      trustedActors: previews.trustedActors,
      infrastructure: previews.infrastructure,
      connectionArn: pipeline.connectionArn,
      tokenSecretArn: pipeline.tokenSecretArn,
      arm64: config.taskDefinition.cpuArchitecture === 'ARM64',
      logRetentionInDays: pipeline.logRetentionInDays,
      buildspec: previewBuildspecPropsFor(environment, config, props.file),
      scope: {
        region: config.region,
        account: repositoryUrl.split('.')[0],
        clusterName: names.cluster,
        servicePrefix: sample.service.replace(/0$/, ''),
        logGroupPrefix: sample.logGroup.replace(/0$/, ''),
        // the one listener, in both modes: its ARN, or the looked-up listener's (a reference resolved at plan)
        listenerArn: production.listenerArn,
        previewTag: { key: PREVIEW_TAGS.environment, value: environment },
        tagKeys: Object.keys(previewDefaultTags(environment, sample.number)),
        repositoryArn: repositoryArnOf(repositoryUrl),
        passRoleArns: [executionRoleArn, ...(taskRoleArn ? [taskRoleArn] : [])],
        stateBucket: backend.bucket,
        statePrefix: previewStatePrefix(environment),
        stagingStateKey: stagingStateKey(environment, config),
        workingHours: previewSchedule(config) !== undefined,
        clones: source && clone
          ? {
              sourceArn: source.arn,
              identifierPattern: clonePattern!,
              kmsKeyId: source.kmsKeyId,
              vpcId: production.vpcId,
              maskSecurityGroupId: staging.maskJobSecurityGroup?.id,
              schedulerRoleArn: this.cloneSchedulerRole?.arn,
              masking: this.cloneMaskingRoles && {
                projectPattern: previewMaskingPatterns(clonePattern!).project,
                rulePattern: previewMaskingPatterns(clonePattern!).rule,
                jobRoleArn: this.cloneMaskingRoles.jobRole.arn,
                startRoleArn: this.cloneMaskingRoles.startRole.arn,
                connectionArn: pipeline.connectionArn,
              },
            }
          : undefined,
      },
    });
  }
}
