import { z } from 'zod';
import { ARTICLE, ecrLifecycleDescription, KIT, RESOURCE_TYPE, SAFE_DEPLOYS } from '../kit/defaults';
import { ACCESS_RULE, cidr, headerName } from './rules/access';
import { PRIORITY } from '../aws/elb';
import { ENV_NAME } from '../aws/ecs';
import { REGIONS, WHOLE_SECRET_ARN } from '../aws/ids';
import { anyArn, bucketName, kmsKeyArn, roleArn, secretReference, securityGroupId, subnetId, userPoolArn, vpcId, zoneId } from './rules/aws-ids';
import { retentionInDays } from './rules/logs';
import { branchName, buildArgName, connectionArn, githubRepository, projectName } from './rules/pipeline';
import { setIdentifier, domainName, domainTarget, ttl, weight } from './rules/dns-record';
import { keepImages, repositoryName, tagPrefix } from './rules/ecr';
import { hostHeader, listenerArn } from './rules/listener-rule';
import { INT32_MAX, integerAtLeast, integerBetween } from './rules/rule';
import {
  deregistrationDelay,
  healthCheckInterval,
  healthCheckPath,
  healthCheckTimeout,
  matcher,
  port,
  loadBalancerName,
  targetGroupName,
  threshold,
} from './rules/target-group';
import { ecsName, image, logGroupName } from './rules/task-definition';
import { awsCron, timeZone } from './rules/schedule';
import { CAPACITY_STRATEGY, STOP_TIMEOUT } from '../aws/ecs';
import { CLONE_LIMITS, DATABASE_ENGINES, SERVERLESS_V2, SERVICE_DATABASE_ACCESS, SMALLEST_INSTANCE_CLASS } from '../aws/rds';
import { acu, databaseName, databaseUserName, dbIdentifier, instanceClass, maskFile } from './rules/database';

/**
 * The environment file (`environments/<stack>.json`): one section per resource of the article, in
 * the article's order. This schema is the single source of truth for the file's TypeScript types,
 * its validation at synth, and `environments/environment.schema.json` for editors.
 * Cross-field and cross-file rules live in `./rules/cross-field.ts` and `./rules/across-files.ts`.
 */
const envName = z.string().regex(ENV_NAME, { error: 'must be a variable name: letters, digits and "_", not starting with a digit' });
// An empty tag filter would select every subnet or security group of the production VPC.
const tags = z.record(z.string(), z.string()).refine((value) => Object.keys(value).length > 0, { error: 'must name at least one tag' });

// Editor schema only: what the cross-field rules require of a section's keys (synth checks it there, with better messages).
const exactlyOneOf = (...keys: string[]) => ({ oneOf: keys.map((key) => ({ required: [key] })) });

const container = z.strictObject({
  name: ecsName.default(ARTICLE.container.name).describe('Container name.'),
  image: image
    .optional()
    .describe('Image URI. Default: the ECR repository of `ecrLifecycle.repository`, looked up, with the tag `ecrLifecycle.tagPrefix`.'),
  port: port().default(ARTICLE.container.port).describe('Container and host port, also the target group port.'),
  command: z.array(z.string()).optional().describe('Command override. Default: the image CMD.'),
  environment: z.record(envName, z.string()).optional().describe('Plain environment variables. Never secrets.'),
  secrets: z.record(envName, secretReference).optional().describe('NAME → Secrets Manager secret ARN, SSM parameter ARN, or SSM parameter name ("/…"). Never the value.'),
  readonlyRootFilesystem: z.boolean().optional().describe('Mount the root filesystem read-only. Default false (the article).'),
  stopTimeout: integerBetween(STOP_TIMEOUT.min, STOP_TIMEOUT.max)
    .optional()
    .describe('Seconds the container may take to exit after SIGTERM, 2–120 on Fargate (Spot warns 120 s before it reclaims a task). Default: ECS\'s 30.'),
  logGroup: logGroupName.optional().describe('awslogs group. Default: the family, "stg-server".'),
  logStreamPrefix: z.string().min(1, { error: 'must not be empty' }).default(ARTICLE.container.logStreamPrefix).describe('awslogs stream prefix.'),
});

const policyStatement = z.strictObject({
  actions: distinct(z.array(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9*]+$/, { error: 'must be an IAM action like s3:GetObject' })).min(1, { error: 'must list at least one action' })),
  resources: distinct(z.array(anyArn).min(1, { error: 'must list at least one resource ARN' })).describe('Exact ARNs; "*" is not accepted.'),
});

