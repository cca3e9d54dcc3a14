import { z } from 'zod';

/**
 * The environment file (`environments/<stack>.json`): one section per resource of the article,
 * in the article's order. This schema is the single source of truth for the file's types,
 * its validation at synth, and `environments/environment.schema.json` for editors.
 */
const container = z.strictObject({
  name: z.string().optional().describe('Container name. Default "stg-server".'),
  image: z.string().describe('Image URI, normally the staging ECR repository with the "stg" tag.'),
  port: z.number().optional().describe('Container and host port. Default 1323.'),
  command: z.array(z.string()).optional().describe('Command override. Default: the image CMD.'),
  environment: z.record(z.string(), z.string()).optional().describe('Plain environment variables. Never secrets.'),
  secrets: z.record(z.string(), z.string()).optional().describe('NAME → Secrets Manager or SSM parameter ARN.'),
  logGroup: z.string().optional().describe('awslogs group. Default "stg-server".'),
  logStreamPrefix: z.string().optional().describe('awslogs stream prefix. Default "ecs".'),
});

const taskDefinition = z.strictObject({
  family: z.string().optional().describe('Task definition family. Default "stg-server".'),
  cpu: z.number().optional().describe('Task CPU units. Default 256.'),
  memory: z.number().optional().describe('Task memory in MiB. Default 512.'),
  cpuArchitecture: z.enum(['X86_64', 'ARM64']).optional().describe('Default "X86_64".'),
  executionRoleArn: z.string().optional().describe('IAM role ARN for the ECS agent.'),
  taskRoleArn: z.string().optional().describe('IAM role ARN for the application.'),
  container,
});

const healthCheck = z.strictObject({
  path: z.string().optional().describe('Default "/healthcheck".'),
  interval: z.number().optional().describe('Seconds. Default 30.'),
  timeout: z.number().optional().describe('Seconds, less than interval. Default 5.'),
  healthyThreshold: z.number().optional().describe('Default 5.'),
  unhealthyThreshold: z.number().optional().describe('Default 2.'),
  matcher: z.string().optional().describe('Healthy HTTP codes, e.g. "200" or "200-299". Default "200".'),
});

const targetGroup = z.strictObject({
  name: z.string().optional().describe('Target group name. Default "stg-server-target".'),
  vpcId: z.string().describe('The production VPC ID.'),
  deregistrationDelay: z.number().optional().describe('Seconds to drain a target. Default: AWS, 300.'),
  healthCheck: healthCheck.optional(),
});

const cluster = z.strictObject({
  name: z.string().optional().describe('Cluster name. Default "stg_ecs_cluster".'),
});

const service = z.strictObject({
  name: z.string().optional().describe('Service name. Default "stg-server".'),
  desiredCount: z.number().optional().describe('Default 1.'),
  deploymentMaximumPercent: z.number().optional().describe('Default 200.'),
  deploymentMinimumHealthyPercent: z.number().optional().describe('Default 100.'),
  enableExecuteCommand: z.boolean().optional().describe('Default true.'),
  subnetIds: z.array(z.string()).describe('Subnets of the tasks.'),
  securityGroupIds: z.array(z.string()).describe('Security groups of the tasks.'),
  assignPublicIp: z.boolean().optional().describe('Default true.'),
});

const listenerRule = z.strictObject({
  listenerArn: z.string().describe('ARN of the existing production ALB listener.'),
  priority: z.number().describe('Rule priority, unique on the listener.'),
  hostHeader: z.string().describe('Staging host name.'),
});

const dnsRecord = z.strictObject({
  zoneId: z.string().describe('Route 53 hosted zone ID.'),
  name: z.string().describe('Record name, the staging host name.'),
  target: z.string().describe("The production ALB's DNS name."),
  ttl: z.number().optional().describe('Default 300.'),
  weight: z.number().optional().describe('Default 100.'),
  setIdentifier: z.string().optional().describe('Default "stg".'),
});

const ecrLifecycle = z.strictObject({
  repository: z.string().describe('Name of the existing staging ECR repository.'),
  tagPrefix: z.string().optional().describe('Default "stg".'),
  keepImages: z.number().optional().describe('Default 1.'),
  description: z.string().optional().describe('Default "最新の1イメージを残す".'),
});

export const environmentSchema = z.strictObject({
  $schema: z.string().optional().describe('Path of this JSON Schema, for editors.'),
  region: z.string().describe('AWS region code, e.g. "ap-northeast-1".'),
  taskDefinition,
  targetGroup,
  cluster: cluster.optional(),
  service,
  listenerRule,
  dnsRecord,
  ecrLifecycle,
});

export type EnvironmentConfig = z.infer<typeof environmentSchema>;
