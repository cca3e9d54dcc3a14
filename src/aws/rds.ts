/** RDS and Aurora facts the kit relies on: engines, identifiers, IAM database authentication. */

/** The engines staging may read (RDS IAM database authentication supports all five). */
export const DATABASE_ENGINES = ['postgres', 'aurora-postgresql', 'mysql', 'aurora-mysql', 'mariadb'] as const;
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

/** Whether the engine speaks PostgreSQL (else MySQL's protocol: MySQL, Aurora MySQL, MariaDB). */
export function isPostgres(engine: DatabaseEngine): boolean {
  return engine === 'postgres' || engine === 'aurora-postgresql';
}

/** Whether the engine is Aurora: a cluster, with a writer and reader endpoint. */
export function isAurora(engine: DatabaseEngine): boolean {
  return engine.startsWith('aurora-');
}

/** The engine's default port (RDS User Guide, "DB instance connection"). */
export function defaultPort(engine: DatabaseEngine): number {
  return isPostgres(engine) ? 5432 : 3306;
}

// RDS CreateDBCluster / CreateDBInstance: 1–63 letters, digits or hyphens; first a letter; no two
// consecutive hyphens; not ending in a hyphen. RDS stores it in lower case.
export const DB_IDENTIFIER = /^[A-Za-z](?:[A-Za-z0-9]|-(?!-)){0,62}$/;
export function isDbIdentifier(value: string): boolean {
  return DB_IDENTIFIER.test(value) && !value.endsWith('-');
}

// A database name: PostgreSQL's identifiers are at most 63 bytes, MySQL's database names 64
// characters. The kit takes the portable, unquoted form: a letter or "_", then letters, digits, "_".
export const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

// A database user: lower case, so PostgreSQL's folding and MySQL's case-sensitive names agree;
// at most 32 characters, MySQL 5.7+'s user name limit (PostgreSQL allows 63).
export const DATABASE_USER = /^[a-z_][a-z0-9_]{0,31}$/;

/**
 * Users and prefixes RDS and the engines keep for themselves (RDS User Guide, "Master user account
 * privileges"; PostgreSQL reserves the "pg_" prefix, MySQL the mysql.* accounts).
 */
const RESERVED_USERS = new Set(['rdsadmin', 'rdsrepladmin', 'rdsproxyadmin', 'rdstopmgr', 'postgres', 'root', 'admin', 'mysql', 'public', 'none', 'current_user', 'session_user']);
export function isReservedDatabaseUser(user: string): boolean {
  return RESERVED_USERS.has(user) || user.startsWith('rds_') || user.startsWith('pg_') || user.startsWith('mysql');
}

/**
 * The resource `rds-db:connect` takes (RDS User Guide, "Creating and using an IAM policy for IAM
 * database access"): the instance's DbiResourceId or the cluster's resource ID, and one user.
 */
export function dbUserArn(partition: string, region: string, account: string, resourceId: string, user: string): string {
  return `arn:${partition}:rds-db:${region}:${account}:dbuser:${resourceId}/${user}`;
}

/** A `rds-db:connect` resource, split: undefined when it is not a dbuser ARN. */
export function parseDbUserArn(arn: string): { resourceId: string; user: string } | undefined {
  const match = /^arn:[^:]+:rds-db:[^:]*:[^:]*:dbuser:([^/]+)\/(.+)$/.exec(arn);
  return match ? { resourceId: match[1], user: match[2] } : undefined;
}

/** How staging may use production's database. */
export const DATABASE_ACCESS = ['read-only', 'reader', 'read-write'] as const;
export type DatabaseAccessMode = (typeof DATABASE_ACCESS)[number];

/** How staging may use the database, the file's `access`: production's modes, or a copy-on-write clone of its own. */
export const SERVICE_DATABASE_ACCESS = [...DATABASE_ACCESS, 'clone'] as const;
export type ServiceDatabaseAccess = (typeof SERVICE_DATABASE_ACCESS)[number];

