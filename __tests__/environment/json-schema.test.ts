import Ajv2020, { ErrorObject } from 'ajv/dist/2020';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { environmentJsonSchema, JSON_SCHEMA_FILE } from '../../src/synth/editor-schema';
import { loadEnvironmentFile } from '../../src/environment/load';
import { cidr, headerName } from '../../src/environment/rules/access';
import { secretReference } from '../../src/environment/rules/aws-ids';
import { matcher } from '../../src/environment/rules/target-group';
import { hostHeader } from '../../src/environment/rules/listener-rule';
import { branchName } from '../../src/environment/rules/pipeline';
import { ENVIRONMENTS_DIR, environmentFileNames, EXAMPLES_DIR, isEnvironmentFileName } from '../../src/environment/sources';
import { FIXTURE_ENVIRONMENTS_DIR, fixtureJson, setPath, tempProject } from '../support/environments';
import { PROJECT_ROOT, TEAM_FIXTURES_DIR } from '../support/paths';

describe('the editor JSON Schema', () => {
  test('the committed file is what the zod schema generates (run `npm run schema` when this fails)', () => {
    // GIVEN
    const committed = fs.readFileSync(path.join(PROJECT_ROOT, JSON_SCHEMA_FILE), 'utf8');
    // WHEN
    const generated = environmentJsonSchema();
    // THEN
    expect(committed).toBe(generated);
  });

  test('it carries the rules editors can check: required fields, patterns, ranges, no unknown keys', () => {
    // WHEN
    const schema = JSON.parse(environmentJsonSchema());
    // THEN
    expect(schema.required).toEqual(expect.arrayContaining(['region', 'taskDefinition', 'service', 'listenerRule', 'dnsRecord', 'ecrLifecycle']));
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.listenerRule.properties.priority).toMatchObject({ type: 'integer', minimum: 1, maximum: 50000 });
    expect(schema.properties.targetGroup.properties.name.pattern).toBeDefined();
    expect(schema.properties.listenerRule.required).toEqual(expect.arrayContaining(['priority', 'hostHeader', 'access']));
  });

  test('every example and fixture environment that names a $schema names it (the examples all do)', () => {
    const files = kitEnvironmentFiles();
    expect(files.length).toBeGreaterThanOrEqual(8);
    const schemaOf = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8')).$schema;
    // the team-like fixtures are written for environments/, where the CI guard copies them
    const home = (file: string) => (path.dirname(file) === TEAM_FIXTURES_DIR ? path.join(PROJECT_ROOT, ENVIRONMENTS_DIR) : path.dirname(file));
    for (const file of files.filter((f) => schemaOf(f) !== undefined)) {
      expect({ file, schema: path.resolve(home(file), String(schemaOf(file))) }).toEqual({ file, schema: path.join(PROJECT_ROOT, JSON_SCHEMA_FILE) });
    }
    expect(files.filter((file) => file.includes(`${path.sep}${EXAMPLES_DIR}${path.sep}`) && schemaOf(file) === undefined)).toEqual([]);
  });
});

/** The kit's own environment files: the examples and every test fixture, never the team's. */
function kitEnvironmentFiles(): string[] {
  const fixtures = path.join(PROJECT_ROOT, '__tests__', 'fixtures');
  const dirs = [path.join(PROJECT_ROOT, EXAMPLES_DIR), FIXTURE_ENVIRONMENTS_DIR, ...['article', 'lookup'].map((name) => path.join(fixtures, name)), TEAM_FIXTURES_DIR];
  return dirs.flatMap((dir) => fs.readdirSync(dir).filter(isEnvironmentFileName).map((name) => path.join(dir, name)));
}

/** Those, and the team's environments/ (whatever it holds): the editor schema must accept every file synth accepts. */
function environmentFiles(): string[] {
  const own = path.join(PROJECT_ROOT, ENVIRONMENTS_DIR);
  return [...kitEnvironmentFiles(), ...environmentFileNames(own).map((name) => path.join(own, name))];
}