const taskDefinition = z.strictObject({
  family: ecsName.default(ARTICLE.taskDefinition.family).describe('Task definition family.'),
  cpu: z.number().default(ARTICLE.taskDefinition.cpu).describe('Task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384.'),
  memory: z.number().default(ARTICLE.taskDefinition.memory).describe('Task memory in MiB, a Fargate size for the CPU.'),
  cpuArchitecture: z.enum(['X86_64', 'ARM64']).default(ARTICLE.taskDefinition.cpuArchitecture),
  executionRoleArn: roleArn
    .optional()
    .describe('IAM role ARN for the ECS agent (image pull, logs, secrets). Default: the stack creates one, scoped to the listed secrets.'),
  taskRoleArn: roleArn.optional().describe('IAM role ARN the application assumes. Default: the stack creates one when ECS Exec is on or taskRolePolicy is given.'),
  secretsKmsKeyArn: kmsKeyArn.optional().describe('Customer managed KMS key of the secrets; the created execution role may kms:Decrypt with it.'),
  taskRolePolicy: z
    .array(policyStatement)
    .min(1, { error: 'must list at least one statement (leave it out for none)' })
    .optional()
    .describe('Extra IAM statements for the created task role (what the application itself needs), by exact ARN.'),
  container,
});

const healthCheck = z.strictObject({
  path: healthCheckPath.default(ARTICLE.targetGroup.healthCheck.path),
  interval: healthCheckInterval().default(ARTICLE.targetGroup.healthCheck.interval).describe('Seconds, 5–300.'),
  timeout: healthCheckTimeout().default(ARTICLE.targetGroup.healthCheck.timeout).describe('Seconds, 2–120 and less than interval.'),
  healthyThreshold: threshold().default(ARTICLE.targetGroup.healthCheck.healthyThreshold).describe('2–10.'),
  unhealthyThreshold: threshold().default(ARTICLE.targetGroup.healthCheck.unhealthyThreshold).describe('2–10.'),
  matcher: matcher.optional().describe('Healthy HTTP codes, e.g. "200" or "200-299". Default "200".'),
});

const targetGroup = z.strictObject({
  name: targetGroupName.default(ARTICLE.targetGroup.name).describe('Target group name, unique in the account and region.'),
  vpcId: vpcId.optional().describe("The production VPC ID. Default, when the ALB is looked up: the ALB's VPC."),
  deregistrationDelay: deregistrationDelay().default(SAFE_DEPLOYS.deregistrationDelay).describe('Seconds to drain a target, 0–3600 (AWS: 300; shorter, so that a deploy fits in the wait).'),
  healthCheck: healthCheck.prefault({}),
});

const cluster = z.strictObject({
  name: ecsName.default(ARTICLE.cluster.name).describe('Cluster name, unique in the account and region.'),
  logExecSessions: z
    .boolean()
    .optional()
    .describe('Log ECS Exec sessions to the service log group when exec is on. Default true; false (the article) needs a suppression of STG-ExecAudit.'),
  containerInsights: z.enum(['enabled', 'enhanced', 'disabled']).optional().describe('CloudWatch Container Insights. Default: the account setting (the article sets none).'),
});

const logs = z.strictObject({
  retentionInDays: retentionInDays.default(KIT.logs.retentionInDays).describe('Days CloudWatch Logs keeps the service and ECS Exec logs.'),
  kmsKeyArn: kmsKeyArn.optional().describe('KMS key that encrypts the log group (its key policy must allow CloudWatch Logs). Default: CloudWatch-owned keys.'),
});

/**
 * A list whose entries must differ: AWS keeps one of two equal subnets, groups, CIDRs or actions
 * without a word, so a duplicate is most often a typo of another entry. Both positions are named.
 */
function distinct<T extends z.ZodArray<z.ZodType>>(list: T): T {
  return list
    .superRefine((values, context) => {
      const first = new Map<string, number>();
      values.forEach((value, index) => {
        const key = JSON.stringify(value);
        const at = first.get(key);
        if (at === undefined) first.set(key, index);
        else context.addIssue({ code: 'custom', path: [index], input: value, message: `must not repeat entry ${at}: list each once` });
      });
    })
    .meta({ uniqueItems: true }) as T;
}

