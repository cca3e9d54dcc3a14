/**
 * The buildspec of the clone's masking job (issue 27, "Masking, fail closed"): a CodeBuild build in the
 * VPC that runs the application repository's mask SQL against the copy-on-write clone, and only when
 * that succeeds scales the staging service from 0 tasks to its count. Any failure fails the build and
 * leaves the service where Terraform created it, at 0 tasks: the clone serves no one unmasked.
 *
 * With working hours the scalable target was created with its scheduled and dynamic scaling suspended
 * (`WorkingHours` `startsSuspended`), so that a wake cannot scale the service up before the mask has
 * run; after the mask the job resumes them, at the capacity the schedule has the service at right now
 * (`working-hours-now.ts`: awake, its count; asleep, 0), instead of a bare update-service. Either
 * failure leaves the service at 0 tasks and the schedule suspended.
 *
 * The values go in `env.variables` (YAML-quoted, with the Terraform references the project resolves),
 * and every command is the same text whatever they are: nothing of a value is ever parsed by the shell,
 * and the commands CodeBuild prints in its log hold no value at all. The master password is read at run
 * time with `aws secretsmanager get-secret-value` and reaches the client through its environment
 * (PostgreSQL: PGPASSWORD) or a 0600 defaults file (MySQL: `--defaults-file`), never a command line.
 */
import { ECS_DESIRED_COUNT, ecsServiceResourceId, isTimeZone } from '../aws/autoscaling';
import { CLONE_ENGINES, CloneEngine } from '../aws/rds';
import { ACCOUNT, PARTITION, REGIONS } from '../aws/ids';
import { TEMPLATE_SYNTAX } from '../kit/reference';
import { BuildspecPhase, MAX_WAIT_SECONDS, renderYaml } from './buildspec';
import { WORKING_HOURS_VARIABLES, workingHoursNowProblem, workingHoursScript } from './working-hours-now';

export interface MaskBuildspecProps {
  /** The clone's engine: the client the job runs (psql, or the MariaDB client for aurora-mysql). */
  readonly engine: CloneEngine;
  /**
   * The mask SQL, a file of the application repository (the build's source), relative to its root,
   * e.g. `db/mask.sql` (`service.database.clone.mask`). Plain statements (UPDATEs): the job runs it as one
   * transaction, so it must not hold BEGIN/COMMIT of its own, and on MySQL no DDL (DDL commits implicitly).
   */
  readonly maskFile: string;
  /** The clone's cluster identifier: what the job waits on and checks the endpoint against. */
  readonly clusterIdentifier: string;
  /** The clone's writer endpoint (`aws_rds_cluster.endpoint`); the job refuses to run unless RDS names it the cluster's. */
  readonly endpoint: string;
  /** The clone's port: a number, or a Terraform reference to one (the production lookup's, known at plan). */
  readonly port: number | string;
  /** The database the mask SQL runs in. */
  readonly databaseName: string;
  /** The clone's master secret, managed by RDS: a JSON object with `username` and `password`. */
  readonly secretArn: string;
  /** Region of the clone and of the ECS cluster. */
  readonly region: string;
  /** The ECS cluster of the service (name or ARN). */
  readonly ecsCluster: string;
  /** The service that waits at 0 tasks for the mask. */
  readonly ecsService: string;
  /** The tasks it gets once the clone is masked (at least 1): while awake, with `workingHours`. */
  readonly desiredCount: number;
  /**
   * The service's working hours, whose scalable target (`service/<ecsCluster>/<ecsService>`, so
   * `ecsCluster` is a name here) waits suspended at 0: after the mask the job resumes its scheduled and
   * dynamic scaling at the capacity the schedule has now, `desiredCount` awake or 0 asleep.
   * @default - none: the job scales the service with update-service
   */
  readonly workingHours?: MaskWorkingHours;
  /**
   * Seconds to wait for the service to become stable after the scale-up, 1–600.
   * @default 600 - the AWS CLI waiter's own limit (40 checks, 15 s apart)
   */
  readonly waitTimeoutSeconds?: number;
  /**
   * Environment file the props come from, named in the header comment.
   * @default - the header names no file
   */
  readonly sourceEnvironmentFile?: string;
}

/** Working hours as the file writes them (`service.schedule`, `previews.schedule`). */
export interface MaskWorkingHours {
  /** AWS cron expression of the wake action. */
  readonly wake: string;
  /** AWS cron expression of the sleep action. */
  readonly sleep: string;
  /** IANA time zone of both. */
  readonly timezone: string;
}

