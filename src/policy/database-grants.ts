/**
 * The SQL a DBA runs once, as production's master user, to create the database user staging connects
 * as: read-only (SELECT and nothing else) unless the file consents to read-write. Pure: no cdktf, no
 * stack; `npm run db-grants` prints it. Proven on real servers by __tests__/database/.
 */
import { DATABASE_ACCESS, DATABASE_ENGINES, DATABASE_NAME, DATABASE_USER, isPostgres, isReservedDatabaseUser } from '../aws/rds';
import type { DatabaseAccessMode, DatabaseEngine } from '../aws/rds';

export interface DatabaseGrantsProps {
  /** postgres | aurora-postgresql | mysql | aurora-mysql | mariadb */
  readonly engine: DatabaseEngine;
  /** The database staging reads (DATABASE_NAME). */
  readonly databaseName: string;
  /** The user staging connects as (DATABASE_USER, not a reserved name). */
  readonly user: string;
  /** true: IAM database authentication; false: a password set by the DBA. */
  readonly iamAuth: boolean;
  /** PostgreSQL schemas whose tables staging reads; checked, and not used, on the MySQL engines. @default ['public'] */
  readonly schemas?: readonly string[];
  readonly access: DatabaseAccessMode;
}

/**
 * What the MySQL-family SQL has where the password goes, when `iamAuth` is false: a bare word, so the
 * statement is a syntax error (and the mysql client stops) until the DBA puts the password, quoted, in its place.
 */
export const MYSQL_PASSWORD_PLACEHOLDER = 'REPLACE_WITH_QUOTED_PASSWORD';

/** The psql variable the PostgreSQL SQL reads the password from, when `iamAuth` is false (`psql -v password=…`). */
export const POSTGRES_PASSWORD_VARIABLE = 'password';