const schedule = z.strictObject({
  timezone: timeZone.describe('IANA time zone of wake and sleep, e.g. "Asia/Tokyo". Daylight saving time is followed.'),
  wake: awsCron.describe('When the service scales back to its desiredCount, e.g. "cron(0 8 ? * MON-FRI *)" (minutes hours day-of-month month day-of-week year).'),
  sleep: awsCron.describe('When it scales to 0 tasks, e.g. "cron(0 21 ? * MON-FRI *)". While asleep the ALB answers 503 for the host; `npm run wake -- <stack>` wakes it by hand.'),
});

// ECS CapacityProviderStrategyItem: the base runs on FARGATE, the rest split by weight.
const capacityStrategy = z.strictObject({
  base: integerBetween(0, CAPACITY_STRATEGY.maxBase).default(1).describe('Tasks that always run on FARGATE (on-demand), before any Spot.'),
  fargateWeight: integerBetween(0, CAPACITY_STRATEGY.maxWeight).default(0).describe('Weight of FARGATE for the tasks beyond the base.'),
  spotWeight: integerBetween(0, CAPACITY_STRATEGY.maxWeight).default(1).describe('Weight of FARGATE_SPOT for the tasks beyond the base.'),
});
const capacity = z.union([z.enum(['FARGATE', 'FARGATE_SPOT']), capacityStrategy], {
  error: (issue) => (issue.code === 'invalid_union' ? 'must be "FARGATE", "FARGATE_SPOT" or a strategy {base, fargateWeight, spotWeight}' : undefined),
});

const databaseEnvironment = z.strictObject({
  host: envName.default(KIT.database.environment.host),
  port: envName.default(KIT.database.environment.port),
  name: envName.default(KIT.database.environment.name),
  user: envName.default(KIT.database.environment.user),
  iamAuth: envName.default(KIT.database.environment.iamAuth).describe('"true" when the app must connect with an IAM token, else "false".'),
  password: envName.default(KIT.database.environment.password).describe('The secret with the password, when passwordSecret is given.'),
});

// Aurora User Guide, "Cloning a volume for an Aurora DB cluster": a copy-on-write clone shares its source's pages and pays for the ones it changes.
const databaseClone = z.strictObject({
  mask: maskFile
    .optional()
    .describe('Path of an SQL file in the application repository (e.g. "db/mask.sql") that a job inside the VPC runs against the clone before the service gets any task: plain UPDATEs, as RDS has no superuser for PostgreSQL Anonymizer. Without it, allowUnmaskedProductionData: true is required.'),
  instanceClass: instanceClass
    .optional()
    .describe(`The clone's one instance. Default: the smallest class the engine supports, ${SMALLEST_INSTANCE_CLASS['aurora-postgresql']} (Aurora User Guide, "Supported DB engines for DB instance classes"). Or minCapacity/maxCapacity for Serverless v2.`),
  minCapacity: acu(SERVERLESS_V2.minCapacity)
    .optional()
    .describe(`Serverless v2 instead of instanceClass: the fewest ACUs, ${SERVERLESS_V2.minCapacity} (auto-pause, on the versions that have it) or ${SERVERLESS_V2.minCapacityWithoutAutoPause} to ${SERVERLESS_V2.maxCapacity}. Default ${SERVERLESS_V2.minCapacityWithoutAutoPause} once maxCapacity is given.`),
  maxCapacity: acu(SERVERLESS_V2.smallestMaxCapacity)
    .optional()
    .describe(`Serverless v2: the most ACUs, ${SERVERLESS_V2.smallestMaxCapacity}–${SERVERLESS_V2.maxCapacity} (128 on older engine versions).`),
  clusterQuota: integerBetween(1, 10000)
    .default(CLONE_LIMITS.clustersPerRegion)
    .describe(`The Region's DB cluster quota, raised or not (default ${CLONE_LIMITS.clustersPerRegion}): staging's clones and every preview slot's, of every file, must fit in it.`),
});

const previewDatabase = z.strictObject({
  access: z
    .enum(['read-only', 'reader', 'clone'])
    .optional()
    .describe('"clone": each preview gets its own copy-on-write clone (masked with service.database.clone.mask), created with it and destroyed with it. Default: staging\'s own access; never read-write.'),
});