/** The committed schema compiled by a standard Draft 2020-12 validator; any strict-mode warning (unknown keyword, format) fails. */
function editorValidator() {
  const fail = (...message: unknown[]) => {
    throw new Error(message.join(' '));
  };
  const ajv = new Ajv2020({ allErrors: true, formats: { uri: (value: string) => URL.canParse(value) }, logger: { log: () => undefined, warn: fail, error: fail } });
  return ajv.compile(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, JSON_SCHEMA_FILE), 'utf8')));
}

/** An ajv error as synth's dotted path: the instance path, plus the missing or unknown key it is about. */
function dottedPath(error: ErrorObject): string {
  const key = (error.params as { missingProperty?: string; additionalProperty?: string }).missingProperty ?? (error.params as { additionalProperty?: string }).additionalProperty;
  return [...error.instancePath.split('/').slice(1), ...(key === undefined ? [] : [key])].join('.');
}

/** What synth's checks say about a file holding `config`: its error lines, or none. */
function synthErrors(config: Record<string, unknown>): { file: string; errors: string[] } {
  const project = tempProject({ stg: config });
  const file = path.join(project.environmentsDir, 'stg.json');
  const result = loadEnvironmentFile(file);
  return { file, errors: result.ok ? [] : result.errors };
}

const SECRET_ARN = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:prod/db-password-AbCdEf';

