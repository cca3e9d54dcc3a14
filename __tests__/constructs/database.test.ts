import { TerraformVariable } from 'cdktf';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProductionDatabase, ProductionDatabaseProps } from '../../src/constructs/production-database';
import { TeamRoleGrant } from '../../src/constructs/team-role-grant';
import { synthesize } from '../../src/synth/synth';
import { setPath, tempProject } from '../support/environments';
import { PRODUCTION_SIDE, PROJECT_ROOT, synthScope } from '../support/synth';

/**
 * `service.database` (issue 26) on the stg example, examples/stg.json, synthesized as `npm run synth`
 * does: staging connects to the looked-up production database as its own user, the task role may
 * `rds-db:connect` as that user on that database only, and the one thing managed on production's
 * side is the ingress rule. Expected values come from the file and the docs
 * (docs/production-data.md), not from a copy of the synthesized JSON.
 */

const EXAMPLE = path.join(PROJECT_ROOT, 'examples', 'stg.json');
const example = (): Record<string, any> => JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
const REGION: string = example().region;
const TEAM_TASK_ROLE: string = example().taskDefinition.taskRoleArn;
const TEAM_EXECUTION_ROLE: string = example().taskDefinition.executionRoleArn;
const roleName = (arn: string) => arn.split('/').pop()!;

const USER = 'staging_reader';
const CLUSTER = { engine: 'aurora-postgresql', clusterIdentifier: 'prod-db', databaseName: 'app', user: USER, iamAuth: true };
const INSTANCE = { engine: 'postgres', instanceIdentifier: 'prod-pg', databaseName: 'app', user: USER, iamAuth: true };
const SECRET = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:stg/db-reader-AbCdEf';
const PARAMETER = 'arn:aws:ssm:ap-northeast-1:123456789012:parameter/stg/db-reader';
const LEGACY = { securityGroupId: 'sg-00112233445566778', port: 5432 };
/** The example's own DB_PASSWORD (production's secret) is the kit's variable once the user has a passwordSecret. */
const NO_CONTAINER_SECRETS = { 'taskDefinition.container.secrets': undefined };

type Json = Record<string, any>;
interface Synth {
  readonly exitCode: number;
  readonly errors: string[];
  readonly warnings: string[];
  /** stg's cdk.tf.json. */
  readonly stack: Json;
  /** stg-pr-12's cdk.tf.json, when a preview was asked for. */
  readonly preview?: Json;
}

/** One project for every synth of this file: the generated buildspec's header names the environment file's path. */
const PROJECT = tempProject({});
afterAll(() => fs.rmSync(PROJECT.root, { recursive: true, force: true }));

/** The example with `database` as service.database (none: `undefined`) and further changes, synthesized by `npm run synth`'s code. */
function synthExample(database: Json | undefined, set: Record<string, unknown> = {}, options: { preview?: boolean } = {}): Synth {
  const config = example();
  if (database) config.service.database = database;
  for (const [dotted, value] of Object.entries(set)) setPath(config, dotted, value);
  fs.writeFileSync(path.join(PROJECT.environmentsDir, 'stg.json'), JSON.stringify(config, null, 2));
  fs.rmSync(PROJECT.outdir, { recursive: true, force: true });
  const errors: string[] = [];
  const warnings: string[] = [];
  const result = synthesize({
    ...PROJECT,
    info: () => undefined,
    error: (line) => errors.push(line),
    warn: (line) => warnings.push(line),
    ...(options.preview ? { previews: { numbers: [12] } } : {}),
  });
  const read = (stack: string) => {
    const file = path.join(PROJECT.outdir, 'stacks', stack, 'cdk.tf.json');
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
  };
  const stack = read('stg');
  if (!stack) throw new Error(`stg was not written:\n${errors.join('\n')}`);
  return { exitCode: result.exitCode, errors, warnings, stack, preview: options.preview ? read('stg-pr-12') : undefined };
}

