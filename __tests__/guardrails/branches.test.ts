import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { EcsTaskSet } from '@cdktf/provider-aws/lib/ecs-task-set';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { TerraformStack } from 'cdktf';
import { markResource, PUBLIC_BY_CHOICE } from '../../src/constructs/marks';
import { GuardrailFinding } from '../../src/guardrails/aspect';
import { GuardrailRule, parseJson, ResourceView } from '../../src/guardrails/guardrail';
import { STAGING_RULES } from '../../src/guardrails/pack';
import { environmentEntries } from '../../src/guardrails/rules/plain-secrets';
import { coversManyListeners, isListenerAction } from '../../src/policy/listener-scope';
import { grantsSecretsByWildcard } from '../../src/policy/secrets';
import { runGuardrails } from '../support/guardrails';
import { ecrPolicy, listenerRule, SECRET, secretsPolicy, service } from '../support/guardrail-stacks';

/**
 * One case per branch of each rule, in the style of cdk-nag's rule tests: several ways to break a
 * rule, each found with its detail, and the compliant neighbours of each, not found.
 */
type Build = (stack: TerraformStack) => void;

/** One rule's findings on a stack. */
function findings(ruleId: string, build: Build): GuardrailFinding[] {
  return runGuardrails(build).filter((finding) => finding.ruleId === ruleId);
}

/** The details of one rule's findings on a stack. */
function details(ruleId: string, build: Build): string[] {
  return findings(ruleId, build).map((finding) => finding.detail);
}

/** `[address, detail, value]` of one rule's findings on a stack. */
function reported(ruleId: string, build: Build): [string, string, unknown][] {
  return findings(ruleId, build).map((finding) => [finding.address, finding.detail, finding.value]);
}

function cluster(stack: TerraformStack, execute?: object) {
  return new EcsCluster(stack, 'cluster', { name: 'c', configuration: execute ? { executeCommandConfiguration: execute } : undefined });
}

function execService(stack: TerraformStack, clusterArn: string, exec = true) {
  return new EcsService(stack, 'service', { name: 's', cluster: clusterArn, taskDefinition: 'app', enableExecuteCommand: exec });
}

