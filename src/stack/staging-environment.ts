import { createdNames } from '../environment/names';
import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { AdoptableResource, adoptionOf } from './adoption';
import { Cluster } from '../constructs/cluster';
import { DatabaseAccess } from '../constructs/database-access';
import { ProductionDatabase } from '../constructs/production-database';
import { TeamRoleGrant } from '../constructs/team-role-grant';
import { databaseConnectStatement } from '../constructs/task-role';
import { secretReadStatements } from '../constructs/execution-role';
import { connectionEnvironment, connectionSecrets, databaseConnectionOf, fileSecretFields, markConnectionSecrets } from './database';
import { ExecutionRole } from '../constructs/execution-role';
import { ListenerRuleAccess } from '../constructs/listener-rule';
import { LogGroup } from '../constructs/log-group';
import { Pipeline } from '../constructs/pipeline';
import { buildspecPropsFor, repositoryArnOf } from './buildspec-props';
import { SecretValue } from '../constructs/secret-value';
import { ServiceSecurityGroup } from '../constructs/service-security-group';
import { TaskRole } from '../constructs/task-role';
import { DnsRecord } from '../constructs/dns-record';
import { EcrLifecyclePolicy } from '../constructs/ecr-lifecycle-policy';
import { ADDRESS, ecrLifecycleDescription } from '../kit/defaults';
import { ListenerRule } from '../constructs/listener-rule';
import { ProductionReferences } from '../constructs/production-references';
import { Service } from '../constructs/service';
import { TargetGroup } from '../constructs/target-group';
import { TaskDefinition } from '../constructs/task-definition';
import { EnvironmentConfig } from '../environment/schema';
import { capacityStrategy, clusterCapacityProviders } from '../environment/capacity';
import { WorkingHours } from '../constructs/working-hours';
import { CloneDatabase, cloneSecretStatement, previewCloneSecretsStatement } from '../constructs/clone-database';
import { CloneSleep } from '../constructs/clone-sleep';
import { MaskJobSecurityGroup } from '../constructs/mask-job-security-group';
import { MaskingJob, maskingJobName } from '../constructs/masking-job';
import { MaskStart } from '../constructs/mask-start';
import { DataAwsRdsCluster } from '@cdktf/provider-aws/lib/data-aws-rds-cluster';
import { Fn } from 'cdktf';
import { cloneIdentifier, previewClonePattern } from '../aws/rds';
import { partitionOf, Statement } from '../aws/iam';
import * as path from 'node:path';

export interface StagingEnvironmentProps {
  /** A validated environment file. */
  readonly config: EnvironmentConfig;
  /**
   * Where the file lives, for the generated buildspec's header.
   * @default "environments/staging.json"
   */
  readonly file?: string;
  /**
   * The stack's name, which a clone's identifier takes: `<source>-<stack>-clone`.
   * @default - the file's name without ".json"
   */
  readonly stack?: string;
}

/**
 * The article's seven resources, wired together, with the secure defaults the article left out:
 * a restricted listener rule, IAM roles scoped to the listed secrets, a log group with retention,
 * logged ECS Exec sessions and a security group that admits only the ALB. Production resources
 * (listener, VPC, subnets, hosted zone, ECR repository, database) are referenced, never managed.
 */
export class StagingEnvironment extends Construct {
  public readonly production: ProductionReferences;
  public readonly taskDefinition: TaskDefinition;
  public readonly targetGroup: TargetGroup;
  public readonly cluster: Cluster;
  public readonly service: Service;
  public readonly listenerRule: ListenerRule;
  public readonly dnsRecord: DnsRecord;
  public readonly ecrLifecyclePolicy: EcrLifecyclePolicy;
  public readonly logGroup: LogGroup;
  /** Created when the file gives no executionRoleArn. */
  public readonly executionRole?: ExecutionRole;
  /** Created when the file gives no taskRoleArn and exec is on or taskRolePolicy is listed. */
  public readonly taskRole?: TaskRole;
  /** Created when the file gives no security groups. */
  public readonly securityGroup?: ServiceSecurityGroup;
  /** The production database, looked up, when `service.database` names it. */
  public readonly database?: ProductionDatabase;
  /** Created when the service has a `schedule`. */
  public readonly workingHours?: WorkingHours;
  /**
   * Staging's copy-on-write clone, with `access: "clone"`: the container connects to it, and its
   * `maskTarget` is what the masking job needs. The service starts at 0 tasks while a mask is set.
   */
  public readonly clone?: CloneDatabase;
  /** The clone's stop at sleep and start at wake, with `access: "clone"` and a `schedule`. */
  public readonly cloneSleep?: CloneSleep;
  /** The group the masking job runs in, for staging's clone and every preview's, when `clone.mask` is set. */
  public readonly maskJobSecurityGroup?: MaskJobSecurityGroup;
  /** Staging's clone's masking job, with `clone.mask`: masks it, then scales the service from 0 (or resumes its working hours). */
  public readonly maskingJob?: MaskingJob;
  /** What starts the masking job: the clone's instance's "DB instance created" event. */
  public readonly maskStart?: MaskStart;
  /** Created when the file has a `pipeline` section. */
  public readonly pipeline?: Pipeline;

