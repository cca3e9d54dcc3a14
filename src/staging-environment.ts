import { Construct } from 'constructs';
import { Cluster } from './constructs/cluster';
import { DnsRecord } from './constructs/dns-record';
import { EcrLifecyclePolicy } from './constructs/ecr-lifecycle-policy';
import { ListenerRule } from './constructs/listener-rule';
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
 * security groups, hosted zone, ECR repository, IAM roles) are referenced by ID, never managed.
 */
export class StagingEnvironment extends Construct {
  public readonly taskDefinition: TaskDefinition;
  public readonly targetGroup: TargetGroup;
  public readonly cluster: Cluster;
  public readonly service: Service;
  public readonly listenerRule: ListenerRule;
  public readonly dnsRecord: DnsRecord;
  public readonly ecrLifecyclePolicy: EcrLifecyclePolicy;

  constructor(scope: Construct, id: string, props: StagingEnvironmentProps) {
    super(scope, id);
    const config = props.config;

    this.taskDefinition = new TaskDefinition(this, 'TaskDefinition', { ...config.taskDefinition, region: config.region });
    this.targetGroup = new TargetGroup(this, 'TargetGroup', {
      ...config.targetGroup,
      port: this.taskDefinition.containerPort,
    });
    this.cluster = new Cluster(this, 'Cluster', config.cluster);
    this.listenerRule = new ListenerRule(this, 'ListenerRule', {
      ...config.listenerRule,
      targetGroupArn: this.targetGroup.arn,
    });
    this.service = new Service(this, 'Service', {
      ...config.service,
      clusterArn: this.cluster.arn,
      taskDefinitionFamily: this.taskDefinition.family,
      targetGroupArn: this.targetGroup.arn,
      containerName: this.taskDefinition.containerName,
      containerPort: this.taskDefinition.containerPort,
      dependsOn: [this.listenerRule.resource],
    });
    this.dnsRecord = new DnsRecord(this, 'DnsRecord', config.dnsRecord);
    this.ecrLifecyclePolicy = new EcrLifecyclePolicy(this, 'EcrLifecyclePolicy', config.ecrLifecycle);
  }
}