const database = z.strictObject({
  engine: z.enum(DATABASE_ENGINES).optional().describe('postgres, aurora-postgresql, mysql, aurora-mysql or mariadb.'),
  clusterIdentifier: dbIdentifier.optional().describe('The production Aurora cluster, looked up (endpoints, port, resource ID, security groups). Or instanceIdentifier.'),
  instanceIdentifier: dbIdentifier.optional().describe('The production RDS instance, looked up. Or clusterIdentifier.'),
  databaseName: databaseName.optional().describe('The database staging reads.'),
  schemas: distinct(z.array(databaseName).min(1, { error: 'must list at least one schema' }))
    .optional()
    .describe('PostgreSQL only: the schemas whose tables the user may read (db-grants). Default ["public"].'),
  user: databaseUserName
    .optional()
    .describe('The database user staging connects as: its own, never the master user (`npm run db-grants -- <stack>` prints the SQL that creates it). With iamAuth: true or passwordSecret beside it.'),
  iamAuth: z.boolean().optional().describe('true: staging connects as user with an IAM authentication token (15 minutes); the task role may `rds-db:connect` as exactly that user. Or passwordSecret.'),
  passwordSecret: secretReference.optional().describe("Secrets Manager secret or SSM parameter ARN holding user's password, given to the container as a secret. Never the value. Or iamAuth."),
  access: z
    .enum(SERVICE_DATABASE_ACCESS)
    .default(KIT.database.access)
    .describe('"read-only": connect to the writer endpoint as a read-only user. "reader": the same, on an Aurora cluster\'s reader endpoint (the plan fails when the cluster has no reader). "read-write": writes production data; needs allowProductionWrites. "clone": a copy-on-write clone of the Aurora cluster, staging\'s own to write, masked by clone.mask; staging connects as the clone\'s master user.'),
  allowProductionWrites: z.boolean().optional().describe('true consents to access "read-write". Printed as a warning on every synth, and in the review\'s first lines.'),
  clone: databaseClone.optional().describe('The copy-on-write clone of access "clone" (and of previews.database.access "clone"): its masking SQL and size (npm run refresh-data replaces it with a fresh one).'),
  allowUnmaskedProductionData: z
    .boolean()
    .optional()
    .describe('true consents to a clone without clone.mask: staging (and each preview) then serves unmasked production data. Printed as a warning on every synth.'),
  securityGroupId: securityGroupId.optional().describe("The production database's security group the ingress rule goes on. Default: the looked-up database's first group."),
  port: port().optional().describe("Database port. Default: the looked-up database's port."),
  environment: databaseEnvironment.optional().describe('Names of the connection variables the container gets. Default DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_IAM_AUTH, DB_PASSWORD.'),
}).meta({ allOf: [{ not: { required: ['clusterIdentifier', 'instanceIdentifier'] } }] });

const service = z.strictObject({
  name: ecsName.default(ARTICLE.service.name).describe('Service name.'),
  // ECS service quotas, "Tasks per service": 5,000.
  desiredCount: integerBetween(0, 5000).default(ARTICLE.service.desiredCount).describe('0–5000 (ECS tasks per service).'),
  deploymentMaximumPercent: integerAtLeast(0).default(ARTICLE.service.deploymentMaximumPercent),
  deploymentMinimumHealthyPercent: integerBetween(0, 100).default(ARTICLE.service.deploymentMinimumHealthyPercent),
  enableExecuteCommand: z.boolean().default(ARTICLE.service.enableExecuteCommand),
  // ECS awsvpcConfiguration: 1–16 subnets, at most 5 security groups.
  subnetIds: distinct(z.array(subnetId).min(1, { error: 'must list at least one subnet' }).max(16, { error: 'must list at most 16 subnets' })).optional().describe('Subnets of the tasks. Or look them up with subnetTags.'),
  subnetTags: tags.optional().describe('Look the subnets up by tag (in the VPC), instead of subnetIds.'),
  securityGroupIds: distinct(z.array(securityGroupId).max(5, { error: 'must list at most 5 security groups' })).optional().describe('Security groups of the tasks. Or look them up with securityGroupTags.'),
  securityGroupTags: tags.optional().describe('Look the security groups up by tag (in the VPC), instead of securityGroupIds.'),
  assignPublicIp: z.boolean().optional().describe('Default true (the article); a guardrail warns about it.'),
  circuitBreaker: z.boolean().default(SAFE_DEPLOYS.circuitBreaker).describe('Deployment circuit breaker with rollback; false reproduces the article.'),
  healthCheckGracePeriodSeconds: integerBetween(0, INT32_MAX).default(SAFE_DEPLOYS.healthCheckGracePeriodSeconds).describe('Seconds ECS ignores failing health checks of a new task; 0 reproduces the article.'),
  loadBalancerSecurityGroupId: securityGroupId
    .optional()
    .describe("The production ALB's security group. Without securityGroupIds/securityGroupTags the stack creates a group admitting only it, on the container port."),
  database: database
    .optional()
    .describe("The production database staging reads: looked up, never managed. Staging connects as its own user, read-only unless access says otherwise; one ingress rule admits the tasks on the database's port. A file with only securityGroupId and port gets that rule and nothing else, with a warning."),
  capacity: capacity
    .default('FARGATE')
    .describe('"FARGATE" (launch_type, the article), "FARGATE_SPOT" (up to 70% cheaper; AWS may reclaim a task with a 2-minute warning), or {base, fargateWeight, spotWeight}. Switching an existing service away from "FARGATE" redeploys it.'),
  schedule: schedule.optional().describe('Working hours: scale to 0 at sleep and back at wake. Default: always on.'),
}).meta({
  // referencesByIdOrLookup and serviceNetworkPath: subnets by ID or by tag; the tasks' groups by ID, by tag, or created to admit the ALB's group.
  allOf: [exactlyOneOf('subnetIds', 'subnetTags'), exactlyOneOf('securityGroupIds', 'securityGroupTags', 'loadBalancerSecurityGroupId'), { not: { required: ['database', 'securityGroupTags'] } }],
});