  constructor(scope: Construct, id: string, props: StagingEnvironmentProps) {
    super(scope, id);
    const { region, taskDefinition, targetGroup, cluster, service, listenerRule, dnsRecord, ecrLifecycle, logs } = props.config;
    const names = createdNames(props.config);
    const adoption = (key: AdoptableResource) => adoptionOf(props.config, key);
    const execEnabled = service.enableExecuteCommand;

    this.production = new ProductionReferences(this, 'Production', {
      listenerArn: listenerRule.listenerArn,
      loadBalancer: listenerRule.loadBalancer,
      vpcId: targetGroup?.vpcId,
      subnetIds: service.subnetIds,
      subnetTags: service.subnetTags,
      securityGroupIds: service.securityGroupIds,
      securityGroupTags: service.securityGroupTags,
      zoneId: dnsRecord.zoneId,
      zoneName: dnsRecord.zoneName,
      albDnsName: dnsRecord.target,
      albZoneId: dnsRecord.targetZoneId,
      image: taskDefinition.container.image,
      repository: ecrLifecycle.repository,
      tag: ecrLifecycle.tagPrefix,
      // An IPv6 allowlist entry only works on a dual-stack ALB, known at plan.
      needsIpAddressType: (listenerRule.access?.sourceIps ?? []).some((cidr) => cidr.includes(':')),
    });
    const production = this.production;

    this.logGroup = new LogGroup(this, 'LogGroup', {
      name: names.logGroup,
      retentionInDays: logs?.retentionInDays,
      kmsKeyArn: logs?.kmsKeyArn,
      ...adoption('logGroup'),
    });
    const connection = databaseConnectionOf(props.config);
    if (connection) this.database = new ProductionDatabase(this, 'Database', { ...connection.database, region });
    const database = this.database;
    const clone = connection?.clone;
    const stack = props.stack ?? path.basename(props.file ?? 'environments/staging.json', '.json');
    // a clone is created before the roles and the container that read its secret and endpoint (so the
    // tasks' group, which it admits, is created first too)
    let securityGroup: ServiceSecurityGroup | undefined;
    const serviceSecurityGroup = () => {
      if (names.securityGroup && !securityGroup) {
        securityGroup = new ServiceSecurityGroup(this, 'SecurityGroup', {
          name: names.securityGroup,
          vpcId: production.vpcId,
          loadBalancerSecurityGroupId: service.loadBalancerSecurityGroupId!,
          port: taskDefinition.container.port,
        });
      }
      return securityGroup ? [securityGroup.id] : production.securityGroupIds!;
    };
    const source = database?.lookup instanceof DataAwsRdsCluster ? database.lookup : undefined;
    if (clone?.maskFile !== undefined && source) {
      this.maskJobSecurityGroup = new MaskJobSecurityGroup(this, 'MaskJobSecurityGroup', { name: `${cloneIdentifier(clone.sourceIdentifier, stack)}-mask`, vpcId: production.vpcId });
    }
    if (clone?.staging && source) {
      this.clone = new CloneDatabase(this, 'Clone', {
        identifier: cloneIdentifier(clone.sourceIdentifier, stack),
        sourceIdentifier: clone.sourceIdentifier,
        sourceClusterIdentifier: source.clusterIdentifier,
        engine: clone.engine,
        port: source.port,
        storageEncrypted: source.storageEncrypted,
        kmsKeyId: source.kmsKeyId,
        vpcId: production.vpcId,
        subnetIds: production.subnetIds,
        clientSecurityGroupIds: serviceSecurityGroup(),
        maskFile: clone.maskFile,
        maskSecurityGroupId: this.maskJobSecurityGroup?.id,
        unmaskedConsented: clone.unmaskedConsented,
        databaseName: connection!.database.databaseName,
        masterUsername: source.masterUsername,
        instanceClass: clone.instanceClass,
        serverless: clone.serverless,
      });
    }
    const stagingClone = this.clone;
    // staging's own password (a production user's), or its clone's master secret
    const passwordSecrets = connection && !stagingClone ? Object.values(connectionSecrets(connection)) : [];
    const cloneSecretStatements: Statement[] = [
      ...(stagingClone ? [cloneSecretStatement(stagingClone.secretArn)] : []),
      // previews run with this role: their clones' secrets, by the tag RDS puts on each
      ...(clone?.previews && source ? [previewCloneSecretsStatement(partitionOf(region), region, Fn.element(Fn.split(':', source.arn), 4), previewClonePattern(clone.sourceIdentifier, stack))] : []),
    ];
    if (names.executionRole) {
      this.executionRole = new ExecutionRole(this, 'ExecutionRole', {
        name: names.executionRole,
        region,
        // previews run with this role too (their secrets may differ, e.g. a read-only database user)
        secretReferences: [...new Set([...Object.values(taskDefinition.container.secrets ?? {}), ...Object.values(props.config.previews?.secrets ?? {}), ...passwordSecrets])],
        statements: cloneSecretStatements,
        kmsKeyArn: taskDefinition.secretsKmsKeyArn,
      });
    } else if (passwordSecrets.length > 0 || cloneSecretStatements.length > 0) {
      // The team's own role: the kit attaches exactly the one grant it adds, as a policy of its own.
      new TeamRoleGrant(this, 'DatabasePassword', {
        roleArn: taskDefinition.executionRoleArn!,
        policyName: 'staging-database-password',
        statements: [...(passwordSecrets.length > 0 ? secretReadStatements(passwordSecrets) : []), ...cloneSecretStatements],
        address: ADDRESS.databasePassword,
      });
    }
    if (names.taskRole) {
      this.taskRole = new TaskRole(this, 'TaskRole', {
        name: names.taskRole,
        execEnabled,
        execLogGroupArn: this.logGroup.arn,
        statements: taskDefinition.taskRolePolicy,
        databaseConnectResource: database?.connectResource,
      });
    } else if (database?.connectResource) {
      new TeamRoleGrant(this, 'DatabaseConnect', {
        roleArn: taskDefinition.taskRoleArn!,
        policyName: 'staging-database-connect',
        statements: [databaseConnectStatement(database.connectResource)],
        address: ADDRESS.databaseConnect,
      });
    }
    const container = taskDefinition.container;
    const kitSecrets = !connection ? {} : stagingClone ? connectionSecrets(connection, stagingClone.passwordReference) : connectionSecrets(connection);
    this.taskDefinition = new TaskDefinition(this, 'TaskDefinition', {
      ...taskDefinition,
      executionRoleArn: taskDefinition.executionRoleArn ?? this.executionRole?.arn,
      taskRoleArn: taskDefinition.taskRoleArn ?? this.taskRole?.arn,
      container: {
        ...container,
        image: production.image,
        environment: stagingClone && connection && source
          ? { ...container.environment, ...connectionEnvironment(connection, stagingClone.endpoint, Token.asString(source.port), source.masterUsername) }
          : connection && database
            ? { ...container.environment, ...connectionEnvironment(connection, database.host, Token.asString(database.port)) }
            : container.environment,
        secrets: connection ? { ...container.secrets, ...kitSecrets } : container.secrets,
      },
      region,
      ...adoption('taskDefinition'),
    });
    // for the guardrails: a password of the file's beside the user staging connects as (its previews' too)
    markConnectionSecrets(this.taskDefinition.resource, connection, kitSecrets, fileSecretFields(props.config, false));
    this.targetGroup = new TargetGroup(this, 'TargetGroup', {
      ...targetGroup,
      vpcId: production.vpcId,
      port: this.taskDefinition.containerPort,
      ...adoption('targetGroup'),
    });
    this.cluster = new Cluster(this, 'Cluster', {
      name: cluster?.name,
      containerInsights: cluster?.containerInsights,
      execLogGroupName: execEnabled && (cluster?.logExecSessions ?? true) ? this.logGroup.name : undefined,
      execLogEncrypted: logs?.kmsKeyArn !== undefined,
      capacityProviders: clusterCapacityProviders(props.config),
      ...adoption('cluster'),
    });
    this.listenerRule = new ListenerRule(this, 'ListenerRule', {
      listenerArn: production.listenerArn,
      priority: listenerRule.priority,
      hostHeader: listenerRule.hostHeader,
      targetGroupArn: this.targetGroup.arn,
      access: listenerRuleAccess(this, listenerRule.access),
      listenerProtocol: production.listenerProtocol,
      albIpAddressType: production.albIpAddressType,
      ...adoption('listenerRule'),
    });
    const serviceSecurityGroupIds = serviceSecurityGroup();
    this.securityGroup = securityGroup;
    // with a clone of its own, staging reaches nothing of production's database
    if (service.database && !stagingClone) {
      new DatabaseAccess(this, 'DatabaseAccess', {
        databaseSecurityGroupId: service.database.securityGroupId ?? database!.securityGroupId,
        port: service.database.port ?? database!.port,
        sourceSecurityGroupIds: serviceSecurityGroupIds,
        connection: connection && { user: connection.database.user!, writes: connection.database.access === 'read-write', writesConsented: service.database.allowProductionWrites === true },
      });
    }
    const strategy = capacityStrategy(service.capacity);
    this.service = new Service(this, 'Service', {
      name: service.name,
      desiredCount: service.desiredCount,
      deploymentMaximumPercent: service.deploymentMaximumPercent,
      deploymentMinimumHealthyPercent: service.deploymentMinimumHealthyPercent,
      enableExecuteCommand: service.enableExecuteCommand,
      assignPublicIp: service.assignPublicIp,
      circuitBreaker: service.circuitBreaker,
      healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
      subnetIds: production.subnetIds,
      securityGroupIds: serviceSecurityGroupIds,
      clusterArn: this.cluster.arn,
      taskDefinitionFamily: this.taskDefinition.family,
      targetGroupArn: this.targetGroup.arn,
      containerName: this.taskDefinition.containerName,
      containerPort: this.taskDefinition.containerPort,
      capacityProviderStrategy: strategy,
      scheduled: service.schedule !== undefined,
      // a masked clone: 0 tasks until the masking job has run and scales the service up
      startsAtZero: stagingClone !== undefined && clone?.maskFile !== undefined,
      // The log group before the first task: else awslogs-create-group makes it, and creating it fails.
      // With a clone, the task definition too: the service names its family as a literal (no reference),
      // and the task definition waits minutes for the clone's endpoint and secret; ECS refuses a service
      // whose family has no revision yet ("Unable to describe task definition", seen on the emulator).
      dependsOn: [
        ...this.listenerRule.resources,
        this.logGroup.resource,
        ...(strategy && this.cluster.capacityProviders ? [this.cluster.capacityProviders] : []),
        ...(stagingClone ? [this.taskDefinition.resource] : []),
      ],
      ...adoption('service'),
    });
    const masked = stagingClone !== undefined && clone?.maskFile !== undefined;
    if (service.schedule) {
      this.workingHours = new WorkingHours(this, 'WorkingHours', {
        clusterName: this.cluster.resource.name,
        serviceName: this.service.resource.name,
        desiredCount: service.desiredCount,
        // a masked clone: at 0, and no wake before the masking job resumes the schedule
        initialCapacity: masked ? 0 : undefined,
        startsSuspended: masked,
        ...service.schedule,
      });
      if (stagingClone) {
        this.cloneSleep = new CloneSleep(this, 'CloneSleep', {
          clusterIdentifier: stagingClone.cluster.clusterIdentifier,
          clusterArn: stagingClone.cluster.arn,
          name: cloneIdentifier(clone!.sourceIdentifier, stack),
          ...service.schedule,
        });
      }
    }
    const pipelineSection = props.config.pipeline;
    if (masked && pipelineSection) {
      const name = maskingJobName(cloneIdentifier(clone!.sourceIdentifier, stack));
      this.maskingJob = new MaskingJob(this, 'MaskingJob', {
        projectName: name,
        clone: stagingClone!.maskTarget,
        region,
        ecsClusterName: this.cluster.resource.name,
        serviceName: this.service.resource.name,
        serviceArn: this.service.resource.id,
        desiredCount: service.desiredCount,
        workingHours: service.schedule,
        scalableTargetArn: this.workingHours?.targetArn,
        // the mask file of the staging branch, as the pipeline builds it
        repository: pipelineSection.repository,
        branch: pipelineSection.branch,
        connectionArn: pipelineSection.connectionArn,
        tokenSecretArn: pipelineSection.tokenSecretArn,
        logRetentionInDays: pipelineSection.logRetentionInDays,
        sourceEnvironmentFile: props.file ?? 'environments/staging.json',
      });
      this.maskStart = new MaskStart(this, 'MaskStart', {
        instanceIdentifier: stagingClone!.maskTarget.instanceIdentifier,
        projectArn: this.maskingJob.projectArn,
        name,
        account: Fn.element(Fn.split(':', stagingClone!.cluster.arn), 4),
      });
      // the instance after the rule: its creation is the event that starts the job
      this.maskStart.precedes(stagingClone!.instance);
    }
    this.dnsRecord = new DnsRecord(this, 'DnsRecord', {
      type: dnsRecord.type,
      zoneId: production.zoneId,
      name: dnsRecord.name,
      target: production.albDnsName!,
      targetZoneId: production.albZoneId,
      ttl: dnsRecord.ttl,
      weight: dnsRecord.weight,
      setIdentifier: dnsRecord.setIdentifier,
      ...adoption('dnsRecord'),
    });
    this.ecrLifecyclePolicy = new EcrLifecyclePolicy(this, 'EcrLifecyclePolicy', {
      ...ecrLifecycle,
      // The file's, else one that states keepImages (the article's own text for its one image).
      description: ecrLifecycle.description ?? ecrLifecycleDescription(ecrLifecycle.keepImages),
      // a preview's images outlive it by a day at most: the reaper destroys it after ttlDays
      expire: props.config.previews ? { tagPrefix: 'pr-', afterDays: props.config.previews.ttlDays + 1 } : undefined,
      ...adoption('ecrLifecyclePolicy'),
    });
    if (props.config.pipeline) {
      const pipeline = props.config.pipeline;
      const buildspec = buildspecPropsFor(props.config, props.file ?? 'environments/staging.json');
      this.pipeline = new Pipeline(this, 'Pipeline', {
        buildspec,
        projectName: names.buildProject!,
        repository: pipeline.repository,
        branch: pipeline.branch,
        connectionArn: pipeline.connectionArn,
        tokenSecretArn: pipeline.tokenSecretArn,
        repositoryArn: repositoryArnOf(buildspec.repositoryUrl),
        serviceArn: this.service.resource.id,
        computeType: pipeline.computeType,
        image: pipeline.image,
        arm64: (taskDefinition.cpuArchitecture) === 'ARM64',
        logRetentionInDays: pipeline.logRetentionInDays,
      });
    }
  }
}

/** The file's access section, with secrets turned into plan-time references (staging's and each preview's). */
export function listenerRuleAccess(scope: Construct, access: EnvironmentConfig['listenerRule']['access']): ListenerRuleAccess | undefined {
  if (!access) return undefined;
  const { httpHeader, oidc, cognito } = access;
  return {
    sourceIps: access.sourceIps,
    public: access.public,
    cognito,
    httpHeader: httpHeader && {
      name: httpHeader.name,
      value: new SecretValue(scope, 'AccessHeaderValue', { reference: httpHeader.valueFrom, address: 'access_header' }).value,
    },
    oidc: oidc && {
      issuer: oidc.issuer,
      authorizationEndpoint: oidc.authorizationEndpoint,
      tokenEndpoint: oidc.tokenEndpoint,
      userInfoEndpoint: oidc.userInfoEndpoint,
      clientId: oidc.clientId,
      clientSecret: new SecretValue(scope, 'OidcClientSecret', { reference: oidc.clientSecretFrom, address: 'oidc_client_secret' }).value,
    },
  };
}
