import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { TerraformStack, Testing } from 'cdktf';
import { Cluster } from '../../src/constructs/cluster';
import { markResource, PUBLIC_BY_CHOICE, SECRET_FIELD } from '../../src/constructs/marks';
import { Service } from '../../src/constructs/service';
import { WorkingHours } from '../../src/constructs/working-hours';
import { Guardrails } from '../../src/guardrails/aspect';
import { GuardrailRule } from '../../src/guardrails/guardrail';
import { STAGING_RULES } from '../../src/guardrails/pack';
import { formatGuardrailFinding } from '../../src/guardrails/report';
import { active, runGuardrails } from '../support/guardrails';

import { DATABASE_MARK } from '../../src/constructs/database-access';
import { connectArn, connectPolicy, databaseIngress, ecrPolicy, listenerRule, SECRET, secretsPolicy, service, taskDefinition } from '../support/guardrail-stacks';
import { cloneDatabase, handWrittenClone, SOURCE as CLONE_SOURCE } from '../support/clone-stacks';

interface RuleCase {
  readonly rule: GuardrailRule;
  readonly compliant: (stack: TerraformStack) => void;
  readonly violating: (stack: TerraformStack) => void;
}

const CASES: RuleCase[] = [
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-RestrictedAccess')!,
    compliant: (s) => listenerRule(s, [{ sourceIp: { values: ['203.0.113.0/24'] } }]),
    // an "allowlist" of half the internet twice over is no restriction
    violating: (s) => listenerRule(s, [{ sourceIp: { values: ['0.0.0.0/1', '128.0.0.0/1'] } }]),
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-PublicAccess')!,
    compliant: (s) => listenerRule(s, [{ httpHeader: { httpHeaderName: 'X-Staging-Key', values: ['${var.key}'] } }]),
    violating: (s) => markResource(listenerRule(s, []), PUBLIC_BY_CHOICE),
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-PlainSecrets')!,
    compliant: (s) => {
      taskDefinition(s, [{ name: 'APP_ENV', value: 'staging' }, { name: 'LOG_LEVEL', value: 'debug' }]);
      new CloudwatchLogGroup(s, 'logs', { name: 'stg-server', retentionInDays: 30 });
    },
    violating: (s) => {
      taskDefinition(s, [{ name: 'DB_PASSWORD', value: 'x' }]);
      new CloudwatchLogGroup(s, 'logs', { name: 'stg-server', retentionInDays: 30 });
    },
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-PlainSecretValues')!,
    compliant: (s) => {
      taskDefinition(s, [{ name: 'DATABASE_HOST', value: 'db.internal' }]);
      new CloudwatchLogGroup(s, 'logs', { name: 'stg-server', retentionInDays: 30 });
    },
    violating: (s) => {
      taskDefinition(s, [{ name: 'UPSTREAM', value: 'https://app:hunter2@api.example.com/' }]);
      new CloudwatchLogGroup(s, 'logs', { name: 'stg-server', retentionInDays: 30 });
    },
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-ScopedSecrets')!,
    compliant: (s) => secretsPolicy(s, [SECRET]),
    violating: (s) => secretsPolicy(s, '*'),
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-ScopedListener')!,
    compliant: (s) => rulesPolicy(s, `${LISTENER_RULES}/0123456789abcdef/0123456789abcdef/*`),
    // every rule on every listener of the production ALB, not only staging's listener
    violating: (s) => rulesPolicy(s, `${LISTENER_RULES}/*`),
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-LogRetention')!,
    compliant: (s) => new CloudwatchLogGroup(s, 'logs', { name: 'stg-server', retentionInDays: 30 }),
    violating: (s) => new CloudwatchLogGroup(s, 'logs', { name: 'stg-server' }),
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-ManagedLogGroup')!,
    compliant: (s) => {
      taskDefinition(s, []);
      new CloudwatchLogGroup(s, 'logs', { name: 'stg-server', retentionInDays: 30 });
    },
    violating: (s) => taskDefinition(s, [], 'somebody-elses-group'),
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-ExecAudit')!,
    compliant: (s) => service(s, { exec: true, logged: true }),
    violating: (s) => service(s, { exec: true, logged: false }),
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-ProductionResource')!,
    compliant: (s) => listenerRule(s, [{ sourceIp: { values: ['203.0.113.0/24'] } }]),
    violating: (s) => new Lb(s, 'alb', { name: 'prod-alb' }),
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-OpenIngress')!,
    compliant: (s) => new VpcSecurityGroupIngressRule(s, 'in', { securityGroupId: 'sg-0123456789abcdef0', referencedSecurityGroupId: 'sg-0fedcba9876543210', ipProtocol: 'tcp', fromPort: 1323, toPort: 1323 }),
    violating: (s) => new VpcSecurityGroupIngressRule(s, 'in', { securityGroupId: 'sg-0123456789abcdef0', cidrIpv4: '0.0.0.0/0', ipProtocol: 'tcp', fromPort: 1323, toPort: 1323 }),
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-PublicIp')!,
    compliant: (s) => service(s, { publicIp: false }),
    violating: (s) => service(s, { publicIp: true }),
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-RollbackImage')!,
    compliant: (s) => {
      service(s, { rollback: true });
      ecrPolicy(s, 2);
    },
    violating: (s) => {
      service(s, { rollback: true });
      ecrPolicy(s, 1);
    },
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-DualStackAllowlist')!,
    compliant: (s) => {
      // an IPv6 entry with the plan-time check the looked-up ALB gives
      const rule = listenerRule(s, [{ sourceIp: { values: ['2001:db8::/32'] } }]);
      rule.addOverride('lifecycle.precondition', [{ condition: '${data.aws_lb.production.ip_address_type != "ipv4"}', error_message: 'dual-stack' }]);
    },
    violating: (s) => listenerRule(s, [{ sourceIp: { values: ['203.0.113.0/24', '2001:db8::/32'] } }]),
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-ScheduledCount')!,
    compliant: (s) => scheduledService(s, true),
    // the service's desired_count left to Terraform: every apply fights the schedule
    violating: (s) => scheduledService(s, false),
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-CapacityProviders')!,
    compliant: (s) => spotService(s, ['FARGATE', 'FARGATE_SPOT']),
    violating: (s) => spotService(s, undefined),
  },
  // the database rules: more cases in database.test.ts
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-DatabaseConnect')!,
    compliant: (s) => {
      databaseIngress(s, {});
      connectPolicy(s, { Action: ['rds-db:connect'], Resource: [connectArn()] });
    },
    violating: (s) => {
      databaseIngress(s, {});
      connectPolicy(s, { Action: ['rds-db:connect'], Resource: ['*'] });
    },
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-ProductionWrites')!,
    compliant: (s) => databaseIngress(s, {}),
    violating: (s) => databaseIngress(s, { writes: true, writesConsented: true }),
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-WritesConsent')!,
    compliant: (s) => databaseIngress(s, { writes: true, writesConsented: true }),
    violating: (s) => databaseIngress(s, { writes: true }),
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-CloneIdentity')!,
    compliant: (s) => cloneDatabase(s),
    // marked as the kit's clone, under production's own identifier: a destroy would delete production
    violating: (s) => handWrittenClone(s, CLONE_SOURCE),
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-UnmaskedClone')!,
    compliant: (s) => cloneDatabase(s),
    violating: (s) => cloneDatabase(s, { maskFile: undefined, maskSecurityGroupId: undefined, unmaskedConsented: true }),
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-MaskConsent')!,
    compliant: (s) => cloneDatabase(s, { maskFile: undefined, maskSecurityGroupId: undefined, unmaskedConsented: true }),
    violating: (s) => cloneDatabase(s, { maskFile: undefined, maskSecurityGroupId: undefined }),
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-PreviewWrites')!,
    compliant: (s) => taskDefinition(s, []),
    violating: (s) => markResource(taskDefinition(s, []), DATABASE_MARK.previewWrites),
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-ProductionPassword')!,
    compliant: (s) => {
      databaseIngress(s, {});
      taskDefinition(s, [{ name: 'DB_USER', value: 'staging_reader' }, { name: 'DB_IAM_AUTH', value: 'true' }]);
    },
    violating: (s) => {
      databaseIngress(s, {});
      taskDefinition(s, [{ name: 'MYSQL_PWD', value: 'hunter2' }]);
    },
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-OtherDatabasePassword')!,
    compliant: (s) => {
      // passwordSecret: the DB_PASSWORD is the kit's own
      const task = taskDefinition(s, []);
      [`${DATABASE_MARK.passwordVariable}DB_PASSWORD`, DATABASE_MARK.kitPassword, `${SECRET_FIELD}taskDefinition.container.secrets.API_KEY`].forEach((mark) => markResource(task, mark));
    },
    violating: (s) => {
      // iamAuth, and the article's DB_PASSWORD kept
      const task = taskDefinition(s, []);
      [`${DATABASE_MARK.passwordVariable}DB_PASSWORD`, `${SECRET_FIELD}taskDefinition.container.secrets.DB_PASSWORD`].forEach((mark) => markResource(task, mark));
    },
  },
  {
    rule: STAGING_RULES.find((r) => r.id === 'STG-DatabaseNetworkOnly')!,
    compliant: (s) => databaseIngress(s, {}),
    violating: (s) => databaseIngress(s),
  },
];

