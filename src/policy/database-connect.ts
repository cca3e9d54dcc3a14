/**
 * How IAM may let staging connect to production's database. `rds-db:connect` on a `dbuser` ARN is a
 * login: whoever holds it may connect as that user, to that database, with an IAM token. Staging may
 * connect as exactly one user (`service.database.user`) on exactly one database; anything wider lets
 * the staging task (or a pull request's preview) log in as production's own users. The config writes
 * the one ARN; the guardrail checks every IAM policy in the stack's JSON with this predicate.
 */
import { parseDbUserArn } from '../aws/rds';

export const DATABASE_CONNECT = 'rds-db:connect';

const WILDCARD = /[*?]/;

/** An IAM wildcard pattern (`*` any run, `?` one character) as a regular expression. */
const glob = (pattern: string): RegExp => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');

/** Whether an action pattern matches `rds-db:connect` (`rds-db:*`, `rds-*:connect`, `*`, any case). */
export function matchesDatabaseConnect(action: string): boolean {
  return glob(action).test(DATABASE_CONNECT);
}

/** The parts of an IAM statement the predicate reads, each as IAM allows it: one string or a list. */
export interface ConnectStatement {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
}

/** One grant too wide: the resource as written (or `NotResource`), and why. */
export interface ConnectProblem {
  readonly resource: string;
  readonly problem: string;
}

const asList = (value: unknown): string[] => (value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String));

/** Whether an Allow statement grants `rds-db:connect`: by its actions, or by a NotAction that leaves it in. */
export function grantsDatabaseConnect(statement: ConnectStatement): boolean {
  if (statement.Effect !== 'Allow') return false;
  if (statement.NotAction !== undefined) return !asList(statement.NotAction).some(matchesDatabaseConnect);
  return asList(statement.Action).some(matchesDatabaseConnect);
}

// Terraform's `${…}` (without nested braces): a value known at plan, such as the looked-up cluster's
// resource ID or account. It stands for one value, with no wildcard and no ":" or "/" of its own.
const INTERPOLATION = /\$\{[^{}]*\}/g;
const ONE_VALUE = 'REF';

/**
 * Why a `rds-db:connect` resource is wider than `dbuser:<resource id>/<user>` for one of `users`
 * (the users the stack names; none when it names no database user), or undefined when it is exactly that.
 */
export function connectResourceProblem(resource: string, users: readonly string[]): string | undefined {
  if (users.length === 0) return 'the stack names no database user (service.database.user), so no rds-db:connect is the kit’s to grant';
  const masked = resource.replace(INTERPOLATION, ONE_VALUE);
  if (masked.includes('${') || masked.includes('%{')) return 'it is a template the guardrail cannot read';
  if (WILDCARD.test(masked)) return masked.trim() === '*' ? 'it is every database user of the account' : 'it has a wildcard';
  const parsed = parseDbUserArn(masked);
  if (!parsed) return 'it is not a dbuser ARN';
  // the user as written: a reference in it is no user the stack names
  const user = resource.slice(resource.lastIndexOf('/') + 1);
  if (!users.includes(user)) return `its user ${user} is not the one staging connects as (${users.join(', ')})`;
  return undefined;
}

/** The grants of one statement wider than one of `users` on one database; empty when it grants no connect or only that. */
export function databaseConnectProblems(statement: ConnectStatement, users: readonly string[]): ConnectProblem[] {
  if (!grantsDatabaseConnect(statement)) return [];
  if (statement.NotResource !== undefined) return [{ resource: 'NotResource', problem: 'NotResource grants every database user but the ones it lists' }];
  return asList(statement.Resource).flatMap((resource) => {
    const problem = connectResourceProblem(resource, users);
    return problem ? [{ resource, problem }] : [];
  });
}
