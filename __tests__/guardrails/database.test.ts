import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Aspects, Testing } from 'cdktf';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATABASE_MARK } from '../../src/constructs/database-access';
import { markResource } from '../../src/constructs/marks';
import { TaskRole } from '../../src/constructs/task-role';
import { Guardrails } from '../../src/guardrails/aspect';
import { STAGING_RULES } from '../../src/guardrails/pack';
import { loadEnvironmentFile } from '../../src/environment/load';
import { connectResourceProblem, databaseConnectProblems, matchesDatabaseConnect } from '../../src/policy/database-connect';
import { PreviewStack } from '../../src/stack/preview-stack';
import { visitAll } from '../../src/stack/cdktf-adapter';
import { synthesize } from '../../src/synth/synth';
import { PREVIEWS } from '../support/bad-input-cases';
import { fixtureJson, setPath, tempProject } from '../support/environments';
import { active, runGuardrails } from '../support/guardrails';
import { connectArn, connectPolicy, DATABASE_USER, databaseIngress, taskDefinition } from '../support/guardrail-stacks';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';

const CLUSTER = { engine: 'aurora-postgresql', clusterIdentifier: 'prod-db', databaseName: 'app', user: DATABASE_USER, iamAuth: true };
const rule = (id: string) => STAGING_RULES.find((candidate) => candidate.id === id)!;
const of = (id: string, findings: ReturnType<typeof runGuardrails>) => findings.filter((finding) => finding.ruleId === id);

/** A task definition with these plain variables, in a stack whose ingress rule names the database user (or only the network path). */
function withDatabase(environment: { name: string; value: string }[], connection: 'user' | 'network-only' | 'none' = 'user') {
  return runGuardrails((s) => {
    if (connection !== 'none') databaseIngress(s, connection === 'user' ? {} : undefined);
    taskDefinition(s, environment);
    new CloudwatchLogGroup(s, 'logs', { name: 'stg-server', retentionInDays: 30 });
  });
}

/** Synth of files in a temporary project: exit code, error and warning lines. */
function synth(files: Record<string, unknown>) {
  const project = tempProject(files);
  const lines = { error: [] as string[], warn: [] as string[] };
  try {
    const result = synthesize({ ...project, info: () => undefined, error: (l) => lines.error.push(l), warn: (l) => lines.warn.push(l) });
    return { exitCode: result.exitCode, ...lines };
  } finally {
    fs.rmSync(project.root, { recursive: true, force: true });
  }
}

/** The stg fixture naming `database`, without the article's DB_PASSWORD (production's secret: STG-OtherDatabasePassword), as the docs say. */
const stgWith = (database: unknown) => setPath(setPath(fixtureJson('stg'), 'service.database', database), 'taskDefinition.container.secrets', undefined);