const addressesOf = (blocks: Json | undefined): string[] => Object.entries(blocks ?? {}).flatMap(([type, byName]) => Object.keys(byName as Json).map((name) => `${type}.${name}`));
const resourceAddresses = (stack: Json) => addressesOf(stack.resource);
const dataAddresses = (stack: Json) => addressesOf(stack.data).map((address) => `data.${address}`);
const resourceAt = (stack: Json, address: string): Json => {
  const [type, name] = address.split('.');
  return stack.resource[type][name];
};

/** The container of the stack's task definition. */
function containerOf(stack: Json): Json {
  const definitions = Object.values<Json>(stack.resource.aws_ecs_task_definition);
  expect(definitions).toHaveLength(1);
  return JSON.parse(definitions[0].container_definitions)[0];
}
const environmentOf = (stack: Json): Record<string, string> => Object.fromEntries((containerOf(stack).environment ?? []).map((v: Json) => [v.name, v.value]));
const secretsOf = (stack: Json): Record<string, string> => Object.fromEntries((containerOf(stack).secrets ?? []).map((v: Json) => [v.name, v.valueFrom]));

interface Statement {
  Effect: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
}
const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * A policy as Terraform reads it: a template, JSON once its `${…}` are evaluated (an expression may quote
 * its own strings, `${element(split(":", …), 4)}`). Each `${…}` is kept, as written, in its string.
 */