/** The masking job's buildspec as a plain object. */
export interface MaskBuildspec {
  readonly version: 0.2;
  readonly env: {
    /** bash, not CodeBuild's default /bin/sh, for `set -o pipefail`. */
    readonly shell: 'bash';
    /** The job's inputs (`MASK_VARIABLES`), and the PostgreSQL client's settings. */
    readonly variables: Readonly<Record<string, string>>;
  };
  readonly phases: {
    /** The database client and jq, from the image's package manager when missing. */
    readonly install: BuildspecPhase;
    /** The mask file is there, the clone is available, and the endpoint is the clone's. */
    readonly pre_build: BuildspecPhase;
    /** The secret, the mask in one transaction, and only then the scale-up and its wait. */
    readonly build: BuildspecPhase;
  };
}

/** The variables the commands read (`env.variables`): a start-build override of one is the caller's. */
export const MASK_VARIABLES = {
  maskFile: 'MASK_FILE',
  clusterIdentifier: 'MASK_CLUSTER',
  endpoint: 'MASK_DB_HOST',
  port: 'MASK_DB_PORT',
  databaseName: 'MASK_DB_NAME',
  secretArn: 'MASK_SECRET_ARN',
  region: 'MASK_REGION',
  ecsCluster: 'MASK_ECS_CLUSTER',
  ecsService: 'MASK_ECS_SERVICE',
  desiredCount: 'MASK_DESIRED_COUNT',
  /** With working hours: the scalable target's resource ID, and the script that tells awake from asleep. */
  scalableTarget: 'MASK_SCALABLE_TARGET',
  hoursScript: 'MASK_HOURS_JS',
  wake: WORKING_HOURS_VARIABLES.wake,
  sleep: WORKING_HOURS_VARIABLES.sleep,
  timezone: WORKING_HOURS_VARIABLES.timezone,
} as const;

/**
 * The client packages of the default build image (Amazon Linux 2023, `dnf`), installed only when the
 * image lacks the program: PostgreSQL 15's psql (which runs SQL on Aurora PostgreSQL 13 to 17 alike),
 * and the MariaDB 10.5 client for Aurora MySQL (its `--ssl` and option files are what the commands use).
 */
export const MASK_CLIENTS: Readonly<Record<CloneEngine, { readonly program: string; readonly package: string }>> = {
  'aurora-postgresql': { program: 'psql', package: 'postgresql15' },
  'aurora-mysql': { program: 'mariadb', package: 'mariadb105' },
};

/** A whole Secrets Manager secret ARN, RDS's own names (`rds!cluster-<uuid>`, with a "!" no other secret may hold) included. */
const SECRET_ARN = new RegExp(`^${PARTITION}:secretsmanager:[a-z0-9-]+:${ACCOUNT}:secret:[\\w/+=.@!-]+$`);

/** The tail of every failure line: what a failure leaves behind. */
const STAYS = 'nothing was masked, and the service stays at 0 tasks';
/** The tail of a failure after the mask, with working hours. */
const MASKED_STAYS = 'the clone is masked, but the service stays at 0 tasks with its working hours suspended';

const v = MASK_VARIABLES;
/** `"$NAME"`, for a variable of the job. */
const ref = (name: keyof typeof MASK_VARIABLES) => `"$${v[name]}"`;
/** In a failure line (already inside double quotes). */
const inLine = (name: keyof typeof MASK_VARIABLES) => `$${v[name]}`;
/** `command || { one line on stderr; false; }`: the command's failure, said once, fails the phase. */
const orFail = (command: string, line: string, cleanup = '') => `${command} || { ${cleanup}echo "mask: ${line}" >&2; false; }`;

