import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CloneEngine } from '../../src/aws/rds';
import { MaskBuildspecProps, renderMaskBuildspec } from '../../src/pipeline/mask-buildspec';
import { Build, Call, CodeBuildStandIn } from '../support/codebuild';
import { describeWithDatabaseServer, MariadbServer, PostgresServer } from '../support/database-servers';
import { DATABASE_SERVER_GAPS } from '../support/emulator/gaps';

/**
 * The clone's masking job (issue 27, "Masking, fail closed"), run as CodeBuild runs it: the generated
 * buildspec's phases in bash (support/codebuild.ts's runner), against a real database server that stands
 * in for the clone, with a stub `aws` first on PATH. The stub answers the waiter, the endpoint check and
 * get-secret-value (a JSON secret of the server's master), records every call, and scales nothing: that
 * `aws ecs update-service --desired-count` was called, and after the mask, is what "the service left 0
 * tasks" means here. The client (psql, mariadb) is the real one behind a wrapper that records its argv.
 */

const DB = 'app';
const MASTER = 'master';
/** A master password the shell would run or split if it ever parsed it; RDS's own never holds a quote or "@". */
const PASSWORD = "s3cr3t'$(touch pwned)`touch pwned2` \\ #x";
const SECRET_ARN = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!cluster-0123abcd-0123-4567-89ab-0123456789ab-AbCdEf';
const CLONE = 'prod-db-stg-clone';
const DESIRED = 2;
const MASK_FILE = 'db/mask.sql';

const secretJson = (password = PASSWORD) => JSON.stringify({ username: MASTER, password });

/** The personal data: three users, as production holds them; `plan` and `created_at` are not personal and must survive. */
const PEOPLE = [
  ['ada@lovelace.example', 'Ada Lovelace', '+44 20 7946 0001', 'pro', '2024-01-02'],
  ['grace@hopper.example', 'Grace Hopper', '+1 202 555 0102', 'free', '2024-02-03'],
  ['edsger@dijkstra.example', 'Edsger Dijkstra', '+31 20 555 0103', 'pro', '2024-03-04'],
] as const;
const PERSONAL = PEOPLE.flatMap(([email, name, phone]) => [email, name, phone]);
const UNMASKED_ROWS = PEOPLE.map(([email, name, phone, plan, created], i) => [String(i + 1), email, name, phone, plan, created].join('|')).join('\n');
const MASKED_ROWS = PEOPLE.map(([, , , plan, created], i) => [String(i + 1), `user${i + 1}@example.invalid`, `User ${i + 1}`, `+10000000${i + 1}`, plan, created].join('|')).join('\n');

/** The mask: plain UPDATEs (no superuser on RDS for PostgreSQL Anonymizer), the same on both engines. */
const MASK = [
  "UPDATE users SET email = CONCAT('user', id, '@example.invalid'), full_name = CONCAT('User ', id);",
  "UPDATE users SET phone = CONCAT('+10000000', id);",
  '',
].join('\n');
/** A valid first statement, then an error: in one transaction, the first must not stay. */
const BROKEN_MASK = ["UPDATE users SET email = CONCAT('user', id, '@example.invalid');", 'UPDATE users SET no_such_column = 1;', ''].join('\n');

const STUB_AWS = String.raw`#!/usr/bin/env bash
record=aws
for arg in "$@"; do record+=$'\t'"$arg"; done
printf '%s\n' "$record" >> "$STUB_LOG"
call="aws $*"
if [ -n "$STUB_FAIL" ] && [[ "$call" == *"$STUB_FAIL"* ]]; then
  echo "An error occurred (AccessDeniedException) when calling $STUB_FAIL: failing as the test asked" >&2; exit 254
fi
case "$call" in
  'aws rds wait db-cluster-available '*) exit 0 ;;
  'aws rds describe-db-clusters '*) printf '%s\n' "$STUB_CLONE_ENDPOINT" ;;
  'aws secretsmanager get-secret-value '*) printf '%s\n' "$STUB_SECRET" ;;
  'aws ecs update-service '*) prev=; for arg in "$@"; do [ "$prev" = --desired-count ] && echo "$arg"; prev="$arg"; done ;;
  'aws ecs wait services-stable '*) exit 0 ;;
  'aws application-autoscaling register-scalable-target '*) printf '%s\n' '{"ScalableTargetARN": "arn:aws:application-autoscaling:ap-northeast-1:123456789012:scalable-target/0ec9aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}' ;;
  *) echo "stub aws: no answer for $call" >&2; exit 2 ;;
esac
`;

