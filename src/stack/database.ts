import type { CloneEngine, DatabaseEngine } from '../aws/rds';
import { cloneSize, clonesMasked, makesClones, previewsClone, stagingClones } from '../environment/clone';
import { databaseVariableNames, namesDatabase } from '../environment/rules/database-access';
import { EnvironmentConfig } from '../environment/schema';
import type { ProductionDatabaseProps } from '../constructs/production-database';
import type { CloneServerlessCapacity } from '../constructs/clone-database';
import { DATABASE_MARK } from '../constructs/database-access';
import { markResource, SECRET_FIELD } from '../constructs/marks';
import type { TerraformResource } from 'cdktf';

/** The clones a file makes (staging's, each preview's), and how. */
export interface CloneSettings {
  /** Staging connects to a clone of its own. */
  readonly staging: boolean;
  /** Each preview connects to a clone of its own. */
  readonly previews: boolean;
  readonly engine: CloneEngine;
  /** The source cluster, as the file names it. */
  readonly sourceIdentifier: string;
  readonly maskFile?: string;
  readonly unmaskedConsented: boolean;
  readonly instanceClass?: string;
  readonly serverless?: CloneServerlessCapacity;
}

/** How staging connects to the production database, from a file that names it. */
export interface DatabaseConnection {
  readonly database: Omit<ProductionDatabaseProps, 'region'>;
  /** The container's variables, by role: host, port, name, user, iamAuth, password. */
  readonly variables: ReturnType<typeof databaseVariableNames>;
  /** The password's secret, given to the container as `variables.password`. */
  readonly passwordSecret?: string;
  /** The file's clones, when it makes any (`access: "clone"`, `previews.database.access: "clone"`). */
  readonly clone?: CloneSettings;
}

/** The file's clone settings, or undefined when it makes no clone. */
export function cloneSettingsOf(config: EnvironmentConfig): CloneSettings | undefined {
  const database = config.service.database;
  if (!database || !makesClones(config)) return undefined;
  const size = cloneSize(config);
  return {
    staging: stagingClones(config),
    previews: previewsClone(config),
    engine: database.engine as CloneEngine,
    sourceIdentifier: database.clusterIdentifier!,
    maskFile: clonesMasked(config) ? database.clone!.mask : undefined,
    unmaskedConsented: database.allowUnmaskedProductionData === true,
    instanceClass: 'minCapacity' in size ? undefined : size.instanceClass,
    serverless: 'minCapacity' in size ? { minCapacity: size.minCapacity, maxCapacity: size.maxCapacity } : undefined,
  };
}

/** The file's connection, or undefined when `service.database` names only the network path (or is absent). */
export function databaseConnectionOf(config: EnvironmentConfig): DatabaseConnection | undefined {
  const database = config.service.database;
  if (!database || !namesDatabase(database)) return undefined;
  return {
    database: {
      engine: database.engine as DatabaseEngine,
      clusterIdentifier: database.clusterIdentifier,
      instanceIdentifier: database.instanceIdentifier,
      databaseName: database.databaseName!,
      user: database.user,
      iamAuth: database.user !== undefined && database.iamAuth === true,
      access: database.access,
    },
    variables: databaseVariableNames(database),
    passwordSecret: database.user !== undefined ? database.passwordSecret : undefined,
    clone: cloneSettingsOf(config),
  };
}

/** The plain variables the container connects with: no secret among them. `user` is a clone's master user, else the file's. */
export function connectionEnvironment(connection: DatabaseConnection, host: string, port: string, user: string | undefined = connection.database.user): Record<string, string> {
  const { variables, database } = connection;
  return {
    [variables.host]: host,
    [variables.port]: port,
    [variables.name]: database.databaseName,
    ...(user !== undefined ? { [variables.user]: user } : {}),
    // a clone is reached with its password, never an IAM token
    [variables.iamAuth]: String(user === database.user && database.iamAuth),
  };
}

/** The password, by reference, when the user has one (`passwordReference`: a clone's master secret, instead of the file's). */
export function connectionSecrets(connection: DatabaseConnection, passwordReference: string | undefined = connection.passwordSecret): Record<string, string> {
  return passwordReference ? { [connection.variables.password]: passwordReference } : {};
}

/** The file's secrets of a container, by field: `previews.secrets` over the container's (a preview's), or both (staging's, whose previews get theirs). */
export function fileSecretFields(config: EnvironmentConfig, preview: boolean): string[] {
  const own = Object.keys(config.taskDefinition.container.secrets ?? {});
  const previews = Object.keys(config.previews?.secrets ?? {});
  return [
    ...own.filter((name) => !preview || !previews.includes(name)).map((name) => `taskDefinition.container.secrets.${name}`),
    ...previews.map((name) => `previews.secrets.${name}`),
  ];
}

/**
 * For STG-OtherDatabasePassword, on a task definition whose container connects as the file's user:
 * the password variable, whether the kit gives it (`kitSecrets`), and the file's secrets by field.
 * Nothing when the file names no user (the legacy form, or a clone's master user).
 */
export function markConnectionSecrets(resource: TerraformResource, connection: DatabaseConnection | undefined, kitSecrets: Readonly<Record<string, string>>, fields: readonly string[]): void {
  if (connection?.database.user === undefined) return;
  const variable = connection.variables.password;
  markResource(resource, `${DATABASE_MARK.passwordVariable}${variable}`);
  if (kitSecrets[variable] !== undefined) markResource(resource, DATABASE_MARK.kitPassword);
  for (const field of fields) markResource(resource, `${SECRET_FIELD}${field}`);
}
