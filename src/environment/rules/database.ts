import { z } from 'zod';
import { awsCronProblem } from '../../aws/autoscaling';
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

// EventBridge Scheduler: cron(minutes hours day-of-month month day-of-week year), or rate(<n> hours|days).
// A refresh replaces the clone and masks it again: more often than hourly would never finish.
const RATE = /^rate\((\d{1,4}) (hour|hours|day|days)\)$/;
export function refreshScheduleProblem(value: string): string | undefined {
  const rate = RATE.exec(value);
  if (rate) {
    const count = Number(rate[1]);
    if (count < 1) return 'must be a rate of at least 1';
    if ((count === 1) !== !rate[2].endsWith('s')) return `must say "${count} ${count === 1 ? rate[2].replace(/s$/, '') : `${rate[2].replace(/s$/, '')}s`}" (EventBridge Scheduler wants the singular for 1, the plural otherwise)`;
    return undefined;
  }
  if (value.startsWith('rate(')) return 'must be a rate in hours or days, like "rate(1 day)" or "rate(12 hours)"';
  return awsCronProblem(value);
}
export const refreshSchedule = z
  .string()
  .superRefine((value, context) => {
    const problem = refreshScheduleProblem(value);
    if (problem) context.addIssue({ code: 'custom', input: value, message: problem });
  })
  .meta({ pattern: '^(cron|rate)\\(.+\\)$' });

/** Aurora Serverless v2 ACUs, in half steps from `min`. */
export function acu(min: number) {
  const message = `must be a number of ACUs from ${min} to ${SERVERLESS_V2.maxCapacity}, in steps of ${SERVERLESS_V2.step}`;
  return z.number().min(min, { error: message }).max(SERVERLESS_V2.maxCapacity, { error: message }).refine(isAcuStep, { error: message }).meta({ multipleOf: SERVERLESS_V2.step });
}