function parsePolicy(policy: string): Json {
  const expressions: string[] = [];
  const masked = policy.replace(/\$\{(?:[^{}"]|"(?:[^"\\]|\\.)*")*\}/g, (expression) => `\uE000${expressions.push(expression) - 1}\uE001`);
  return JSON.parse(masked, (_, value) => (typeof value === 'string' ? value.replace(/\uE000(\d+)\uE001/g, (_m, index) => expressions[Number(index)]) : value));
}

/** Every IAM policy document of the stack, by address: role policies, managed policies, roles' inline policies. */
function policyDocuments(stack: Json): { address: string; role?: string; statements: Statement[] }[] {
  const documents: { address: string; role?: string; statements: Statement[] }[] = [];
  const parse = (policy: string) => asList<Statement>(parsePolicy(policy).Statement);
  for (const [name, policy] of Object.entries<Json>(stack.resource.aws_iam_role_policy ?? {})) documents.push({ address: `aws_iam_role_policy.${name}`, role: policy.role, statements: parse(policy.policy) });
  for (const [name, policy] of Object.entries<Json>(stack.resource.aws_iam_policy ?? {})) documents.push({ address: `aws_iam_policy.${name}`, statements: parse(policy.policy) });
  for (const [name, role] of Object.entries<Json>(stack.resource.aws_iam_role ?? {})) {
    for (const inline of asList<Json>(role.inline_policy)) if (inline.policy) documents.push({ address: `aws_iam_role.${name}`, statements: parse(inline.policy) });
  }
  return documents;
}

/** Whether an IAM action pattern (wildcards * and ?, any case) covers `action`. */
function covers(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return regex.test(action);
}

/** Every Allow statement of the stack that grants `action`, with where it is. */
function grantsOf(stack: Json, action: string): { address: string; role?: string; statement: Statement }[] {
  return policyDocuments(stack).flatMap(({ address, role, statements }) =>
    statements
      .filter((s) => s.Effect === 'Allow' && (asList(s.Action).some((a) => covers(a, action)) || (s.NotAction !== undefined && !asList(s.NotAction).some((a) => covers(a, action)))))
      .map((statement) => ({ address, role, statement })),
  );
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * docs/production-data.md: `arn:aws:rds-db:<region>:<account>:dbuser:<resource id>/<user>`, the account
 * being the looked-up database's (field 5 of its ARN) and the resource ID the lookup's.
 */
function dbUserArn(lookup: string, arnAttribute: string, resourceIdAttribute: string, user = USER): RegExp {
  const account = `\${element(split(":", ${lookup}.${arnAttribute}), 4)}`;
  return new RegExp(`^${escape(`arn:aws:rds-db:${REGION}:${account}:dbuser:\${${lookup}.${resourceIdAttribute}}/${user}`)}$`);
}
const CLUSTER_USER_ARN = dbUserArn('data.aws_rds_cluster.production', 'arn', 'cluster_resource_id');
const INSTANCE_USER_ARN = dbUserArn('data.aws_db_instance.production', 'db_instance_arn', 'resource_id');

/** The postconditions of the database lookup. */
const postconditionsOf = (lookup: Json): { condition: string; error_message: string }[] => lookup.lifecycle?.postcondition ?? [];

/** Resources of `after` that are not in `before`, and those of both that differ. */
function changesFrom(before: Json, after: Json): { added: string[]; changed: string[]; removed: string[] } {
  const was = new Set(resourceAddresses(before));
  const is = new Set(resourceAddresses(after));
  return {
    added: [...is].filter((a) => !was.has(a)).sort(),
    removed: [...was].filter((a) => !is.has(a)).sort(),
    changed: [...is].filter((a) => was.has(a) && JSON.stringify(resourceAt(before, a)) !== JSON.stringify(resourceAt(after, a))).sort(),
  };
}

const CONNECT_GRANT = 'aws_iam_role_policy.stg_server_database_connect';
const PASSWORD_GRANT = 'aws_iam_role_policy.stg_server_database_password';
const INGRESS = 'aws_vpc_security_group_ingress_rule.database_from_stg_server';

describe('the stg example naming its Aurora cluster: read-only, IAM authentication, the team’s own roles', () => {
  let without: Synth;
  let run: Synth;
  beforeAll(() => {
    // GIVEN the example without service.database, and with it as the docs write it
    without = synthExample(undefined);
    run = synthExample(CLUSTER);
  });

  test('GIVEN service.database as the docs write it, the article’s DB_PASSWORD kept WHEN synthesized THEN stg is written with no error and one warning: the container still gets production’s password', () => {
    expect(run.errors).toEqual([]);
    expect(run.warnings).toEqual([expect.stringMatching(/^warning: .*stg\.json: aws_ecs_task_definition\.stg_server: STG-OtherDatabasePassword: .*: taskDefinition\.container\.secrets\.DB_PASSWORD \(/)]);
    expect(run.exitCode).toBe(0);
  });

  test('GIVEN the article’s DB_PASSWORD removed as well, as the docs say WHEN synthesized THEN no error and no warning', () => {
    const clean = synthExample(CLUSTER, NO_CONTAINER_SECRETS);
    expect(clean.errors).toEqual([]);
    expect(clean.warnings).toEqual([]);
    expect(clean.exitCode).toBe(0);
  });

  test('THEN the only rds-db:connect in the stack is one statement on the one dbuser ARN of the looked-up cluster’s resource ID and the user', () => {
    const grants = grantsOf(run.stack, 'rds-db:connect');
    expect(grants).toHaveLength(1);
    const resources = asList(grants[0].statement.Resource);
    expect(resources).toHaveLength(1);
    expect(resources[0]).toMatch(CLUSTER_USER_ARN);
    expect(grants[0].statement.NotAction).toBeUndefined();
  });

  test('THEN without service.database no statement of the example grants rds-db:connect (the grant is the section’s)', () => {
    expect(grantsOf(without.stack, 'rds-db:connect')).toEqual([]);
  });

  test('THEN the team’s task role gets exactly one attached statement, in a policy of the kit’s own, and nothing else of the kit', () => {
    const onTaskRole = policyDocuments(run.stack).filter((document) => document.role === roleName(TEAM_TASK_ROLE));
    expect(onTaskRole.map((document) => document.address)).toEqual([CONNECT_GRANT]);
    expect(onTaskRole[0].statements).toHaveLength(1);
    expect(onTaskRole[0].statements[0]).toMatchObject({ Effect: 'Allow', Action: ['rds-db:connect'] });
    const attachments = Object.values<Json>(run.stack.resource.aws_iam_role_policy_attachment ?? {});
    expect(attachments.filter((attachment) => attachment.role === roleName(TEAM_TASK_ROLE))).toEqual([]);
    // the role itself is the team's: referenced by its ARN, never written
    expect(resourceAt(run.stack, 'aws_ecs_task_definition.stg_server').task_role_arn).toBe(TEAM_TASK_ROLE);
    expect(Object.values<Json>(run.stack.resource.aws_iam_role ?? {}).map((role) => role.name)).not.toContain(roleName(TEAM_TASK_ROLE));
  });

  test('THEN nothing of the database is managed: no aws_rds_* or aws_db_* resource, the cluster is a data source', () => {
    expect(resourceAddresses(run.stack).filter((address) => /^aws_(rds|db)_/.test(address))).toEqual([]);
    expect(resourceAddresses(run.stack).filter((address) => PRODUCTION_SIDE.test(address.split('.')[0]))).toEqual([]);
    expect(dataAddresses(run.stack)).toContain('data.aws_rds_cluster.production');
    expect(run.stack.data.aws_rds_cluster.production.cluster_identifier).toBe(CLUSTER.clusterIdentifier);
  });

  test('THEN beside the example without it, the section adds the ingress rule and the connect grant, and changes only the task definition', () => {
    expect(changesFrom(without.stack, run.stack)).toEqual({
      added: [CONNECT_GRANT, INGRESS].sort(),
      changed: ['aws_ecs_task_definition.stg_server'],
      removed: [],
    });
  });

  test('THEN the ingress rule admits the tasks’ own group on the looked-up database’s group and port, TCP only', () => {
    const rule = resourceAt(run.stack, INGRESS);
    const port = '${data.aws_rds_cluster.production.port}';
    expect(rule).toMatchObject({ ip_protocol: 'tcp', from_port: port, to_port: port });
    expect(rule.security_group_id).toContain('data.aws_rds_cluster.production.vpc_security_group_ids');
    const service = resourceAt(run.stack, 'aws_ecs_service.stg_server');
    expect(service.network_configuration.security_groups).toEqual([rule.referenced_security_group_id]);
  });

  test('THEN the container gets DB_HOST (the writer endpoint), DB_PORT, DB_NAME, DB_USER and DB_IAM_AUTH "true" as plain variables, beside its own', () => {
    const environment = environmentOf(run.stack);
    expect(environment).toEqual({
      ...example().taskDefinition.container.environment,
      DB_HOST: '${data.aws_rds_cluster.production.endpoint}',
      DB_PORT: '${data.aws_rds_cluster.production.port}',
      DB_NAME: CLUSTER.databaseName,
      DB_USER: USER,
      DB_IAM_AUTH: 'true',
    });
  });

  test('THEN the lookup checks at plan that the user is not the master user, IAM authentication is on, and the engine is the file’s', () => {
    const conditions = postconditionsOf(run.stack.data.aws_rds_cluster.production).map((check) => check.condition);
    expect(conditions).toEqual(
      expect.arrayContaining([`\${self.master_username != "${USER}"}`, '${self.iam_database_authentication_enabled}', `\${self.engine == "${CLUSTER.engine}"}`]),
    );
    // read-only: no reader is needed
    expect(conditions.some((condition) => condition.includes('cluster_members'))).toBe(false);
  });

  test('THEN every plan-time check’s message names the field of service.database to fix', () => {
    const messages = postconditionsOf(run.stack.data.aws_rds_cluster.production).map((check) => check.error_message);
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) expect(message).toMatch(/^service\.database\.(user|iamAuth|engine|access)/);
  });
});

describe('the variables’ names are the file’s when service.database.environment gives them', () => {
  test('GIVEN libpq’s names for every connection variable WHEN synthesized THEN the container has those, and none of the DB_* defaults', () => {
    const names = { host: 'PGHOST', port: 'PGPORT', name: 'PGDATABASE', user: 'PGUSER', iamAuth: 'PG_IAM_AUTH' };
    const environment = environmentOf(synthExample({ ...CLUSTER, environment: names }).stack);
    expect(environment).toMatchObject({ PGHOST: '${data.aws_rds_cluster.production.endpoint}', PGPORT: '${data.aws_rds_cluster.production.port}', PGDATABASE: 'app', PGUSER: USER, PG_IAM_AUTH: 'true' });
    expect(Object.keys(environment).filter((name) => name.startsWith('DB_'))).toEqual([]);
  });

  test('GIVEN only the host renamed WHEN synthesized THEN the others keep their defaults', () => {
    const environment = environmentOf(synthExample({ ...CLUSTER, environment: { host: 'DATABASE_HOST' } }).stack);
    expect(Object.keys(environment).sort()).toEqual(['APP_ENV', 'DATABASE_HOST', 'DB_IAM_AUTH', 'DB_NAME', 'DB_PORT', 'DB_USER']);
  });
});

describe('access "reader": the cluster’s reader endpoint, and a reader must exist', () => {
  let run: Synth;
  beforeAll(() => {
    run = synthExample({ ...CLUSTER, access: 'reader' });
  });

  test('GIVEN access reader WHEN synthesized THEN DB_HOST is the reader endpoint', () => {
    expect(run.exitCode).toBe(0);
    expect(environmentOf(run.stack).DB_HOST).toBe('${data.aws_rds_cluster.production.reader_endpoint}');
  });

  test('GIVEN access reader WHEN synthesized THEN the plan fails unless the cluster has a member beside the writer', () => {
    const reader = postconditionsOf(run.stack.data.aws_rds_cluster.production).find((check) => check.condition.includes('cluster_members'));
    expect(reader?.condition).toBe('${length(self.cluster_members) > 1}');
    expect(reader?.error_message).toMatch(/^service\.database\.access: "reader": cluster prod-db has no reader instance/);
  });

  test('GIVEN access reader WHEN synthesized THEN the grant is the same single dbuser ARN: reader is a host, not a user', () => {
    const grants = grantsOf(run.stack, 'rds-db:connect');
    expect(grants.flatMap((grant) => asList(grant.statement.Resource))).toEqual([expect.stringMatching(CLUSTER_USER_ARN)]);
  });
});

describe('passwordSecret: the secret’s ARN for the execution role and the container’s secrets, never a plain value', () => {
  const passwordUser = { user: USER, iamAuth: undefined, passwordSecret: SECRET };

  test('GIVEN the team’s execution role WHEN synthesized THEN it gets one statement: reading that one secret, by ARN', () => {
    const run = synthExample({ ...INSTANCE, ...passwordUser }, NO_CONTAINER_SECRETS);
    expect(run.exitCode).toBe(0);
    const grant = policyDocuments(run.stack).find((document) => document.address === PASSWORD_GRANT)!;
    expect(grant.role).toBe(roleName(TEAM_EXECUTION_ROLE));
    expect(grant.statements).toEqual([expect.objectContaining({ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [SECRET] })]);
    expect(policyDocuments(run.stack).filter((document) => document.role === roleName(TEAM_EXECUTION_ROLE))).toHaveLength(1);
  });

  test('GIVEN a password secret WHEN synthesized THEN DB_PASSWORD is an ECS secret valueFrom the ARN, and no plain variable holds it', () => {
    const run = synthExample({ ...INSTANCE, ...passwordUser }, NO_CONTAINER_SECRETS);
    expect(secretsOf(run.stack)).toEqual({ DB_PASSWORD: SECRET });
    const environment = environmentOf(run.stack);
    expect(environment).not.toHaveProperty('DB_PASSWORD');
    expect(Object.values(environment)).not.toContain(SECRET);
    expect(environment.DB_IAM_AUTH).toBe('false');
  });

  test('GIVEN a password secret WHEN synthesized THEN no statement grants rds-db:connect and the lookup does not ask for IAM authentication', () => {
    const run = synthExample({ ...CLUSTER, ...passwordUser }, NO_CONTAINER_SECRETS);
    expect(grantsOf(run.stack, 'rds-db:connect')).toEqual([]);
    expect(resourceAddresses(run.stack)).not.toContain(CONNECT_GRANT);
    expect(postconditionsOf(run.stack.data.aws_rds_cluster.production).map((check) => check.condition)).not.toContain('${self.iam_database_authentication_enabled}');
  });

  test('GIVEN the kit’s own execution role and a JSON-key reference WHEN synthesized THEN the role reads the bare secret ARN, the container keeps the key', () => {
    const reference = `${SECRET}:password::`;
    const run = synthExample({ ...INSTANCE, user: USER, iamAuth: undefined, passwordSecret: reference }, { ...NO_CONTAINER_SECRETS, 'taskDefinition.executionRoleArn': undefined });
    expect(run.exitCode).toBe(0);
    expect(resourceAddresses(run.stack)).not.toContain(PASSWORD_GRANT);
    const readers = grantsOf(run.stack, 'secretsmanager:GetSecretValue');
    expect(readers.map((grant) => [grant.address, asList(grant.statement.Resource)])).toEqual([['aws_iam_role_policy.stg_server_execution_secrets', [SECRET]]]);
    expect(secretsOf(run.stack)).toEqual({ DB_PASSWORD: reference });
  });

  test('GIVEN an SSM parameter ARN WHEN synthesized THEN the execution role may ssm:GetParameters that parameter only', () => {
    const run = synthExample({ ...INSTANCE, user: USER, iamAuth: undefined, passwordSecret: PARAMETER }, NO_CONTAINER_SECRETS);
    const readers = grantsOf(run.stack, 'ssm:GetParameters');
    expect(readers.map((grant) => [grant.address, asList(grant.statement.Resource)])).toEqual([[PASSWORD_GRANT, [PARAMETER]]]);
    expect(secretsOf(run.stack)).toEqual({ DB_PASSWORD: PARAMETER });
  });

  test('GIVEN the password renamed WHEN synthesized THEN the secret has the file’s name', () => {
    const run = synthExample({ ...INSTANCE, ...passwordUser, environment: { password: 'PGPASSWORD' } }, NO_CONTAINER_SECRETS);
    expect(secretsOf(run.stack)).toEqual({ PGPASSWORD: SECRET });
  });
});

describe('instanceIdentifier: an RDS instance, looked up by data.aws_db_instance', () => {
  let run: Synth;
  beforeAll(() => {
    run = synthExample(INSTANCE);
  });

  test('GIVEN an RDS instance WHEN synthesized THEN it is a data source, the only database lookup, and nothing of it is managed', () => {
    expect(run.exitCode).toBe(0);
    expect(dataAddresses(run.stack).filter((address) => /aws_(rds|db)_/.test(address))).toEqual(['data.aws_db_instance.production']);
    expect(run.stack.data.aws_db_instance.production.db_instance_identifier).toBe(INSTANCE.instanceIdentifier);
    expect(resourceAddresses(run.stack).filter((address) => /^aws_(rds|db)_/.test(address))).toEqual([]);
  });

  test('GIVEN an RDS instance WHEN synthesized THEN the one rds-db:connect is on its resource_id (DbiResourceId) and the user', () => {
    const grants = grantsOf(run.stack, 'rds-db:connect');
    expect(grants.flatMap((grant) => asList(grant.statement.Resource))).toEqual([expect.stringMatching(INSTANCE_USER_ARN)]);
  });

  test('GIVEN an RDS instance WHEN synthesized THEN DB_HOST is its address, and the ingress rule is on its group and port', () => {
    expect(environmentOf(run.stack)).toMatchObject({ DB_HOST: '${data.aws_db_instance.production.address}', DB_PORT: '${data.aws_db_instance.production.port}' });
    const rule = resourceAt(run.stack, INGRESS);
    expect(rule).toMatchObject({ from_port: '${data.aws_db_instance.production.port}', to_port: '${data.aws_db_instance.production.port}' });
    expect(rule.security_group_id).toContain('data.aws_db_instance.production.vpc_security_groups');
  });

  test('GIVEN an RDS instance WHEN synthesized THEN its plan-time checks are the master user and the engine', () => {
    expect(postconditionsOf(run.stack.data.aws_db_instance.production).map((check) => check.condition)).toEqual(
      expect.arrayContaining([`\${self.master_username != "${USER}"}`, `\${self.engine == "${INSTANCE.engine}"}`]),
    );
  });
});

describe('the kit’s own task role (no taskRoleArn)', () => {
  test('GIVEN no taskRoleArn WHEN synthesized THEN rds-db:connect is a statement of the kit’s task role policy, the only one, and nothing is attached elsewhere', () => {
    const run = synthExample(CLUSTER, { 'taskDefinition.taskRoleArn': undefined });
    expect(run.exitCode).toBe(0);
    const grants = grantsOf(run.stack, 'rds-db:connect');
    expect(grants.map((grant) => grant.address)).toEqual(['aws_iam_role_policy.stg_server_task_policy']);
    expect(asList(grants[0].statement.Resource)).toEqual([expect.stringMatching(CLUSTER_USER_ARN)]);
    expect(resourceAddresses(run.stack)).not.toContain(CONNECT_GRANT);
  });
});

describe('the earlier form, {securityGroupId, port}: the network path only', () => {
  let without: Synth;
  let run: Synth;
  beforeAll(() => {
    without = synthExample(undefined);
    run = synthExample(LEGACY);
  });

  test('GIVEN only securityGroupId and port WHEN synthesized THEN it is written, with the one STG-DatabaseNetworkOnly warning', () => {
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.warnings).toEqual([expect.stringMatching(new RegExp(`${escape(INGRESS)}: STG-DatabaseNetworkOnly: `))]);
  });

  test('GIVEN only securityGroupId and port WHEN synthesized THEN the ingress rule on that group and port is all it adds, and nothing else changes', () => {
    expect(changesFrom(without.stack, run.stack)).toEqual({ added: [INGRESS], changed: [], removed: [] });
    expect(resourceAt(run.stack, INGRESS)).toMatchObject({ security_group_id: LEGACY.securityGroupId, from_port: LEGACY.port, to_port: LEGACY.port, ip_protocol: 'tcp' });
  });

  test('GIVEN only securityGroupId and port WHEN synthesized THEN no database is looked up, no DB_* variable is set, no rds-db:connect granted', () => {
    expect(dataAddresses(run.stack).filter((address) => /aws_(rds|db)_/.test(address))).toEqual([]);
    expect(environmentOf(run.stack)).toEqual(environmentOf(without.stack));
    expect(grantsOf(run.stack, 'rds-db:connect')).toEqual([]);
  });
});

describe('previews connect as staging does, and never write', () => {
  let run: Synth;
  let preview: Json;
  beforeAll(() => {
    run = synthExample(CLUSTER, {}, { preview: true });
    preview = run.preview!;
  });

  test('GIVEN the example’s previews WHEN preview 12 is synthesized THEN it gets staging’s connection variables, the host and port from staging’s outputs', () => {
    expect(run.exitCode).toBe(0);
    const staging = environmentOf(run.stack);
    const environment = environmentOf(preview);
    expect(environment).toMatchObject({ DB_NAME: staging.DB_NAME, DB_USER: USER, DB_IAM_AUTH: staging.DB_IAM_AUTH });
    expect(environment.DB_HOST).toBe('${data.terraform_remote_state.staging.outputs.previews_database_host}');
    expect(environment.DB_PORT).toBe('${data.terraform_remote_state.staging.outputs.previews_database_port}');
    expect(run.stack.output.previews_database_host.value).toBe(staging.DB_HOST);
    expect(run.stack.output.previews_database_port.value).toBe(staging.DB_PORT);
  });

  test('GIVEN the example’s previews WHEN preview 12 is synthesized THEN it runs with staging’s task role and grants, adds no IAM, ingress rule or lookup of its own', () => {
    expect(resourceAt(preview, 'aws_ecs_task_definition.stg_server').task_role_arn).toBe(resourceAt(run.stack, 'aws_ecs_task_definition.stg_server').task_role_arn);
    expect(resourceAddresses(preview).filter((address) => /^aws_(iam|vpc_security_group|rds|db)_/.test(address))).toEqual([]);
    expect(dataAddresses(preview).filter((address) => /aws_(rds|db)_/.test(address))).toEqual([]);
  });

  test('GIVEN staging in reader mode WHEN preview 12 is synthesized THEN staging hands the previews its reader endpoint', () => {
    const reader = synthExample({ ...CLUSTER, access: 'reader' }, {}, { preview: true });
    expect(reader.stack.output.previews_database_host.value).toBe('${data.aws_rds_cluster.production.reader_endpoint}');
    expect(environmentOf(reader.preview!).DB_HOST).toBe(environmentOf(preview).DB_HOST);
  });

  test('GIVEN read-write with its consent WHEN synthesized with previews THEN synth stops: no preview (and no staging) is written', () => {
    const config = setPath(example(), 'service.database', { ...CLUSTER, access: 'read-write', allowProductionWrites: true });
    const project = tempProject({ stg: config });
    try {
      const errors: string[] = [];
      const result = synthesize({ ...project, previews: { numbers: [12] }, info: () => undefined, error: (line) => errors.push(line), warn: () => undefined });
      expect(result.exitCode).toBe(1);
      expect(errors).toContainEqual(expect.stringMatching(/service\.database\.access: "read-write" with previews/));
      expect(fs.existsSync(project.outdir)).toBe(false);
    } finally {
      fs.rmSync(project.root, { recursive: true, force: true });
    }
  });
});

describe('ProductionDatabase and TeamRoleGrant on their own', () => {
  const props = (change: Partial<ProductionDatabaseProps>): ProductionDatabaseProps => ({
    region: REGION,
    engine: 'aurora-postgresql',
    clusterIdentifier: 'prod-db',
    databaseName: 'app',
    user: USER,
    iamAuth: true,
    access: 'read-only',
    ...change,
  });

  test('GIVEN both a cluster and an instance identifier WHEN built THEN it throws naming the construct', () => {
    expect(() => synthScope((scope) => new ProductionDatabase(scope, 'Database', props({ instanceIdentifier: 'prod-pg' })))).toThrow(/Database: give exactly one of clusterIdentifier and instanceIdentifier/);
  });

  test('GIVEN neither identifier WHEN built THEN it throws', () => {
    expect(() => synthScope((scope) => new ProductionDatabase(scope, 'Database', props({ clusterIdentifier: undefined })))).toThrow(/give exactly one of clusterIdentifier and instanceIdentifier/);
  });

  test('GIVEN reader on an instance WHEN built THEN it throws: an instance has no reader endpoint', () => {
    expect(() => synthScope((scope) => new ProductionDatabase(scope, 'Database', props({ engine: 'postgres', clusterIdentifier: undefined, instanceIdentifier: 'prod-pg', access: 'reader' })))).toThrow(/access "reader" needs clusterIdentifier/);
  });

  test('GIVEN no IAM authentication WHEN built THEN it has no connect resource, and manages nothing', () => {
    let database: ProductionDatabase | undefined;
    const synth = synthScope((scope) => {
      database = new ProductionDatabase(scope, 'Database', props({ iamAuth: false }));
    });
    expect(database!.connectResource).toBeUndefined();
    expect(synth.addresses()).toEqual([]);
  });

  test('GIVEN an empty list of statements WHEN a TeamRoleGrant is built THEN it throws: an empty policy is no grant', () => {
    expect(() => synthScope((scope) => new TeamRoleGrant(scope, 'Grant', { roleArn: TEAM_TASK_ROLE, policyName: 'p', statements: [], address: 'grant' }))).toThrow(/statements: must list at least one/);
  });

  test('GIVEN a role ARN with a path WHEN a TeamRoleGrant is built THEN the policy is on the role’s name, the last segment', () => {
    const synth = synthScope((scope) => {
      new TeamRoleGrant(scope, 'Grant', {
        roleArn: 'arn:aws:iam::123456789012:role/team/app/stg-server-task',
        policyName: 'staging-database-connect',
        statements: [{ Sid: 'ConnectToDatabase', Effect: 'Allow', Action: ['rds-db:connect'], Resource: ['arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:cluster-ABC/staging_reader'] }],
        address: 'grant',
      });
    });
    expect(synth.resource('aws_iam_role_policy', 'grant')).toMatchObject({ role: 'stg-server-task', name: 'staging-database-connect' });
  });

  test('GIVEN a role ARN known only at plan WHEN a TeamRoleGrant is built THEN Terraform takes the name from it', () => {
    const synth = synthScope((scope) => {
      const arn = new TerraformVariable(scope, 'task_role_arn', { type: 'string' });
      new TeamRoleGrant(scope, 'Grant', { roleArn: arn.stringValue, policyName: 'p', statements: [{ Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/k'] }], address: 'grant' });
    });
    expect(synth.resource('aws_iam_role_policy', 'grant').role).toBe('${regex("[^/]+$", var.task_role_arn)}');
  });
});