describe('the editor JSON Schema accepts and rejects what synth does (ajv, Draft 2020-12)', () => {
  const validate = editorValidator();

  test('every example and fixture environment is valid against it', () => {
    const files = environmentFiles();
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      const valid = validate(JSON.parse(fs.readFileSync(file, 'utf8')));
      expect({ file, errors: valid ? null : validate.errors }).toEqual({ file, errors: null });
    }
  });

  // A sample of the bad-input suite's shape errors: the same change to the fixture, and the field synth reports it on.
  const rejected: { rule: string; set: Record<string, unknown>; path: string }[] = [
    { rule: 'unknown field: a typo', set: { 'targetGroup.heathCheck': {} }, path: 'targetGroup.heathCheck' },
    { rule: 'unknown field at the top', set: { regoin: 'ap-northeast-1' }, path: 'regoin' },
    { rule: 'wrong type of section', set: { service: [] }, path: 'service' },
    { rule: 'priority: a string', set: { 'listenerRule.priority': '100' }, path: 'listenerRule.priority' },
    { rule: 'host header: no dot', set: { 'listenerRule.hostHeader': 'localhost' }, path: 'listenerRule.hostHeader' },
    { rule: 'host header: an underscore', set: { 'listenerRule.hostHeader': 'stg_api.example.com' }, path: 'listenerRule.hostHeader' },
    { rule: 'host header: digits after the last dot', set: { 'listenerRule.hostHeader': 'stg-api.example.123' }, path: 'listenerRule.hostHeader' },
    { rule: 'host header: 129 characters', set: { 'listenerRule.hostHeader': `${'a'.repeat(117)}.example.com`, 'dnsRecord.name': `${'a'.repeat(117)}.example.com` }, path: 'listenerRule.hostHeader' },
    { rule: 'CIDR: no prefix', set: { 'listenerRule.access.sourceIps': ['203.0.113.0'] }, path: 'listenerRule.access.sourceIps.0' },
    { rule: 'CIDR: an octet over 255', set: { 'listenerRule.access.sourceIps': ['203.0.256.0/24'] }, path: 'listenerRule.access.sourceIps.0' },
    { rule: 'CIDR: 0.0.0.0/0 is no allowlist', set: { 'listenerRule.access.sourceIps': ['0.0.0.0/0'] }, path: 'listenerRule.access.sourceIps.0' },
    { rule: 'CIDR: an IPv6 /16', set: { 'listenerRule.access.sourceIps': ['2001::/16'] }, path: 'listenerRule.access.sourceIps.0' },
    { rule: 'secret: a plain value', set: { 'taskDefinition.container.secrets.DB_PASSWORD': 'hunter2' }, path: 'taskDefinition.container.secrets.DB_PASSWORD' },
    { rule: 'secret: a header value written in the file', set: { 'listenerRule.access.httpHeader': { name: 'X-Staging-Key', valueFrom: 'let-me-in' } }, path: 'listenerRule.access.httpHeader.valueFrom' },
    { rule: 'token secret: an SSM parameter name', set: { 'pipeline.connectionArn': undefined, 'pipeline.tokenSecretArn': '/stg/github-token' }, path: 'pipeline.tokenSecretArn' },
    { rule: 'priority: 0', set: { 'listenerRule.priority': 0 }, path: 'listenerRule.priority' },
    { rule: 'priority: 50001', set: { 'listenerRule.priority': 50001 }, path: 'listenerRule.priority' },
    { rule: 'container port: 65536', set: { 'taskDefinition.container.port': 65536 }, path: 'taskDefinition.container.port' },
    { rule: 'missing required field', set: { 'listenerRule.priority': undefined }, path: 'listenerRule.priority' },
    { rule: 'access: none at all', set: { 'listenerRule.access': undefined }, path: 'listenerRule.access' },
    { rule: 'listener: neither an ARN nor a lookup', set: { 'listenerRule.listenerArn': undefined }, path: 'listenerRule.listenerArn' },
    { rule: 'listener: both an ARN and a lookup', set: { 'listenerRule.loadBalancer': { name: 'prod-alb', listenerPort: 443 } }, path: 'listenerRule.loadBalancer' },
    { rule: 'VPC: required without an ALB lookup', set: { 'targetGroup.vpcId': undefined }, path: 'targetGroup.vpcId' },
    { rule: 'VPC ID: malformed', set: { 'targetGroup.vpcId': 'vpc-XYZ' }, path: 'targetGroup.vpcId' },
  ];

  test('the sample covers at least 8 shape errors', () => {
    expect(rejected.length).toBeGreaterThanOrEqual(8);
  });

  test.each(rejected)('it rejects what synth rejects: $rule', ({ set, path: field }) => {
    // GIVEN the fixture with one change
    const config = fixtureJson('stg');
    for (const [dotted, value] of Object.entries(set)) setPath(config, dotted, value);
    // WHEN
    const valid = validate(config);
    const synth = synthErrors(config);
    // THEN both reject it, ajv on that field (or, for a rule between keys, on its section)
    expect(synth.errors.find((error) => error.startsWith(`${synth.file}: ${field}: `)) ?? synth.errors).toEqual(expect.any(String));
    expect(valid).toBe(false);
    const paths = (validate.errors ?? []).map(dottedPath);
    expect(paths.some((at) => at !== '' && (field === at || field.startsWith(`${at}.`))) ? field : paths).toBe(field);
  });

  test('it accepts whole references (${var.…}) in ID and ARN fields, as synth does', () => {
    // GIVEN ID and ARN fields given as Terraform variables (synth declares them)
    const config = fixtureJson('stg');
    const references: Record<string, unknown> = {
      'taskDefinition.executionRoleArn': '${var.execution_role_arn}',
      'taskDefinition.taskRoleArn': '${var.task_role_arn}',
      'taskDefinition.container.secrets.DB_PASSWORD': '${var.db_secret_arn}',
      'targetGroup.vpcId': '${var.vpc_id}',
      'service.subnetIds': ['${var.subnet_a}', '${var.subnet_b}'],
      'listenerRule.listenerArn': '${var.listener_arn}',
      'listenerRule.access.httpHeader': { name: 'X-Staging-Key', valueFrom: '${var.staging_key_parameter_arn}' },
      'dnsRecord.zoneId': '${var.zone_id}',
      'dnsRecord.target': '${var.alb_dns_name}',
      'logs.kmsKeyArn': '${var.logs_key_arn}',
      'pipeline.connectionArn': '${var.connection_arn}',
    };
    for (const [dotted, value] of Object.entries(references)) setPath(config, dotted, value);
    // WHEN / THEN synth accepts the file, and so does the editor schema
    expect(synthErrors(config).errors).toEqual([]);
    expect(validate(config) ? null : validate.errors).toBeNull();
  });
});

