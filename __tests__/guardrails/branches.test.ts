import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { AppautoscalingScheduledAction } from '@cdktf/provider-aws/lib/appautoscaling-scheduled-action';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers';
import { ITerraformDependable, TerraformStack } from 'cdktf';
import { runGuardrails } from '../support/guardrails';
import { ecrPolicy, listenerRule, SECRET, secretsPolicy, service } from '../support/guardrail-stacks';

/**
 * One case per branch of each rule, in the style of cdk-nag's rule tests: several ways to break a
 * rule, each found with its detail, and the compliant neighbours of each, not found.
 */
type Build = (stack: TerraformStack) => void;

/** The details of one rule's findings on a stack. */
function details(ruleId: string, build: Build): string[] {
  return runGuardrails(build).filter((finding) => finding.ruleId === ruleId).map((finding) => finding.detail);
}

function cluster(stack: TerraformStack, execute?: object) {
  return new EcsCluster(stack, 'cluster', { name: 'c', configuration: execute ? { executeCommandConfiguration: execute } : undefined });
}

function execService(stack: TerraformStack, clusterArn: string, exec = true) {
  return new EcsService(stack, 'service', { name: 's', cluster: clusterArn, taskDefinition: 'app', enableExecuteCommand: exec });
}

function containers(stack: TerraformStack, definitions: object[]) {
  return new EcsTaskDefinition(stack, 'task', { family: 'app', containerDefinitions: JSON.stringify(definitions), requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512' });
}

const awslogs = (name: string, group: string) => ({ name, image: 'nginx', logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': group } } });

describe('STG-ExecAudit, branch by branch', () => {
  test.each<[string, Build, RegExp]>([
    ['a cluster given by ARN, not managed here', (s) => execService(s, 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/prod'), /its cluster is not managed by this stack/],
    ['a managed cluster with no exec configuration', (s) => execService(s, cluster(s).arn), /aws_ecs_cluster\.cluster has no execute_command_configuration logging/],
    ['logging NONE', (s) => execService(s, cluster(s, { logging: 'NONE' }).arn), /has no execute_command_configuration logging/],
    ['logging OVERRIDE with no destination', (s) => execService(s, cluster(s, { logging: 'OVERRIDE', logConfiguration: {} }).arn), /has no execute_command_configuration logging/],
  ])('finds %s', (_, build, detail) => {
    expect(details('STG-ExecAudit', build)).toEqual([expect.stringMatching(detail)]);
  });

  test.each<[string, Build]>([
    ['logging DEFAULT (the task’s awslogs)', (s) => execService(s, cluster(s, { logging: 'DEFAULT' }).arn)],
    ['logging OVERRIDE to a log group', (s) => execService(s, cluster(s, { logging: 'OVERRIDE', logConfiguration: { cloudWatchLogGroupName: 'g' } }).arn)],
    ['logging OVERRIDE to a bucket', (s) => execService(s, cluster(s, { logging: 'OVERRIDE', logConfiguration: { s3BucketName: 'b' } }).arn)],
    ['exec off, in an unlogged cluster', (s) => execService(s, cluster(s).arn, false)],
    ['an unlogged cluster with no service', (s) => cluster(s)],
  ])('passes %s', (_, build) => {
    expect(details('STG-ExecAudit', build)).toEqual([]);
  });
});

describe('STG-RollbackImage, branch by branch', () => {
  const policy = (s: TerraformStack, rules: object[]) => new EcrLifecyclePolicy(s, 'ecr', { repository: 'r', policy: JSON.stringify({ rules }) });
  const count = (n: number) => ({ rulePriority: n, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: n }, action: { type: 'expire' } });
  const age = { rulePriority: 9, selection: { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, action: { type: 'expire' } };

  test.each<[string, Build, string]>([
    ['one image kept, with rollback', (s) => { service(s, { rollback: true }); ecrPolicy(s, 1); }, 'it keeps 1 image'],
    ['the smallest of two counts is 1', (s) => { service(s, { rollback: true }); policy(s, [count(3), count(1)]); }, 'it keeps 1 image'],
    ['no image kept', (s) => { service(s, { rollback: true }); ecrPolicy(s, 0); }, 'it keeps 0 image'],
  ])('finds %s', (_, build, detail) => {
    expect(details('STG-RollbackImage', build)).toEqual([detail]);
  });

  test.each<[string, Build]>([
    ['two images kept', (s) => { service(s, { rollback: true }); ecrPolicy(s, 2); }],
    ['one image kept, without rollback', (s) => { service(s, { rollback: false }); ecrPolicy(s, 1); }],
    ['expiry by age only (no count)', (s) => { service(s, { rollback: true }); policy(s, [age]); }],
    ['a policy that is not JSON', (s) => { service(s, { rollback: true }); new EcrLifecyclePolicy(s, 'ecr', { repository: 'r', policy: '${var.policy}' }); }],
    ['one image kept, with no service at all', (s) => ecrPolicy(s, 1)],
  ])('passes %s', (_, build) => {
    expect(details('STG-RollbackImage', build)).toEqual([]);
  });
});

describe('STG-ManagedLogGroup, branch by branch', () => {
  const group = (s: TerraformStack, name: string) => new CloudwatchLogGroup(s, `group-${name}`, { name, retentionInDays: 30 });

  test('finds each container that logs to an unmanaged group, by name', () => {
    const found = details('STG-ManagedLogGroup', (s) => {
      group(s, 'managed');
      containers(s, [awslogs('app', 'managed'), awslogs('sidecar', 'elsewhere'), awslogs('agent', 'also-elsewhere')]);
    });
    expect(found).toEqual(['container sidecar logs to an unmanaged group', 'container agent logs to an unmanaged group']);
  });

  test.each<[string, Build]>([
    ['every group managed', (s) => { group(s, 'a'); group(s, 'b'); containers(s, [awslogs('app', 'a'), awslogs('sidecar', 'b')]); }],
    ['a container with another log driver', (s) => containers(s, [{ name: 'app', image: 'nginx', logConfiguration: { logDriver: 'fluentd', options: {} } }])],
    ['a container with no log configuration', (s) => containers(s, [{ name: 'app', image: 'nginx' }])],
    ['a log group with no task definition', (s) => group(s, 'a')],
  ])('passes %s', (_, build) => {
    expect(details('STG-ManagedLogGroup', build)).toEqual([]);
  });
});

describe('STG-LogRetention, branch by branch', () => {
  test.each<[string, number | undefined]>([
    ['no retention', undefined],
    ['a retention of 0 (never expire)', 0],
  ])('finds %s', (_, retentionInDays) => {
    expect(details('STG-LogRetention', (s) => new CloudwatchLogGroup(s, 'g', { name: 'g', retentionInDays }))).toEqual(['retention_in_days is not set']);
  });

  test('passes a retention of 1 day, and ignores other resources', () => {
    expect(details('STG-LogRetention', (s) => new CloudwatchLogGroup(s, 'g', { name: 'g', retentionInDays: 1 }))).toEqual([]);
    expect(details('STG-LogRetention', (s) => cluster(s))).toEqual([]);
  });
});

describe('STG-PublicIp, branch by branch', () => {
  test('finds assign_public_ip true, and passes false or no network configuration', () => {
    expect(details('STG-PublicIp', (s) => service(s, { publicIp: true }))).toEqual(['assign_public_ip is true']);
    expect(details('STG-PublicIp', (s) => service(s, { publicIp: false }))).toEqual([]);
    expect(details('STG-PublicIp', (s) => execService(s, 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/c', false))).toEqual([]);
  });
});

describe('STG-OpenIngress, branch by branch', () => {
  test.each<[string, Build, string]>([
    ['a standalone IPv4 rule from 0.0.0.0/0', (s) => new VpcSecurityGroupIngressRule(s, 'in', { securityGroupId: 'sg-1', cidrIpv4: '0.0.0.0/0', ipProtocol: '-1' }), 'ingress from anywhere'],
    ['a standalone IPv6 rule from ::/0', (s) => new VpcSecurityGroupIngressRule(s, 'in', { securityGroupId: 'sg-1', cidrIpv6: '::/0', ipProtocol: '-1' }), 'ingress from anywhere'],
    ['a security_group_rule from a /4', (s) => new SecurityGroupRule(s, 'in', { type: 'ingress', securityGroupId: 'sg-1', fromPort: 0, toPort: 0, protocol: '-1', cidrBlocks: ['10.0.0.0/24', '0.0.0.0/4'] }), 'ingress from anywhere'],
    ['a security_group_rule from an IPv6 /16', (s) => new SecurityGroupRule(s, 'in', { type: 'ingress', securityGroupId: 'sg-1', fromPort: 0, toPort: 0, protocol: '-1', ipv6CidrBlocks: ['2001::/16'] }), 'ingress from anywhere'],
    ['inline ingress from 0.0.0.0/0', (s) => new SecurityGroup(s, 'sg', { ingress: [{ fromPort: 0, toPort: 0, protocol: '-1', cidrBlocks: ['0.0.0.0/0'] }] }), 'inline ingress from anywhere'],
  ])('finds %s', (_, build, detail) => {
    expect(details('STG-OpenIngress', build)).toEqual([detail]);
  });

  test.each<[string, Build]>([
    ['a /24', (s) => new VpcSecurityGroupIngressRule(s, 'in', { securityGroupId: 'sg-1', cidrIpv4: '203.0.113.0/24', ipProtocol: '-1' })],
    ['a security group as the source', (s) => new VpcSecurityGroupIngressRule(s, 'in', { securityGroupId: 'sg-1', referencedSecurityGroupId: 'sg-2', ipProtocol: '-1' })],
    ['an egress security_group_rule to anywhere', (s) => new SecurityGroupRule(s, 'out', { type: 'egress', securityGroupId: 'sg-1', fromPort: 0, toPort: 0, protocol: '-1', cidrBlocks: ['0.0.0.0/0'] })],
    ['inline egress to anywhere', (s) => new SecurityGroup(s, 'sg', { egress: [{ fromPort: 0, toPort: 0, protocol: '-1', cidrBlocks: ['0.0.0.0/0'] }] })],
    ['a reference as the range', (s) => new VpcSecurityGroupIngressRule(s, 'in', { securityGroupId: 'sg-1', cidrIpv4: '${var.office}', ipProtocol: '-1' })],
  ])('passes %s', (_, build) => {
    expect(details('STG-OpenIngress', build)).toEqual([]);
  });
});

describe('STG-ScopedSecrets, branch by branch', () => {
  const inline = (s: TerraformStack, statement: object) =>
    new IamRole(s, 'role', { assumeRolePolicy: '{}', inlinePolicy: [{ name: 'p', policy: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) }] });

  test.each<[string, Build]>([
    ['a Secrets Manager wildcard', (s) => secretsPolicy(s, '*')],
    ['every secret by pattern', (s) => secretsPolicy(s, 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:*-*')],
    ['SSM parameters by wildcard', (s) => secretsPolicy(s, 'arn:aws:ssm:ap-northeast-1:123456789012:parameter/prod/*', 'ssm:GetParameters')],
    ['a KMS key by "?"', (s) => secretsPolicy(s, 'arn:aws:kms:ap-northeast-1:123456789012:key/?', 'kms:Decrypt')],
    ['NotResource with a secret action (everything but one secret)', (s) => inline(s, { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], NotResource: [SECRET] })],
    ['a role’s inline policy', (s) => inline(s, { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' })],
  ])('finds %s', (_, build) => {
    expect(details('STG-ScopedSecrets', build)).toHaveLength(1);
  });

  test.each<[string, Build]>([
    ['an exact secret ARN', (s) => secretsPolicy(s, SECRET)],
    ['a wildcard on a non-secret action', (s) => secretsPolicy(s, '*', 'logs:CreateLogStream')],
    ['a Deny with a wildcard', (s) => inline(s, { Effect: 'Deny', Action: 'secretsmanager:*', Resource: '*' })],
  ])('passes %s', (_, build) => {
    expect(details('STG-ScopedSecrets', build)).toEqual([]);
  });
});

describe('STG-ProductionResource, by type', () => {
  test('a managed subnet is production-side; a managed log group is not', () => {
    expect(details('STG-ProductionResource', (s) => new Subnet(s, 'subnet', { vpcId: 'vpc-1', cidrBlock: '10.0.0.0/24' }))).toEqual(['aws_subnet is production-side']);
    expect(details('STG-ProductionResource', (s) => new CloudwatchLogGroup(s, 'g', { name: 'g', retentionInDays: 30 }))).toEqual([]);
  });
});

describe('STG-RestrictedAccess and STG-PublicAccess, branch by branch', () => {
  test.each<[string, Build]>([
    ['no condition but the host', (s) => listenerRule(s, [])],
    ['an empty source_ip condition', (s) => listenerRule(s, [{ sourceIp: { values: [] } }])],
    ['one wide range beside a narrow one', (s) => listenerRule(s, [{ sourceIp: { values: ['203.0.113.0/24', '10.0.0.0/7'] } }])],
  ])('RestrictedAccess finds %s', (_, build) => {
    expect(details('STG-RestrictedAccess', build)).toHaveLength(1);
  });

  test.each<[string, Build]>([
    ['a narrow allowlist', (s) => listenerRule(s, [{ sourceIp: { values: ['203.0.113.0/24'] } }])],
    ['a header', (s) => listenerRule(s, [{ httpHeader: { httpHeaderName: 'X-Key', values: ['v'] } }])],
    ['an OIDC login', (s) => listenerRule(s, [], [{ type: 'authenticate-oidc' }, { type: 'forward', targetGroupArn: 'arn:tg' }])],
    ['a Cognito login', (s) => listenerRule(s, [], [{ type: 'authenticate-cognito' }, { type: 'forward', targetGroupArn: 'arn:tg' }])],
    ['a reference as the range', (s) => listenerRule(s, [{ sourceIp: { values: ['${var.office}'] } }])],
  ])('RestrictedAccess passes %s', (_, build) => {
    expect(details('STG-RestrictedAccess', build)).toEqual([]);
  });

  test('PublicAccess ignores a restricted rule, even one marked public', () => {
    expect(details('STG-PublicAccess', (s) => listenerRule(s, [{ sourceIp: { values: ['203.0.113.0/24'] } }]))).toEqual([]);
  });
});

describe('STG-ScheduledCount, branch by branch', () => {
  /** A scheduled service: its target and two actions, each part breakable. */
  function scheduled(stack: TerraformStack, options: { targetIgnores?: string[]; serviceIgnores?: string[]; chained?: boolean; byId?: boolean } = {}) {
    const svc = new EcsService(stack, 'service', { name: 's', cluster: 'c', taskDefinition: 'app', lifecycle: { ignoreChanges: options.serviceIgnores ?? ['desired_count'] } });
    const target = new AppautoscalingTarget(stack, 'target', {
      serviceNamespace: 'ecs',
      resourceId: `service/c/${svc.name}`,
      scalableDimension: 'ecs:service:DesiredCount',
      minCapacity: 1,
      maxCapacity: 1,
      lifecycle: { ignoreChanges: options.targetIgnores ?? ['min_capacity', 'max_capacity'] },
    });
    const action = (id: string, dependsOn?: AppautoscalingScheduledAction[]) =>
      new AppautoscalingScheduledAction(stack, id, {
        name: id,
        serviceNamespace: 'ecs',
        resourceId: options.byId ? `service/c/${svc.name}` : target.resourceId,
        scalableDimension: 'ecs:service:DesiredCount',
        schedule: 'cron(0 8 ? * MON-FRI *)',
        scalableTargetAction: { minCapacity: '1', maxCapacity: '1' },
        dependsOn,
      });
    const wake = action('wake');
    action('sleep', options.chained === false ? undefined : [wake]);
  }

  test.each<[string, Build, RegExp[]]>([
    ['a target that lets Terraform reset both capacities', (s) => scheduled(s, { targetIgnores: [] }), [/does not ignore changes to min_capacity and max_capacity/]],
    ['a target that lets Terraform reset max_capacity', (s) => scheduled(s, { targetIgnores: ['min_capacity'] }), [/does not ignore changes to max_capacity$/]],
    ['a service whose desired_count Terraform resets', (s) => scheduled(s, { serviceIgnores: ['task_definition'] }), [/aws_ecs_service\.service does not ignore changes to desired_count/]],
    ['two actions created at once', (s) => scheduled(s, { chained: false }), [/wake and .*sleep may be created at once/]],
    ['two actions naming the target by its ID, created at once', (s) => scheduled(s, { chained: false, byId: true }), [/may be created at once/]],
  ])('finds %s', (_, build, expected) => {
    expect(details('STG-ScheduledCount', build)).toEqual(expected.map((detail) => expect.stringMatching(detail)));
  });

  test.each<[string, Build]>([
    ['a target, its service and chained actions, as the stack makes them', (s) => scheduled(s)],
    ['the same with the actions naming the target by its ID', (s) => scheduled(s, { byId: true })],
    ['actions chained through another resource', (s) => {
      const target = new AppautoscalingTarget(s, 'target', { serviceNamespace: 'ecs', resourceId: 'service/c/s', scalableDimension: 'ecs:service:DesiredCount', minCapacity: 1, maxCapacity: 1, lifecycle: { ignoreChanges: ['min_capacity', 'max_capacity'] } });
      const action = (id: string, dependsOn?: ITerraformDependable[]) => new AppautoscalingScheduledAction(s, id, { name: id, serviceNamespace: 'ecs', resourceId: target.resourceId, scalableDimension: target.scalableDimension, schedule: 'cron(0 8 ? * MON-FRI *)', scalableTargetAction: { minCapacity: '1' }, dependsOn });
      const first = action('first');
      const between = new CloudwatchLogGroup(s, 'between', { name: 'g', retentionInDays: 30, dependsOn: [first] });
      action('second', [between]);
    }],
    ['a target of another dimension', (s) => new AppautoscalingTarget(s, 'target', { serviceNamespace: 'dynamodb', resourceId: 'table/t', scalableDimension: 'dynamodb:table:ReadCapacityUnits', minCapacity: 1, maxCapacity: 5 })],
  ])('passes %s', (_, build) => {
    expect(details('STG-ScheduledCount', build)).toEqual([]);
  });
});

describe('STG-CapacityProviders, branch by branch', () => {
  function spotService(stack: TerraformStack, options: { providers?: string[]; dependsOn?: boolean; managedCluster?: boolean; strategy?: string[] } = {}) {
    const ecsCluster = options.managedCluster === false ? undefined : new EcsCluster(stack, 'cluster', { name: 'c' });
    const association = ecsCluster && options.providers
      ? new EcsClusterCapacityProviders(stack, 'providers', { clusterName: ecsCluster.name, capacityProviders: options.providers })
      : undefined;
    return new EcsService(stack, 'service', {
      name: 's',
      cluster: ecsCluster?.arn ?? 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/stg',
      taskDefinition: 'app',
      capacityProviderStrategy: (options.strategy ?? ['FARGATE_SPOT']).map((capacityProvider) => ({ capacityProvider, weight: 1 })),
      dependsOn: association && options.dependsOn !== false ? [association] : undefined,
    });
  }

  test.each<[string, Build, RegExp[]]>([
    ['a managed cluster with no capacity providers', (s) => spotService(s), [/aws_ecs_cluster\.cluster has no aws_ecs_cluster_capacity_providers/]],
    ['a cluster offering FARGATE only to a Spot strategy', (s) => spotService(s, { providers: ['FARGATE'] }), [/does not offer FARGATE_SPOT/]],
    ['a strategy naming two providers, one missing', (s) => spotService(s, { providers: ['FARGATE_SPOT'], strategy: ['FARGATE', 'FARGATE_SPOT'] }), [/does not offer FARGATE$/]],
    ['a service that may be created before the association', (s) => spotService(s, { providers: ['FARGATE', 'FARGATE_SPOT'], dependsOn: false }), [/does not depend on aws_ecs_cluster_capacity_providers\.providers/]],
  ])('finds %s', (_, build, expected) => {
    expect(details('STG-CapacityProviders', build)).toEqual(expected.map((detail) => expect.stringMatching(detail)));
  });

  test.each<[string, Build]>([
    ['a Spot service after its cluster offers both providers', (s) => spotService(s, { providers: ['FARGATE', 'FARGATE_SPOT'] })],
    ["a preview's service in staging's cluster (managed by the staging stack)", (s) => spotService(s, { managedCluster: false })],
    ['a service on the FARGATE launch type', (s) => new EcsService(s, 'service', { name: 's', cluster: new EcsCluster(s, 'cluster', { name: 'c' }).arn, taskDefinition: 'app', launchType: 'FARGATE' })],
  ])('passes %s', (_, build) => {
    expect(details('STG-CapacityProviders', build)).toEqual([]);
  });
});