/** The engines Aurora clones: a copy-on-write clone is an Aurora cluster feature (Aurora User Guide, "Cloning a volume for an Aurora DB cluster"). */
export const CLONE_ENGINES = ['aurora-postgresql', 'aurora-mysql'] as const;
export type CloneEngine = (typeof CLONE_ENGINES)[number];
export function isCloneEngine(engine: string): engine is CloneEngine {
  return (CLONE_ENGINES as readonly string[]).includes(engine);
}

/**
 * Aurora's limits on clones (Aurora User Guide, "Limitations of Aurora cloning", and the RDS quotas):
 * AWS's earlier guide allows at most 15 copy-on-write clones of one source (beyond that, a clone is a
 * full copy, billed for all its storage), and a Region holds 40 DB clusters by default (a quota that
 * can be raised). A stopped cluster is started again by AWS after 7 days (Aurora User Guide,
 * "Stopping and starting an Amazon Aurora DB cluster": "You can stop a DB cluster for up to seven days").
 */
export const CLONE_LIMITS = { copyOnWritePerSource: 15, clustersPerRegion: 40, stoppedDaysAtMost: 7 } as const;

/**
 * The smallest DB instance class each engine supports (Aurora User Guide, "Supported DB engines for
 * DB instance classes"): the burstable db.t4g.medium (2 vCPU, 4 GiB, Graviton2) for Aurora
 * PostgreSQL and for Aurora MySQL version 3, where db.t3.medium is the x86 one of the same size and
 * db.t3.small was Aurora MySQL version 2's only. AWS advises T classes for development and test only.
 */
export const SMALLEST_INSTANCE_CLASS: Readonly<Record<CloneEngine, string>> = { 'aurora-postgresql': 'db.t4g.medium', 'aurora-mysql': 'db.t4g.medium' };

/** The instance class of Aurora Serverless v2. */
export const SERVERLESS_INSTANCE_CLASS = 'db.serverless';

/** A DB instance class name, `db.<family>.<size>`, or `db.serverless`. */
export const DB_INSTANCE_CLASS = /^db\.(?:serverless|[a-z][a-z0-9-]*\.[a-z0-9]+)$/;

/**
 * Aurora Serverless v2 capacity, in ACUs (RDS API Reference, "ServerlessV2ScalingConfiguration"): half
 * steps; the minimum is 0 on versions with auto-pause, else 0.5; the maximum at most 256 on recent
 * versions (128 on older ones) and at least 1.
 */
export const SERVERLESS_V2 = { minCapacity: 0, minCapacityWithoutAutoPause: 0.5, maxCapacity: 256, smallestMaxCapacity: 1, step: 0.5 } as const;
export function isAcuStep(value: number): boolean {
  return Number.isFinite(value) && Number.isInteger(value / SERVERLESS_V2.step);
}

/**
 * The identifier of a clone: `<source>-<stack>-clone` for staging, `<source>-<stack>-pr-<n>` for a
 * preview, in lower case (RDS stores identifiers so), with "_" of a stack name as "-". Longer than the
 * source by its suffix, so it can never be the source's; `isDbIdentifier` says whether RDS takes it.
 */
export function cloneIdentifier(source: string, stack: string, pullRequest?: number): string {
  const suffix = pullRequest === undefined ? 'clone' : `pr-${pullRequest}`;
  return `${source}-${stack.replace(/_/g, '-')}-${suffix}`.toLowerCase().replace(/-{2,}/g, '-');
}

/** A clone's identifier leaves room for its instance's, `<identifier>-1`, within RDS's 63 characters. */
export const CLONE_IDENTIFIER_MAX = 61;

/** The pattern every preview clone of one environment matches (for IAM): `<source>-<stack>-pr-*`. */
export function previewClonePattern(source: string, stack: string): string {
  return `${cloneIdentifier(source, stack, 0).slice(0, -1)}*`;
}

/** An RDS ARN of one resource type (`cluster`, `db`, `subgrp`) and name. */
export function rdsArn(partition: string, region: string, account: string, type: 'cluster' | 'db' | 'subgrp', name: string): string {
  return `arn:${partition}:rds:${region}:${account}:${type}:${name}`;
}
