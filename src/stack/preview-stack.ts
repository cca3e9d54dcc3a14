import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, DataTerraformRemoteStateS3, Fn, S3Backend, TerraformOutput, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import * as path from 'node:path';
import { splitImage } from '../aws/ecr';
import { isReference } from '../kit/reference';
import { ListenerRule } from '../constructs/listener-rule';
import { LogGroup } from '../constructs/log-group';
import { Service } from '../constructs/service';
import { WorkingHours } from '../constructs/working-hours';
import { TargetGroup } from '../constructs/target-group';
import { TaskDefinition } from '../constructs/task-definition';
import { literalText } from '../environment/literal';
import { ResolvedPreview, resolvePreview } from '../environment/previews';
import { EnvironmentConfig } from '../environment/schema';
import { GuardedStack } from './guarded-stack';
import { listenerRuleAccess } from './staging-environment';
import { PREVIEW_OUTPUT, PREVIEW_TAGS, previewDefaultTags, stagingStateKey } from './staging-previews';
import { createdNames } from '../environment/names';
import { connectionEnvironment, connectionSecrets, databaseConnectionOf, fileSecretFields, markConnectionSecrets } from './database';
import { DATABASE_MARK } from '../constructs/database-access';
import { markResource } from '../constructs/marks';
import { CloneDatabase } from '../constructs/clone-database';
import { CloneSleep } from '../constructs/clone-sleep';
import { MaskingJob, maskingJobName } from '../constructs/masking-job';
import { MaskStart } from '../constructs/mask-start';
import { cloneIdentifier } from '../aws/rds';

export interface PreviewStackProps {
  /** The environment file the preview is made from; it has `previews`, `pipeline` and `backend`. */
  readonly config: EnvironmentConfig;
  /** The environment's stack name, e.g. `stg`. */
  readonly environment: string;
  /** The pull request number. */
  readonly number: number;
}

export { PREVIEW_TAGS } from './staging-previews';

/**
 * One pull request's preview, `<environment>-pr-<number>`, with its own state: a task definition of
 * the `pr-<number>` image, a target group, the listener rule(s) with staging's access restriction in
 * its slot of the band, a service in the staging cluster, and a log group with a short retention.
 * Everything else (cluster, security groups, roles, subnets, listener) it reads from the staging
 * stack's state: it manages nothing of staging's or production's.
 */
export class PreviewStack extends GuardedStack {
  public readonly preview: ResolvedPreview;
  /** Where `app.synth()` writes it. */
  public readonly outputDirectory: string;
  /** The listener, when the file writes its ARN out (else it is looked up, or a reference). */
  public readonly listenerArn?: string;
  /**
   * The preview's own copy-on-write clone, with `previews.database.access: "clone"`: destroyed with the
   * preview. Its `maskTarget` is what the masking job needs; the service starts at 0 tasks while masked.
   */
  public readonly clone?: CloneDatabase;
  /** The preview's own masking job, with a masked clone: its project, run with staging's role for previews. */
  public readonly maskingJob?: MaskingJob;
  /** What starts it: the preview clone's instance's "DB instance created" event. */
  public readonly maskStart?: MaskStart;