/** The real client, after recording its argv and the mode of a --defaults-file it is given. */
const clientWrapper = (real: string) => String.raw`#!/usr/bin/env bash
record="${'$'}{0##*/}"
for arg in "$@"; do
  record+=$'\t'"$arg"
  case "$arg" in --defaults-file=*) stat -c '%a' "${'$'}{arg#--defaults-file=}" > "$HOME/defaults-file-mode" ;; esac
done
printf '%s\n' "$record" >> "$STUB_LOG"
exec ${JSON.stringify(real)} "$@"
`;

/** The program and its first two arguments of each call, e.g. "aws ecs update-service". */
const programs = (calls: readonly Call[]) => calls.map((call) => call.argv.slice(0, 3).join(' '));
const indexOf = (build: Build, program: string) => programs(build.calls).findIndex((p) => p.startsWith(program));
/** The argument after `flag` in a call. */
const argAfter = (call: Call | undefined, flag: string) => call?.argv[call.argv.indexOf(flag) + 1];
const failureLines = (build: Build) => build.stderr.split('\n').filter((line) => line.startsWith('mask: '));

/** The wrapper dir and the stand-in, shared by both engines' suites. */
function jobRunner(clientName: string, realClient: string) {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-mask-bin-'));
  fs.writeFileSync(path.join(bin, 'aws'), STUB_AWS, { mode: 0o755 });
  fs.writeFileSync(path.join(bin, clientName), clientWrapper(realClient), { mode: 0o755 });
  const codebuild = CodeBuildStandIn.create({ epoch: '1700000000' });
  const run = (
    props: MaskBuildspecProps,
    options: { mask?: string | null; secret?: string; endpoint?: string; fail?: string; env?: Record<string, string>; pathFirst?: string } = {},
  ): Promise<Build> =>
    codebuild.runBuild(renderMaskBuildspec(props), {
      goVersion: null,
      files: options.mask === null ? {} : { [MASK_FILE]: options.mask ?? MASK },
      fail: options.fail,
      env: {
        // the stub aws and the client's wrapper first, then the real programs (jq, the client): none of the stand-in's own stubs
        PATH: `${options.pathFirst ? `${options.pathFirst}:` : ''}${bin}:${process.env.PATH}`,
        STUB_SECRET: options.secret ?? secretJson(),
        STUB_CLONE_ENDPOINT: options.endpoint ?? props.endpoint,
        ...options.env,
      },
    });
  const dispose = () => {
    codebuild.dispose();
    fs.rmSync(bin, { recursive: true, force: true });
  };
  return { run, dispose };
}

const propsFor = (engine: CloneEngine, endpoint: string, port: number): MaskBuildspecProps => ({
  engine,
  maskFile: MASK_FILE,
  clusterIdentifier: CLONE,
  endpoint,
  port,
  databaseName: DB,
  secretArn: SECRET_ARN,
  region: 'ap-northeast-1',
  ecsCluster: 'stg_ecs_cluster',
  ecsService: 'stg-server',
  desiredCount: DESIRED,
});

