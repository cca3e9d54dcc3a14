/**
 * The reference design's literal values (../shared/reference/article.md).
 * An environment file that leaves a field out reproduces the article.
 * Three values differ from the article on purpose, because the article's are rejected by AWS:
 * the target group name, the record's set identifier, and the ECR policy (built from an object, no `//` comment).
 */
export const ARTICLE = {
  taskDefinition: {
    family: 'stg-server',
    cpu: 256,
    memory: 512,
    cpuArchitecture: 'X86_64',
    operatingSystemFamily: 'LINUX',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
  },
  container: {
    name: 'stg-server',
    port: 1323,
    protocol: 'tcp',
    cpu: 0,
    logStreamPrefix: 'ecs',
  },
  targetGroup: {
    /** The article writes `stg_server_target`; ELBv2 accepts only letters, digits and hyphens. */
    name: 'stg-server-target',
    protocol: 'HTTP',
    targetType: 'ip',
    healthCheck: { path: '/healthcheck', interval: 30, timeout: 5, healthyThreshold: 5, unhealthyThreshold: 2 },
  },
  cluster: { name: 'stg_ecs_cluster' },
  service: {
    name: 'stg-server',
    desiredCount: 1,
    deploymentMaximumPercent: 200,
    deploymentMinimumHealthyPercent: 100,
    launchType: 'FARGATE',
    enableExecuteCommand: true,
    assignPublicIp: true,
  },
  dnsRecord: {
    type: 'CNAME',
    ttl: 300,
    weight: 100,
    /** Missing in the article; Route 53 requires it on every weighted record. */
    setIdentifier: 'stg',
  },
  ecrLifecycle: {
    rulePriority: 1,
    description: '最新の1イメージを残す',
    tagPrefix: 'stg',
    keepImages: 1,
  },
} as const;

/**
 * The ECR rule's description when the file gives none: the article's own text for its one image, and
 * the same sentence with the count for any other, so that the description never contradicts the rule.
 */
export function ecrLifecycleDescription(keepImages: number): string {
  return keepImages === ARTICLE.ecrLifecycle.keepImages ? ARTICLE.ecrLifecycle.description : `最新の${keepImages}イメージを残す`;
}

/**
 * Defaults beyond the article, for deployment safety. Each is an in-place update for a team adopting
 * the article's state, and each can be set back to the article's value in the environment file.
 */
export const SAFE_DEPLOYS = {
  /** AWS's 300 s would make a slow deploy outlast the pipeline's 600 s wait. */
  deregistrationDelay: 30,
  circuitBreaker: true,
  healthCheckGracePeriodSeconds: 60,
  /** The AWS CLI waiter's own limit, and the article's `ecs-deploy --timeout 600`. */
  waitTimeoutSeconds: 600,
} as const;

/** The kit's own defaults, for what the article does not have (the pipeline, log retention). */
export const KIT = {
  pipeline: {
    branch: 'develop',
    computeType: 'BUILD_GENERAL1_SMALL',
    goVersionFile: '.go-version',
    /** The build arg the write-up's Go build passes the version in. */
    goVersionBuildArg: 'GO_VERSION',
    dockerfile: './Dockerfile',
    /** The article caches `$GOPATH`; in CodeBuild's standard images that is /go, the module and build caches below /go/pkg. */
    cachePaths: ['/go/pkg/**/*'],
  },
  logs: { retentionInDays: 30 },
  /** Pull request previews: a small band, a short life, one task, logs kept for days only. */
  previews: { maxOpen: 10, ttlDays: 3, desiredCount: 1, logRetentionInDays: 3 },
  /** Production's database: read-only unless the file says otherwise, the connection given as these variables. */
  database: {
    access: 'read-only',
    schemas: ['public'],
    environment: { host: 'DB_HOST', port: 'DB_PORT', name: 'DB_NAME', user: 'DB_USER', iamAuth: 'DB_IAM_AUTH', password: 'DB_PASSWORD' },
  },
} as const;

/**
 * Terraform addresses as the article writes them. They are never derived from names,
 * so a team already running the article's HCL keeps its state with no change.
 */
export const ADDRESS = {
  taskDefinition: 'stg_server',
  targetGroup: 'stg_server_target',
  cluster: 'stg_ecs_cluster',
  service: 'stg_server',
  listenerRule: 'stg_server_rule',
  dnsRecord: 'stg_server',
  ecrLifecyclePolicy: 'stg-server-lifecycle_policy',
  // Beyond the article: resources the secure defaults add (fixed, so state stays stable).
  logGroup: 'stg_server',
  executionRole: 'stg_server_execution',
  taskRole: 'stg_server_task',
  securityGroup: 'stg_server',
  databaseAccess: 'database_from_stg_server',
  /** The production database, a data source (`data.aws_rds_cluster.production` or `data.aws_db_instance.production`). */
  productionDatabase: 'production',
  /** `rds-db:connect` on a team's own task role; reading the password secret on a team's own execution role. */
  databaseConnect: 'stg_server_database_connect',
  databasePassword: 'stg_server_database_password',
  buildProject: 'stg_server_build',
  clusterCapacityProviders: 'stg_ecs_cluster',
  scalableTarget: 'stg_server',
  wakeAction: 'stg_server_wake',
  sleepAction: 'stg_server_sleep',
  /** The copy-on-write clone of `access: "clone"` (staging's or a preview's, each in its own state): cluster, instance, subnet group, groups, rules. */
  databaseClone: 'database_clone',
  /** The masking job's security group, beside the clone's (and its project, role and logs). */
  databaseCloneMask: 'database_clone_mask',
  /** The EventBridge rule that starts the masking job on the clone's instance's creation, its target and role. */
  databaseCloneMaskStart: 'database_clone_mask_start',
  /** The clone's sleep and wake (EventBridge Scheduler). */
  databaseCloneStop: 'database_clone_stop',
  databaseCloneStart: 'database_clone_start',
} as const;

/** The resource type of each of the article's resources (and the log group), as `adopt` names them. */
export const RESOURCE_TYPE = {
  taskDefinition: 'aws_ecs_task_definition',
  targetGroup: 'aws_lb_target_group',
  cluster: 'aws_ecs_cluster',
  service: 'aws_ecs_service',
  listenerRule: 'aws_alb_listener_rule',
  dnsRecord: 'aws_route53_record',
  ecrLifecyclePolicy: 'aws_ecr_lifecycle_policy',
  logGroup: 'aws_cloudwatch_log_group',
} as const;
