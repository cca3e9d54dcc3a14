import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { CapacityProviderItem } from '../aws/ecs';
import { ADDRESS, ARTICLE, SAFE_DEPLOYS } from '../kit/defaults';
import { adopt, AdoptionProps } from './adoption';

export interface ServiceProps extends AdoptionProps {
  /**
   * Service name.
   * @default "stg-server"
   */
  readonly name?: string;
  /** ARN of the staging cluster. */
  readonly clusterArn: string;
  /**
   * Task definition family. The service names the family, not a revision, and Terraform
   * ignores later changes to it: CI decides which revision runs (article section 4).
   */
  readonly taskDefinitionFamily: string;
  /** Target group the service registers its tasks in. */
  readonly targetGroupArn: string;
  /** Container that receives the load balancer's traffic. */
  readonly containerName: string;
  /** Port of that container. */
  readonly containerPort: number;
  /**
   * Number of tasks.
   * @default 1
   */
  readonly desiredCount?: number;
  /**
   * Upper limit of running tasks during a deployment, in percent of `desiredCount`.
   * @default 200
   */
  readonly deploymentMaximumPercent?: number;
  /**
   * Lower limit of healthy tasks during a deployment, in percent of `desiredCount`.
   * @default 100
   */
  readonly deploymentMinimumHealthyPercent?: number;
  /**
   * Allow `aws ecs execute-command` into the tasks.
   * @default true
   */
  readonly enableExecuteCommand?: boolean;
  /** Subnets of the tasks' network interfaces. */
  readonly subnetIds: readonly string[];
  /** Security groups of the tasks' network interfaces. */
  readonly securityGroupIds: readonly string[];
  /**
   * Give each task a public IP (needed in public subnets without a NAT gateway to pull the image).
   * @default true
   */
  readonly assignPublicIp?: boolean;
  /**
   * Stop a failing deployment and roll back to the last one that reached steady state.
   * @default true (the article has none; adding it is an in-place update)
   */
  readonly circuitBreaker?: boolean;
  /**
   * Seconds ECS ignores failing load balancer health checks of a new task while it starts.
   * @default 60 (the article: 0)
   */
  readonly healthCheckGracePeriodSeconds?: number;
  /**
   * Resources that must exist first. The listener rule belongs here: ECS refuses a target group
   * that no load balancer uses yet, which the article's HCL leaves to chance on first apply.
   * @default []
   */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * The task definition revision Terraform deploys. Given (previews), each apply rolls the service to
   * it; left out, the service starts on the family's latest revision and CI deploys (the article).
   * @default - the family, with task_definition ignored after create
   */
  readonly taskDefinitionArn?: string;
  /**
   * Where the tasks run: a capacity provider strategy (FARGATE, FARGATE_SPOT). The cluster must
   * offer the providers, so pass its `aws_ecs_cluster_capacity_providers` in `dependsOn`.
   * @default - the FARGATE launch type (the article)
   */
  readonly capacityProviderStrategy?: readonly CapacityProviderItem[];
  /**
   * A schedule (`WorkingHours`) owns the task count: Terraform then ignores `desired_count` after
   * create, so an apply never wakes or stops the service against the schedule.
   * @default false
   */
  readonly scheduled?: boolean;
  /**
   * The service is created with 0 tasks and Terraform then ignores `desired_count`: a job scales it up
   * once its data is safe to serve (a clone's masking, `CloneDatabase.maskTarget`), and no apply
   * undoes that, or scales a service up before the job has run.
   * @default false
   */
  readonly startsAtZero?: boolean;
  /**
   * Tags of the service.
   * @default - none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Article section 4: the Fargate service `aws_ecs_service.stg_server`. */
export class Service extends Construct {
  public readonly resource: EcsService;

  constructor(scope: Construct, id: string, props: ServiceProps) {
    super(scope, id);
    const defaults = ARTICLE.service;
    // Deploys happen outside Terraform (CI), so Terraform must not roll the service back; a schedule owns the count.
    const ignored = [...(props.taskDefinitionArn ? [] : ['task_definition']), ...(props.scheduled || props.startsAtZero ? ['desired_count'] : [])];
    this.resource = new EcsService(this, 'Resource', {
      name: props.name ?? defaults.name,
      cluster: props.clusterArn,
      taskDefinition: props.taskDefinitionArn ?? props.taskDefinitionFamily,
      desiredCount: props.startsAtZero ? 0 : props.desiredCount ?? defaults.desiredCount,
      deploymentMaximumPercent: props.deploymentMaximumPercent ?? defaults.deploymentMaximumPercent,
      deploymentMinimumHealthyPercent: props.deploymentMinimumHealthyPercent ?? defaults.deploymentMinimumHealthyPercent,
      launchType: props.capacityProviderStrategy ? undefined : defaults.launchType,
      capacityProviderStrategy: props.capacityProviderStrategy?.map((item) => ({ ...item })),
      // AWS refuses to move a running service from a launch type to a strategy without a new deployment.
      forceNewDeployment: props.capacityProviderStrategy ? true : undefined,
      enableExecuteCommand: props.enableExecuteCommand ?? defaults.enableExecuteCommand,
      healthCheckGracePeriodSeconds: props.healthCheckGracePeriodSeconds ?? SAFE_DEPLOYS.healthCheckGracePeriodSeconds,
      // Only written when on: the article's state holds the block as all-false, which an absent block leaves alone.
      deploymentCircuitBreaker: props.circuitBreaker ?? SAFE_DEPLOYS.circuitBreaker ? { enable: true, rollback: true } : undefined,
      loadBalancer: [
        { targetGroupArn: props.targetGroupArn, containerName: props.containerName, containerPort: props.containerPort },
      ],
      networkConfiguration: {
        subnets: [...props.subnetIds],
        securityGroups: [...props.securityGroupIds],
        assignPublicIp: props.assignPublicIp ?? defaults.assignPublicIp,
      },
      lifecycle: ignored.length > 0 ? { ignoreChanges: ignored } : undefined,
      dependsOn: props.dependsOn,
      tags: props.tags ? { ...props.tags } : undefined,
    });
    this.resource.overrideLogicalId(ADDRESS.service);
    adopt(this.resource, props);
  }
}