/** The buildspec as a plain object. Throws on props that would make a broken job. */
export function maskBuildspecObject(props: MaskBuildspecProps): MaskBuildspec {
  validate(props);
  const waitSeconds = props.waitTimeoutSeconds ?? MAX_WAIT_SECONDS;
  const client = MASK_CLIENTS[props.engine];
  const aws = `--region ${ref('region')}`;
  const ecs = `${aws} --cluster ${ref('ecsCluster')}`;
  const postgres = props.engine === 'aurora-postgresql';

  const hours = props.workingHours;
  const install = [
    `command -v ${client.program} >/dev/null || dnf install -y -q ${client.package}`,
    'command -v jq >/dev/null || dnf install -y -q jq',
    // the working hours are read by a script of the image's node (the standard images have it)
    ...(hours ? ['command -v node >/dev/null || dnf install -y -q nodejs'] : []),
  ];

  const preBuild = [
    // first, so that a missing file fails in one line, before any AWS call
    orFail(`test -f ${ref('maskFile')}`, `no file ${inLine('maskFile')} in the source (service.database.clone.mask): ${STAYS}`),
    orFail(`test -s ${ref('maskFile')}`, `${inLine('maskFile')} is empty, it would mask nothing: ${STAYS}`),
    // the CLI waiter polls every 30 s and gives up after 60 checks (exit 255): bounded at 30 minutes
    orFail(
      `aws rds wait db-cluster-available ${aws} --db-cluster-identifier ${ref('clusterIdentifier')}`,
      `the clone ${inLine('clusterIdentifier')} did not become available (the waiter gives up after 30 minutes): ${STAYS}`,
    ),
    // the SQL changes every row it names: it runs only on the endpoint RDS gives for the clone's identifier
    orFail(
      `CLONE_ENDPOINT="$(aws rds describe-db-clusters ${aws} --db-cluster-identifier ${ref('clusterIdentifier')} --query 'DBClusters[0].Endpoint' --output text)" && [ "$CLONE_ENDPOINT" = ${ref('endpoint')} ]`,
      `${inLine('endpoint')} is not the writer endpoint of the clone ${inLine('clusterIdentifier')} ($CLONE_ENDPOINT): ${STAYS}`,
    ),
  ];

  const secretLine = `the secret ${inLine('secretArn')} is not a JSON object with a username and a password: ${STAYS}`;
  // the secret's JSON reaches jq on stdin (printf is a builtin: no process gets it as an argument)
  const field = (name: 'username' | 'password') => `"$(printf '%s' "$SECRET" | jq -er '.${name} | strings' 2>/dev/null)"`;
  const failed = `${inLine('maskFile')} failed on ${inLine('databaseName')} of the clone ${inLine('clusterIdentifier')} and was rolled back (one transaction): ${STAYS}`;
  const credentials = postgres
    ? [
        orFail(`PGUSER=${field('username')} && PGPASSWORD=${field('password')} && export PGUSER PGPASSWORD`, secretLine),
        'unset SECRET',
        // -X: no ~/.psqlrc; the first error stops the file and rolls the one transaction back (exit 3)
        orFail(
          `psql -X -v ON_ERROR_STOP=1 --single-transaction -h ${ref('endpoint')} -p ${ref('port')} -d ${ref('databaseName')} -f ${ref('maskFile')}`,
          failed,
          'unset PGPASSWORD; ',
        ),
        'unset PGPASSWORD',
      ]
    : [
        // the client reads this one option file, 0600, and no other (--defaults-file): MYSQL_PWD is deprecated, and a --password= is on the command line.
        // Host and port too: the MariaDB client (10.6+) takes a --port on the command line as TCP, whatever the host.
        orFail(
          `umask 077 && MASK_DEFAULTS="$(mktemp)" && printf '%s' "$SECRET" | jq -er --arg host ${ref('endpoint')} --arg port ${ref('port')} ` +
            '\'"[client]", "host=" + $host, "port=" + $port, "user=\\"" + (.username | strings) + "\\"", "password=\\"" + (.password | strings | gsub("\\\\\\\\"; "\\\\\\\\")) + "\\""\' > "$MASK_DEFAULTS" 2>/dev/null',
          secretLine,
          'rm -f "$MASK_DEFAULTS"; ',
        ),
        'unset SECRET',
        // batch mode stops at the first error; the transaction it leaves open is rolled back on disconnect
        orFail(
          `set -o pipefail && { printf 'START TRANSACTION;\\n'; cat ${ref('maskFile')}; printf '\\nCOMMIT;\\n'; } | mariadb --defaults-file="$MASK_DEFAULTS" --ssl --batch ${ref('databaseName')}`,
          failed,
          'rm -f "$MASK_DEFAULTS"; ',
        ),
        'rm -f "$MASK_DEFAULTS"',
      ];

  const build = [
    orFail(
      `SECRET="$(aws secretsmanager get-secret-value ${aws} --secret-id ${ref('secretArn')} --query SecretString --output text)"`,
      `could not read the clone's master secret ${inLine('secretArn')}: ${STAYS}`,
    ),
    ...credentials,
    ...(hours ? resumeWorkingHours(aws, ecs, waitSeconds) : scaleUp(ecs, waitSeconds)),
  ];

  return {
    version: 0.2,
    env: {
      shell: 'bash',
      variables: {
        [v.maskFile]: props.maskFile,
        [v.clusterIdentifier]: props.clusterIdentifier,
        [v.endpoint]: props.endpoint,
        [v.port]: String(props.port),
        [v.databaseName]: props.databaseName,
        [v.secretArn]: props.secretArn,
        [v.region]: props.region,
        [v.ecsCluster]: props.ecsCluster,
        [v.ecsService]: props.ecsService,
        [v.desiredCount]: String(props.desiredCount),
        ...(hours
          ? {
              [v.scalableTarget]: ecsServiceResourceId(props.ecsCluster, props.ecsService),
              [v.wake]: hours.wake,
              [v.sleep]: hours.sleep,
              [v.timezone]: hours.timezone,
              [v.hoursScript]: workingHoursScript(),
            }
          : {}),
        // TLS always (RDS offers it; libpq ignores it on a unix socket); a dead endpoint fails in 30 s, not minutes
        ...(postgres ? { PGSSLMODE: 'require', PGCONNECT_TIMEOUT: '30', PGAPPNAME: 'staging-mask' } : {}),
      },
    },
    phases: {
      install: { 'on-failure': 'ABORT', commands: install },
      pre_build: { 'on-failure': 'ABORT', commands: preBuild },
      build: { 'on-failure': 'ABORT', commands: build },
    },
  };
}

