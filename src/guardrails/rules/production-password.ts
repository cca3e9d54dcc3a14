import { CLONE_MARK } from '../../constructs/clone-database';
import { DATABASE_MARK } from '../../constructs/database-access';
import { GuardrailRule, StackView, Violation } from '../guardrail';
import { environmentEntries } from './plain-secrets';

// A password by its usual names, as the last part of the name: DB_PASSWORD, PGPASSWORD, MYSQL_PWD,
// SPRING_DATASOURCE_PASSWORD, REPLICA_DB_PASS, DB_PASSWD. Not PASSWORD_MIN_LENGTH or DB_PASSWORD_FILE
// (a path), nor the shell's PWD.
const PASSWORD_NAME = /(password|passwd|(^|[_-])pass|[_-]pwd)$/i;

// Connection strings that hold a password without a scheme://user:password@ (STG-PlainSecretValues
// covers that form): libpq's and ODBC's key=value (`host=db password=…`, `Server=db;Pwd=…`), a
// JDBC or URL query (`?password=…`), and Go's MySQL DSN (`user:password@tcp(db:3306)/app`).
const PASSWORD_IN_VALUE: readonly [RegExp, string][] = [
  [/(^|[\s;?&])(password|pwd)\s*=\s*[^\s;&'"]/i, 'a connection string with password='],
  [/^[^\s:@/]+:[^\s@/]+@(\w+\([^)]*\))?\//, 'a DSN with user:password@'],
];

/** Whether the stack reaches a production database: an ingress rule to it, a preview's connection, or a clone of it (production's data too). */
export function reachesDatabase(stack: StackView): boolean {
  return stack.resources.some((resource) => resource.marks.some((mark) => mark === DATABASE_MARK.networkOnly || mark.startsWith(DATABASE_MARK.user) || mark === CLONE_MARK.clone));
}

/** Why a plain variable looks like it carries a database password, if it does. */
export function databasePasswordKind(name: string, value: string): string | undefined {
  if (value.trim() === '') return undefined;
  if (PASSWORD_NAME.test(name)) return 'its name says password and it has a value';
  return PASSWORD_IN_VALUE.find(([pattern]) => pattern.test(value))?.[1];
}

// Beside STG-PlainSecrets (any secret-like name, suppressible for a false positive) and
// STG-PlainSecretValues (credential values, scheme://user:password@ URLs among them): in a stack that
// reaches production's database, a password in plain text is production's, so no suppression covers it.
export const ProductionPassword: GuardrailRule = {
  id: 'STG-ProductionPassword',
  level: 'error',
  message: 'a container must not get a database password as a plain environment variable',
  explanation:
    'This stack reaches the production database, so a password in plain text (DB_PASSWORD, PGPASSWORD, MYSQL_PWD, a connection string with password= or a DSN with user:password@) is a production credential, shown to anyone who can describe the task definition and to every preview. To fix it, use service.database.iamAuth or passwordSecret: iamAuth connects with an IAM token and no password at all, passwordSecret gives the password to the container as an ECS secret. Rotate the password, it has been in a file. STG-PlainSecrets may be suppressed for a false positive; this rule cannot: rename a variable that is no password (e.g. PASSWORD_MIN_LENGTH is not matched).',
  suppressible: false,
  check(resource, stack) {
    if (resource.type !== 'aws_ecs_task_definition' || !reachesDatabase(stack)) return [];
    const violations: Violation[] = [];
    for (const { name, value } of environmentEntries(resource.attributes.container_definitions)) {
      const kind = databasePasswordKind(name, value);
      if (kind) violations.push({ detail: `environment variable ${name}: ${kind}`, value: name });
    }
    return violations;
  },
};