const LISTENER_RULES = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener-rule/app/prod-alb';

/** A role policy that may change and delete the listener rules `resource` names. */
function rulesPolicy(stack: TerraformStack, resource: string) {
  new IamRolePolicy(stack, 'policy', {
    role: 'r',
    policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['elasticloadbalancing:ModifyRule', 'elasticloadbalancing:DeleteRule'], Resource: [resource] }] }),
  });
}

/** The staging constructs' service with working hours; `scheduled: false` leaves its count to Terraform. */
function scheduledService(stack: TerraformStack, scheduled: boolean) {
  const ecs = new Service(stack, 'Service', { ...SERVICE_PROPS, clusterArn: new Cluster(stack, 'Cluster').arn, scheduled });
  new WorkingHours(stack, 'Hours', { clusterName: 'stg_ecs_cluster', serviceName: ecs.resource.name, desiredCount: 1, wake: 'cron(0 8 ? * MON-FRI *)', sleep: 'cron(0 21 ? * MON-FRI *)', timezone: 'Asia/Tokyo' });
}

/** The staging constructs' service on Fargate Spot, in a cluster offering `providers`. */
function spotService(stack: TerraformStack, providers: ('FARGATE' | 'FARGATE_SPOT')[] | undefined) {
  const cluster = new Cluster(stack, 'Cluster', { capacityProviders: providers });
  new Service(stack, 'Service', {
    ...SERVICE_PROPS,
    clusterArn: cluster.arn,
    capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
    dependsOn: cluster.capacityProviders ? [cluster.capacityProviders] : undefined,
  });
}