const loadBalancerLookup = z.strictObject({
  name: loadBalancerName.describe('Name of the production ALB.'),
  listenerPort: port().describe('Port of its listener, e.g. 443.'),
});

const httpHeader = z.strictObject({
  name: headerName.describe('Header name, e.g. "X-Staging-Key".'),
  valueFrom: secretReference.describe('Secrets Manager secret ARN or SSM parameter (ARN or "/name") holding the expected value, read at plan time.'),
});

const oidc = z.strictObject({
  issuer: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }),
  authorizationEndpoint: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }),
  tokenEndpoint: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }),
  userInfoEndpoint: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }),
  clientId: z.string().min(1, { error: 'must not be empty' }),
  clientSecretFrom: secretReference.describe('Secret or SSM parameter holding the client secret, read at plan time.'),
});

const cognito = z.strictObject({
  userPoolArn,
  userPoolClientId: z.string().regex(/^[\w+]{1,128}$/, { error: 'must be a Cognito app client ID' }),
  userPoolDomain: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, { error: 'must be a Cognito domain prefix' }),
});

const access = z.strictObject({
  sourceIps: distinct(z.array(cidr).min(1, { error: 'must list at least one CIDR' })).optional().describe('Allowlist of caller CIDRs (office, VPN). Longer lists spread over consecutive priorities.'),
  httpHeader: httpHeader.optional().describe('Admit only requests carrying this header (set by a proxy or CloudFront) with the secret value.'),
  oidc: oidc.optional().describe('Log in through an OpenID Connect provider first. Needs an HTTPS listener.'),
  cognito: cognito.optional().describe('Log in through a Cognito user pool first. Needs an HTTPS listener.'),
  public: z.boolean().optional().describe('true opens the endpoint to everyone. Printed as a warning on every synth.'),
});

const listenerRule = z.strictObject({
  listenerArn: listenerArn.optional().describe('ARN of the existing production ALB listener. Or look it up with loadBalancer.'),
  loadBalancer: loadBalancerLookup.optional().describe('Look the ALB and its listener up by name and port, instead of listenerArn.'),
  priority: integerBetween(PRIORITY.min, PRIORITY.max).describe('Rule priority, 1–50000, unique on the listener.'),
  hostHeader: hostHeader.describe('Staging host name, e.g. "stg-api.example.com".'),
  allowWildcardHost: z
    .boolean()
    .optional()
    .describe('true admits "*" or "?" in hostHeader. Dangerous on a production listener: the rule may take production hosts (docs/access.md#who-can-reach-staging). Default false.'),
  // Required, and a missing one says why: optional().nonoptional() lets the error be the rule's, not "is required".
  access: access.optional().nonoptional({ error: ACCESS_RULE }).describe('Who may call staging. Required: at least one restriction, or public: true.'),
}).meta(exactlyOneOf('listenerArn', 'loadBalancer'));

