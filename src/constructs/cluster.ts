import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { Construct } from 'constructs';
import { ADDRESS, ARTICLE } from '../defaults';

export interface ClusterProps {
  /**
   * Cluster name.
   * @default "stg_ecs_cluster"
   */
  readonly name?: string;
}

/** Article section 3: the staging cluster `aws_ecs_cluster.stg_ecs_cluster`, apart from production's. */
export class Cluster extends Construct {
  public readonly resource: EcsCluster;

  constructor(scope: Construct, id: string, props: ClusterProps = {}) {
    super(scope, id);
    this.resource = new EcsCluster(this, 'Resource', { name: props.name ?? ARTICLE.cluster.name });
    this.resource.overrideLogicalId(ADDRESS.cluster);
  }

  public get arn(): string {
    return this.resource.arn;
  }
}