describe('the editor patterns of predicate rules are the predicates, plus the reference form', () => {
  const schema = JSON.parse(environmentJsonSchema());
  const listenerRule = schema.properties.listenerRule.properties;
  // ECMA-262 with the "u" flag, as JSON Schema validators (ajv) compile `pattern`.
  const cases: { field: string; rule: z.ZodType; pattern: string; values: string[] }[] = [
    {
      field: 'listenerRule.hostHeader',
      rule: hostHeader,
      pattern: listenerRule.hostHeader.pattern,
      values: ['stg-api.example.com', '*.example.com', 'stg-?.example.co', 'localhost', 'a.b1', 'a.', '.com', 'stg_api.example.com', `${'a'.repeat(124)}.com`, `${'a'.repeat(125)}.com`, 'a.com\n', '', '${var.host}', 'x${var.host}y'],
    },
    {
      field: 'listenerRule.access.sourceIps[]',
      rule: cidr,
      pattern: listenerRule.access.properties.sourceIps.items.pattern,
      values: [
        ...[0, 7, 8, 9, 10, 16, 24, 31, 32, 33, 99, 100].flatMap((prefix) => [`10.0.0.0/${prefix}`, `2001:db8::/${prefix}`]),
        ...[96, 127, 128, 129, 200, 999].map((prefix) => `2001:db8::/${prefix}`),
        ...['08', '008', '032', '0128', '128'].flatMap((prefix) => [`10.0.0.0/${prefix}`, `2001:db8::/${prefix}`]),
        ...['0', '9', '09', '099', '199', '200', '249', '250', '255', '256', '300', '1000'].map((octet) => `203.0.${octet}.0/24`),
        // networks only: host bits (203.0.113.7/24) are beyond a regex, and synth's alone
        '203.0.113.0', '::/32', '1:2:3:4:5:6:7:8/128', '1:2:3:4:5:6:7:8:9/64', '12345::/64', '2001:db8::g/64', '2001db8/64', '${var.office_cidr}',
        ':::/64', '1::2::3/64', '::ffff:1.2.3.4/128', '::ffff:1.2.3.256/128', '03.0.113.0/24', '2001:db8:0:0:0:0:0:0/32', 'fe80::/64', '1:2:3:4:5:6:1.2.3.4/128',
      ],
    },
    {
      field: 'secretReference',
      rule: secretReference,
      pattern: schema.properties.taskDefinition.properties.container.properties.secrets.additionalProperties.pattern,
      values: [SECRET_ARN, `${SECRET_ARN}:password::`, 'arn:aws:ssm:ap-northeast-1:123456789012:parameter/prod/db', '/prod/db', 'prod/db', '/', 'hunter2', 'arn:aws:kms:ap-northeast-1:123456789012:key/x', '${data.aws_ssm_parameter.x.arn}'],
    },
    {
      field: 'listenerRule.access.httpHeader.name',
      rule: headerName,
      pattern: listenerRule.access.properties.httpHeader.properties.name.pattern,
      values: ['X-Staging-Key', 'X Staging', '', 'x'.repeat(40), 'x'.repeat(41), "a!#$%&'*+-.^_`|~z", 'a:b'],
    },
    {
      field: 'pipeline.branch',
      rule: branchName,
      pattern: schema.properties.pipeline.properties.branch.pattern,
      values: ['develop', 'feature/x', 'feature x', 'release..1', '-x', '/x', 'x/', 'x.lock', 'x.locks', 'a~b', 'a[b', 'a\\b', 'v1.2'],
    },
    {
      field: 'targetGroup.healthCheck.matcher (except order within a range)',
      rule: matcher,
      pattern: schema.properties.targetGroup.properties.healthCheck.properties.matcher.pattern,
      values: ['200', '200,202', '200-299', '199', '500', '200-500', '200,', '2000', '200-299,302', 'abc'],
    },
  ];

  test.each(cases)('$field', ({ rule, pattern, values }) => {
    const regex = new RegExp(pattern, 'u');
    const disagreements = values.filter((value) => regex.test(value) !== rule.safeParse(value).success);
    expect(disagreements).toEqual([]);
  });
});