const dnsRecord = z.strictObject({
  type: z.enum(['CNAME', 'alias']).default(ARTICLE.dnsRecord.type).describe('"CNAME" (the article) or "alias" (an A alias to the ALB: free queries, allowed at the apex).'),
  zoneId: zoneId.optional().describe('Route 53 hosted zone ID. Or look it up with zoneName.'),
  zoneName: domainName.optional().describe('Look the hosted zone up by domain name, instead of zoneId.'),
  name: domainName.describe('Record name, the staging host name.'),
  target: domainTarget.optional().describe("The production ALB's DNS name. Default, when the ALB is looked up: its DNS name."),
  targetZoneId: zoneId.optional().describe("For type alias: the ALB's canonical hosted zone ID. Default, when the ALB is looked up: its zone."),
  ttl: ttl().optional().describe('CNAME only. Default 300.'),
  weight: weight().default(ARTICLE.dnsRecord.weight).describe('0–255.'),
  setIdentifier: setIdentifier.default(ARTICLE.dnsRecord.setIdentifier).describe('Required by weighted records.'),
}).meta(exactlyOneOf('zoneId', 'zoneName'));

const ecrLifecycle = z.strictObject({
  repository: repositoryName.describe('Name of the existing staging ECR repository.'),
  tagPrefix: tagPrefix.default(ARTICLE.ecrLifecycle.tagPrefix),
  keepImages: keepImages().default(ARTICLE.ecrLifecycle.keepImages),
  description: z
    .string()
    .optional()
    .describe(`Rule description. Default: the article's "${ARTICLE.ecrLifecycle.description}" ("keep the newest 1 image") for keepImages 1, else the same sentence with keepImages, e.g. "${ecrLifecycleDescription(2)}".`),
});

const pipeline = z.strictObject({
  repository: githubRepository.describe('The application repository, e.g. "https://github.com/example/api.git".'),
  branch: branchName.default(KIT.pipeline.branch).describe('A push to this branch builds and deploys.'),
  connectionArn: connectionArn.optional().describe('CodeConnections connection to GitHub. Or tokenSecretArn.'),
  // pipelineInputs wants a whole secret ARN here, even for a reference: the editor schema carries that pattern, not secretReference's.
  tokenSecretArn: secretReference.optional().meta({ pattern: WHOLE_SECRET_ARN.source }).describe('Secrets Manager secret holding a GitHub token, instead of a connection. Never the token itself.'),
  dockerHubSecretArn: secretReference.optional().meta({ pattern: WHOLE_SECRET_ARN.source }).describe('Secrets Manager secret with "username" and "password" for Docker Hub pulls.'),
  projectName: projectName.optional().describe('CodeBuild project name. Default "<family>-build".'),
  computeType: z.enum(['BUILD_GENERAL1_SMALL', 'BUILD_GENERAL1_MEDIUM', 'BUILD_GENERAL1_LARGE']).default(KIT.pipeline.computeType),
  image: z.string().min(1).optional().describe('CodeBuild image. Default: the Linux standard image for the task architecture.'),
  goVersionFile: z
    .string()
    .min(1)
    .default(KIT.pipeline.goVersionFile)
    .describe('File of the application repository holding the Go version, read at build time and passed as the build arg GO_VERSION (the write-up\'s Go build). A repository without it is built with a plain docker build.'),
  dockerfile: z.string().min(1).default(KIT.pipeline.dockerfile),
  buildArgs: z
    .record(buildArgName, z.string())
    .optional()
    .describe('More docker build args, NAME → value, for staging and previews. Plain text in the buildspec and the build logs: never secrets.'),
  cachePaths: distinct(z.array(z.string().min(1, { error: 'must not be empty' })))
    .default([...KIT.pipeline.cachePaths])
    .describe('Paths the build hosts keep between builds (CodeBuild local cache), for staging and previews. Default: the Go module and build caches, "/go/pkg/**/*" (the write-up caches $GOPATH). [] caches none.'),
  waitTimeoutSeconds: integerBetween(60, 600).default(SAFE_DEPLOYS.waitTimeoutSeconds).describe('How long a deploy may take to become stable, 60–600 s (the article’s --timeout 600).'),
  logRetentionInDays: retentionInDays.default(KIT.logs.retentionInDays).describe('Build log retention.'),
}).meta(exactlyOneOf('connectionArn', 'tokenSecretArn'));