function taskSet(stack: TerraformStack, assignPublicIp: boolean) {
  return new EcsTaskSet(stack, 'task_set', { cluster: 'c', service: 's', taskDefinition: 'app', networkConfiguration: { subnets: ['subnet-1'], assignPublicIp } });
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
    expect(details('STG-PublicIp', (s) => taskSet(s, true))).toEqual(['assign_public_ip is true']);
    expect(details('STG-PublicIp', (s) => taskSet(s, false))).toEqual([]);
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
    ['the default security group, with inline ingress from ::/0', (s) => new DefaultSecurityGroup(s, 'default', { vpcId: 'vpc-1', ingress: [{ fromPort: 0, toPort: 0, protocol: '-1', ipv6CidrBlocks: ['::/0'] }] }), 'inline ingress from anywhere'],
  ])('finds %s', (_, build, detail) => {
    expect(details('STG-OpenIngress', build)).toEqual([detail]);
  });

  test.each<[string, Build]>([
    ['a /24', (s) => new VpcSecurityGroupIngressRule(s, 'in', { securityGroupId: 'sg-1', cidrIpv4: '203.0.113.0/24', ipProtocol: '-1' })],
    ['a security group as the source', (s) => new VpcSecurityGroupIngressRule(s, 'in', { securityGroupId: 'sg-1', referencedSecurityGroupId: 'sg-2', ipProtocol: '-1' })],
    ['an egress security_group_rule to anywhere', (s) => new SecurityGroupRule(s, 'out', { type: 'egress', securityGroupId: 'sg-1', fromPort: 0, toPort: 0, protocol: '-1', cidrBlocks: ['0.0.0.0/0'] })],
    ['inline egress to anywhere', (s) => new SecurityGroup(s, 'sg', { egress: [{ fromPort: 0, toPort: 0, protocol: '-1', cidrBlocks: ['0.0.0.0/0'] }] })],
    ['the default security group, with inline ingress from a /24', (s) => new DefaultSecurityGroup(s, 'default', { vpcId: 'vpc-1', ingress: [{ fromPort: 0, toPort: 0, protocol: '-1', cidrBlocks: ['203.0.113.0/24'] }] })],
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

describe('STG-ScopedListener, branch by branch', () => {
  const ELB = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012';
  const ONE_LISTENER = `${ELB}:listener/app/prod-alb/0123456789abcdef/0123456789abcdef`;
  const ITS_RULES = `${ELB}:listener-rule/app/prod-alb/0123456789abcdef/0123456789abcdef/*`;
  const LOOKED_UP_RULES = '${replace(data.aws_lb_listener.production.arn, ":listener/", ":listener-rule/")}/*';
  const grant = (s: TerraformStack, statement: object) =>
    new IamRolePolicy(s, 'policy', { role: 'r', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', ...statement }] }) });
  const rules = (s: TerraformStack, resource: string | string[], action: string | string[] = ['elasticloadbalancing:ModifyRule', 'elasticloadbalancing:DeleteRule']) => grant(s, { Action: action, Resource: resource });

  test.each<[string, Build]>([
    ['every rule of every ALB in the Region (listener-rule/app/*)', (s) => rules(s, `${ELB}:listener-rule/app/*`)],
    ['the rules of every listener of the production ALB', (s) => rules(s, `${ELB}:listener-rule/app/prod-alb/0123456789abcdef/*`)],
    ['listeners by an ID prefix (…/0123*/*)', (s) => rules(s, `${ELB}:listener-rule/app/prod-alb/0123456789abcdef/0123*/*`)],
    ['a listener rule ARN with "?" in the load balancer name', (s) => rules(s, `${ELB}:listener-rule/app/prod-al?/0123456789abcdef/0123456789abcdef/*`)],
    ['CreateRule on a listener ARN with a wildcard listener ID', (s) => rules(s, `${ELB}:listener/app/prod-alb/0123456789abcdef/*`, 'elasticloadbalancing:CreateRule')],
    ['CreateRule on a listener ARN with a wildcard load balancer', (s) => rules(s, `${ELB}:listener/app/*/0123456789abcdef/0123456789abcdef`, 'elasticloadbalancing:CreateRule')],
    ['elasticloadbalancing:* on "*"', (s) => rules(s, '*', 'elasticloadbalancing:*')],
    ['a lowercase action pattern (modify*) on every ELB resource of the account', (s) => rules(s, `${ELB}:*`, 'elasticloadbalancing:modify*')],
    ['a wildcard after a reference it cannot read (${var.rules}/*)', (s) => rules(s, '${var.rules}/*')],
    ['a wildcard in a policy that is JSON only once Terraform evaluates it', (s) => new IamRolePolicy(s, 'policy', { role: 'r', policy: '{"Statement":[{"Effect":"Allow","Action":"elasticloadbalancing:DeleteRule","Resource":["${replace(var.arn, ":a/", ":b/")}/*"]}]}' })],
    ['NotResource with a rule action (every rule but one)', (s) => grant(s, { Action: 'elasticloadbalancing:DeleteRule', NotResource: ITS_RULES })],
    ['a role’s inline policy', (s) => new IamRole(s, 'role', { assumeRolePolicy: '{}', inlinePolicy: [{ name: 'p', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'elasticloadbalancing:ModifyRule', Resource: `${ELB}:listener-rule/*` }] }) }] })],
    ['a managed policy (aws_iam_policy)', (s) => new IamPolicy(s, 'managed', { policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'elasticloadbalancing:AddTags', Resource: `${ELB}:listener-rule/app/*` }] }) })],
  ])('finds %s', (_, build) => {
    expect(details('STG-ScopedListener', build)).toHaveLength(1);
  });

  test.each<[string, Build]>([
    ['CreateRule on the one listener, ModifyRule and DeleteRule on its rules', (s) => grant(s, { Action: ['elasticloadbalancing:CreateRule', 'elasticloadbalancing:ModifyRule'], Resource: [ONE_LISTENER, ITS_RULES] })],
    ['the looked-up listener’s rules, derived at plan (JSON only once Terraform evaluates it)', (s) => new IamRolePolicy(s, 'policy', { role: 'r', policy: `{"Statement":[{"Effect":"Allow","Action":["elasticloadbalancing:DeleteRule"],"Resource":["${LOOKED_UP_RULES}"]}]}` })],
    ['the looked-up listener itself', (s) => rules(s, '${data.aws_lb_listener.production.arn}', 'elasticloadbalancing:CreateRule')],
    ['Describe* on "*"', (s) => rules(s, '*', 'elasticloadbalancing:Describe*')],
    ['AddTags on target groups by name prefix', (s) => rules(s, `${ELB}:targetgroup/pr-*/*`, 'elasticloadbalancing:AddTags')],
    ['a wildcard region and account, one listener’s rules', (s) => rules(s, 'arn:aws:elasticloadbalancing:*:*:listener-rule/app/prod-alb/0123456789abcdef/0123456789abcdef/*')],
    ['a Deny on every rule', (s) => new IamRolePolicy(s, 'policy', { role: 'r', policy: JSON.stringify({ Statement: [{ Effect: 'Deny', Action: 'elasticloadbalancing:*', Resource: '*' }] }) })],
    ['an action of another service on "*"', (s) => rules(s, '*', 'ecs:UpdateService')],
  ])('passes %s', (_, build) => {
    expect(details('STG-ScopedListener', build)).toEqual([]);
  });

  test('the detail names the listener actions and the first wildcard', () => {
    // GIVEN / WHEN one statement, with a read and two rule actions, on one listener and on every rule
    const result = reported('STG-ScopedListener', (s) => rules(s, [ONE_LISTENER, `${ELB}:listener-rule/app/*`], ['elasticloadbalancing:DescribeRules', 'elasticloadbalancing:CreateRule', 'elasticloadbalancing:DeleteRule']));
    // THEN
    expect(result).toEqual([['aws_iam_role_policy.policy', `elasticloadbalancing:CreateRule, elasticloadbalancing:DeleteRule on ${ELB}:listener-rule/app/*`, `${ELB}:listener-rule/app/*`]]);
  });

  test.each<[string, string, boolean]>([
    ['a bare wildcard', '*', true],
    ['every listener kind (listener*)', `${ELB}:listener*`, true],
    ['any ELB service pattern (elastic*)', 'arn:aws:elastic*:ap-northeast-1:123456789012:listener/app/prod-alb/0123456789abcdef/*', true],
    ['a rule ARN with no rule part (…/<listener-id>*)', `${ELB}:listener-rule/app/prod-alb/0123456789abcdef/0123456789abcdef*`, true],
    ['an exact rule ARN', `${ELB}:listener-rule/app/prod-alb/0123456789abcdef/0123456789abcdef/0123456789abcdef`, false],
    ['a load balancer pattern (not a listener)', `${ELB}:loadbalancer/app/*`, false],
    ['a target group pattern', `${ELB}:targetgroup/*`, false],
    ['a kind that cannot be a listener (t*)', `${ELB}:t*`, false],
    ['another service', 'arn:aws:logs:*:*:*', false],
    ['the rules of a referenced listener, by replace()', '${replace(var.listener, ":listener/", ":listener-rule/")}/*', false],
  ])('coversManyListeners: %s', (_, resource, expected) => {
    expect(coversManyListeners(resource)).toBe(expected);
  });

  test.each<[string, boolean]>([
    ['elasticloadbalancing:ModifyRule', true],
    ['elasticloadbalancing:setrulepriorities', true],
    ['elasticloadbalancing:*Rule', true],
    ['*', true],
    ['elasticloadbalancing:Describe*', false],
    ['elasticloadbalancing:CreateTargetGroup', false],
    ['ecs:*', false],
  ])('isListenerAction: %s is %s', (action, expected) => {
    expect(isListenerAction(action)).toBe(expected);
  });
});