const waited = (ecs: string, waitSeconds: number) => `${waitSeconds < MAX_WAIT_SECONDS ? `timeout ${waitSeconds} ` : ''}aws ecs wait services-stable ${ecs} --services ${ref('ecsService')}`;

/** Without working hours: the service to its count, and the wait for it. */
function scaleUp(ecs: string, waitSeconds: number): string[] {
  return [
    `echo "mask: ${inLine('maskFile')} masked ${inLine('databaseName')} of the clone ${inLine('clusterIdentifier')}: scaling ${inLine('ecsService')} to ${inLine('desiredCount')} tasks"`,
    // only now: the service was created at 0 tasks, and Terraform ignores its count after that
    `aws ecs update-service ${ecs} --service ${ref('ecsService')} --desired-count ${ref('desiredCount')} --query 'service.desiredCount' --output text`,
    waited(ecs, waitSeconds),
  ];
}

/**
 * With working hours: the state now, then the scalable target resumed at that capacity (registering
 * min = max = the count sets the service's count, Application Auto Scaling API Reference,
 * "RegisterScalableTarget"), then, awake, the count on the service itself and the wait for it.
 */
function resumeWorkingHours(aws: string, ecs: string, waitSeconds: number): string[] {
  const resumed = 'DynamicScalingInSuspended=false,DynamicScalingOutSuspended=false,ScheduledScalingSuspended=false';
  return [
    `echo "mask: ${inLine('maskFile')} masked ${inLine('databaseName')} of the clone ${inLine('clusterIdentifier')}: resuming the working hours of ${inLine('ecsService')}"`,
    orFail(
      `MASK_HOURS="$(node -e "$${v.hoursScript}")" && { [ "$MASK_HOURS" = awake ] || [ "$MASK_HOURS" = asleep ]; }`,
      `could not tell whether the working hours (${inLine('wake')}, ${inLine('sleep')}, ${inLine('timezone')}) have the service awake: ${MASKED_STAYS}`,
    ),
    `if [ "$MASK_HOURS" = awake ]; then MASK_COUNT=${ref('desiredCount')}; else MASK_COUNT=0; fi`,
    orFail(
      `aws application-autoscaling register-scalable-target ${aws} --service-namespace ecs --resource-id ${ref('scalableTarget')} --scalable-dimension ${ECS_DESIRED_COUNT} --min-capacity "$MASK_COUNT" --max-capacity "$MASK_COUNT" --suspended-state ${resumed}`,
      `could not resume the working hours of ${inLine('ecsService')} (${inLine('scalableTarget')}): ${MASKED_STAYS}`,
    ),
    `echo "mask: the working hours have ${inLine('ecsService')} $MASK_HOURS: $MASK_COUNT tasks, its schedule resumed"`,
    `[ "$MASK_COUNT" = 0 ] || aws ecs update-service ${ecs} --service ${ref('ecsService')} --desired-count "$MASK_COUNT" --query 'service.desiredCount' --output text`,
    `[ "$MASK_COUNT" = 0 ] || ${waited(ecs, waitSeconds)}`,
  ];
}

