import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers';
import { Construct } from 'constructs';
import { ADDRESS, ARTICLE } from '../kit/defaults';
import { adopt, AdoptionProps } from './adoption';

export interface ClusterProps extends AdoptionProps {
  /**
   * Cluster name.
   * @default "stg_ecs_cluster"
   */
  readonly name?: string;
  /**
   * Log group that records ECS Exec sessions. Set it whenever a service in the cluster enables exec.
   * @default - sessions are not logged (the article)
   */
  readonly execLogGroupName?: string;
  /**
   * Whether the exec log group is KMS-encrypted (ECS then requires encrypted delivery).
   * @default false
   */
  readonly execLogEncrypted?: boolean;
  /**
   * CloudWatch Container Insights.
   * @default - the account setting (the article sets none)
   */
  readonly containerInsights?: 'enabled' | 'enhanced' | 'disabled';
  /**
   * Capacity providers the cluster offers its services (`aws_ecs_cluster_capacity_providers`), for
   * services with a capacity provider strategy.
   * @default - none: services use the FARGATE launch type (the article)
   */
  readonly capacityProviders?: readonly ('FARGATE' | 'FARGATE_SPOT')[];
}

/**
 * Article section 3: the staging cluster `aws_ecs_cluster.stg_ecs_cluster`, apart from production's,
 * with ECS Exec sessions logged when a log group is given.
 */
export class Cluster extends Construct {
  public readonly resource: EcsCluster;
  /** Set when `capacityProviders` is given; services with a strategy depend on it. */
  public readonly capacityProviders?: EcsClusterCapacityProviders;

  constructor(scope: Construct, id: string, props: ClusterProps = {}) {
    super(scope, id);
    this.resource = new EcsCluster(this, 'Resource', {
      name: props.name ?? ARTICLE.cluster.name,
      configuration: props.execLogGroupName
        ? {
            executeCommandConfiguration: {
              logging: 'OVERRIDE',
              logConfiguration: { cloudWatchLogGroupName: props.execLogGroupName, cloudWatchEncryptionEnabled: props.execLogEncrypted ?? false },
            },
          }
        : undefined,
      setting: props.containerInsights ? [{ name: 'containerInsights', value: props.containerInsights }] : undefined,
    });
    this.resource.overrideLogicalId(ADDRESS.cluster);
    adopt(this.resource, props);
    if (props.capacityProviders) {
      this.capacityProviders = new EcsClusterCapacityProviders(this, 'CapacityProviders', {
        clusterName: this.resource.name,
        capacityProviders: [...props.capacityProviders],
      });
      this.capacityProviders.overrideLogicalId(ADDRESS.clusterCapacityProviders);
    }
  }

  public get arn(): string {
    return this.resource.arn;
  }
}
