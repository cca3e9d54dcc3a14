import { AlbListenerRule } from '@cdktf/provider-aws/lib/alb-listener-rule';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { TerraformStack } from 'cdktf';
import { DatabaseAccess } from '../../src/constructs/database-access';

/** Small stacks of single resources for the guardrail rules' tests: each helper adds one resource, as a rule sees it. */

export const LISTENER = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/prod-alb/0123456789abcdef/0123456789abcdef';
export const SECRET = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:prod/db-password-AbCdEf';

export function listenerRule(stack: TerraformStack, conditions: object[], actions: object[] = [{ type: 'forward', targetGroupArn: 'arn:tg' }]) {
  return new AlbListenerRule(stack, 'rule', {
    listenerArn: LISTENER,
    priority: 100,
    action: actions as never,
    condition: [{ hostHeader: { values: ['stg-api.example.com'] } }, ...conditions] as never,
  });
}

export function taskDefinition(stack: TerraformStack, environment: { name: string; value: string }[], logGroup = 'stg-server') {
  const container = {
    name: 'app',
    image: 'nginx',
    environment,
    logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': logGroup, 'awslogs-region': 'ap-northeast-1', 'awslogs-stream-prefix': 'ecs' } },
  };
  return new EcsTaskDefinition(stack, 'task', { family: 'app', containerDefinitions: JSON.stringify([container]), requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512' });
}

export function service(stack: TerraformStack, props: { exec?: boolean; logged?: boolean; publicIp?: boolean; rollback?: boolean }) {
  const cluster = new EcsCluster(stack, 'cluster', {
    name: 'c',
    configuration: props.logged
      ? { executeCommandConfiguration: { logging: 'OVERRIDE', logConfiguration: { cloudWatchLogGroupName: 'stg-server' } } }
      : undefined,
  });
  return new EcsService(stack, 'service', {
    name: 's',
    cluster: cluster.arn,
    taskDefinition: 'app',
    enableExecuteCommand: props.exec ?? false,
    networkConfiguration: { subnets: ['subnet-0123456789abcdef0'], assignPublicIp: props.publicIp ?? false },
    deploymentCircuitBreaker: props.rollback ? { enable: true, rollback: true } : undefined,
  });
}

export function secretsPolicy(stack: TerraformStack, resource: string | string[], action = 'secretsmanager:GetSecretValue') {
  return new IamRolePolicy(stack, 'policy', {
    role: 'r',
    policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [action], Resource: resource }] }),
  });
}

export function ecrPolicy(stack: TerraformStack, keep: number) {
  const rules = [{ rulePriority: 1, selection: { tagStatus: 'tagged', tagPrefixList: ['stg'], countType: 'imageCountMoreThan', countNumber: keep }, action: { type: 'expire' } }];
  return new EcrLifecyclePolicy(stack, 'ecr', { repository: 'stg-server', policy: JSON.stringify({ rules }) });
}


// The production database, as the guardrail tests' stacks reach it.
export const DATABASE_USER = 'staging_reader';
/** rds-db:connect's resource for one user, as the stack writes it from the looked-up cluster (account and resource ID known at plan). */
export const connectArn = (user = DATABASE_USER, resourceId = '${data.aws_rds_cluster.production.cluster_resource_id}') =>
  `arn:aws:rds-db:ap-northeast-1:\${element(split(":", data.aws_rds_cluster.production.arn), 4)}:dbuser:${resourceId}/${user}`;

/**
 * The ingress rule to the production database, marked as the construct marks it: `connection` for a file
 * that names the database (its user; read-write and the consent), none for the legacy network path only.
 */
export function databaseIngress(stack: TerraformStack, connection?: { user?: string; writes?: boolean; writesConsented?: boolean }) {
  return new DatabaseAccess(stack, 'DatabaseAccess', {
    databaseSecurityGroupId: 'sg-00112233445566778',
    port: 5432,
    sourceSecurityGroupIds: ['sg-0123456789abcdef0'],
    connection: connection && { user: connection.user ?? DATABASE_USER, writes: connection.writes ?? false, writesConsented: connection.writesConsented },
  });
}

/** A role policy with one Allow statement: `Action` (or `NotAction`) and `Resource` (or `NotResource`) as given. */
export function connectPolicy(stack: TerraformStack, statement: Record<string, unknown>, id = 'policy') {
  return new IamRolePolicy(stack, id, { role: 'r', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', ...statement }] }) });
}