describeWithDatabaseServer('PostgreSQL 15', 'the masking job on a real PostgreSQL 15, as the build runs it', () => {
  let server: PostgresServer;
  let job: ReturnType<typeof jobRunner>;
  let props: MaskBuildspecProps;
  const SUPER = PostgresServer.SUPERUSER;
  const rows = () => server.sql(SUPER, DB, "SELECT id, email, full_name, phone, plan, to_char(created_at, 'YYYY-MM-DD') FROM users ORDER BY id");
  /** The three users as production has them, before each build. */
  const resetFixture = () =>
    server.sql(
      SUPER,
      DB,
      'TRUNCATE users RESTART IDENTITY',
      `INSERT INTO users (email, full_name, phone, plan, created_at) VALUES ${PEOPLE.map((p) => `(${p.map((v) => `'${v}'`).join(', ')})`).join(', ')}`,
    );

  beforeAll(() => {
    // the master signs in with its password (scram-sha-256), so a build that does not pass the secret's fails
    server = PostgresServer.start({ passwordRoles: [MASTER] });
    server.sql(SUPER, 'postgres', DATABASE_SERVER_GAPS.masterUser.postgres.replace('master', MASTER), `ALTER ROLE ${MASTER} PASSWORD '${PASSWORD.replace(/'/g, "''")}'`);
    server.sql(SUPER, 'postgres', `CREATE DATABASE ${DB} OWNER ${MASTER}`);
    // made by the local superuser (the harness signs in without passwords), owned by the master, as a clone's tables are
    server.sql(
      SUPER,
      DB,
      'CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE, full_name text NOT NULL, phone text, plan text NOT NULL, created_at date NOT NULL)',
      `ALTER TABLE users OWNER TO ${MASTER}`,
    );
    // the server's socket dir is the "endpoint": psql -h <dir> -p 5432 is its unix socket (DATABASE_SERVER_GAPS.maskingJob)
    props = propsFor('aurora-postgresql', server.dir, 5432);
    job = jobRunner('psql', path.join(PostgresServer.bindir(), 'psql'));
  });

  afterAll(() => {
    job?.dispose();
    server?.stop();
  });

  beforeEach(() => resetFixture());

  test('the fixture holds the personal data before any build', () => {
    // GIVEN the three users / WHEN read / THEN as production has them (so "masked" below is a change)
    expect(rows()).toBe(UNMASKED_ROWS);
  });

  test('GIVEN a mask file WHEN the job runs THEN the data is masked, and only after the mask is the service scaled to its count and waited for', async () => {
    // WHEN
    const build = await job.run(props);
    // THEN every phase succeeds
    expect(build.phases).toEqual([
      { name: 'install', status: 0 },
      { name: 'pre_build', status: 0 },
      { name: 'build', status: 0 },
    ]);
    // the personal data is gone; what is not personal is as it was
    expect(rows()).toBe(MASKED_ROWS);
    for (const value of PERSONAL) expect(server.sql(SUPER, DB, `SELECT count(*) FROM users WHERE '${value}' IN (email, full_name, phone)`)).toBe('0');
    // the calls, in this order: wait for the clone, check its endpoint, read its secret, mask, then scale and wait
    expect(programs(build.calls)).toEqual(['aws rds wait', 'aws rds describe-db-clusters', 'aws secretsmanager get-secret-value', `psql -X -v`, 'aws ecs update-service', 'aws ecs wait']);
    const update = build.calls[indexOf(build, 'aws ecs update-service')];
    expect(update.argv).toEqual(['aws', 'ecs', 'update-service', '--region', 'ap-northeast-1', '--cluster', 'stg_ecs_cluster', '--service', 'stg-server', '--desired-count', String(DESIRED), '--query', 'service.desiredCount', '--output', 'text']);
    expect(indexOf(build, 'aws ecs update-service')).toBeGreaterThan(indexOf(build, 'psql'));
    expect(argAfter(build.calls[indexOf(build, 'aws secretsmanager')], '--secret-id')).toBe(SECRET_ARN);
    expect(argAfter(build.calls[indexOf(build, 'aws rds wait')], '--db-cluster-identifier')).toBe(CLONE);
  });

  test('GIVEN a successful run WHEN its calls and log are read THEN psql stops at the first error in one transaction, and the password is on no command line, in no log line, and was run by no shell', async () => {
    // WHEN
    const build = await job.run(props);
    // THEN
    const psql = build.calls.find((call) => call.argv[0] === 'psql');
    expect(psql?.argv).toEqual(['psql', '-X', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-h', server.dir, '-p', '5432', '-d', DB, '-f', MASK_FILE]);
    for (const call of build.calls) for (const arg of call.argv) expect(arg).not.toContain('s3cr3t');
    expect(build.stdout + build.stderr).not.toContain('s3cr3t');
    expect(fs.existsSync(path.join(build.dir, 'pwned')) || fs.existsSync(path.join(build.dir, 'pwned2'))).toBe(false);
    // the one line the job says on success
    expect(build.stdout).toContain(`mask: ${MASK_FILE} masked ${DB} of the clone ${CLONE}: scaling stg-server to ${DESIRED} tasks`);
  });

  test('GIVEN a mask whose second statement fails WHEN the job runs THEN the build fails, the first statement is rolled back too, and the service is never scaled', async () => {
    // WHEN
    const build = await job.run(props, { mask: BROKEN_MASK });
    // THEN
    expect(build.phases.map((phase) => phase.name)).toEqual(['install', 'pre_build', 'build']);
    expect(build.phases[2].status).not.toBe(0);
    expect(build.stderr).toMatch(/column "no_such_column" of relation "users" does not exist/);
    expect(failureLines(build)).toEqual([`mask: ${MASK_FILE} failed on ${DB} of the clone ${CLONE} and was rolled back (one transaction): nothing was masked, and the service stays at 0 tasks`]);
    expect(programs(build.calls)).not.toContain('aws ecs update-service');
    expect(indexOf(build, 'psql')).toBeGreaterThan(-1);
    expect(rows()).toBe(UNMASKED_ROWS);
  });

  test('GIVEN the secret cannot be read WHEN the job runs THEN the build fails in one line, before any SQL, and the service is never scaled', async () => {
    // WHEN
    const build = await job.run(props, { fail: 'aws secretsmanager get-secret-value' });
    // THEN
    expect(build.phases[2]).toEqual({ name: 'build', status: 1 });
    expect(failureLines(build)).toEqual([`mask: could not read the clone's master secret ${SECRET_ARN}: nothing was masked, and the service stays at 0 tasks`]);
    expect(programs(build.calls)).toEqual(['aws rds wait', 'aws rds describe-db-clusters', 'aws secretsmanager get-secret-value']);
    expect(rows()).toBe(UNMASKED_ROWS);
  });

  test('GIVEN no mask file in the source WHEN the job runs THEN it fails in pre_build with one clear line, before any AWS call', async () => {
    // WHEN
    const build = await job.run(props, { mask: null });
    // THEN
    expect(build.phases).toEqual([
      { name: 'install', status: 0 },
      { name: 'pre_build', status: 1 },
    ]);
    expect(build.stderr.trim().split('\n')).toEqual([`mask: no file ${MASK_FILE} in the source (service.database.clone.mask): nothing was masked, and the service stays at 0 tasks`]);
    expect(build.calls).toEqual([]);
    expect(rows()).toBe(UNMASKED_ROWS);
  });

  test('GIVEN an empty mask file WHEN the job runs THEN it fails: an empty mask would serve the data as it is', async () => {
    // WHEN
    const build = await job.run(props, { mask: '' });
    // THEN
    expect(build.phases[1]).toEqual({ name: 'pre_build', status: 1 });
    expect(failureLines(build)).toEqual([`mask: ${MASK_FILE} is empty, it would mask nothing: nothing was masked, and the service stays at 0 tasks`]);
    expect(build.calls).toEqual([]);
  });

  test('GIVEN a secret with another password WHEN the job runs THEN the server refuses psql, the build fails and the service is never scaled (the secret is what signs in)', async () => {
    // WHEN
    const build = await job.run(props, { secret: secretJson('not-the-password') });
    // THEN
    expect(build.phases[2].status).not.toBe(0);
    expect(build.stderr).toMatch(/password authentication failed for user "master"/);
    expect(programs(build.calls)).not.toContain('aws ecs update-service');
    expect(rows()).toBe(UNMASKED_ROWS);
  });

  test('GIVEN a secret that is not JSON with a username and a password WHEN the job runs THEN it fails in one line, without running psql', async () => {
    // WHEN
    const build = await job.run(props, { secret: JSON.stringify({ username: MASTER }) });
    // THEN
    expect(build.phases[2].status).toBe(1);
    expect(failureLines(build)).toEqual([`mask: the secret ${SECRET_ARN} is not a JSON object with a username and a password: nothing was masked, and the service stays at 0 tasks`]);
    expect(programs(build.calls)).toEqual(['aws rds wait', 'aws rds describe-db-clusters', 'aws secretsmanager get-secret-value']);
  });

  test('GIVEN an endpoint that is not the clone\'s (RDS names another) WHEN the job runs THEN it fails before reading the secret or running any SQL', async () => {
    // WHEN
    const build = await job.run(props, { endpoint: 'prod-db.cluster-abc.ap-northeast-1.rds.amazonaws.com' });
    // THEN
    expect(build.phases[1]).toEqual({ name: 'pre_build', status: 1 });
    expect(failureLines(build)).toEqual([
      `mask: ${server.dir} is not the writer endpoint of the clone ${CLONE} (prod-db.cluster-abc.ap-northeast-1.rds.amazonaws.com): nothing was masked, and the service stays at 0 tasks`,
    ]);
    expect(programs(build.calls)).toEqual(['aws rds wait', 'aws rds describe-db-clusters']);
    expect(rows()).toBe(UNMASKED_ROWS);
  });

  test('GIVEN the clone never becomes available WHEN the job runs THEN the waiter\'s failure fails the build, and nothing else is called', async () => {
    // WHEN
    const build = await job.run(props, { fail: 'aws rds wait db-cluster-available' });
    // THEN
    expect(build.phases[1]).toEqual({ name: 'pre_build', status: 1 });
    expect(failureLines(build)).toEqual([`mask: the clone ${CLONE} did not become available (the waiter gives up after 30 minutes): nothing was masked, and the service stays at 0 tasks`]);
    expect(programs(build.calls)).toEqual(['aws rds wait']);
  });

  describe('with working hours: the scalable target waits suspended at 0, and the job resumes it as the schedule has it now', () => {
    // a schedule awake all but one minute a year, and the same swapped: the job's answer does not depend on when the test runs
    const AWAKE = { wake: 'cron(* * ? * * *)', sleep: 'cron(0 0 1 JAN ? *)', timezone: 'Asia/Tokyo' };
    const ASLEEP = { wake: AWAKE.sleep, sleep: AWAKE.wake, timezone: 'Asia/Tokyo' };
    const register = (build: Build) => build.calls.find((call) => call.argv.slice(0, 3).join(' ') === 'aws application-autoscaling register-scalable-target');
    const registerArgv = (count: number) => [
      'aws', 'application-autoscaling', 'register-scalable-target', '--region', 'ap-northeast-1', '--service-namespace', 'ecs', '--resource-id', 'service/stg_ecs_cluster/stg-server',
      '--scalable-dimension', 'ecs:service:DesiredCount', '--min-capacity', String(count), '--max-capacity', String(count),
      '--suspended-state', 'DynamicScalingInSuspended=false,DynamicScalingOutSuspended=false,ScheduledScalingSuspended=false',
    ];

    test('GIVEN working hours that have the service awake WHEN the job runs THEN the data is masked, and only then the target is resumed at the count, the service scaled to it and waited for', async () => {
      // WHEN
      const build = await job.run({ ...props, workingHours: AWAKE });
      // THEN
      expect(build.phases.map((phase) => phase.status)).toEqual([0, 0, 0]);
      expect(rows()).toBe(MASKED_ROWS);
      expect(programs(build.calls)).toEqual(['aws rds wait', 'aws rds describe-db-clusters', 'aws secretsmanager get-secret-value', 'psql -X -v', 'aws application-autoscaling register-scalable-target', 'aws ecs update-service', 'aws ecs wait']);
      expect(register(build)?.argv).toEqual(registerArgv(DESIRED));
      expect(argAfter(build.calls[indexOf(build, 'aws ecs update-service')], '--desired-count')).toBe(String(DESIRED));
      expect(build.stdout).toContain(`mask: the working hours have stg-server awake: ${DESIRED} tasks, its schedule resumed`);
    });

    test('GIVEN working hours that have the service asleep WHEN the job runs THEN the data is masked and the target resumed at 0: no task starts before the next wake', async () => {
      // WHEN
      const build = await job.run({ ...props, workingHours: ASLEEP });
      // THEN
      expect(build.phases.map((phase) => phase.status)).toEqual([0, 0, 0]);
      expect(rows()).toBe(MASKED_ROWS);
      expect(register(build)?.argv).toEqual(registerArgv(0));
      expect(programs(build.calls)).not.toContain('aws ecs update-service');
      expect(programs(build.calls)).not.toContain('aws ecs wait');
      expect(build.stdout).toContain('mask: the working hours have stg-server asleep: 0 tasks, its schedule resumed');
    });

    test('GIVEN the target cannot be resumed WHEN the job runs THEN the build fails in one line saying the clone is masked but the service stays at 0, and the service is not scaled', async () => {
      // WHEN
      const build = await job.run({ ...props, workingHours: AWAKE }, { fail: 'aws application-autoscaling register-scalable-target' });
      // THEN
      expect(build.phases[2]).toEqual({ name: 'build', status: 1 });
      expect(failureLines(build)).toEqual(['mask: could not resume the working hours of stg-server (service/stg_ecs_cluster/stg-server): the clone is masked, but the service stays at 0 tasks with its working hours suspended']);
      expect(programs(build.calls)).not.toContain('aws ecs update-service');
      expect(rows()).toBe(MASKED_ROWS);
    });

    test('GIVEN node cannot tell awake from asleep WHEN the job runs THEN the build fails in one line, and the target is neither resumed nor the service scaled', async () => {
      // GIVEN a node that fails, first on PATH
      const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-mask-node-'));
      fs.writeFileSync(path.join(broken, 'node'), '#!/usr/bin/env bash\necho "node: broken as the test asked" >&2\nexit 1\n', { mode: 0o755 });
      try {
        // WHEN
        const build = await job.run({ ...props, workingHours: AWAKE }, { pathFirst: broken });
        // THEN
        expect(build.phases[2]).toEqual({ name: 'build', status: 1 });
        expect(failureLines(build)).toEqual(['mask: could not tell whether the working hours (cron(* * ? * * *), cron(0 0 1 JAN ? *), Asia/Tokyo) have the service awake: the clone is masked, but the service stays at 0 tasks with its working hours suspended']);
        expect(register(build)).toBeUndefined();
        expect(programs(build.calls)).not.toContain('aws ecs update-service');
      } finally {
        fs.rmSync(broken, { recursive: true, force: true });
      }
    });

    test('GIVEN a failing mask with working hours WHEN the job runs THEN the target stays suspended (never registered) and the service at 0', async () => {
      // WHEN
      const build = await job.run({ ...props, workingHours: AWAKE }, { mask: BROKEN_MASK });
      // THEN
      expect(build.phases[2].status).not.toBe(0);
      expect(register(build)).toBeUndefined();
      expect(programs(build.calls)).not.toContain('aws ecs update-service');
      expect(rows()).toBe(UNMASKED_ROWS);
    });
  });
});

/** The MariaDB client (what the job installs for aurora-mysql), if this host has one. */
function mariadbClient(): string {
  const found = spawnSync('bash', ['-c', 'command -v mariadb'], { encoding: 'utf8' });
  return found.stdout.trim();
}

describeWithDatabaseServer('MariaDB', 'the masking job of an aurora-mysql clone on a real MariaDB, as the build runs it', () => {
  let server: MariadbServer;
  let job: ReturnType<typeof jobRunner>;
  let props: MaskBuildspecProps;
  const SUPER = MariadbServer.SUPERUSER;
  const rows = () => server.sql(SUPER, "SELECT CONCAT_WS('|', id, email, full_name, phone, plan, created_at) FROM users ORDER BY id", { database: DB });
  let socketEnv: Record<string, string>;

  beforeAll(async () => {
    server = await MariadbServer.start();
    const literal = PASSWORD.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
    server.sql(SUPER, [`CREATE DATABASE ${DB}`, `CREATE USER '${MASTER}'@'%' IDENTIFIED BY '${literal}'`, ...DATABASE_SERVER_GAPS.masterUser.mariadb].map((s) => `${s};`).join('\n'));
    server.sql(
      MASTER,
      'CREATE TABLE users (id int AUTO_INCREMENT PRIMARY KEY, email varchar(200) NOT NULL UNIQUE, full_name varchar(200) NOT NULL, phone varchar(50), plan varchar(20) NOT NULL, created_at date NOT NULL) ENGINE=InnoDB;',
      { database: DB, password: PASSWORD },
    );
    // the client reaches the socket-only server as "localhost" through MYSQL_UNIX_PORT (DATABASE_SERVER_GAPS.maskingJob)
    socketEnv = { MYSQL_UNIX_PORT: path.join(server.dir, 'sock') };
    props = propsFor('aurora-mysql', 'localhost', 3306);
    job = jobRunner('mariadb', mariadbClient());
  });

  afterAll(async () => {
    job?.dispose();
    await server?.stop();
  });

  beforeEach(() => {
    server.sql(
      MASTER,
      `TRUNCATE users; INSERT INTO users (email, full_name, phone, plan, created_at) VALUES ${PEOPLE.map((p) => `(${p.map((v) => `'${v}'`).join(', ')})`).join(', ')};`,
      { database: DB, password: PASSWORD },
    );
  });

  test('GIVEN a mask file WHEN the job runs THEN the data is masked through a 0600 defaults file (no password on any command line), then the service is scaled', async () => {
    // GIVEN the personal data
    expect(rows()).toBe(UNMASKED_ROWS);
    // WHEN
    const build = await job.run(props, { env: socketEnv });
    // THEN
    expect(build.phases.map((phase) => phase.status)).toEqual([0, 0, 0]);
    expect(rows()).toBe(MASKED_ROWS);
    expect(programs(build.calls)).toEqual(['aws rds wait', 'aws rds describe-db-clusters', 'aws secretsmanager get-secret-value', expect.stringMatching(/^mariadb --defaults-file=/), 'aws ecs update-service', 'aws ecs wait']);
    const client = build.calls.find((call) => call.argv[0] === 'mariadb')!;
    expect(client.argv.slice(2)).toEqual(['--ssl', '--batch', DB]);
    expect(fs.readFileSync(path.join(build.dir, 'defaults-file-mode'), 'utf8').trim()).toBe('600');
    for (const call of build.calls) for (const arg of call.argv) expect(arg).not.toContain('s3cr3t');
    expect(build.stdout + build.stderr).not.toContain('s3cr3t');
    // the defaults file is gone after the mask
    expect(fs.existsSync(client.argv[1].slice('--defaults-file='.length))).toBe(false);
    expect(argAfter(build.calls[indexOf(build, 'aws ecs update-service')], '--desired-count')).toBe(String(DESIRED));
  });

  test('GIVEN a mask whose second statement fails WHEN the job runs THEN the build fails, the first statement is rolled back, the defaults file is removed, and the service is never scaled', async () => {
    // WHEN
    const build = await job.run(props, { mask: BROKEN_MASK, env: socketEnv });
    // THEN
    expect(build.phases[2].status).not.toBe(0);
    expect(build.stderr).toMatch(/Unknown column 'no_such_column'/);
    expect(failureLines(build)).toEqual([`mask: ${MASK_FILE} failed on ${DB} of the clone ${CLONE} and was rolled back (one transaction): nothing was masked, and the service stays at 0 tasks`]);
    expect(programs(build.calls)).not.toContain('aws ecs update-service');
    const client = build.calls.find((call) => call.argv[0] === 'mariadb')!;
    expect(fs.existsSync(client.argv[1].slice('--defaults-file='.length))).toBe(false);
    expect(rows()).toBe(UNMASKED_ROWS);
  });

  test('GIVEN a secret with another password WHEN the job runs THEN the server refuses the client and the service is never scaled', async () => {
    // WHEN
    const build = await job.run(props, { secret: secretJson('not-the-password'), env: socketEnv });
    // THEN
    expect(build.phases[2].status).not.toBe(0);
    expect(build.stderr).toMatch(/Access denied for user 'master'/);
    expect(programs(build.calls)).not.toContain('aws ecs update-service');
    expect(rows()).toBe(UNMASKED_ROWS);
  });
});
