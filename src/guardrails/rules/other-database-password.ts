import { DATABASE_MARK } from '../../constructs/database-access';
import { SECRET_FIELD } from '../../constructs/marks';
import { GuardrailRule, StackView, Violation } from '../guardrail';

// A database password or a connection string that holds one, by the names apps give them:
// DB_PASSWORD, PGPASSWORD, MYSQL_PASSWD, DATABASE_URL, DB_URL, a Go or ODBC DSN.
const PASSWORD_LIKE = /PASSWORD|PASSWD|DATABASE_URL|DB_URL|DSN/i;

/** One of the file's secrets that gives the container a database password beside the kit's connection. */
export interface OtherPassword {
  /** The field that writes it, e.g. `taskDefinition.container.secrets.DB_PASSWORD`. */
  readonly field: string;
  readonly name: string;
  /** Why it is taken for a database password. */
  readonly why: string;
}

/** The password variable of a task definition whose container connects as `service.database.user`, and whether the kit gives it. */
function passwordVariableOf(marks: readonly string[]): { name: string; kitGivesIt: boolean } | undefined {
  const name = marks.find((mark) => mark.startsWith(DATABASE_MARK.passwordVariable))?.slice(DATABASE_MARK.passwordVariable.length);
  return name === undefined ? undefined : { name, kitGivesIt: marks.includes(DATABASE_MARK.kitPassword) };
}

/**
 * The file's secrets (`secret-field:` marks) that look like a database password, on a task definition
 * whose container connects as `service.database.user` (a `database-password-variable:` mark): the
 * password variable's own name, unless the kit gives it (passwordSecret: the file's would be
 * overwritten, and is a cross-field error), and any name like PASSWORD, PASSWD, DATABASE_URL, DB_URL, DSN.
 */
export function otherDatabasePasswords(marks: readonly string[]): OtherPassword[] {
  const variable = passwordVariableOf(marks);
  if (!variable) return [];
  return marks
    .filter((mark) => mark.startsWith(SECRET_FIELD))
    .map((mark) => mark.slice(SECRET_FIELD.length))
    .flatMap((field): OtherPassword[] => {
      const name = field.slice(field.lastIndexOf('.') + 1);
      if (name === variable.name) return variable.kitGivesIt ? [] : [{ field, name, why: 'named as the password variable (service.database.environment.password), which the kit leaves unset with service.database.iamAuth' }];
      return PASSWORD_LIKE.test(name) ? [{ field, name, why: 'named like a database password or connection string' }] : [];
    });
}

/** Whether the stack's connection writes (read-write, or a preview marked so): then staging's user is not a read-only one. */
const writes = (stack: StackView): boolean => stack.resources.some((resource) => resource.marks.includes(DATABASE_MARK.writes) || resource.marks.includes(DATABASE_MARK.previewWrites));

// Beside STG-ProductionPassword (a password in plain environment, an error): this one is an ECS
// secret, so nothing leaks, but the container still holds a second way in, most likely production's
// own. A name can mislead (SENTRY_DSN), so it is a warning, and suppressible.
export const OtherDatabasePassword: GuardrailRule = {
  id: 'STG-OtherDatabasePassword',
  level: 'warning',
  message: 'a container that connects as service.database.user must get no other database password',
  explanation:
    'With service.database naming a user, the kit gives the container the whole connection: DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_IAM_AUTH, and DB_PASSWORD only with service.database.passwordSecret (the names of service.database.environment); with service.database.iamAuth the app connects with an IAM token and needs no password at all. A secret the file keeps beside it (the article’s DB_PASSWORD is production’s prod/db-password) lets the app, and any code a preview runs, log in as that other user with its grants, writes included, and nothing else says so. Remove it from taskDefinition.container.secrets (or previews.secrets) and connect with the kit’s variables; with your own execution role, take back its grant on that secret too. A secret that is no database password (SENTRY_DSN, SMTP_PASSWORD) may be suppressed with a reason; the suppression covers the whole task definition.',
  check(resource, stack) {
    if (resource.type !== 'aws_ecs_task_definition') return [];
    const variable = passwordVariableOf(resource.marks);
    if (!variable) return [];
    const user = writes(stack) ? 'staging’s own user' : 'staging’s own read-only user';
    const fix = variable.kitGivesIt ? `the kit’s ${variable.name} (service.database.passwordSecret)` : 'an IAM token (service.database.iamAuth)';
    return otherDatabasePasswords(resource.marks).map(({ field, name, why }): Violation => ({
      detail: `${field} (${why}): the container${field.startsWith('previews.') ? ' of each preview' : ''} still gets another database password, likely production’s, beside ${user}; remove it: the app connects with the kit’s DB_HOST, DB_PORT, DB_NAME, DB_USER and ${fix}`,
      value: name,
    }));
  },
};