describe('STG-DatabaseConnect', () => {
  test.each([
    ['the statement the stack writes: exactly dbuser:<resource id>/<user>', connectArn()],
    ['a literal resource ID', connectArn(DATABASE_USER, 'cluster-ABCDEFGHIJKLMNOPQRSTUVWXY0')],
  ])('GIVEN %s WHEN the guardrails run THEN no finding', (_, resource) => {
    const findings = runGuardrails((s) => {
      databaseIngress(s, {});
      connectPolicy(s, { Action: ['rds-db:connect'], Resource: [resource] });
    });
    expect(of('STG-DatabaseConnect', findings)).toEqual([]);
  });

  test('GIVEN the TaskRole construct with databaseConnectResource WHEN the guardrails run THEN no finding', () => {
    const findings = runGuardrails((s) => {
      databaseIngress(s, {});
      new TaskRole(s, 'TaskRole', { name: 'stg-server-task', databaseConnectResource: connectArn() });
    });
    expect(of('STG-DatabaseConnect', findings)).toEqual([]);
  });

  test.each([
    ['rds-db:connect on "*"', { Action: 'rds-db:connect', Resource: '*' }, 'every database user of the account'],
    ['rds-db:* on "*"', { Action: ['rds-db:*'], Resource: ['*'] }, 'every database user of the account'],
    ['"*" on "*" (an admin statement covers connect too)', { Action: '*', Resource: '*' }, 'every database user of the account'],
    ['a mixed-case action', { Action: ['RDS-DB:Connect'], Resource: ['*'] }, 'every database user of the account'],
    ['a wildcard user', { Action: ['rds-db:connect'], Resource: [connectArn('*')] }, 'a wildcard'],
    ['a wildcard resource ID', { Action: ['rds-db:connect'], Resource: [connectArn(DATABASE_USER, '*')] }, 'a wildcard'],
    ['a wildcard region and account', { Action: ['rds-db:connect'], Resource: [`arn:aws:rds-db:*:*:dbuser:cluster-ABC/${DATABASE_USER}`] }, 'a wildcard'],
    ['another user: the master', { Action: ['rds-db:connect'], Resource: [connectArn('postgres')] }, 'its user postgres is not the one staging connects as (staging_reader)'],
    ['a user known only at plan', { Action: ['rds-db:connect'], Resource: [connectArn('${var.user}')] }, 'is not the one staging connects as'],
    ['a non-dbuser ARN (the cluster itself)', { Action: ['rds-db:connect'], Resource: ['arn:aws:rds:ap-northeast-1:123456789012:cluster:prod-db'] }, 'not a dbuser ARN'],
    ['NotResource', { Action: ['rds-db:connect'], NotResource: [connectArn('postgres')] }, 'NotResource'],
    ['NotAction that leaves connect in', { NotAction: ['iam:*'], Resource: ['*'] }, 'every database user of the account'],
  ])('GIVEN %s WHEN the guardrails run THEN one error naming the grant', (_, statement, why) => {
    const findings = runGuardrails((s) => {
      databaseIngress(s, {});
      connectPolicy(s, statement);
    });
    const found = of('STG-DatabaseConnect', findings);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ level: 'error', address: 'aws_iam_role_policy.policy' });
    expect(found[0].detail).toContain(why);
  });

  test('GIVEN a managed policy and a role inline policy with rds-db:connect on "*" WHEN the guardrails run THEN each is an error', () => {
    const wide = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'rds-db:connect', Resource: '*' }] });
    const findings = runGuardrails((s) => {
      databaseIngress(s, {});
      new IamPolicy(s, 'managed', { name: 'm', policy: wide });
      new IamRole(s, 'role', { name: 'r', assumeRolePolicy: '{}', inlinePolicy: [{ name: 'i', policy: wide }] });
    });
    expect(of('STG-DatabaseConnect', findings).map((f) => f.address).sort()).toEqual(['aws_iam_policy.managed', 'aws_iam_role.role']);
  });

  test.each([
    ['no database at all', 'none'],
    ['the legacy network path only', 'network-only'],
  ] as const)('GIVEN %s WHEN a policy grants even the exact ARN THEN it is an error: the stack names no database user', (_, connection) => {
    const findings = runGuardrails((s) => {
      if (connection === 'network-only') databaseIngress(s);
      connectPolicy(s, { Action: ['rds-db:connect'], Resource: [connectArn()] });
    });
    expect(of('STG-DatabaseConnect', findings).map((f) => f.detail)).toEqual([expect.stringContaining('the stack names no database user')]);
  });

  test('GIVEN a Deny of rds-db:connect on "*" WHEN the guardrails run THEN no finding: a Deny grants nothing', () => {
    const findings = runGuardrails((s) => {
      databaseIngress(s, {});
      connectPolicy(s, { Effect: 'Deny', Action: ['rds-db:connect'], Resource: ['*'] });
    });
    expect(of('STG-DatabaseConnect', findings)).toEqual([]);
  });

  test('GIVEN a wide grant WHEN suppressed with a reason THEN the reason is recorded (the rule is suppressible, like STG-ScopedSecrets)', () => {
    const reason = 'Migration week: the team’s hand-written policy is replaced by the kit’s next sprint.';
    const findings = runGuardrails((s) => {
      databaseIngress(s, {});
      connectPolicy(s, { Action: ['rds-db:connect'], Resource: ['*'] });
    }, [{ id: 'STG-DatabaseConnect', reason }]);
    expect(active(findings)).not.toContain('STG-DatabaseConnect');
    expect(of('STG-DatabaseConnect', findings)[0].suppressedBecause).toBe(reason);
  });

  describe('the predicate (src/policy/database-connect.ts)', () => {
    test.each([['rds-db:connect', true], ['rds-db:*', true], ['rds-*:connect', true], ['*', true], ['rds-db:connec?', true], ['rds:*', false], ['rds-db:connect-other', false], ['secretsmanager:*', false]])(
      'GIVEN the action %s THEN matching rds-db:connect is %s',
      (action, matches) => expect(matchesDatabaseConnect(action)).toBe(matches),
    );

    test('GIVEN the exact ARN for a user the stack names THEN no problem; GIVEN no user named THEN a problem', () => {
      expect(connectResourceProblem(connectArn(), [DATABASE_USER])).toBeUndefined();
      expect(connectResourceProblem(connectArn(), [])).toMatch(/names no database user/);
    });

    test('GIVEN a statement without rds-db:connect THEN no problem, whatever its resource', () => {
      expect(databaseConnectProblems({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }, [])).toEqual([]);
    });
  });
});