/** A PostgreSQL identifier, double-quoted ("a""b"): never folded, never a keyword. */
export function quotePostgresIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A PostgreSQL string literal ('it''s'), standard-conforming (no backslash escapes, PostgreSQL's default since 9.1). */
export function quotePostgresLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A MySQL/MariaDB identifier, backtick-quoted (`a``b`). */
export function quoteMysqlIdentifier(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/**
 * The database of a database-level GRANT or REVOKE (`ON <this>.*`), backtick-quoted with `_` and `%` escaped
 * (`my\_app`): there they are wildcards, so `my_app` would also grant on `myXapp` (seen on MariaDB 10.11; the
 * MySQL and MariaDB manuals, GRANT). An escaped one is the character itself, with MySQL 8's partial_revokes too.
 */
export function quoteMysqlGrantDatabase(name: string): string {
  return quoteMysqlIdentifier(name.replace(/[_%]/g, '\\$&'));
}

/**
 * A MySQL/MariaDB string literal ('it''s'). A backslash would mean one thing under the default sql_mode and
 * another under NO_BACKSLASH_ESCAPES, so it is refused, as is NUL.
 */
export function quoteMysqlLiteral(value: string): string {
  if (/[\\\0]/.test(value)) throw new Error(`database grants: ${JSON.stringify(value)} has a backslash or NUL, which MySQL's sql_mode reads two ways`);
  return `'${value.replace(/'/g, "''")}'`;
}

const DEFAULT_SCHEMAS = ['public'] as const;

/** Throws, in one line, when a prop breaks the rules the config already checks (environment/rules/database.ts). */
function check(props: DatabaseGrantsProps): readonly string[] {
  const fail = (message: string): never => {
    throw new Error(`database grants: ${message}`);
  };
  if (!(DATABASE_ENGINES as readonly string[]).includes(props.engine)) fail(`engine ${JSON.stringify(props.engine)} is not one of ${DATABASE_ENGINES.join(', ')}`);
  if (!(DATABASE_ACCESS as readonly string[]).includes(props.access)) fail(`access ${JSON.stringify(props.access)} is not one of ${DATABASE_ACCESS.join(', ')}`);
  if (typeof props.iamAuth !== 'boolean') fail(`iamAuth must be true or false, not ${JSON.stringify(props.iamAuth)}`);
  if (typeof props.user !== 'string' || !DATABASE_USER.test(props.user) || isReservedDatabaseUser(props.user)) {
    fail(`user ${JSON.stringify(props.user)} must be 1–32 lower-case letters, digits and "_", not starting with a digit, and not a name RDS or the engine keeps (rdsadmin, postgres, root, admin, rds_*, pg_*, mysql*)`);
  }
  if (typeof props.databaseName !== 'string' || !DATABASE_NAME.test(props.databaseName)) {
    fail(`databaseName ${JSON.stringify(props.databaseName)} must be 1–63 letters, digits and "_", not starting with a digit`);
  }
  const schemas = props.schemas ?? DEFAULT_SCHEMAS;
  if (!Array.isArray(schemas) || schemas.length === 0) fail('schemas must list at least one schema');
  for (const schema of schemas) {
    if (typeof schema !== 'string' || !DATABASE_NAME.test(schema)) fail(`schema ${JSON.stringify(schema)} must be 1–63 letters, digits and "_", not starting with a digit`);
  }
  const repeated = schemas.find((schema, index) => schemas.indexOf(schema) !== index);
  if (repeated !== undefined) fail(`schema ${JSON.stringify(repeated)} is listed twice`);
  return schemas;
}

function accessWords(props: DatabaseGrantsProps): string {
  const what = props.access === 'read-write' ? 'read-write (SELECT, INSERT, UPDATE, DELETE: it writes production data)' : 'read-only (SELECT only)';
  const how = props.iamAuth ? 'IAM database authentication' : 'a password the DBA sets';
  return `${what}, with ${how}`;
}

/**
 * The SQL that creates staging's database user on `props.engine`, with exactly the access asked:
 * `--` lines saying what it is and how to run it, then the statements. Idempotent: a second run is no
 * error, and re-asserts the user's attributes and grants. Throws when a name breaks the config's rules.
 */
export function databaseGrantsSql(props: DatabaseGrantsProps): string {
  const schemas = check(props);
  const lines = isPostgres(props.engine) ? postgresSql(props, schemas) : mysqlSql(props);
  return `${lines.join('\n')}\n`;
}

function postgresSql(props: DatabaseGrantsProps, schemas: readonly string[]): string[] {
  const user = quotePostgresIdentifier(props.user);
  const userLiteral = quotePostgresLiteral(props.user);
  const db = quotePostgresIdentifier(props.databaseName);
  const writes = props.access === 'read-write';
  const psqlCommand = `psql -v ON_ERROR_STOP=1${props.iamAuth ? '' : ` -v ${POSTGRES_PASSWORD_VARIABLE}='<the password>'`} -h <writer endpoint> -U <master user> -d ${props.databaseName} -f <this file>`;
  const lines = [
    `-- Staging's database user ${props.user} on database ${props.databaseName} (${props.engine}): ${accessWords(props)}.`,
    `-- Run once as the master user of ${props.databaseName}, or a role with CREATEROLE that owns its tables:`,
    `--   ${psqlCommand}`,
    '-- Safe to run again: it creates the role only if it is missing, then re-asserts its attributes and',
    '-- grants, and takes back what an earlier run of another access mode granted (REVOKE takes back what',
    '-- the role running it granted; look for other grants with \\dp and \\du in psql).',
    '-- It grants on the tables the running role owns or holds WITH GRANT OPTION; a table it has no privilege on',
    '-- stops it (permission denied): run it as that table\'s owner. Tables that role creates later are covered',
    '-- (ALTER DEFAULT PRIVILEGES); if migrations run as another role, run those lines again with FOR ROLE <it>.',
  ];
  if (!writes) {
    lines.push(
      '--',
      '-- What keeps it from writing is its privileges: SELECT, nothing else. default_transaction_read_only is a',
      '-- second line only: any session may SET it off. This script leaves PUBLIC\'s grants alone (production\'s',
      '-- roles may rely on them), so the user keeps what every role has:',
      '-- * PostgreSQL 14 and older grant CREATE on schema public to PUBLIC: there it can create (not alter, drop',
      '--   or read others\') tables in public until you run REVOKE CREATE ON SCHEMA public FROM PUBLIC; which is',
      '--   PostgreSQL 15\'s default.',
      '-- * TEMP on the database: temporary tables, which live for one session and touch no table of production\'s.',
      '-- * EXECUTE on functions: a SECURITY DEFINER function that writes runs with its owner\'s rights; revoke',
      '--   EXECUTE on such functions from PUBLIC, or grant it only to the roles that need it.',
    );
  }
  lines.push(
    '',
    'DO $$',
    'BEGIN',
    `  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${userLiteral}) THEN`,
    `    CREATE ROLE ${user} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;`,
    '  END IF;',
    '  -- A master that is not a superuser (RDS\'s) may not change these three: a superuser must.',
    `  IF EXISTS (SELECT FROM pg_roles WHERE rolname = ${userLiteral} AND (rolsuper OR rolreplication OR rolbypassrls)) THEN`,
    `    RAISE EXCEPTION ${quotePostgresLiteral(`role ${props.user} is SUPERUSER, REPLICATION or BYPASSRLS: a superuser must ALTER ROLE ${props.user} NOSUPERUSER NOREPLICATION NOBYPASSRLS first`)};`,
    '  END IF;',
    'END',
    '$$;',
    `ALTER ROLE ${user} WITH LOGIN NOCREATEDB NOCREATEROLE INHERIT;`,
  );
  if (props.iamAuth) {
    lines.push(
      '-- IAM database authentication: a token from rds-db:connect, never a password.',
      `ALTER ROLE ${user} PASSWORD NULL;`,
      `GRANT rds_iam TO ${user};`,
    );
  } else {
    lines.push(
      `-- The password, from psql's variable ${POSTGRES_PASSWORD_VARIABLE} (-v ${POSTGRES_PASSWORD_VARIABLE}=..., or \\prompt 'Password: ' ${POSTGRES_PASSWORD_VARIABLE} before \\i this file).`,
      `-- Without it the next line is a syntax error, and the script stops there (ON_ERROR_STOP): the role has no password, so no login.`,
      '-- Not a member of rds_iam, which would make RDS refuse the password.',
      `REVOKE rds_iam FROM ${user};`,
      `ALTER ROLE ${user} PASSWORD :'${POSTGRES_PASSWORD_VARIABLE}';`,
    );
  }
  lines.push(
    writes ? `ALTER ROLE ${user} RESET default_transaction_read_only;` : `ALTER ROLE ${user} SET default_transaction_read_only = on;`,
    `GRANT CONNECT ON DATABASE ${db} TO ${user};`,
    `REVOKE CREATE ON DATABASE ${db} FROM ${user};`,
  );
  const tableGrant = writes ? 'SELECT, INSERT, UPDATE, DELETE' : 'SELECT';
  // Never TRUNCATE (it skips DELETE triggers and row security), REFERENCES or TRIGGER; reads, never UPDATE (setval) on sequences.
  const tableRevoke = writes ? 'TRUNCATE, REFERENCES, TRIGGER' : 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER';
  const sequenceRevoke = writes ? 'UPDATE' : 'ALL';
  for (const name of schemas) {
    const schema = quotePostgresIdentifier(name);
    lines.push(
      '',
      `-- Schema ${name}`,
      `GRANT USAGE ON SCHEMA ${schema} TO ${user};`,
      `REVOKE CREATE ON SCHEMA ${schema} FROM ${user};`,
      `REVOKE ${tableRevoke} ON ALL TABLES IN SCHEMA ${schema} FROM ${user};`,
      `GRANT ${tableGrant} ON ALL TABLES IN SCHEMA ${schema} TO ${user};`,
      `REVOKE ${sequenceRevoke} ON ALL SEQUENCES IN SCHEMA ${schema} FROM ${user};`,
    );
    if (writes) lines.push(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${user};`);
    lines.push(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} REVOKE ${tableRevoke} ON TABLES FROM ${user};`,
      `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT ${tableGrant} ON TABLES TO ${user};`,
      `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} REVOKE ${sequenceRevoke} ON SEQUENCES FROM ${user};`,
    );
    if (writes) lines.push(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE, SELECT ON SEQUENCES TO ${user};`);
  }
  return lines;
}

function mysqlSql(props: DatabaseGrantsProps): string[] {
  const account = `${quoteMysqlLiteral(props.user)}@'%'`;
  const db = quoteMysqlGrantDatabase(props.databaseName);
  // RDS User Guide, "Creating a database account using IAM authentication": the plugin, and REQUIRE SSL
  // (the token goes in clear text to the plugin, so only over TLS).
  const identified = props.iamAuth ? "IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL" : `IDENTIFIED BY ${MYSQL_PASSWORD_PLACEHOLDER}`;
  const writes = props.access === 'read-write';
  const privileges = writes ? 'SELECT, INSERT, UPDATE, DELETE' : 'SELECT';
  const lines = [
    `-- Staging's database user ${props.user}@'%' on database ${props.databaseName} (${props.engine}): ${accessWords(props)}.`,
    '-- Run once as the master user (the mysql client stops at the first error):',
    `--   mysql -h <writer endpoint> -u <master user> -p < <this file>`,
  ];
  if (!props.iamAuth) {
    lines.push(
      `-- First replace each ${MYSQL_PASSWORD_PLACEHOLDER} with the password, quoted ('...'): until then both statements`,
      '-- that name it are syntax errors, and no user is created.',
    );
  }
  lines.push(
    '-- Safe to run again: it creates the user only if it is missing, re-asserts how it signs in, takes back every',
    '-- privilege the user holds, on any database or table (an earlier run of another access mode\'s too; roles',
    '-- granted to it stay: SHOW GRANTS FOR ' + `${account}), then grants exactly what is below. A query staging`,
    '-- runs in the instant between the two may be refused.',
    `-- The grant is ${privileges} on ${props.databaseName}.* and nothing else: no other database, no DDL, no GRANT OPTION.`,
  );
  if (!writes) {
    lines.push(
      '-- What the user can still do: take row locks, which SELECT alone allows (SELECT ... FOR UPDATE and LOCK IN',
      '-- SHARE MODE on MariaDB; FOR SHARE on MySQL 8.0.22+): they change no row, but held in an open transaction',
      '-- they make production\'s writes to those rows wait. And change its own password, as every user can: running',
      '-- this file again sets it back.',
    );
  }
  lines.push(
    '',
    `CREATE USER IF NOT EXISTS ${account} ${identified};`,
    `ALTER USER ${account} ${identified};`,
    // The one REVOKE the RDS master can always run: it needs CREATE USER only. `REVOKE ALL PRIVILEGES ON db.*`
    // needs the master to hold every database privilege, which it does not on RDS for MariaDB (DELETE HISTORY).
    `REVOKE ALL PRIVILEGES, GRANT OPTION FROM ${account};`,
    `GRANT ${privileges} ON ${db}.* TO ${account};`,
  );
  return lines;
}