describe('parseJson: JSON arguments that are Terraform templates', () => {
  test.each<[string, string, unknown]>([
    ['plain JSON', '{"a":["${x.y}"]}', { a: ['${x.y}'] }],
    ['an expression quoting its own arguments, kept as written', '{"a":["${replace(x.y, ":l/", ":r/")}/*"]}', { a: ['${replace(x.y, ":l/", ":r/")}/*'] }],
    ['braces and an escaped quote inside it', '{"a":"${jsonencode({k = "v\\"}"})}"}', { a: '${jsonencode({k = "v\\"}"})}' }],
    ['a key holding one', '{"${f("k")}":1}', { '${f("k")}': 1 }],
    ['an escaped $${ stays literal text', '{"a":"$${not} ${f("x")}"}', { a: '$${not} ${f("x")}' }],
    ['an interpolation outside a JSON string', '{"a":${f("x")}}', undefined],
    ['an interpolation left open', '{"a":"${f("x")"}', undefined],
    ['not JSON, no interpolation', '{"a":', undefined],
    ['not a string', 42, undefined],
  ] as [string, string, unknown][])('%s', (_, text, expected) => {
    expect(parseJson(text)).toEqual(expected);
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
    // GIVEN a narrow allowlist on a rule the constructs marked public by choice
    const build: Build = (s) => markResource(listenerRule(s, [{ sourceIp: { values: ['203.0.113.0/24'] } }]), PUBLIC_BY_CHOICE);
    // WHEN / THEN
    expect(details('STG-PublicAccess', build)).toEqual([]);
  });

  test('PublicAccess ignores an open rule nobody marked public (RestrictedAccess reports that one)', () => {
    // GIVEN / WHEN
    const found = runGuardrails((s) => listenerRule(s, [])).filter((f) => f.ruleId === 'STG-PublicAccess' || f.ruleId === 'STG-RestrictedAccess');
    // THEN
    expect(found.map((f) => f.ruleId)).toEqual(['STG-RestrictedAccess']);
  });

  test('PublicAccess finds an open rule marked public, at its address, with its detail', () => {
    // GIVEN / WHEN
    const found = findings('STG-PublicAccess', (s) => markResource(listenerRule(s, []), PUBLIC_BY_CHOICE));
    // THEN
    expect(found.map(({ address, detail, value }) => ({ address, detail, value }))).toEqual([{ address: 'aws_alb_listener_rule.rule', detail: 'public by choice', value: undefined }]);
  });

  test.each<[string, Build, string, unknown]>([
    ['no condition but the host', (s) => listenerRule(s, []), 'it has no source_ip or http_header condition and no authenticate action', undefined],
    ['an empty source_ip condition', (s) => listenerRule(s, [{ sourceIp: { values: [] } }]), 'it has no source_ip or http_header condition and no authenticate action', undefined],
    ['a wide range after a narrow one', (s) => listenerRule(s, [{ sourceIp: { values: ['203.0.113.0/24', '10.0.0.0/7'] } }]), 'its source_ip allowlist admits a large part of the internet (listenerRule.access.sourceIps)', '10.0.0.0/7'],
  ])('RestrictedAccess says which branch: %s', (_, build, detail, value) => {
    // GIVEN / WHEN
    const found = findings('STG-RestrictedAccess', build);
    // THEN
    expect(found.map((f) => [f.address, f.detail, f.value])).toEqual([['aws_alb_listener_rule.rule', detail, value]]);
  });
});