describe('STG-ProductionWrites and STG-WritesConsent', () => {
  test('GIVEN read-write with the consent mark WHEN the guardrails run THEN one warning, not an error', () => {
    const findings = runGuardrails((s) => databaseIngress(s, { writes: true, writesConsented: true }));
    expect(of('STG-ProductionWrites', findings)).toEqual([expect.objectContaining({ level: 'warning', address: 'aws_vpc_security_group_ingress_rule.database_from_stg_server' })]);
    expect(of('STG-WritesConsent', findings)).toEqual([]);
  });

  test('GIVEN read-write with the consent mark WHEN a suppression names STG-ProductionWrites THEN it still warns (the consent is a field of the file)', () => {
    const findings = runGuardrails((s) => databaseIngress(s, { writes: true, writesConsented: true }), [{ id: 'STG-ProductionWrites', reason: 'We know staging writes, stop telling us.' }]);
    expect(active(findings)).toContain('STG-ProductionWrites');
  });

  test.each([
    ['read-write, consent not given', { writes: true }],
    ['read-write, consent false', { writes: true, writesConsented: false }],
  ])('GIVEN %s (a stack built from the constructs) WHEN the guardrails run THEN an error, and no warning', (_, connection) => {
    const findings = runGuardrails((s) => databaseIngress(s, connection));
    expect(of('STG-WritesConsent', findings)).toEqual([expect.objectContaining({ level: 'error', suppressedBecause: undefined })]);
    expect(of('STG-ProductionWrites', findings)).toEqual([]);
  });

  test('GIVEN read-write marked by hand, without the consent mark WHEN suppressed THEN it is still an error', () => {
    const findings = runGuardrails((s) => databaseIngress(s, { writes: true }), [{ id: 'STG-WritesConsent', reason: 'Trying to get around the consent.' }]);
    expect(active(findings)).toContain('STG-WritesConsent');
  });

  test.each([
    ['read-only (the default)', {}],
    ['the consent mark alone, without read-write', { writesConsented: true }],
  ])('GIVEN %s WHEN the guardrails run THEN neither rule has a finding', (_, connection) => {
    const findings = runGuardrails((s) => databaseIngress(s, connection));
    expect([...of('STG-ProductionWrites', findings), ...of('STG-WritesConsent', findings)]).toEqual([]);
  });

  test('GIVEN a file with access read-write and allowProductionWrites WHEN synthesized THEN it is written, with the STG-ProductionWrites warning', () => {
    const run = synth({ stg: stgWith({ ...CLUSTER, access: 'read-write', allowProductionWrites: true }) });
    expect(run.error).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.warn).toEqual([expect.stringMatching(/aws_vpc_security_group_ingress_rule\.database_from_stg_server: STG-ProductionWrites: staging writes production data/)]);
  });
});

describe('STG-PreviewWrites', () => {
  /** A preview stack of stg (with previews) whose database access is `access`, as built in code: the schema is not asked. */
  function previewFindings(access: 'read-only' | 'read-write') {
    const project = tempProject({ stg: { ...stgWith(CLUSTER), ...structuredClone(PREVIEWS) } });
    try {
      const loaded = loadEnvironmentFile(path.join(project.environmentsDir, 'stg.json'));
      if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
      const config = structuredClone(loaded.environment.config);
      config.service.database!.access = access;
      const stack = new PreviewStack(Testing.app(), { config, environment: 'stg', number: 12 });
      const guardrails = new Guardrails({ rules: STAGING_RULES });
      Aspects.of(stack).add(guardrails);
      visitAll(stack, guardrails);
      return [...guardrails.findings];
    } finally {
      fs.rmSync(project.root, { recursive: true, force: true });
    }
  }

  test('GIVEN a preview of a read-only staging WHEN the guardrails run THEN no finding of the database rules', () => {
    const findings = previewFindings('read-only');
    expect(findings.filter((f) => /Database|Writes|ProductionPassword/.test(f.ruleId))).toEqual([]);
  });

  test('GIVEN a preview stack built in code from a read-write config WHEN the guardrails run THEN an error on its task definition', () => {
    const findings = previewFindings('read-write');
    expect(of('STG-PreviewWrites', findings)).toEqual([expect.objectContaining({ level: 'error', address: 'aws_ecs_task_definition.stg_server' })]);
  });

  test('GIVEN a task definition marked by hand WHEN suppressed THEN it is still an error', () => {
    const findings = runGuardrails((s) => markResource(taskDefinition(s, []), DATABASE_MARK.previewWrites), [{ id: 'STG-PreviewWrites', reason: 'Not a preview, honest.' }]);
    expect(active(findings)).toContain('STG-PreviewWrites');
  });

  test('GIVEN the mark on something other than a task definition WHEN the guardrails run THEN no finding: the rule reads the task', () => {
    const findings = runGuardrails((s) => databaseIngress(s, {}).rules.forEach((r) => markResource(r, DATABASE_MARK.previewWrites)));
    expect(of('STG-PreviewWrites', findings)).toEqual([]);
  });

  test('GIVEN the file refuses read-write beside previews THEN synth never gets to build such a preview', () => {
    const run = synth({ stg: setPath({ ...fixtureJson('stg'), ...structuredClone(PREVIEWS) }, 'service.database', { ...CLUSTER, access: 'read-write', allowProductionWrites: true }) });
    expect(run.exitCode).toBe(1);
    expect(run.error.join('\n')).toMatch(/access/);
  });
});