  constructor(scope: Construct, props: PreviewStackProps) {
    const preview = resolvePreview(props.environment, props.config, props.number);
    super(scope, preview.stack, props.config.guardrails?.suppress);
    this.preview = preview;
    this.outputDirectory = path.join(App.of(this).outdir, 'stacks', preview.stack);
    const config = literalText(props.config);
    const previews = config.previews!;
    const backend = config.backend!;
    const stateRegion = backend.region ?? config.region;
    // A Terraform reference is known only at plan: the build then leaves the slot check to the ALB.
    const listenerArn = props.config.listenerRule.listenerArn;
    this.listenerArn = listenerArn !== undefined && !isReference(listenerArn) ? listenerArn : undefined;

    new S3Backend(this, { bucket: backend.bucket, key: preview.stateKey, region: stateRegion, encrypt: true, kmsKeyId: backend.kmsKeyId });
    this.addOverride('terraform.backend.s3.use_lockfile', true);
    new AwsProvider(this, 'aws', {
      region: config.region,
      // the previews' build role may change and delete only rules and target groups tagged with the environment
      defaultTags: [{ tags: previewDefaultTags(props.environment, props.number) }],
    });
    const staging = new DataTerraformRemoteStateS3(this, 'staging', {
      bucket: backend.bucket,
      key: stagingStateKey(props.environment, config),
      region: stateRegion,
    });
    const output = (name: keyof typeof PREVIEW_OUTPUT) => staging.getString(PREVIEW_OUTPUT[name]);
    // The build sets both: the deploy time for the reaper and people, and the epoch tag it pushed.
    const deployedAt = new TerraformVariable(this, 'deployed_at', { type: 'string', default: 'unknown', description: 'When the build applied this preview (UTC), for the staging:last-deploy tag.' });
    const imageTag = new TerraformVariable(this, 'image_tag', { type: 'string', default: preview.imageTag, description: `The image tag to run: ${preview.imageTag}, or ${preview.imageTag}.<epoch> as the build pushed it.` });

    const task = config.taskDefinition;
    const container = task.container;
    // staging's connection, never more: the schema refuses previews beside "read-write"
    const connection = databaseConnectionOf(props.config);
    const clone = connection?.clone?.previews ? connection.clone : undefined;
    if (clone) {
      this.clone = new CloneDatabase(this, 'Clone', {
        identifier: cloneIdentifier(clone.sourceIdentifier, props.environment, props.number),
        sourceIdentifier: clone.sourceIdentifier,
        sourceClusterIdentifier: output('cloneSource'),
        engine: clone.engine,
        port: staging.getNumber(PREVIEW_OUTPUT.clonePort),
        storageEncrypted: staging.getBoolean(PREVIEW_OUTPUT.cloneStorageEncrypted),
        kmsKeyId: output('cloneKmsKeyId'),
        vpcId: output('vpcId'),
        subnetIds: staging.getList(PREVIEW_OUTPUT.subnetIds),
        clientSecurityGroupIds: staging.getList(PREVIEW_OUTPUT.securityGroupIds),
        maskFile: clone.maskFile,
        maskSecurityGroupId: clone.maskFile !== undefined ? output('cloneMaskSecurityGroupId') : undefined,
        unmaskedConsented: clone.unmaskedConsented,
        databaseName: connection!.database.databaseName,
        masterUsername: output('cloneMasterUsername'),
        instanceClass: clone.instanceClass,
        serverless: clone.serverless,
      });
    }
    const previewClone = this.clone;
    const databaseEnvironment = previewClone && connection
      ? connectionEnvironment(connection, previewClone.endpoint, output('clonePort'), output('cloneMasterUsername'))
      : connection
        ? connectionEnvironment(connection, output('databaseHost'), output('databasePort'))
        : {};
    const databaseSecrets = previewClone && connection ? connectionSecrets(connection, previewClone.passwordReference) : connection ? connectionSecrets(connection) : {};
    const logGroup = new LogGroup(this, 'LogGroup', { name: preview.logGroup, retentionInDays: previews.logRetentionInDays, kmsKeyArn: config.logs?.kmsKeyArn });
    const repositoryUrl = splitImage(container.image!).repositoryUrl;
    const taskDefinition = new TaskDefinition(this, 'TaskDefinition', {
      family: preview.family,
      cpu: previews.cpu ?? task.cpu,
      memory: previews.memory ?? task.memory,
      cpuArchitecture: task.cpuArchitecture,
      region: config.region,
      executionRoleArn: task.executionRoleArn ?? output('executionRoleArn'),
      taskRoleArn: task.taskRoleArn ?? (createdNames(props.config).taskRole ? output('taskRoleArn') : undefined),
      container: {
        ...container,
        image: `${repositoryUrl}:${imageTag.stringValue}`,
        logGroup: preview.logGroup,
        environment: { ...container.environment, ...previews.environment, ...databaseEnvironment },
        secrets: { ...container.secrets, ...previews.secrets, ...databaseSecrets },
      },
    });
    // for the guardrails: who the preview connects as, and (the schema refuses it) that it would write
    if (connection && !previewClone) markResource(taskDefinition.resource, `${DATABASE_MARK.user}${connection.database.user}`);
    if (connection?.database.access === 'read-write' && !previewClone) markResource(taskDefinition.resource, DATABASE_MARK.previewWrites);
    markConnectionSecrets(taskDefinition.resource, connection, databaseSecrets, fileSecretFields(props.config, true));
    const targetGroup = new TargetGroup(this, 'TargetGroup', {
      ...config.targetGroup,
      name: preview.targetGroup,
      vpcId: output('vpcId'),
      port: taskDefinition.containerPort,
    });
    const listenerRule = new ListenerRule(this, 'ListenerRule', {
      listenerArn: output('listenerArn'),
      priority: preview.priorities[0],
      hostHeader: preview.host,
      targetGroupArn: targetGroup.arn,
      access: listenerRuleAccess(this, config.listenerRule.access),
    });
    const service = new Service(this, 'Service', {
      name: preview.service,
      desiredCount: previews.desiredCount,
      deploymentMaximumPercent: config.service.deploymentMaximumPercent,
      deploymentMinimumHealthyPercent: config.service.deploymentMinimumHealthyPercent,
      // No shell into a pull request's code next to production data.
      enableExecuteCommand: false,
      assignPublicIp: config.service.assignPublicIp,
      circuitBreaker: config.service.circuitBreaker,
      healthCheckGracePeriodSeconds: config.service.healthCheckGracePeriodSeconds,
      subnetIds: staging.getList(PREVIEW_OUTPUT.subnetIds),
      securityGroupIds: staging.getList(PREVIEW_OUTPUT.securityGroupIds),
      clusterArn: output('clusterArn'),
      taskDefinitionFamily: taskDefinition.family,
      taskDefinitionArn: taskDefinition.resource.arn,
      targetGroupArn: targetGroup.arn,
      containerName: taskDefinition.containerName,
      containerPort: taskDefinition.containerPort,
      // the staging stack gives its cluster the capacity providers a preview's strategy names
      capacityProviderStrategy: preview.capacityProviderStrategy,
      scheduled: preview.schedule !== undefined,
      // a masked clone: 0 tasks until the masking job has run and scales the service up
      startsAtZero: previewClone !== undefined && clone?.maskFile !== undefined,
      dependsOn: [...listenerRule.resources, logGroup.resource],
      tags: { [PREVIEW_TAGS.lastDeploy]: deployedAt.stringValue },
    });
    const masked = previewClone !== undefined && clone?.maskFile !== undefined;
    if (preview.schedule) {
      new WorkingHours(this, 'WorkingHours', {
        clusterName: config.cluster.name,
        serviceName: service.resource.name,
        desiredCount: previews.desiredCount,
        // a masked clone: at 0, and no wake before the masking job resumes the schedule
        initialCapacity: masked ? 0 : undefined,
        startsSuspended: masked,
        ...preview.schedule,
      });
      if (previewClone) {
        new CloneSleep(this, 'CloneSleep', {
          clusterIdentifier: previewClone.cluster.clusterIdentifier,
          clusterArn: previewClone.cluster.arn,
          name: cloneIdentifier(clone!.sourceIdentifier, props.environment, props.number),
          roleArn: output('cloneSchedulerRoleArn'),
          ...preview.schedule,
        });
      }
    }
    if (masked && config.pipeline) {
      const pipeline = config.pipeline;
      const name = maskingJobName(cloneIdentifier(clone!.sourceIdentifier, props.environment, props.number));
      this.maskingJob = new MaskingJob(this, 'MaskingJob', {
        projectName: name,
        clone: previewClone!.maskTarget,
        region: config.region,
        ecsClusterName: config.cluster.name,
        serviceName: service.resource.name,
        serviceArn: service.resource.id,
        desiredCount: previews.desiredCount,
        workingHours: preview.schedule,
        // staging's role for every preview's job: a preview's build may pass a role, never make one
        roleArn: output('cloneMaskRoleArn'),
        // the mask of the base branch, never the pull request's: its head could mask nothing
        repository: pipeline.repository,
        branch: previews.baseBranch ?? pipeline.branch,
        connectionArn: pipeline.connectionArn,
        tokenSecretArn: pipeline.tokenSecretArn,
        logRetentionInDays: previews.logRetentionInDays,
      });
      this.maskStart = new MaskStart(this, 'MaskStart', {
        instanceIdentifier: previewClone!.maskTarget.instanceIdentifier,
        projectArn: this.maskingJob.projectArn,
        name,
        account: Fn.element(Fn.split(':', previewClone!.cluster.arn), 4),
        roleArn: output('cloneMaskStartRoleArn'),
      });
      this.maskStart.precedes(previewClone!.instance);
    }
    new TerraformOutput(this, 'url', { value: `https://${preview.host}`, description: 'The preview, behind the same access restriction as staging.' });
  }

  /** What the previews build reads before it applies (`preview.json` beside the stack). */
  public describe(): Record<string, unknown> {
    const { environment, number, stack, host, slot, priorities, stateKey } = this.preview;
    return { environment, number, stack, host, url: `https://${host}`, slot, priorities, stateKey, listenerArn: this.listenerArn ?? null };
  }
}
