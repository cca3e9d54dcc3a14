import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATABASE_ENGINES } from '../../src/aws/rds';
import { synthesize } from '../../src/synth/synth';
import { setPath, tempProject } from '../support/environments';
import { resynth } from '../support/resynth';
import { PROJECT_ROOT } from '../support/paths';

/**
 * `service.database` (issue 26) on the stg example, examples/stg.json: each file that breaks one of the
 * section's rules stops synth with one line, "error: <file>: <field>: <rule> (got <value>)", naming
 * service.database, and leaves cdktf.out exactly as the previous synth wrote it.
 */

const EXAMPLE = path.join(PROJECT_ROOT, 'examples', 'stg.json');
const example = (): Record<string, any> => JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));

const CLUSTER = { engine: 'aurora-postgresql', clusterIdentifier: 'prod-db', databaseName: 'app', user: 'staging_reader', iamAuth: true };
const INSTANCE = { engine: 'postgres', instanceIdentifier: 'prod-pg', databaseName: 'app', user: 'staging_reader', iamAuth: true };
const SECRET = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:stg/db-reader-AbCdEf';
const PARAMETER = 'arn:aws:ssm:ap-northeast-1:123456789012:parameter/stg/db-reader';

/** The example naming `database` in service.database, with further changes at dotted paths (`undefined` removes). */
function exampleWith(database: Record<string, unknown>, set: Record<string, unknown> = {}): Record<string, any> {
  const config = setPath(example(), 'service.database', database);
  for (const [dotted, value] of Object.entries(set)) setPath(config, dotted, value);
  return config;
}
/** The example's own DB_PASSWORD (production's secret) is the kit's variable once the user has a passwordSecret. */
const NO_CONTAINER_SECRETS = { 'taskDefinition.container.secrets': undefined };
/** Without previews: the consent rules alone, not the previews' rule beside them. */
const NO_PREVIEWS = { previews: undefined };

interface Case {
  readonly name: string;
  readonly config: () => Record<string, any>;
  /** The field the line is about. */
  readonly field: string;
  readonly message: RegExp;
  /** The value the line must quote, as JSON. */
  readonly got?: unknown;
  /** A plain value in a secret field: never printed; the line says how long it is instead. */
  readonly hidden?: string;
}

