import { isAurora, isPostgres } from '../../aws/rds';
import { SSM_PARAMETER_NAME } from '../../aws/ids';
import { KIT } from '../../kit/defaults';
import type { EnvironmentConfig } from '../schema';
import { Finding } from './rule';

type CrossFieldRule = (config: EnvironmentConfig) => Finding[];

type Database = NonNullable<EnvironmentConfig['service']['database']>;
const PATH = ['service', 'database'] as const;
const at = (...rest: (string | number)[]) => [...PATH, ...rest];

/** Whether the section names the database itself (engine, identifier, name, user), not only the network path. */
export function namesDatabase(database: Database): boolean {
  return [database.engine, database.clusterIdentifier, database.instanceIdentifier, database.databaseName, database.user, database.iamAuth, database.passwordSecret].some((v) => v !== undefined);
}

// A section that names the database names all of it: the kit derives the endpoint, the IAM resource and the grants from these.
export const databaseIdentity: CrossFieldRule = (config) => {
  const database = config.service.database;
  if (!database) return [];
  if (!namesDatabase(database)) {
    return (['securityGroupId', 'port'] as const)
      .filter((key) => database[key] === undefined)
      .map((key) => ({ path: at(key), message: 'is required when the section does not name the database (engine, clusterIdentifier or instanceIdentifier, databaseName, user)' }));
  }
  const findings: Finding[] = [];
  if (database.engine === undefined) findings.push({ path: at('engine'), message: 'is required: postgres, aurora-postgresql, mysql, aurora-mysql or mariadb' });
  if (database.clusterIdentifier !== undefined && database.instanceIdentifier !== undefined) {
    findings.push({ path: at('instanceIdentifier'), message: 'give either clusterIdentifier (Aurora) or instanceIdentifier (RDS), not both' });
  } else if (database.clusterIdentifier === undefined && database.instanceIdentifier === undefined) {
    findings.push({ path: at('clusterIdentifier'), message: 'is required (an Aurora cluster), or instanceIdentifier (an RDS instance)' });
  }
  if (database.databaseName === undefined) findings.push({ path: at('databaseName'), message: 'is required: the database staging reads' });
  const iamAuth = database.iamAuth === true;
  const password = database.passwordSecret !== undefined;
  if (database.user === undefined) {
    // a clone is reached as its master user (./database-clone.ts refuses user, iamAuth and passwordSecret there)
    if (database.access !== 'clone') findings.push({ path: at('user'), message: 'is required: the database user staging connects as, with iamAuth: true or passwordSecret beside it' });
  } else {
    if (iamAuth && password) findings.push({ path: at('passwordSecret'), message: 'give either iamAuth: true or passwordSecret, not both' });
    if (!iamAuth && !password) findings.push({ path: at('user'), message: 'needs iamAuth: true or passwordSecret (a Secrets Manager or SSM reference) beside it', value: database.user });
  }
  // the kit grants the execution role exactly this secret, by ARN
  if (password && SSM_PARAMETER_NAME.test(database.passwordSecret!)) {
    findings.push({ path: at('passwordSecret'), message: 'must be an SSM parameter ARN, so that the execution role may read exactly that parameter', value: database.passwordSecret });
  }
  if (database.engine !== undefined) {
    if (database.clusterIdentifier !== undefined && !isAurora(database.engine)) {
      findings.push({ path: at('clusterIdentifier'), message: `is an Aurora cluster; engine "${database.engine}" runs on an RDS instance: use instanceIdentifier, or engine ${isPostgres(database.engine) ? 'aurora-postgresql' : 'aurora-mysql'}`, value: database.clusterIdentifier });
    }
    if (database.instanceIdentifier !== undefined && isAurora(database.engine)) {
      findings.push({ path: at('instanceIdentifier'), message: `engine "${database.engine}" is an Aurora cluster: use clusterIdentifier (its endpoints, not one member's)`, value: database.instanceIdentifier });
    }
    if (database.schemas !== undefined && !isPostgres(database.engine)) {
      findings.push({ path: at('schemas'), message: `applies to PostgreSQL only; on ${database.engine} the grant is on databaseName`, value: database.schemas });
    }
  }
  return findings;
};

