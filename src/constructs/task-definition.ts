import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { Construct } from 'constructs';
import { ADDRESS, ARTICLE } from '../kit/defaults';
import { describeFargateMemory, isFargateSize } from '../aws/ecs';
import { requireValid } from './validate';
import { adopt, AdoptionProps } from './adoption';

/** The single container of the staging task (article section 1, `container_definitions`). */
export interface ContainerProps {
  /**
   * Container name; the service's load balancer block refers to it.
   * @default "stg-server"
   */
  readonly name?: string;
  /** Image URI, normally the staging ECR repository with the `stg` tag. */
  readonly image: string;
  /**
   * Container and host port (awsvpc requires them to be equal).
   * @default 1323
   */
  readonly port?: number;
  /**
   * Command override.
   * @default - the image's CMD
   */
  readonly command?: readonly string[];
  /**
   * Plain environment variables. Never put secrets here; use `secrets`.
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Variables read at task start from Secrets Manager or SSM Parameter Store: NAME → ARN.
   * @default {}
   */
  readonly secrets?: Readonly<Record<string, string>>;
  /**
   * CloudWatch Logs group of the awslogs driver.
   * @default - the family, "stg-server"
   */
  readonly logGroup?: string;
  /**
   * awslogs stream prefix.
   * @default "ecs"
   */
  readonly logStreamPrefix?: string;
  /**
   * Mount the root filesystem read-only.
   * @default false (the article)
   */
  readonly readonlyRootFilesystem?: boolean;
  /**
   * Seconds the container may take to exit after SIGTERM (Fargate: 2–120; Fargate Spot warns 120 s ahead).
   * @default - ECS's 30
   */
  readonly stopTimeout?: number;
}

export interface TaskDefinitionProps extends AdoptionProps {
  /**
   * Task definition family. The service refers to the family, so the latest ACTIVE revision runs.
   * @default "stg-server"
   */
  readonly family?: string;
  /**
   * Task CPU units.
   * @default 256
   */
  readonly cpu?: number;
  /**
   * Task memory in MiB.
   * @default 512
   */
  readonly memory?: number;
  /**
   * Fargate CPU architecture.
   * @default "X86_64"
   */
  readonly cpuArchitecture?: 'X86_64' | 'ARM64';
  /**
   * Role the ECS agent uses to pull the image, write logs and read secrets.
   * @default - none
   */
  readonly executionRoleArn?: string;
  /**
   * Role the application assumes.
   * @default - none
   */
  readonly taskRoleArn?: string;
  /** Region written into the awslogs options. */
  readonly region: string;
  /** The container. */
  readonly container: ContainerProps;
}

/** Article section 1: the Fargate task definition `aws_ecs_task_definition.stg_server`. */
export class TaskDefinition extends Construct {
  public readonly resource: EcsTaskDefinition;
  public readonly family: string;
  public readonly containerName: string;
  public readonly containerPort: number;
  /** The awslogs group of the container. */
  public readonly logGroup: string;

  constructor(scope: Construct, id: string, props: TaskDefinitionProps) {
    super(scope, id);
    const defaults = ARTICLE.taskDefinition;
    const container = props.container;
    this.family = props.family ?? defaults.family;
    this.containerName = container.name ?? ARTICLE.container.name;
    this.containerPort = container.port ?? ARTICLE.container.port;
    this.logGroup = container.logGroup ?? this.family;
    const cpu = props.cpu ?? defaults.cpu;
    const memory = props.memory ?? defaults.memory;
    requireValid(this, 'memory', memory, (m) => isFargateSize(cpu, m), `must be a Fargate memory size for cpu ${cpu}: ${describeFargateMemory(cpu)}`);

    this.resource = new EcsTaskDefinition(this, 'Resource', {
      family: this.family,
      requiresCompatibilities: [...defaults.requiresCompatibilities],
      networkMode: defaults.networkMode,
      cpu: String(cpu),
      memory: String(memory),
      executionRoleArn: props.executionRoleArn,
      taskRoleArn: props.taskRoleArn,
      containerDefinitions: JSON.stringify([this.containerDefinition(container, props.region)]),
      runtimePlatform: {
        cpuArchitecture: props.cpuArchitecture ?? defaults.cpuArchitecture,
        operatingSystemFamily: defaults.operatingSystemFamily,
      },
    });
    this.resource.overrideLogicalId(ADDRESS.taskDefinition);
    adopt(this.resource, props);
  }

  /** Keys in the order `jsonencode` writes them, as in the article. */
  private containerDefinition(container: ContainerProps, region: string): Record<string, unknown> {
    const byName = (record: Readonly<Record<string, string>> = {}) =>
      Object.keys(record).sort().map((name) => [name, record[name]] as const);
    return {
      ...(container.command ? { command: [...container.command] } : {}),
      cpu: ARTICLE.container.cpu,
      environment: byName(container.environment).map(([name, value]) => ({ name, value })),
      essential: true,
      image: container.image,
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          // Kept from the article: dropping it would replace the task definition revision on adoption.
          'awslogs-create-group': 'true',
          'awslogs-group': this.logGroup,
          'awslogs-region': region,
          'awslogs-stream-prefix': container.logStreamPrefix ?? ARTICLE.container.logStreamPrefix,
        },
      },
      mountPoints: [],
      name: this.containerName,
      portMappings: [{ containerPort: this.containerPort, hostPort: this.containerPort, protocol: ARTICLE.container.protocol }],
      // Only written when set, so the article's container definition (and its revision) is unchanged.
      ...(container.readonlyRootFilesystem ? { readonlyRootFilesystem: true } : {}),
      secrets: byName(container.secrets).map(([name, valueFrom]) => ({ name, valueFrom })),
      ...(container.stopTimeout !== undefined ? { stopTimeout: container.stopTimeout } : {}),
      volumesFrom: [],
    };
  }
}