describe('STG-ProductionPassword', () => {
  test.each([
    ['DB_PASSWORD', 'hunter2'],
    ['PGPASSWORD', 'hunter2'],
    ['MYSQL_PWD', 'hunter2'],
    ['REPLICA_DB_PASS', 'hunter2'],
    ['DB_PASSWD', 'hunter2'],
    ['SPRING_DATASOURCE_PASSWORD', 'hunter2'],
  ])('GIVEN %s with a value in a stack that names the database user WHEN the guardrails run THEN an error naming the variable, never its value', (name, value) => {
    const found = of('STG-ProductionPassword', withDatabase([{ name, value }]));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ level: 'error', value: name, address: 'aws_ecs_task_definition.task' });
    expect(found[0].detail).toContain(name);
    expect(JSON.stringify(found[0])).not.toContain(value);
  });

  test.each([
    ['libpq key=value', 'DB_CONNINFO', 'host=db.internal dbname=app user=staging_reader password=hunter2'],
    ['ODBC', 'DB_CONNECTION', 'Server=db.internal;Database=app;Uid=staging_reader;Pwd=hunter2;'],
    ['a JDBC query', 'JDBC_URL', 'jdbc:postgresql://db.internal:5432/app?user=staging_reader&password=hunter2'],
    ['a Go MySQL DSN', 'MYSQL_DSN', 'staging_reader:hunter2@tcp(db.internal:3306)/app'],
  ])('GIVEN %s with a password in the value WHEN the guardrails run THEN an error (STG-PlainSecretValues reads only scheme://user:password@)', (_, name, value) => {
    const findings = withDatabase([{ name, value }]);
    expect(of('STG-ProductionPassword', findings).map((f) => f.value)).toEqual([name]);
    expect(of('STG-PlainSecretValues', findings)).toEqual([]);
  });

  test('GIVEN the legacy network path only WHEN a plain DB_PASSWORD is set THEN it is an error too: the stack still reaches production', () => {
    expect(active(withDatabase([{ name: 'DB_PASSWORD', value: 'hunter2' }], 'network-only'))).toContain('STG-ProductionPassword');
  });

  test('GIVEN DB_PASSWORD suppressed for STG-PlainSecrets WHEN the stack names the database THEN STG-ProductionPassword still stops it', () => {
    const findings = runGuardrails(
      (s) => {
        databaseIngress(s, {});
        taskDefinition(s, [{ name: 'DB_PASSWORD', value: 'hunter2' }]);
        new CloudwatchLogGroup(s, 'logs', { name: 'stg-server', retentionInDays: 30 });
      },
      [
        { id: 'STG-PlainSecrets', reason: 'Our variable names trip the heuristic, accepted for this test.' },
        { id: 'STG-ProductionPassword', reason: 'Trying to get around it.' },
      ],
    );
    expect(active(findings)).toEqual(['STG-ProductionPassword']);
  });

  test.each([
    ['the connection the kit gives', [{ name: 'DB_HOST', value: 'db.internal' }, { name: 'DB_USER', value: DATABASE_USER }, { name: 'DB_IAM_AUTH', value: 'true' }]],
    ['an empty password', [{ name: 'DB_PASSWORD', value: '' }]],
    ['a setting that is no password', [{ name: 'PASSWORD_MIN_LENGTH', value: '12' }, { name: 'DB_PASSWORD_FILE', value: '/run/secrets/db' }, { name: 'PWD', value: '/app' }]],
    ['a URL without a password', [{ name: 'DATABASE_URL', value: 'postgres://staging_reader@db.internal:5432/app' }]],
  ])('GIVEN %s WHEN the guardrails run THEN no finding', (_, environment) => {
    expect(of('STG-ProductionPassword', withDatabase(environment))).toEqual([]);
  });

  test('GIVEN no database in the stack WHEN DB_PASSWORD is plain THEN only STG-PlainSecrets speaks (this rule is about production’s password)', () => {
    const findings = withDatabase([{ name: 'DB_PASSWORD', value: 'hunter2' }], 'none');
    expect(active(findings)).toEqual(['STG-PlainSecrets']);
  });

  test('GIVEN a URL with user:password@ WHEN the stack names the database THEN STG-PlainSecretValues reports it, and this rule does not repeat it', () => {
    const findings = withDatabase([{ name: 'DATABASE_URL', value: 'postgres://staging_reader:hunter2@db.internal:5432/app' }]);
    expect(active(findings)).toEqual(['STG-PlainSecretValues']);
  });

  test('GIVEN the file with the password in taskDefinition.container.environment WHEN synthesized THEN the error says how to fix it', () => {
    const run = synth({ stg: setPath(stgWith({ ...CLUSTER, user: DATABASE_USER, iamAuth: true }), 'taskDefinition.container.environment', { APP_ENV: 'staging', PGPASSWORD: 'hunter2' }) });
    expect(run.exitCode).toBe(1);
    const line = run.error.find((l) => l.includes('STG-ProductionPassword'))!;
    expect(line).toContain('use service.database.iamAuth or passwordSecret');
    expect(line).not.toContain('hunter2');
  });
});

