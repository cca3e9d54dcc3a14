import type { DatabaseEngine } from '../aws/rds';
import { databaseVariableNames, namesDatabase } from '../environment/rules/database-access';
import { EnvironmentConfig } from '../environment/schema';
import type { ProductionDatabaseProps } from '../constructs/production-database';

/** How staging connects to the production database, from a file that names it. */
export interface DatabaseConnection {
  readonly database: Omit<ProductionDatabaseProps, 'region'>;
  /** The container's variables, by role: host, port, name, user, iamAuth, password. */
  readonly variables: ReturnType<typeof databaseVariableNames>;
  /** The password's secret, given to the container as `variables.password`. */
  readonly passwordSecret?: string;
}

/** The file's connection, or undefined when `service.database` names only the network path (or is absent). */
export function databaseConnectionOf(config: EnvironmentConfig): DatabaseConnection | undefined {
  const database = config.service.database;
  if (!database || !namesDatabase(database)) return undefined;
  const user = database.user!;
  return {
    database: {
      engine: database.engine as DatabaseEngine,
      clusterIdentifier: database.clusterIdentifier,
      instanceIdentifier: database.instanceIdentifier,
      databaseName: database.databaseName!,
      user: user.name,
      iamAuth: user.iamAuth === true,
      access: database.access,
    },
    variables: databaseVariableNames(database),
    passwordSecret: user.passwordSecret,
  };
}

/** The plain variables the container connects with: no secret among them. */
export function connectionEnvironment(connection: DatabaseConnection, host: string, port: string): Record<string, string> {
  const { variables, database } = connection;
  return {
    [variables.host]: host,
    [variables.port]: port,
    [variables.name]: database.databaseName,
    [variables.user]: database.user,
    [variables.iamAuth]: String(database.iamAuth),
  };
}

/** The password, by reference, when the user has one. */
export function connectionSecrets(connection: DatabaseConnection): Record<string, string> {
  return connection.passwordSecret ? { [connection.variables.password]: connection.passwordSecret } : {};
}
