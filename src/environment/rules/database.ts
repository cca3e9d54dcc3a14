import { z } from 'zod';
import { DATABASE_NAME, DATABASE_USER, DB_IDENTIFIER, DB_INSTANCE_CLASS, isAcuStep, isDbIdentifier, isReservedDatabaseUser, SERVERLESS_V2 } from '../../aws/rds';
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

// The masking SQL, a file of the application repository that the masking job runs: a relative path
// inside the checkout (no "..", no leading "/"), of an .sql file.
export const MASK_FILE = /^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._/-]+\.sql$/;
export const maskFile = stringRule(
  'must be the path of an .sql file inside the application repository, relative to its root, e.g. "db/mask.sql" (letters, digits, ".", "_", "-" and "/"; no "..", no leading "/")',
  (v) => MASK_FILE.test(v) && !v.includes('//'),
  MASK_FILE,
);

export const instanceClass = stringRule('must be a DB instance class like "db.t4g.medium" or "db.r6g.large" (or "db.serverless")', (v) => DB_INSTANCE_CLASS.test(v), DB_INSTANCE_CLASS);

/** Aurora Serverless v2 ACUs, in half steps from `min`. */
export function acu(min: number) {
  const message = `must be a number of ACUs from ${min} to ${SERVERLESS_V2.maxCapacity}, in steps of ${SERVERLESS_V2.step}`;
  return z.number().min(min, { error: message }).max(SERVERLESS_V2.maxCapacity, { error: message }).refine(isAcuStep, { error: message }).meta({ multipleOf: SERVERLESS_V2.step });
}