describe('STG-DatabaseNetworkOnly', () => {
  test('GIVEN the legacy ingress rule (network path only) WHEN the guardrails run THEN a warning that names the fields to add', () => {
    const found = of('STG-DatabaseNetworkOnly', runGuardrails((s) => databaseIngress(s)));
    expect(found).toEqual([expect.objectContaining({ level: 'warning', address: 'aws_vpc_security_group_ingress_rule.database_from_stg_server' })]);
    expect(found[0].message).toMatch(/add engine, clusterIdentifier or instanceIdentifier, databaseName and user \(iamAuth or passwordSecret\)/);
  });

  test('GIVEN the legacy ingress rule WHEN a suppression names the rule THEN it still warns', () => {
    expect(active(runGuardrails((s) => databaseIngress(s), [{ id: 'STG-DatabaseNetworkOnly', reason: 'We will migrate some day.' }]))).toContain('STG-DatabaseNetworkOnly');
  });

  test('GIVEN a file that names the database WHEN synthesized THEN no warning and no error of any rule', () => {
    const run = synth({ stg: stgWith(CLUSTER) });
    expect(run.exitCode).toBe(0);
    expect([...run.error, ...run.warn]).toEqual([]);
  });

  test('GIVEN a file with securityGroupId and port only WHEN synthesized THEN it is written, with the warning, on every run', () => {
    const file = stgWith({ securityGroupId: 'sg-00112233445566778', port: 5432 });
    for (let run = 0; run < 2; run++) {
      const result = synth({ stg: file });
      expect(result.exitCode).toBe(0);
      expect(result.warn).toEqual([expect.stringMatching(/database_from_stg_server: STG-DatabaseNetworkOnly: service\.database gives only the network path/)]);
    }
  });

  test('GIVEN the named database WHEN the task definition has its own EcsTaskDefinition THEN the rule reads only the ingress rule marks', () => {
    const findings = runGuardrails((s) => {
      databaseIngress(s, {});
      new EcsTaskDefinition(s, 'other', { family: 'x', containerDefinitions: '[]' });
    });
    expect(of('STG-DatabaseNetworkOnly', findings)).toEqual([]);
  });
});

test('every database rule is in the pack with its level, and all but STG-DatabaseConnect are not suppressible', () => {
  expect(
    ['STG-DatabaseConnect', 'STG-ProductionWrites', 'STG-WritesConsent', 'STG-PreviewWrites', 'STG-ProductionPassword', 'STG-DatabaseNetworkOnly'].map((id) => [id, rule(id)?.level, rule(id)?.suppressible !== false]),
  ).toEqual([
    ['STG-DatabaseConnect', 'error', true],
    ['STG-ProductionWrites', 'warning', false],
    ['STG-WritesConsent', 'error', false],
    ['STG-PreviewWrites', 'error', false],
    ['STG-ProductionPassword', 'error', false],
    ['STG-DatabaseNetworkOnly', 'warning', false],
  ]);
});