/** A rule of the pack, by ID. */
const rule = (id: string): GuardrailRule => STAGING_RULES.find((candidate) => candidate.id === id)!;

/**
 * One rule's check on a resource written by hand, in a stack of it and `others` where no reference resolves:
 * for resources no construct writes, such as another type carrying a rule's arguments.
 */
function checkOne(ruleId: string, resource: ResourceView, others: ResourceView[] = []) {
  return rule(ruleId).check(resource, { resources: [resource, ...others], referenced: () => undefined });
}

const view = (type: string, attributes: Record<string, any>): ResourceView => ({ type, address: `${type}.x`, attributes, marks: [] });

const withEnvironment = (name: string, value: string) => JSON.stringify([{ name: 'app', image: 'nginx', environment: [{ name, value }] }]);
const openPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }] });
const keepOne = JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } }] });
const rollingService = view('aws_ecs_service', { deployment_circuit_breaker: { enable: true, rollback: true } });

describe('each rule reads only its own resource types', () => {
  // An argument a rule looks for, on a resource of a type the rule does not check: no finding.
  test.each<[string, string, ResourceView, ResourceView[]]>([
    ['STG-ManagedLogGroup', 'awslogs to an unmanaged group', view('aws_ecs_task_set', { container_definitions: JSON.stringify([awslogs('app', 'elsewhere')]) }), []],
    ['STG-PlainSecrets', 'a secret-like variable name', view('aws_ecs_task_set', { container_definitions: withEnvironment('DB_PASSWORD', 'x') }), []],
    ['STG-PlainSecretValues', 'an access key ID as a value', view('aws_ecs_task_set', { container_definitions: withEnvironment('KEY', 'AKIAIOSFODNN7EXAMPLE') }), []],
    ['STG-ExecAudit', 'enable_execute_command true', view('aws_ecs_task_definition', { enable_execute_command: true }), []],
    ['STG-PublicIp', 'assign_public_ip true', view('aws_ecs_cluster', { network_configuration: { assign_public_ip: true } }), []],
    ['STG-OpenIngress', 'cidr_ipv4 0.0.0.0/0', view('aws_vpc_security_group_egress_rule', { cidr_ipv4: '0.0.0.0/0' }), []],
    ['STG-OpenIngress', 'type ingress with cidr_blocks 0.0.0.0/0', view('aws_network_acl_rule', { type: 'ingress', cidr_blocks: ['0.0.0.0/0'] }), []],
    ['STG-OpenIngress', 'an ingress block from 0.0.0.0/0', view('aws_network_acl', { ingress: [{ cidr_blocks: ['0.0.0.0/0'] }] }), []],
    ['STG-ScopedSecrets', 'an inline_policy granting every secret', view('aws_iam_user', { inline_policy: [{ policy: openPolicy }] }), []],
    ['STG-ScopedListener', 'a policy granting every listener rule', view('aws_iam_group_policy', { policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'elasticloadbalancing:ModifyRule', Resource: '*' }] }) }), []],
    ['STG-DualStackAllowlist', 'a source_ip condition with an IPv6 range', view('aws_lb_listener', { condition: [{ source_ip: { values: ['2001:db8::/32'] } }] }), []],
    ['STG-RollbackImage', 'a policy keeping one image, beside a service that rolls back', view('aws_ecr_repository_policy', { policy: keepOne }), [rollingService]],
  ])('%s ignores %s on another type', (ruleId, _, resource, others) => {
    // GIVEN a resource of a type the rule does not check / WHEN
    const violations = checkOne(ruleId, resource, others);
    // THEN
    expect(violations).toEqual([]);
  });

  test('STG-RollbackImage: only a service’s circuit breaker counts as rolling back', () => {
    // GIVEN a policy keeping one image, and a rollback block on something that is not a service
    const policy = view('aws_ecr_lifecycle_policy', { policy: keepOne });
    const notAService = view('aws_ecs_task_set', { deployment_circuit_breaker: { enable: true, rollback: true } });
    // WHEN / THEN
    expect(checkOne('STG-RollbackImage', policy, [notAService])).toEqual([]);
    expect(checkOne('STG-RollbackImage', policy, [rollingService])).toEqual([{ detail: 'it keeps 1 image', value: 1 }]);
  });
});

