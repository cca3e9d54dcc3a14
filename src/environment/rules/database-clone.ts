import { isCloneEngine, SERVERLESS_INSTANCE_CLASS, SERVERLESS_V2 } from '../../aws/rds';
import { makesClones, stagingClones } from '../clone';
import type { EnvironmentConfig } from '../schema';
import { namesDatabase } from './database-access';
import { Finding } from './rule';

type CrossFieldRule = (config: EnvironmentConfig) => Finding[];

const at = (...rest: (string | number)[]) => ['service', 'database', ...rest];

/** Why the section's database cannot be cloned (an Aurora cluster of aurora-postgresql or aurora-mysql), or undefined. */
function notClonable(config: EnvironmentConfig): string | undefined {
  const database = config.service.database!;
  if (database.instanceIdentifier !== undefined) return 'an RDS instance has no copy-on-write clone';
  if (database.clusterIdentifier === undefined) return 'the section names no cluster (clusterIdentifier)';
  if (database.engine !== undefined && !isCloneEngine(database.engine)) return `engine "${database.engine}" is not an Aurora engine`;
  return undefined;
}

// Aurora User Guide, "Cloning a volume for an Aurora DB cluster": copy-on-write clones are Aurora's, of a cluster.
export const cloneNeedsAuroraCluster: CrossFieldRule = (config) => {
  const database = config.service.database;
  if (!database) return [];
  if (!namesDatabase(database)) {
    // the previews' field is previewDatabaseShape's
    return stagingClones(config)
      ? [{ path: at('access'), message: '"clone" needs the database named (engine aurora-postgresql or aurora-mysql, clusterIdentifier, databaseName): the kit clones the cluster it names', value: 'clone' }]
      : [];
  }
  const findings: Finding[] = [];
  const why = makesClones(config) ? notClonable(config) : undefined;
  if (why && stagingClones(config)) {
    findings.push({ path: at('access'), message: `"clone" needs an Aurora cluster (service.database.clusterIdentifier, engine aurora-postgresql or aurora-mysql): ${why}; use "read-only"`, value: 'clone' });
  }
  if (why && !stagingClones(config)) {
    findings.push({ path: ['previews', 'database', 'access'], message: `"clone" needs service.database to name an Aurora cluster (clusterIdentifier, engine aurora-postgresql or aurora-mysql): ${why}; use "read-only"`, value: 'clone' });
  }
  return findings;
};

// A clone is reached as its master user, with the secret RDS manages: staging's own production user has no place there.
export const cloneUser: CrossFieldRule = (config) => {
  const database = config.service.database;
  if (!stagingClones(config) || !database) return [];
  return (['user', 'iamAuth', 'passwordSecret'] as const)
    .filter((field) => database[field] !== undefined)
    .map((field) => ({ path: at(field), message: 'must not be set with access "clone": staging connects to its clone as the clone\'s master user, with the secret RDS manages for it (no production user, grant or rds-db:connect); remove it' }));
};

// Fail closed: a clone serves only masked data, unless the file consents in so many words; a stray consent is a mistake.
export const cloneMaskedOrConsented: CrossFieldRule = (config) => {
  const database = config.service.database;
  if (!database) return [];
  const clones = makesClones(config);
  const masked = database.clone?.mask !== undefined;
  const consent = database.allowUnmaskedProductionData === true;
  if (clones && !masked && !consent) {
    return [{
      path: at('clone', 'mask'),
      message: `is required: a clone holds production's personal data, so service.database.clone.mask must name the SQL that masks it before ${stagingClones(config) ? 'staging' : 'a preview'} serves any (or add service.database.allowUnmaskedProductionData: true to consent to unmasked data)`,
    }];
  }
  if (consent && (!clones || masked)) {
    return [{ path: at('allowUnmaskedProductionData'), message: clones ? 'consents to an unmasked clone, but clone.mask masks it: remove it' : 'consents to an unmasked clone, but the file makes no clone: remove it', value: true }];
  }
  if (database.clone !== undefined && !clones) {
    return [{ path: at('clone'), message: 'applies only to a clone: service.database.access "clone", or previews.database.access "clone"; remove it' }];
  }
  return [];
};

// The masking job runs the mask file of the application repository: the pipeline section names it and how to read it.
export const cloneMaskNeedsRepository: CrossFieldRule = (config) => {
  const database = config.service.database;
  if (!makesClones(config) || database?.clone?.mask === undefined || config.pipeline !== undefined) return [];
  return [{
    path: at('clone', 'mask'),
    message: 'needs a pipeline section: the masking job runs this file of the application repository (pipeline.repository, at pipeline.branch, with its connectionArn or tokenSecretArn) before the clone serves anyone',
    value: database.clone.mask,
  }];
};

// One instance of a class, or Serverless v2 (instance class db.serverless) between two capacities.
export const cloneSizeShape: CrossFieldRule = (config) => {
  const clone = config.service.database?.clone;
  if (!clone) return [];
  const findings: Finding[] = [];
  const serverless = clone.minCapacity !== undefined || clone.maxCapacity !== undefined;
  if (serverless && clone.instanceClass !== undefined && clone.instanceClass !== SERVERLESS_INSTANCE_CLASS) {
    findings.push({ path: at('clone', 'instanceClass'), message: `must be left out (or be "${SERVERLESS_INSTANCE_CLASS}") with minCapacity/maxCapacity: those make the clone's instance Serverless v2`, value: clone.instanceClass });
  }
  if (!serverless && clone.instanceClass === SERVERLESS_INSTANCE_CLASS) {
    findings.push({ path: at('clone', 'maxCapacity'), message: `is required with instanceClass "${SERVERLESS_INSTANCE_CLASS}": the most ACUs the clone may scale to` });
  }
  if (clone.minCapacity !== undefined && clone.maxCapacity === undefined) {
    findings.push({ path: at('clone', 'maxCapacity'), message: 'is required with minCapacity: the most ACUs the clone may scale to' });
  }
  const min = clone.minCapacity ?? SERVERLESS_V2.minCapacityWithoutAutoPause;
  if (clone.maxCapacity !== undefined && min > clone.maxCapacity) {
    findings.push({ path: at('clone', 'minCapacity'), message: `must be at most maxCapacity (${clone.maxCapacity})`, value: min });
  }
  return findings;
};

// A preview connects as staging does, or to its own clone: never as a user staging does not have, never read-write.
export const previewDatabaseShape: CrossFieldRule = (config) => {
  const access = config.previews?.database?.access;
  if (access === undefined) return [];
  const database = config.service.database;
  const path = ['previews', 'database', 'access'];
  if (!database || !namesDatabase(database)) {
    return [{ path, message: 'needs service.database naming the production database (engine, clusterIdentifier, databaseName): a preview reaches the data staging names', value: access }];
  }
  if (access !== 'clone' && access !== database.access) {
    const stagingAccess = database.access;
    return [{
      path,
      message: stagingAccess === 'clone'
        ? `"${access}" would connect a preview to production, but service.database.access is "clone", so staging names no production user for it to connect as; use "clone" (or leave it out)`
        : `must be "clone" or staging's own service.database.access, "${stagingAccess}": a preview without a clone connects as staging does, with staging's user and host`,
      value: access,
    }];
  }
  return [];
};

export const CLONE_RULES: readonly CrossFieldRule[] = [cloneNeedsAuroraCluster, cloneUser, cloneMaskedOrConsented, cloneMaskNeedsRepository, cloneSizeShape, previewDatabaseShape];