/** The buildspec as YAML text, with a header saying it is generated: what the masking project runs. */
export function renderMaskBuildspec(props: MaskBuildspecProps): string {
  const source = props.sourceEnvironmentFile === undefined ? '' : ` from ${props.sourceEnvironmentFile}`;
  const header = [
    `# Generated${source} by the staging project: the masking job of a copy-on-write clone. Do not edit by hand.`,
    props.workingHours
      ? `# It masks the clone with ${props.maskFile}, then resumes the service's working hours; any failure leaves it at 0 tasks.`
      : `# It masks the clone with ${props.maskFile}, then scales the service up; any failure leaves it at 0 tasks.`,
  ];
  return renderYaml(header, maskBuildspecObject(props));
}

/** A Terraform reference (or a cdktf token, which becomes one): known at apply, so the shape checks skip it. */
const unresolved = (value: string) => TEMPLATE_SYNTAX.test(value);

function validate(props: MaskBuildspecProps): void {
  const problems: string[] = [];
  if (!(CLONE_ENGINES as readonly string[]).includes(props.engine)) problems.push(`engine: must be ${CLONE_ENGINES.join(' or ')} (got ${JSON.stringify(props.engine)})`);
  for (const key of ['maskFile', 'clusterIdentifier', 'endpoint', 'databaseName', 'secretArn', 'region', 'ecsCluster', 'ecsService', 'sourceEnvironmentFile'] as const) {
    const value = props[key];
    // a line break would end the header comment; a value never reaches the shell, but must be one line of YAML
    if (value !== undefined && (typeof value !== 'string' || value.length === 0 || /[\0-\x1f\x7f]/.test(value))) problems.push(`${key}: must be a non-empty single line (got ${JSON.stringify(value)})`);
  }
  if (!unresolved(props.maskFile) && (props.maskFile.startsWith('/') || props.maskFile.split('/').includes('..'))) {
    problems.push(`maskFile: must be a path inside the source, relative to its root, e.g. "db/mask.sql" (got ${JSON.stringify(props.maskFile)})`);
  }
  if (!unresolved(props.secretArn) && !SECRET_ARN.test(props.secretArn)) {
    problems.push(`secretArn: must be a Secrets Manager secret ARN, like the master_user_secret RDS manages (got ${JSON.stringify(props.secretArn)})`);
  }
  if (!unresolved(props.region) && !(REGIONS as readonly string[]).includes(props.region)) problems.push(`region: must be an AWS Region like ap-northeast-1 (got ${JSON.stringify(props.region)})`);
  const port = props.port;
  if (typeof port === 'string' ? !unresolved(port) : !(Number.isInteger(port) && port >= 1 && port <= 65535)) problems.push(`port: must be an integer from 1 to 65535, or a reference to one (got ${JSON.stringify(port)})`);
  if (!(Number.isInteger(props.desiredCount) && props.desiredCount >= 1)) problems.push(`desiredCount: must be an integer of at least 1, the tasks the service gets once masked (got ${props.desiredCount})`);
  const wait = props.waitTimeoutSeconds;
  if (wait !== undefined && !(Number.isInteger(wait) && wait >= 1 && wait <= MAX_WAIT_SECONDS)) {
    problems.push(`waitTimeoutSeconds: must be an integer from 1 to ${MAX_WAIT_SECONDS}, the AWS CLI waiter's limit (got ${wait})`);
  }
  const hours = props.workingHours;
  if (hours) {
    for (const field of ['wake', 'sleep'] as const) {
      const problem = workingHoursNowProblem(hours[field]);
      if (problem) problems.push(`workingHours.${field}: the job cannot read it to tell awake from asleep: ${problem}`);
    }
    if (!isTimeZone(hours.timezone)) problems.push(`workingHours.timezone: must be an IANA time zone like "Asia/Tokyo" (got ${JSON.stringify(hours.timezone)})`);
    if (!unresolved(props.ecsCluster) && props.ecsCluster.startsWith('arn:')) problems.push(`ecsCluster: must be the cluster's name with workingHours, for the scalable target's resource ID (got ${JSON.stringify(props.ecsCluster)})`);
  }
  if (problems.length > 0) throw new Error(`mask buildspec: ${problems.join('; ')}`);
}