describe('STG-ManagedLogGroup, what counts as managed', () => {
  test('another resource named like the group does not manage it', () => {
    // GIVEN a cluster named like the group, and no log group
    const build: Build = (s) => {
      new EcsCluster(s, 'cluster', { name: 'stg-server' });
      containers(s, [awslogs('app', 'stg-server')]);
    };
    // WHEN / THEN
    expect(reported('STG-ManagedLogGroup', build)).toEqual([['aws_ecs_task_definition.task', 'container app logs to an unmanaged group', 'stg-server']]);
  });

  test('container definitions that are not JSON (known only at apply) have no finding', () => {
    expect(details('STG-ManagedLogGroup', (s) => new EcsTaskDefinition(s, 'task', { family: 'app', containerDefinitions: '${var.containers}' }))).toEqual([]);
  });
});

describe('STG-PlainSecrets and STG-PlainSecretValues, the details', () => {
  test.each<[string, string, string, string]>([
    ['STG-PlainSecrets', 'DB_PASSWORD', 'x', 'environment variable DB_PASSWORD: its name looks like a secret'],
    ['STG-PlainSecretValues', 'UPSTREAM', 'https://app:hunter2@api.example.com/', 'environment variable UPSTREAM: its value looks like a URL with user:password@'],
    ['STG-PlainSecretValues', 'KEY_ID', 'AKIAIOSFODNN7EXAMPLE', 'environment variable KEY_ID: its value looks like an AWS access key ID'],
    ['STG-PlainSecretValues', 'CERT', '-----BEGIN CERTIFICATE-----\nMIIB', 'environment variable CERT: its value looks like a PEM block'],
  ])('%s on %s names the variable and what it looks like', (ruleId, name, value, detail) => {
    // GIVEN / WHEN
    const result = reported(ruleId, (s) => containers(s, [{ name: 'app', image: 'nginx', environment: [{ name, value }] }]));
    // THEN
    expect(result).toEqual([['aws_ecs_task_definition.task', detail, name]]);
  });

  test('environment entries: every container’s, as strings; a container without environment adds none', () => {
    // GIVEN
    const definitions = JSON.stringify([{ name: 'sidecar' }, { name: 'app', environment: [{ name: 'PORT', value: 1323 }, { name: 'MODE', value: 'api' }] }]);
    // WHEN / THEN
    expect(environmentEntries(definitions)).toEqual([{ name: 'PORT', value: '1323' }, { name: 'MODE', value: 'api' }]);
  });

  test('environment entries: none from definitions that are not JSON', () => {
    expect(environmentEntries('${var.containers}')).toEqual([]);
  });
});