describe('service.database on the stg example: one line per broken rule, and cdktf.out untouched', () => {
  // GIVEN a project whose previous synth of the example, naming the database, left output behind
  const project = tempProject({ stg: exampleWith(CLUSTER) });
  const file = path.join(project.environmentsDir, 'stg.json');
  beforeAll(() => {
    const errors: string[] = [];
    expect(synthesize({ ...project, info: () => undefined, error: (line) => errors.push(line), warn: () => undefined }).exitCode).toBe(0);
    expect(errors).toEqual([]);
  });
  afterAll(() => fs.rmSync(project.root, { recursive: true, force: true }));

  const synthOf = (config: Record<string, any>) => resynth(project, 'stg', config);

  function expectOneLine({ config, field, message, got, hidden }: Case) {
    // WHEN
    const run = synthOf(config());
    // THEN synth fails with the line: file, field, rule and value, naming service.database
    expect(run.exitCode).toBe(1);
    const line = run.errors.find((error) => error.startsWith(`error: ${file}: ${field}: `));
    expect(line ?? run.errors).toEqual(expect.stringMatching(message));
    expect(line).not.toContain('\n');
    expect(line).toContain('service.database');
    if (got !== undefined) expect(line).toContain(`(got ${JSON.stringify(got)})`);
    if (hidden !== undefined) {
      expect(line).toContain(`(got a plain value, ${hidden.length} characters, not shown)`);
      expect(run.errors.join('\n')).not.toContain(hidden);
    }
    // and nothing was written: the previous output is still there, as it was
    expect(Object.keys(run.before)).toContain(path.join('stacks', 'stg', 'cdk.tf.json'));
    expect(run.untouched).toBe(true);
  }

  test('GIVEN the example naming the Aurora cluster as the docs do WHEN synthesized THEN it passes (the control of every case below)', () => {
    const run = synthOf(exampleWith(CLUSTER));
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
  });

  describe('access "read-write" needs allowProductionWrites: true', () => {
    const cases: Case[] = [
      { name: 'read-write, no consent', config: () => exampleWith({ ...CLUSTER, access: 'read-write' }, NO_PREVIEWS), field: 'service.database.access', message: /"read-write" lets staging change production data: add allowProductionWrites: true beside it to consent, or use "read-only"/, got: 'read-write' },
      { name: 'read-write, consent false', config: () => exampleWith({ ...CLUSTER, access: 'read-write', allowProductionWrites: false }, NO_PREVIEWS), field: 'service.database.access', message: /add allowProductionWrites: true beside it to consent/, got: 'read-write' },
      { name: 'read-write on an RDS instance, no consent', config: () => exampleWith({ ...INSTANCE, access: 'read-write' }, NO_PREVIEWS), field: 'service.database.access', message: /add allowProductionWrites: true beside it to consent/, got: 'read-write' },
      { name: 'read-write, no consent, previews too', config: () => exampleWith({ ...CLUSTER, access: 'read-write' }), field: 'service.database.access', message: /add allowProductionWrites: true beside it to consent/, got: 'read-write' },
      { name: 'the consent with read-only (the default): a stray consent', config: () => exampleWith({ ...CLUSTER, allowProductionWrites: true }, NO_PREVIEWS), field: 'service.database.allowProductionWrites', message: /consents to access "read-write", but access is "read-only": remove it/, got: true },
      { name: 'the consent with reader: a stray consent', config: () => exampleWith({ ...CLUSTER, access: 'reader', allowProductionWrites: true }, NO_PREVIEWS), field: 'service.database.allowProductionWrites', message: /but access is "reader": remove it/, got: true },
      { name: 'read-write with consent on the network path only', config: () => exampleWith({ securityGroupId: 'sg-00112233445566778', port: 5432, access: 'read-write', allowProductionWrites: true }, NO_PREVIEWS), field: 'service.database.access', message: /"read-write" needs the database named \(engine, clusterIdentifier or instanceIdentifier, databaseName, user\)/, got: 'read-write' },
    ];
    test.each(cases)('GIVEN $name WHEN synthesized THEN one line, nothing written', (c) => expectOneLine(c));

    test('GIVEN read-write with allowProductionWrites: true and no previews WHEN synthesized THEN it passes', () => {
      const run = synthOf(exampleWith({ ...CLUSTER, access: 'read-write', allowProductionWrites: true }, NO_PREVIEWS));
      expect(run.errors).toEqual([]);
      expect(run.exitCode).toBe(0);
    });
  });

  describe('access "reader" needs an Aurora cluster', () => {
    const cases: Case[] = [
      { name: 'reader on a PostgreSQL instance', config: () => exampleWith({ ...INSTANCE, access: 'reader' }), field: 'service.database.access', message: /"reader" needs an Aurora cluster \(clusterIdentifier\): an RDS instance has no reader endpoint; use "read-only"/, got: 'reader' },
      { name: 'reader on a MySQL instance', config: () => exampleWith({ ...INSTANCE, engine: 'mysql', access: 'reader' }), field: 'service.database.access', message: /an RDS instance has no reader endpoint/, got: 'reader' },
      { name: 'reader on a MariaDB instance with a password', config: () => exampleWith({ ...INSTANCE, engine: 'mariadb', user: 'staging_reader', passwordSecret: SECRET, access: 'reader' }, NO_CONTAINER_SECRETS), field: 'service.database.access', message: /an RDS instance has no reader endpoint/, got: 'reader' },
    ];
    test.each(cases)('GIVEN $name WHEN synthesized THEN one line, nothing written', (c) => expectOneLine(c));

    test('GIVEN reader on the Aurora cluster WHEN synthesized THEN it passes', () => {
      const run = synthOf(exampleWith({ ...CLUSTER, access: 'reader' }));
      expect(run.errors).toEqual([]);
      expect(run.exitCode).toBe(0);
    });
  });

  describe('exactly one of clusterIdentifier and instanceIdentifier; the rest of the database named', () => {
    const { clusterIdentifier: _cluster, ...noIdentifier } = CLUSTER;
    const cases: Case[] = [
      { name: 'both identifiers, an Aurora engine', config: () => exampleWith({ ...CLUSTER, instanceIdentifier: 'prod-pg' }), field: 'service.database.instanceIdentifier', message: /give either clusterIdentifier \(Aurora\) or instanceIdentifier \(RDS\), not both/ },
      { name: 'both identifiers, an RDS engine', config: () => exampleWith({ ...INSTANCE, clusterIdentifier: 'prod-db' }), field: 'service.database.instanceIdentifier', message: /give either clusterIdentifier \(Aurora\) or instanceIdentifier \(RDS\), not both/ },
      { name: 'neither identifier, an Aurora engine', config: () => exampleWith(noIdentifier), field: 'service.database.clusterIdentifier', message: /is required \(an Aurora cluster\), or instanceIdentifier \(an RDS instance\)/ },
      { name: 'neither identifier, an RDS engine', config: () => exampleWith({ ...noIdentifier, engine: 'mysql' }), field: 'service.database.clusterIdentifier', message: /is required \(an Aurora cluster\), or instanceIdentifier/ },
      { name: 'no engine', config: () => exampleWith({ ...CLUSTER, engine: undefined }), field: 'service.database.engine', message: /is required: postgres, aurora-postgresql, mysql, aurora-mysql or mariadb/ },
      { name: 'an engine RDS IAM authentication does not know', config: () => exampleWith({ ...CLUSTER, engine: 'aurora' }), field: 'service.database.engine', message: /postgres.*aurora-postgresql.*mysql.*aurora-mysql.*mariadb/, got: 'aurora' },
      { name: 'no databaseName', config: () => exampleWith({ ...CLUSTER, databaseName: undefined }), field: 'service.database.databaseName', message: /is required: the database staging reads/ },
      { name: 'no user', config: () => exampleWith({ ...CLUSTER, user: undefined }), field: 'service.database.user', message: /is required: the database user staging connects as, with iamAuth: true or passwordSecret beside it/ },
      { name: 'a cluster identifier RDS refuses (two hyphens)', config: () => exampleWith({ ...CLUSTER, clusterIdentifier: 'prod--db' }), field: 'service.database.clusterIdentifier', message: /must be an RDS identifier/, got: 'prod--db' },
    ];
    test.each(cases)('GIVEN $name WHEN synthesized THEN one line, nothing written', (c) => expectOneLine(c));
  });

  describe('the engine matches the identifier: Aurora is a cluster, the others an instance', () => {
    const cases: Case[] = [
      { name: 'aurora-postgresql with instanceIdentifier', config: () => exampleWith({ ...INSTANCE, engine: 'aurora-postgresql' }), field: 'service.database.instanceIdentifier', message: /engine "aurora-postgresql" is an Aurora cluster: use clusterIdentifier/, got: 'prod-pg' },
      { name: 'aurora-mysql with instanceIdentifier', config: () => exampleWith({ ...INSTANCE, engine: 'aurora-mysql' }), field: 'service.database.instanceIdentifier', message: /engine "aurora-mysql" is an Aurora cluster: use clusterIdentifier/, got: 'prod-pg' },
      { name: 'postgres with clusterIdentifier', config: () => exampleWith({ ...CLUSTER, engine: 'postgres' }), field: 'service.database.clusterIdentifier', message: /is an Aurora cluster; engine "postgres" runs on an RDS instance: use instanceIdentifier, or engine aurora-postgresql \(got /, got: 'prod-db' },
      { name: 'mysql with clusterIdentifier', config: () => exampleWith({ ...CLUSTER, engine: 'mysql' }), field: 'service.database.clusterIdentifier', message: /engine "mysql" runs on an RDS instance: use instanceIdentifier, or engine aurora-mysql /, got: 'prod-db' },
      { name: 'mariadb with clusterIdentifier', config: () => exampleWith({ ...CLUSTER, engine: 'mariadb' }), field: 'service.database.clusterIdentifier', message: /engine "mariadb" runs on an RDS instance: use instanceIdentifier, or engine aurora-mysql /, got: 'prod-db' },
      { name: 'schemas on a MySQL engine', config: () => exampleWith({ ...CLUSTER, engine: 'aurora-mysql', schemas: ['public'] }), field: 'service.database.schemas', message: /applies to PostgreSQL only; on aurora-mysql the grant is on databaseName/, got: ['public'] },
    ];
    test.each(cases)('GIVEN $name WHEN synthesized THEN one line, nothing written', (c) => expectOneLine(c));

    test.each(['postgres', 'mysql', 'mariadb'])('GIVEN %s with clusterIdentifier WHEN synthesized THEN the engine the line suggests is one the file may name', (engine) => {
      const run = synthOf(exampleWith({ ...CLUSTER, engine }));
      const line = run.errors.find((error) => error.startsWith(`error: ${file}: service.database.clusterIdentifier: `))!;
      const suggested = /or engine ([a-z-]+)/.exec(line)?.[1];
      expect(DATABASE_ENGINES).toContain(suggested);
    });
  });

  describe('user: staging’s own user, lower case, at most 32 characters, not one RDS keeps', () => {
    const named = (name: string): Case => ({
      name: `the user ${JSON.stringify(name)}`,
      config: () => exampleWith({ ...CLUSTER, user: name, iamAuth: true }),
      field: 'service.database.user',
      message: /must be 1–32 lower-case letters, digits and "_", not starting with a digit, and not a name RDS or the engine keeps/,
      got: name,
    });
    const reserved = ['rdsadmin', 'postgres', 'root', 'admin', 'rds_superuser', 'pg_monitor', 'mysql_native'].map(named);
    const tooLong = ['a'.repeat(33), `staging_${'r'.repeat(25)}`].map(named);
    const notLowerCase = ['Staging_reader', 'STAGING', 'stagingReader'].map(named);
    const otherwise = ['1reader', 'staging-reader', ''].map(named);

    test.each(reserved)('GIVEN a reserved name, $name, WHEN synthesized THEN one line, nothing written', (c) => expectOneLine(c));
    test.each(tooLong)('GIVEN a name past 32 characters, $name, WHEN synthesized THEN one line, nothing written', (c) => expectOneLine(c));
    test.each(notLowerCase)('GIVEN a name not in lower case, $name, WHEN synthesized THEN one line, nothing written', (c) => expectOneLine(c));
    test.each(otherwise)('GIVEN $name WHEN synthesized THEN one line, nothing written', (c) => expectOneLine(c));

    test.each(['s'.repeat(32), 'staging_reader_2', '_staging', 'postgres_reader', 'rdsreader'])('GIVEN the user %j WHEN synthesized THEN it passes', (name) => {
      const run = synthOf(exampleWith({ ...CLUSTER, user: name, iamAuth: true }));
      expect(run.errors).toEqual([]);
      expect(run.exitCode).toBe(0);
    });
  });

  describe('beside user: exactly one of iamAuth: true and passwordSecret, the secret by ARN, never its value', () => {
    const user = (fields: Record<string, unknown>) => ({ ...CLUSTER, user: 'staging_reader', iamAuth: undefined, ...fields });
    const cases: Case[] = [
      { name: 'a plain password', config: () => exampleWith(user({ passwordSecret: 'hunter2' }), NO_CONTAINER_SECRETS), field: 'service.database.passwordSecret', message: /must be a Secrets Manager secret ARN .*, an SSM parameter ARN .* or an SSM parameter name/, hidden: 'hunter2' },
      { name: 'a plain passphrase', config: () => exampleWith(user({ passwordSecret: 'correct horse battery staple' }), NO_CONTAINER_SECRETS), field: 'service.database.passwordSecret', message: /must be a Secrets Manager secret ARN/, hidden: 'correct horse battery staple' },
      { name: 'an ARN of something else (a KMS key)', config: () => exampleWith(user({ passwordSecret: 'arn:aws:kms:ap-northeast-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab' }), NO_CONTAINER_SECRETS), field: 'service.database.passwordSecret', message: /must be a Secrets Manager secret ARN/ },
      { name: 'an SSM parameter by name, not ARN', config: () => exampleWith(user({ passwordSecret: '/stg/db-reader' }), NO_CONTAINER_SECRETS), field: 'service.database.passwordSecret', message: /must be an SSM parameter ARN, so that the execution role may read exactly that parameter/, got: '/stg/db-reader' },
      { name: 'iamAuth and a Secrets Manager secret', config: () => exampleWith(user({ iamAuth: true, passwordSecret: SECRET }), NO_CONTAINER_SECRETS), field: 'service.database.passwordSecret', message: /give either iamAuth: true or passwordSecret, not both/ },
      { name: 'iamAuth and an SSM parameter', config: () => exampleWith(user({ iamAuth: true, passwordSecret: PARAMETER }), NO_CONTAINER_SECRETS), field: 'service.database.passwordSecret', message: /give either iamAuth: true or passwordSecret, not both/ },
      { name: 'neither: a name alone', config: () => exampleWith(user({})), field: 'service.database.user', message: /needs iamAuth: true or passwordSecret \(a Secrets Manager or SSM reference\)/ },
      { name: 'neither: iamAuth false', config: () => exampleWith(user({ iamAuth: false })), field: 'service.database.user', message: /needs iamAuth: true or passwordSecret/ },
      { name: 'iamAuth as a string', config: () => exampleWith(user({ iamAuth: 'true' })), field: 'service.database.iamAuth', message: /boolean/ },
      { name: 'the user as an object with iamAuth inside it', config: () => exampleWith({ ...CLUSTER, iamAuth: undefined, user: { name: 'staging_reader', iamAuth: true } }), field: 'service.database.user', message: /must be a string/ },
    ];
    test.each(cases)('GIVEN $name WHEN synthesized THEN one line, nothing written', (c) => expectOneLine(c));

    test.each([
      ['a Secrets Manager secret ARN', SECRET],
      ['a Secrets Manager secret ARN with a JSON key', `${SECRET}:password::`],
      ['an SSM parameter ARN', PARAMETER],
    ])('GIVEN passwordSecret as %s WHEN synthesized THEN it passes', (_, passwordSecret) => {
      const run = synthOf(exampleWith(user({ passwordSecret }), NO_CONTAINER_SECRETS));
      expect(run.errors).toEqual([]);
      expect(run.exitCode).toBe(0);
    });
  });

  describe('previews never write: "read-write" beside previews', () => {
    const consented = { access: 'read-write', allowProductionWrites: true };
    const cases: Case[] = [
      { name: 'read-write with consent on the cluster, the example’s previews', config: () => exampleWith({ ...CLUSTER, ...consented }), field: 'service.database.access', message: /"read-write" with previews: each preview runs a pull request's code with staging's task role and connection, so it would write production too; use "read-only", or remove previews/, got: 'read-write' },
      { name: 'read-write with consent on an instance with a password', config: () => exampleWith({ ...INSTANCE, user: 'staging_writer', iamAuth: undefined, passwordSecret: SECRET, ...consented }, NO_CONTAINER_SECRETS), field: 'service.database.access', message: /"read-write" with previews/, got: 'read-write' },
      { name: 'read-write with consent, previews with a variable of their own', config: () => exampleWith({ ...CLUSTER, ...consented }, { 'previews.environment': { APP_ENV: 'preview', READ_ONLY: 'true' } }), field: 'service.database.access', message: /"read-write" with previews/, got: 'read-write' },
    ];
    test.each(cases)('GIVEN $name WHEN synthesized THEN one line, nothing written', (c) => expectOneLine(c));
  });

  describe('the connection variables are the kit’s: none of the file’s may have their names', () => {
    const withPassword = { ...CLUSTER, user: 'staging_reader', iamAuth: undefined, passwordSecret: SECRET };
    const cases: Case[] = [
      { name: 'DB_HOST in the container’s environment', config: () => exampleWith(CLUSTER, { 'taskDefinition.container.environment.DB_HOST': 'db.internal' }), field: 'taskDefinition.container.environment.DB_HOST', message: /is set by service\.database \(host\); remove it, or rename the kit's with service\.database\.environment\.host/ },
      { name: 'DB_USER in the container’s environment', config: () => exampleWith(CLUSTER, { 'taskDefinition.container.environment.DB_USER': 'app' }), field: 'taskDefinition.container.environment.DB_USER', message: /is set by service\.database \(user\)/ },
      { name: 'DB_IAM_AUTH among the container’s secrets', config: () => exampleWith(CLUSTER, { 'taskDefinition.container.secrets.DB_IAM_AUTH': SECRET }), field: 'taskDefinition.container.secrets.DB_IAM_AUTH', message: /is set by service\.database \(iamAuth\)/ },
      { name: 'the example’s own DB_PASSWORD secret, beside a passwordSecret', config: () => exampleWith(withPassword), field: 'taskDefinition.container.secrets.DB_PASSWORD', message: /is set by service\.database \(password\); remove it, or rename the kit's with service\.database\.environment\.password/ },
      { name: 'a renamed variable, host as APP_ENV, which the container sets', config: () => exampleWith({ ...CLUSTER, environment: { host: 'APP_ENV' } }), field: 'taskDefinition.container.environment.APP_ENV', message: /is set by service\.database \(host\)/ },
      { name: 'two of the kit’s variables under one name', config: () => exampleWith({ ...CLUSTER, environment: { user: 'DB_HOST' } }), field: 'service.database.environment.user', message: /names the same variable as environment\.host/, got: 'DB_HOST' },
      { name: 'DB_NAME in the previews’ environment', config: () => exampleWith(CLUSTER, { 'previews.environment.DB_NAME': 'app_preview' }), field: 'previews.environment.DB_NAME', message: /is set by service\.database \(name\); a preview connects as staging does/ },
      { name: 'DB_PASSWORD among the previews’ secrets, beside a passwordSecret', config: () => exampleWith(withPassword, { ...NO_CONTAINER_SECRETS, 'previews.secrets': { DB_PASSWORD: SECRET } }), field: 'previews.secrets.DB_PASSWORD', message: /is set by service\.database \(password\); a preview connects as staging does/ },
      { name: 'a variable name that is no variable name', config: () => exampleWith({ ...CLUSTER, environment: { host: 'DB-HOST' } }), field: 'service.database.environment.host', message: /must be a variable name/, got: 'DB-HOST' },
    ];
    test.each(cases)('GIVEN $name WHEN synthesized THEN one line, nothing written', (c) => expectOneLine(c));

    test('GIVEN DB_HOST in the container and the kit’s host renamed to PGHOST WHEN synthesized THEN it passes', () => {
      const run = synthOf(exampleWith({ ...CLUSTER, environment: { host: 'PGHOST' } }, { 'taskDefinition.container.environment.DB_HOST': 'legacy.internal' }));
      expect(run.errors).toEqual([]);
      expect(run.exitCode).toBe(0);
    });
  });
});
