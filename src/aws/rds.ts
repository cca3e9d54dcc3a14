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