// A GitHub user ID (a number; logins can be renamed and reused), as the webhook's ACTOR_ACCOUNT_ID filter matches it.
const githubUserId = z.string().regex(/^[1-9]\d{0,19}$/, { error: 'must be a GitHub user ID, a number like "583231" (https://api.github.com/users/<login> shows it), not a login' });

const previews = z.strictObject({
  hostPattern: z
    .string()
    .optional()
    .describe('Host of a preview: "{number}" (the pull request number) in its first label, then listenerRule.hostHeader. Default "pr-{number}.<hostHeader>". The listener needs a certificate for "*.<hostHeader>": a wildcard covers one label, so "*.example.com" does not.'),
  priorityBase: integerBetween(PRIORITY.min, PRIORITY.max).describe("First listener rule priority of the previews' band. PR n takes slot n mod maxOpen, never \"max + 1\"."),
  maxOpen: integerBetween(1, 50).default(KIT.previews.maxOpen).describe('Previews open at once: the slots of the band (each takes the rules staging takes).'),
  ttlDays: integerBetween(1, 30).default(KIT.previews.ttlDays).describe('A preview not deployed for this many days is destroyed by the daily reaper.'),
  desiredCount: integerBetween(0, 10).default(KIT.previews.desiredCount).describe('Tasks of a preview.'),
  cpu: z.number().optional().describe("Task CPU units of a preview. Default: the staging task's."),
  memory: z.number().optional().describe("Task memory (MiB) of a preview. Default: the staging task's."),
  environment: z.record(envName, z.string()).optional().describe("Plain variables of a preview, over the staging container's."),
  secrets: z.record(envName, secretReference).optional().describe("Secrets of a preview over staging's, e.g. a read-only database user. Never the value."),
  trustedActors: distinct(z.array(githubUserId).min(1, { error: 'must name at least one GitHub user ID' })).describe("GitHub user IDs whose pull requests get a preview. The webhook filters on them, so a fork's pull request gets none."),
  capacity: capacity.default('FARGATE_SPOT').describe('Capacity of a preview: Spot by default, as a preview may be interrupted.'),
  schedule: schedule.optional().describe("Working hours of a preview. Default: staging's service.schedule, if any."),
  baseBranch: branchName.optional().describe('Pull requests into this branch get previews. Default: pipeline.branch.'),
  logRetentionInDays: retentionInDays.default(KIT.previews.logRetentionInDays).describe("Days a preview's logs are kept."),
  database: previewDatabase.optional().describe("How a preview reaches the data: {access: \"clone\"} gives each its own masked clone. Default: staging's connection (never read-write)."),
  infrastructure: z
    .strictObject({
      repository: githubRepository.describe('This repository (the kit), e.g. "https://github.com/example/staging-infra.git".'),
      commit: z.string().regex(/^[0-9a-f]{40}$/, { error: 'must be a full 40-character commit SHA (a branch would let anyone who pushes to it change what previews apply)' }).describe('The reviewed commit the previews build applies. Change it by a reviewed change of this file.'),
    })
    .describe('Where the previews build takes its infrastructure code: this repository at a pinned commit, never the pull request.'),
});

/** An ELBv2 ARN of one kind, for imports. */
function elbArn(kind: 'targetgroup' | 'listener-rule') {
  return z.string().regex(new RegExp(`^arn:aws(-cn|-us-gov)?:elasticloadbalancing:[a-z0-9-]+:\\d{12}:${kind}/`), { error: `must be an ELBv2 ${kind} ARN` });
}

const backend = z.strictObject({
  bucket: bucketName.describe('S3 bucket of the state.'),
  key: z.string().min(1).optional().describe('State object key. Default "staging/<stack>.tfstate".'),
  region: z.enum(REGIONS, { error: 'must be an AWS region code like ap-northeast-1' }).optional().describe("The bucket's region. Default: the environment's region."),
  kmsKeyId: kmsKeyArn.optional().describe('KMS key for the state object. Default: SSE-S3.'),
});

/**
 * A guardrail rule ID. Which rules exist, and which may be suppressed, is the guardrail pack's to say
 * (a layer above this schema): synth checks it when the guardrails run, and the editor schema lists them.
 */
export const suppressionRuleId = z.string().regex(/^STG-[A-Z][A-Za-z]+$/, { error: 'must be a guardrail rule ID like STG-PublicIp' }).describe('Guardrail rule ID.');