describe('STG-OpenIngress, the compliant neighbours of each branch and the IPv6 inline case', () => {
  test.each<[string, Build]>([
    ['a security_group_rule from a /24', (s) => new SecurityGroupRule(s, 'in', { type: 'ingress', securityGroupId: 'sg-1', fromPort: 0, toPort: 0, protocol: '-1', cidrBlocks: ['203.0.113.0/24'] })],
    ['a security_group_rule from another security group', (s) => new SecurityGroupRule(s, 'in', { type: 'ingress', securityGroupId: 'sg-1', fromPort: 0, toPort: 0, protocol: '-1', sourceSecurityGroupId: 'sg-2' })],
    ['inline ingress from a /24', (s) => new SecurityGroup(s, 'sg', { ingress: [{ fromPort: 0, toPort: 0, protocol: '-1', cidrBlocks: ['203.0.113.0/24'] }] })],
    ['inline ingress from another security group', (s) => new SecurityGroup(s, 'sg', { ingress: [{ fromPort: 0, toPort: 0, protocol: '-1', securityGroups: ['sg-2'] }] })],
    ['a standalone egress rule to anywhere', (s) => new VpcSecurityGroupEgressRule(s, 'out', { securityGroupId: 'sg-1', cidrIpv4: '0.0.0.0/0', ipProtocol: '-1' })],
  ])('passes %s', (_, build) => {
    expect(details('STG-OpenIngress', build)).toEqual([]);
  });

  test.each<[string, Build, [string, string, unknown][]]>([
    ['inline ingress from ::/0', (s) => new SecurityGroup(s, 'sg', { ingress: [{ fromPort: 0, toPort: 0, protocol: '-1', ipv6CidrBlocks: ['::/0'] }] }), [['aws_security_group.sg', 'inline ingress from anywhere', '::/0']]],
    ['two inline rules, one open', (s) => new SecurityGroup(s, 'sg', { ingress: [{ fromPort: 0, toPort: 0, protocol: '-1', cidrBlocks: ['203.0.113.0/24'] }, { fromPort: 443, toPort: 443, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] }] }), [['aws_security_group.sg', 'inline ingress from anywhere', '0.0.0.0/0']]],
    ['a security_group_rule from a /4, with the value', (s) => new SecurityGroupRule(s, 'in', { type: 'ingress', securityGroupId: 'sg-1', fromPort: 0, toPort: 0, protocol: '-1', cidrBlocks: ['10.0.0.0/24', '0.0.0.0/4'] }), [['aws_security_group_rule.in', 'ingress from anywhere', '0.0.0.0/4']]],
  ])('finds %s', (_, build, expected) => {
    expect(reported('STG-OpenIngress', build)).toEqual(expected);
  });
});

