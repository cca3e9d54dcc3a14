import { CLONE_LIMITS, cloneIdentifier, isCloneEngine, SERVERLESS_INSTANCE_CLASS, SERVERLESS_V2, SMALLEST_INSTANCE_CLASS } from '../aws/rds';
import type { EnvironmentConfig } from './schema';

/**
 * Who gets a copy-on-write clone of the production cluster, from a file: staging (`service.database.access:
 * "clone"`), and each preview (`previews.database.access: "clone"`, or staging's clone inherited).
 */

/** How a preview reaches the data: as written, else staging's access, but never read-write (the rules refuse that). */
export function previewDatabaseAccess(config: EnvironmentConfig): 'read-only' | 'reader' | 'read-write' | 'clone' | undefined {
  if (!config.previews || !config.service.database) return undefined;
  return config.previews.database?.access ?? config.service.database.access;
}

/** Whether staging connects to a clone of its own. */
export function stagingClones(config: EnvironmentConfig): boolean {
  return config.service.database?.access === 'clone';
}

/** Whether each preview connects to a clone of its own. */
export function previewsClone(config: EnvironmentConfig): boolean {
  return previewDatabaseAccess(config) === 'clone';
}

/** Whether the file makes any clone. */
export function makesClones(config: EnvironmentConfig): boolean {
  return stagingClones(config) || previewsClone(config);
}

/** The clones the file may hold at once: staging's, and one per preview slot. */
export function clonesOf(config: EnvironmentConfig): number {
  return (stagingClones(config) ? 1 : 0) + (previewsClone(config) ? config.previews!.maxOpen : 0);
}

/** Whether a masking job runs on each clone before it serves (else the file consents to unmasked data). */
export function clonesMasked(config: EnvironmentConfig): boolean {
  return makesClones(config) && config.service.database?.clone?.mask !== undefined;
}

/** The DB cluster quota the file's clones must fit in. */
export function clusterQuota(config: EnvironmentConfig): number {
  return config.service.database?.clone?.clusterQuota ?? CLONE_LIMITS.clustersPerRegion;
}

/** The clone's size: one provisioned instance of a class, or Serverless v2 between two capacities. */
export type CloneSize = { readonly instanceClass: string } | { readonly instanceClass: typeof SERVERLESS_INSTANCE_CLASS; readonly minCapacity: number; readonly maxCapacity: number };

/** The file's clone size, with the defaults: the engine's smallest class, or Serverless v2 from 0.5 ACU once a capacity is given. */
export function cloneSize(config: EnvironmentConfig): CloneSize {
  const database = config.service.database!;
  const clone = database.clone;
  if (clone?.maxCapacity !== undefined || clone?.minCapacity !== undefined) {
    return { instanceClass: SERVERLESS_INSTANCE_CLASS, minCapacity: clone.minCapacity ?? SERVERLESS_V2.minCapacityWithoutAutoPause, maxCapacity: clone.maxCapacity ?? clone.minCapacity! };
  }
  const engine = database.engine;
  return { instanceClass: clone?.instanceClass ?? (engine && isCloneEngine(engine) ? SMALLEST_INSTANCE_CLASS[engine] : SMALLEST_INSTANCE_CLASS['aurora-postgresql']) };
}

/** The identifiers the file's clones take: staging's, and a preview's for `pullRequest` (the longest, for the length check). */
export function cloneIdentifiersOf(stack: string, config: EnvironmentConfig, pullRequest: number): string[] {
  const source = config.service.database?.clusterIdentifier;
  if (!source) return [];
  return [...(stagingClones(config) ? [cloneIdentifier(source, stack)] : []), ...(previewsClone(config) ? [cloneIdentifier(source, stack, pullRequest)] : [])];
}