// AWS Aurora User Guide, "Reader endpoint": an RDS instance has none, so "reader" could only mean the writer.
export const readerNeedsCluster: CrossFieldRule = (config) => {
  const database = config.service.database;
  if (database?.access !== 'reader' || database.instanceIdentifier === undefined) return [];
  return [{ path: at('access'), message: '"reader" needs an Aurora cluster (clusterIdentifier): an RDS instance has no reader endpoint; use "read-only"', value: 'reader' }];
};

// Writes to production are a consent beside the field, like allowWildcardHost; a stray consent is a mistake.
export const productionWritesNeedConsent: CrossFieldRule = (config) => {
  const database = config.service.database;
  if (!database) return [];
  const writes = database.access === 'read-write';
  if (writes && database.allowProductionWrites !== true) {
    return [{ path: at('access'), message: '"read-write" lets staging change production data: add allowProductionWrites: true beside it to consent, or use "read-only"', value: 'read-write' }];
  }
  if (!writes && database.allowProductionWrites === true) {
    return [{ path: at('allowProductionWrites'), message: `consents to access "read-write", but access is "${database.access}": remove it`, value: true }];
  }
  if (writes && !namesDatabase(database)) {
    return [{ path: at('access'), message: '"read-write" needs the database named (engine, clusterIdentifier or instanceIdentifier, databaseName, user): the kit gives the user to staging only', value: 'read-write' }];
  }
  return [];
};

// Previews run a pull request's code with staging's roles and variables: they must never inherit a writing user.
export const previewsNeverWrite: CrossFieldRule = (config) => {
  // a preview with a clone of its own writes to that clone, never to production
  if (!config.previews || config.service.database?.access !== 'read-write' || config.previews.database?.access === 'clone') return [];
  return [{
    path: at('access'),
    message: '"read-write" with previews: each preview runs a pull request\'s code with staging\'s task role and connection, so it would write production too; use "read-only", or remove previews (or give each preview a clone of its own: previews.database.access "clone")',
    value: 'read-write',
  }];
};

/** The connection variables the container gets, by role (the file's names over the kit's). */
export function databaseVariableNames(database: Database): Record<keyof typeof KIT.database.environment, string> {
  return { ...KIT.database.environment, ...database.environment };
}

// The kit sets the connection variables: the file's own variable or secret of the same name would be overwritten, or clash.
export const databaseVariablesFree: CrossFieldRule = (config) => {
  const database = config.service.database;
  if (!database || !namesDatabase(database)) return [];
  const names = databaseVariableNames(database);
  const container = config.taskDefinition.container;
  const findings: Finding[] = [];
  const seen = new Map<string, string>();
  for (const [role, name] of Object.entries(names)) {
    // a clone's password is its managed master secret
    if (role === 'password' && database.passwordSecret === undefined && database.access !== 'clone' && config.previews?.database?.access !== 'clone') continue;
    const other = seen.get(name);
    if (other) findings.push({ path: at('environment', role), message: `names the same variable as environment.${other}`, value: name });
    seen.set(name, role);
    for (const section of ['environment', 'secrets'] as const) {
      if (container[section]?.[name] !== undefined) {
        findings.push({
          path: ['taskDefinition', 'container', section, name],
          message: `is set by service.database (${role}); remove it, or rename the kit's with service.database.environment.${role}`,
        });
      }
    }
    for (const section of ['environment', 'secrets'] as const) {
      if (config.previews?.[section]?.[name] !== undefined) {
        findings.push({ path: ['previews', section, name], message: `is set by service.database (${role}); a preview connects as staging does` });
      }
    }
  }
  return findings;
};

export const DATABASE_RULES: readonly CrossFieldRule[] = [databaseIdentity, readerNeedsCluster, productionWritesNeedConsent, previewsNeverWrite, databaseVariablesFree];
