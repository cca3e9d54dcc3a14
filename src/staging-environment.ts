import { Construct } from 'constructs';
import { ARTICLE } from './defaults';
import { Cluster } from './constructs/cluster';
import { DnsRecord } from './constructs/dns-record';
import { EcrLifecyclePolicy } from './constructs/ecr-lifecycle-policy';
import { ListenerRule } from './constructs/listener-rule';
import { ProductionReferences } from './constructs/production-references';
import { Service } from './constructs/service';
import { TargetGroup } from './constructs/target-group';
import { TaskDefinition } from './constructs/task-definition';
import { EnvironmentConfig } from './environment/schema';

export interface StagingEnvironmentProps {
  /** A validated environment file. */
  readonly config: EnvironmentConfig;
}

/**
 * The article's seven resources, wired together. Production resources (listener, VPC, subnets,
 * security groups, hosted zone, ECR repository, IAM roles) are referenced, never managed.
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

  constructor(scope: Construct, id: string, props: StagingEnvironmentProps) {
    super(scope, id);
    const { region, taskDefinition, targetGroup, cluster, service, listenerRule, dnsRecord, ecrLifecycle } = props.config;

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
      tag: ecrLifecycle.tagPrefix ?? ARTICLE.ecrLifecycle.tagPrefix,
    });
    const production = this.production;

    this.taskDefinition = new TaskDefinition(this, 'TaskDefinition', {
      ...taskDefinition,
      container: { ...taskDefinition.container, image: production.image },
      region,
    });
    this.targetGroup = new TargetGroup(this, 'TargetGroup', {
      ...targetGroup,
      vpcId: production.vpcId,
      port: this.taskDefinition.containerPort,
    });
    this.cluster = new Cluster(this, 'Cluster', cluster);
    this.listenerRule = new ListenerRule(this, 'ListenerRule', {
      listenerArn: production.listenerArn,
      priority: listenerRule.priority,
      hostHeader: listenerRule.hostHeader,
      targetGroupArn: this.targetGroup.arn,
    });
    this.service = new Service(this, 'Service', {
      name: service.name,
      desiredCount: service.desiredCount,
      deploymentMaximumPercent: service.deploymentMaximumPercent,
      deploymentMinimumHealthyPercent: service.deploymentMinimumHealthyPercent,
      enableExecuteCommand: service.enableExecuteCommand,
      assignPublicIp: service.assignPublicIp,
      subnetIds: production.subnetIds,
      securityGroupIds: production.securityGroupIds,
      clusterArn: this.cluster.arn,
      taskDefinitionFamily: this.taskDefinition.family,
      targetGroupArn: this.targetGroup.arn,
      containerName: this.taskDefinition.containerName,
      containerPort: this.taskDefinition.containerPort,
      dependsOn: [this.listenerRule.resource],
    });
    this.dnsRecord = new DnsRecord(this, 'DnsRecord', {
      type: dnsRecord.type,
      zoneId: production.zoneId,
      name: dnsRecord.name,
      target: production.albDnsName!,
      targetZoneId: production.albZoneId,
      ttl: dnsRecord.ttl,
      weight: dnsRecord.weight,
      setIdentifier: dnsRecord.setIdentifier,
    });
    this.ecrLifecyclePolicy = new EcrLifecyclePolicy(this, 'EcrLifecyclePolicy', ecrLifecycle);
  }
}
