import { DATABASE_MARK } from '../../constructs/database-access';
import { databaseConnectProblems } from '../../policy/database-connect';
import { GuardrailRule, parseJson, policiesOf, StackView, statements, Violation } from '../guardrail';

/**
 * The database users the stack names: `database-user:<name>` marks, which the constructs write on the
 * ingress rule to the production database (and a preview on its task definition).
 */
export function databaseUsersOf(stack: StackView): string[] {
  const users = stack.resources.flatMap((resource) => resource.marks.filter((mark) => mark.startsWith(DATABASE_MARK.user)).map((mark) => mark.slice(DATABASE_MARK.user.length)));
  return [...new Set(users)];
}

// IAM least privilege: rds-db:connect is a login, and on `*` it is a login as any user of any database.
export const DatabaseConnect: GuardrailRule = {
  id: 'STG-DatabaseConnect',
  level: 'error',
  message: 'IAM must grant rds-db:connect as exactly one database user, the one staging connects as',
  explanation:
    'rds-db:connect on a dbuser ARN lets the role log in to that database as that user with an IAM token; on "*", on an ARN with a wildcard or on a user other than staging’s, the staging task (and every preview) may log in as production’s own users, the master or the application’s read-write user. Scope it to arn:…:dbuser:<resource id>/<user>, the user of service.database.user: the stack writes exactly that statement (ConnectToDatabase) from the looked-up database. A stack that names no database user grants no rds-db:connect at all.',
  check(resource, stack) {
    const policies = policiesOf(resource);
    if (policies.length === 0) return [];
    const users = databaseUsersOf(stack);
    const violations: Violation[] = [];
    for (const policy of policies) {
      for (const statement of statements(parseJson(policy) ?? policy)) {
        for (const { resource: granted, problem } of databaseConnectProblems(statement, users)) {
          violations.push({ detail: `rds-db:connect on ${granted}: ${problem}`, value: granted });
        }
      }
    }
    return violations;
  },
};