const suppression = z.strictObject({
  id: suppressionRuleId,
  reason: z.string().trim().min(20, { error: 'must explain the exception in at least 20 characters' }).describe('Why the exception is acceptable.'),
  resources: z.array(z.string().regex(/^[a-z0-9_]+\.[A-Za-z0-9_-]+$/, { error: 'must be a resource address like aws_ecs_service.stg_server' })).min(1).optional().describe('Addresses it applies to. Default: all.'),
});

// A Terraform resource address, e.g. aws_ecs_cluster.staging.
const address = z.string().regex(/^[a-z0-9_]+\.[A-Za-z_][A-Za-z0-9_-]*$/, { error: 'must be a resource address like aws_ecs_cluster.staging' });

const adopt = z.strictObject({
  logGroup: z.boolean().optional().describe('Import the existing log group (e.g. the one awslogs-create-group made) instead of creating it.'),
  cluster: z.boolean().optional().describe('Import the existing cluster of that name (e.g. made in the console).'),
  service: z.boolean().optional().describe('Import the existing service, by cluster and service name.'),
  ecrLifecyclePolicy: z.boolean().optional().describe("Import the repository's existing lifecycle policy."),
  dnsRecord: z.boolean().optional().describe('Import the existing weighted record (needs dnsRecord.zoneId).'),
  targetGroup: elbArn('targetgroup').optional().describe('Import the existing target group: its ARN.'),
  listenerRule: elbArn('listener-rule').optional().describe('Import the existing listener rule: its ARN.'),
  taskDefinition: z
    .string()
    .regex(/^arn:aws(-cn|-us-gov)?:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]+:\d+$/, { error: 'must be a task definition revision ARN' })
    .optional()
    .describe('Import an existing task definition revision: its ARN.'),
  movedFrom: z
    .partialRecord(z.enum(Object.keys(RESOURCE_TYPE) as [keyof typeof RESOURCE_TYPE, ...(keyof typeof RESOURCE_TYPE)[]]), address)
    .optional()
    .describe('Addresses these resources had before (e.g. {"cluster": "aws_ecs_cluster.staging"}): Terraform moves them instead of destroying and creating.'),
});

// Editor schema only: fields the cross-field rules require depending on another section.
const section = (schema: object) => ({ type: 'object', ...schema });
const ACROSS_SECTIONS_REQUIRED = [
  // referencesByIdOrLookup: without an ALB lookup, its VPC and DNS name are written out.
  {
    if: { properties: { listenerRule: section({ required: ['loadBalancer'] }) } },
    else: { required: ['targetGroup'], properties: { targetGroup: section({ required: ['vpcId'] }), dnsRecord: section({ required: ['target'] }) } },
  },
  // dnsRecordShape: an alias record names the ALB's hosted zone, unless the ALB is looked up.
  {
    if: { properties: { dnsRecord: section({ properties: { type: { const: 'alias' } }, required: ['type'] }), listenerRule: section({ not: section({ required: ['loadBalancer'] }) }) } },
    then: { properties: { dnsRecord: section({ required: ['targetZoneId'] }) } },
  },
  // pipelineInputs: the pipeline pushes to the image written out in the container.
  { if: { required: ['pipeline'] }, then: { properties: { taskDefinition: section({ properties: { container: section({ required: ['image'] }) } }) } } },
];

export const environmentSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path of this JSON Schema, for editors.'),
    region: z.enum(REGIONS, { error: 'must be an AWS region code like ap-northeast-1' }).describe('AWS region code.'),
    taskDefinition,
    targetGroup: targetGroup.prefault({}),
    cluster: cluster.prefault({}),
    service,
    listenerRule,
    dnsRecord,
    ecrLifecycle,
    logs: logs.prefault({}),
    pipeline: pipeline.optional().describe('CodeBuild: every push to the branch builds, pushes and deploys. Default: none.'),
    backend: backend.optional().describe('Remote state: S3 with encryption and native locking. Default: a local state file.'),
    previews: previews.optional().describe('A preview environment per pull request, made from this file (needs pipeline and backend). Default: none.'),
    guardrails: z.strictObject({ suppress: z.array(suppression).optional() }).optional().describe('Written exceptions to guardrail rules.'),
    adopt: adopt.optional().describe('Existing AWS resources to import into state instead of creating.'),
  })
  .meta({ title: 'Staging environment', description: 'One staging stack: environments/<stack>.json → stack <stack>.', allOf: ACROSS_SECTIONS_REQUIRED });

export type EnvironmentConfig = z.infer<typeof environmentSchema>;