describe('STG-ScopedSecrets, the details', () => {
  const statement = (s: TerraformStack, body: object) =>
    new IamRolePolicy(s, 'policy', { role: 'r', policy: JSON.stringify({ Version: '2012-10-17', Statement: [body] }) });

  test.each<[string, Build, [string, string, unknown][]]>([
    ['a managed policy (aws_iam_policy) on every secret', (s) => new IamPolicy(s, 'managed', { policy: openPolicy }), [['aws_iam_policy.managed', 'secretsmanager:GetSecretValue on *', '*']]],
    ['two secret actions on a wildcard, and a non-secret action left out', (s) => statement(s, { Effect: 'Allow', Action: ['logs:CreateLogStream', 'ssm:GetParameters', 'kms:Decrypt'], Resource: '*' }), [['aws_iam_role_policy.policy', 'ssm:GetParameters, kms:Decrypt on *', '*']]],
    ['NotResource with a secret action', (s) => statement(s, { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', NotResource: SECRET }), [['aws_iam_role_policy.policy', 'secretsmanager:GetSecretValue on NotResource', undefined]]],
  ])('finds %s', (_, build, expected) => {
    expect(reported('STG-ScopedSecrets', build)).toEqual(expected);
  });

  test.each<[string, Build]>([
    ['NotResource with no secret action', (s) => statement(s, { Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::prod/*' })],
    ['a managed policy naming the exact secret', (s) => new IamPolicy(s, 'managed', { policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET }] }) })],
    ['a role with no inline policy', (s) => new IamRole(s, 'role', { assumeRolePolicy: '{}' })],
  ])('passes %s', (_, build) => {
    expect(details('STG-ScopedSecrets', build)).toEqual([]);
  });

  test('a policy given as a document rather than JSON text is read too', () => {
    // GIVEN
    const resource = view('aws_iam_policy', { policy: { Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }] } });
    // WHEN / THEN
    expect(checkOne('STG-ScopedSecrets', resource)).toEqual([{ detail: 'secretsmanager:GetSecretValue on *', value: '*' }]);
  });

  test.each<[string, string, readonly string[] | undefined, boolean]>([
    ['one secret action among others', '*', ['logs:CreateLogStream', 'secretsmanager:GetSecretValue'], true],
    ['no secret action', '*', ['logs:CreateLogStream'], false],
    ['no actions given: the ARN says it is a secret', 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:*', undefined, true],
    ['no actions given: a bare wildcard is not known to be about secrets', '*', undefined, false],
  ])('grantsSecretsByWildcard: %s', (_, resource, actions, expected) => {
    expect(grantsSecretsByWildcard(resource, actions)).toBe(expected);
  });
});

describe('STG-DualStackAllowlist and STG-PublicIp, the details', () => {
  test('DualStackAllowlist lists every IPv6 entry, and gives the first as the value', () => {
    // GIVEN / WHEN
    const result = reported('STG-DualStackAllowlist', (s) => listenerRule(s, [{ sourceIp: { values: ['2001:db8::/48', '203.0.113.0/24', '2001:db8:1::/48'] } }]));
    // THEN
    expect(result).toEqual([['aws_alb_listener_rule.rule', 'source_ip lists 2001:db8::/48, 2001:db8:1::/48', '2001:db8::/48']]);
  });

  test('PublicIp gives the address and the value true', () => {
    expect(reported('STG-PublicIp', (s) => service(s, { publicIp: true }))).toEqual([['aws_ecs_service.service', 'assign_public_ip is true', true]]);
  });
});

describe('STG-RollbackImage, the edges', () => {
  const policy = (s: TerraformStack, rules: object[]) => new EcrLifecyclePolicy(s, 'ecr', { repository: 'r', policy: JSON.stringify({ rules }) });

  test.each<[string, Build]>([
    ['a circuit breaker that does not roll back', (s) => { new EcsService(s, 'service', { name: 's', cluster: 'c', taskDefinition: 'app', deploymentCircuitBreaker: { enable: true, rollback: false } }); ecrPolicy(s, 1); }],
    ['a policy rule with no selection (left to the ECR API to reject)', (s) => { service(s, { rollback: true }); policy(s, [{ rulePriority: 1, action: { type: 'expire' } }]); }],
    ['a policy with no rules', (s) => { service(s, { rollback: true }); policy(s, []); }],
  ])('passes %s', (_, build) => {
    expect(details('STG-RollbackImage', build)).toEqual([]);
  });

  test('finds one image kept, at the policy’s address, with the count as the value', () => {
    expect(reported('STG-RollbackImage', (s) => { service(s, { rollback: true }); ecrPolicy(s, 1); })).toEqual([['aws_ecr_lifecycle_policy.ecr', 'it keeps 1 image', 1]]);
  });
});
