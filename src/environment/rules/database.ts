import { DATABASE_NAME, DATABASE_USER, DB_IDENTIFIER, isDbIdentifier, isReservedDatabaseUser } from '../../aws/rds';
import { stringRule } from './rule';

// RDS CreateDBCluster / CreateDBInstance identifiers.
export const dbIdentifier = stringRule(
  'must be an RDS identifier: 1–63 letters, digits and "-", starting with a letter, no "--", not ending in "-"',
  isDbIdentifier,
  DB_IDENTIFIER,
);

export const databaseName = stringRule('must be 1–63 letters, digits and "_", not starting with a digit', (v) => DATABASE_NAME.test(v), DATABASE_NAME);

export const databaseUserName = stringRule(
  'must be 1–32 lower-case letters, digits and "_", not starting with a digit, and not a name RDS or the engine keeps (rdsadmin, postgres, root, admin, rds_*, pg_*, mysql*)',
  (v) => DATABASE_USER.test(v) && !isReservedDatabaseUser(v),
  DATABASE_USER,
);