const SERVICE_PROPS = {
  taskDefinitionFamily: 'stg-server',
  targetGroupArn: 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/stg/0123456789abcdef',
  containerName: 'stg-server',
  containerPort: 1323,
  subnetIds: ['subnet-0123456789abcdef0'],
  securityGroupIds: ['sg-0123456789abcdef0'],
  assignPublicIp: false,
  enableExecuteCommand: false,
};

describe('guardrail rules', () => {
  test('every rule of the pack has a case here, an ID, a one-line message and an explanation', () => {
    expect(CASES.map((c) => c.rule.id).sort()).toEqual(STAGING_RULES.map((r) => r.id).sort());
    for (const rule of STAGING_RULES) {
      expect(rule.id).toMatch(/^STG-[A-Z][A-Za-z]+$/);
      expect(rule.message).not.toContain('\n');
      expect(rule.explanation.length).toBeGreaterThan(40);
    }
  });

  describe.each(CASES)('$rule.id', ({ rule, compliant, violating }) => {
    test('a compliant stack has no finding', () => {
      // GIVEN / WHEN
      const findings = runGuardrails(compliant);
      // THEN
      expect(findings.filter((f) => f.ruleId === rule.id)).toEqual([]);
    });

    test(`a non-compliant stack gets one ${rule.level}`, () => {
      // GIVEN / WHEN
      const findings = runGuardrails(violating).filter((f) => f.ruleId === rule.id);
      // THEN
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ level: rule.level, message: rule.message, suppressedBecause: undefined });
      expect(findings[0].address).toMatch(/^aws_[a-z0-9_]+\.[A-Za-z0-9_-]+$/);
    });

    test(rule.suppressible === false ? 'cannot be suppressed (its opt-out is a field of the file)' : 'a suppression with a reason silences it, and records the reason', () => {
      // GIVEN
      const reason = 'Accepted for this test: the reason is recorded with the finding.';
      // WHEN
      const findings = runGuardrails(violating, [{ id: rule.id, reason }]);
      // THEN
      const finding = findings.find((f) => f.ruleId === rule.id)!;
      if (rule.suppressible === false) {
        expect(active(findings)).toContain(rule.id);
        expect(finding.suppressedBecause).toBeUndefined();
      } else {
        expect(active(findings)).not.toContain(rule.id);
        expect(finding.suppressedBecause).toBe(reason);
      }
    });
  });

  test('a suppression limited to other resources does not apply', () => {
    // GIVEN
    const suppression = { id: 'STG-LogRetention', reason: 'Only for another log group, not this one.', resources: ['aws_cloudwatch_log_group.other'] };
    // WHEN
    const findings = runGuardrails((s) => new CloudwatchLogGroup(s, 'logs', { name: 'x' }), [suppression]);
    // THEN
    expect(active(findings)).toContain('STG-LogRetention');
  });

  test('managing any production database type is an error', () => {
    // GIVEN / WHEN
    const findings = runGuardrails((s) => new DbInstance(s, 'db', { instanceClass: 'db.t3.micro', engine: 'postgres' }));
    // THEN
    expect(active(findings)).toContain('STG-ProductionResource');
  });

  test('the staging service’s own security group with inline ingress from anywhere is caught too', () => {
    // GIVEN / WHEN
    const findings = runGuardrails((s) => new SecurityGroup(s, 'sg', { name: 'x', ingress: [{ fromPort: 1323, toPort: 1323, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] }] }));
    // THEN
    expect(active(findings)).toEqual(['STG-OpenIngress']);
  });

  test.each([
    ['a name like a password', 'DB_PASSWORD', 'x', 'STG-PlainSecrets'],
    ['an API key name', 'stripeApiKey', 'x', 'STG-PlainSecrets'],
    ['an AWS access key ID value', 'HARMLESS', 'AKIAIOSFODNN7EXAMPLE', 'STG-PlainSecretValues'],
    ['a PEM block value', 'CERT_PEM_BODY', '-----BEGIN RSA PRIVATE KEY-----\nMIIE', 'STG-PlainSecretValues'],
    ['a URL with a password', 'DATABASE_URL', 'postgres://app:hunter2@db.internal:5432/app', 'STG-PlainSecretValues'],
  ])('plain secrets: %s is caught', (_, name, value, ruleId) => {
    // GIVEN / WHEN
    const findings = runGuardrails((s) => {
      taskDefinition(s, [{ name, value }]);
      new CloudwatchLogGroup(s, 'logs', { name: 'stg-server', retentionInDays: 30 });
    });
    // THEN
    expect(findings.filter((f) => f.ruleId === ruleId).map((f) => f.value)).toEqual([name]);
  });

  test.each([
    ['STG-PlainSecrets', 'DB_PASSWORD', 'hunter2-plain-value'],
    ['STG-PlainSecretValues', 'AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE'],
    ['STG-PlainSecretValues', 'DATABASE_URL', 'postgres://app:hunter2@db.internal:5432/app'],
  ])('plain secrets: %s names the variable %s and never echoes its value', (ruleId, name, value) => {
    // GIVEN / WHEN
    const findings = runGuardrails((s) => {
      taskDefinition(s, [{ name, value }]);
      new CloudwatchLogGroup(s, 'logs', { name: 'stg-server', retentionInDays: 30 });
    }).filter((f) => f.ruleId === ruleId);
    // THEN the report line and the annotation text (rule, message, detail) hold the name, not the value
    expect(findings).toHaveLength(1);
    const line = formatGuardrailFinding('environments/stg.json', findings[0]);
    expect(line).toContain(name);
    expect(line).not.toContain(value);
    expect(line).not.toContain('hunter2');
    expect(JSON.stringify(findings[0])).not.toContain(value);
  });

  test('a suppression of the name rule does not let a credential value through', () => {
    // GIVEN a stack-wide suppression of STG-PlainSecrets
    const suppression = { id: 'STG-PlainSecrets', reason: 'Our variable names trip the heuristic, accepted for this test.' };
    // WHEN
    const findings = runGuardrails((s) => {
      taskDefinition(s, [{ name: 'AWS_ACCESS_KEY_ID', value: 'AKIAIOSFODNN7EXAMPLE' }]);
      new CloudwatchLogGroup(s, 'logs', { name: 'stg-server', retentionInDays: 30 });
    }, [suppression]);
    // THEN
    expect(active(findings)).toEqual(['STG-PlainSecretValues']);
  });

  test.each([['arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:*-*'], ['arn:aws:ssm:ap-northeast-1:123456789012:parameter/*/*'], ['arn:aws:kms:ap-northeast-1:123456789012:key/*']])(
    'scoped secrets: %s is a wildcard too',
    (resource) => {
      // GIVEN / WHEN
      const findings = runGuardrails((s) => secretsPolicy(s, [resource]));
      // THEN
      expect(active(findings)).toEqual(['STG-ScopedSecrets']);
    },
  );

  test.each([
    ['an IPv6 entry alone', [{ sourceIp: { values: ['2001:db8::/32'] } }]],
    ['an IPv4-mapped IPv6 entry', [{ sourceIp: { values: ['::ffff:203.0.113.7/128'] } }]],
    ['an IPv6 entry in a second source_ip condition', [{ sourceIp: { values: ['203.0.113.0/24'] } }, { sourceIp: { values: ['2001:db8::/48'] } }]],
  ])('STG-DualStackAllowlist: %s without the plan-time check is a warning', (_, conditions) => {
    // GIVEN / WHEN
    const findings = runGuardrails((s) => listenerRule(s, conditions));
    // THEN
    expect(findings.filter((f) => f.ruleId === 'STG-DualStackAllowlist').map((f) => f.level)).toEqual(['warning']);
  });

  test('STG-DualStackAllowlist: an IPv4 allowlist has no finding', () => {
    expect(runGuardrails((s) => listenerRule(s, [{ sourceIp: { values: ['203.0.113.0/24', '198.51.100.7/32'] } }])).filter((f) => f.ruleId === 'STG-DualStackAllowlist')).toEqual([]);
  });

  test('a rule that throws is a finding of that rule, at its level, not a crash', () => {
    // GIVEN a rule that throws on every resource
    const broken: GuardrailRule = { id: 'STG-Broken', level: 'error', message: 'm', explanation: 'x'.repeat(41), check: () => { throw new TypeError('cannot read properties of undefined\n    at check'); } };
    const stack = new TerraformStack(Testing.app(), 'stack');
    listenerRule(stack, [{ sourceIp: { values: ['203.0.113.0/24'] } }]);
    const guardrails = new Guardrails({ rules: [broken] });
    // WHEN
    for (const node of stack.node.findAll()) guardrails.visit(node);
    // THEN one finding, one line, naming the rule
    expect(guardrails.findings.map((f) => [f.ruleId, f.level, f.detail])).toEqual([
      ['STG-Broken', 'error', 'the rule threw an error, so this resource is unchecked: cannot read properties of undefined'],
    ]);
  });

  test('an allowlist that holds 0.0.0.0/0 says so, with the value', () => {
    // GIVEN / WHEN
    const findings = runGuardrails((s) => listenerRule(s, [{ sourceIp: { values: ['203.0.113.0/24', '0.0.0.0/0'] } }]));
    // THEN
    expect(findings.find((f) => f.ruleId === 'STG-RestrictedAccess')).toMatchObject({ detail: expect.stringMatching(/admits a large part of the internet/), value: '0.0.0.0/0' });
  });
});
