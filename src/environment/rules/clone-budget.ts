import * as path from 'node:path';
import { CLONE_IDENTIFIER_MAX, CLONE_LIMITS, isDbIdentifier } from '../../aws/rds';
import { cloneIdentifiersOf, clonesOf, clusterQuota, previewsClone, stagingClones } from '../clone';
import { LARGEST_PULL_REQUEST } from '../previews';
import { shownFileName } from '../terminal';
import type { FileConfig, FileFinding } from './file-finding';
import { fileAccount } from './account-region';

/** The stack a file makes: its name without ".json". */
const stackOf = (file: string) => path.basename(file, '.json');

/** Where a file's clones count: the field that makes the most of them (maxOpen when the previews clone). */
function cloneField(config: FileConfig['config']): string[] {
  return previewsClone(config) ? ['previews', 'maxOpen'] : ['service', 'database', 'access'];
}

/** `a.json: 1 + 10`, the clones each file may hold at once, for the message. */
function tally(group: readonly FileConfig[]): string {
  return group.map(({ file, config }) => `${shownFileName(file)} ${[stagingClones(config) ? 'staging 1' : '', previewsClone(config) ? `previews ${config.previews!.maxOpen}` : ''].filter(Boolean).join(' + ')}`).join(', ');
}

/** Scopes of clusters: a source cluster, or a Region's clusters, in one account (files of unknown account share theirs with all). */
function grouped(files: readonly FileConfig[], key: (entry: FileConfig) => string | undefined): FileConfig[][] {
  const byKey = new Map<string, FileConfig[]>();
  for (const entry of files) {
    const k = key(entry);
    if (k !== undefined) byKey.set(k, [...(byKey.get(k) ?? []), entry]);
  }
  return [...byKey.values()];
}

const accountOf = (entry: FileConfig) => fileAccount(entry.config) ?? 'the file’s account';

// Aurora User Guide, "Limitations of Aurora cloning": at most 15 copy-on-write clones of one source in
// AWS's earlier guide; past that a clone is a full copy, billed for all its storage. Staging's clone
// and every preview slot of every file count, as they may all be open at once.
export function clonesPerSource(files: readonly FileConfig[]): FileFinding[] {
  const cloning = files.filter(({ config }) => clonesOf(config) > 0 && config.service.database?.clusterIdentifier !== undefined);
  return grouped(cloning, (entry) => `${accountOf(entry)}#${entry.config.region}#${entry.config.service.database!.clusterIdentifier!.toLowerCase()}`).flatMap((group) => {
    const clones = group.reduce((sum, { config }) => sum + clonesOf(config), 0);
    if (clones <= CLONE_LIMITS.copyOnWritePerSource) return [];
    const last = group[group.length - 1];
    const source = last.config.service.database!.clusterIdentifier!;
    return [{
      file: last.file,
      others: group.slice(0, -1).map((entry) => entry.file),
      level: 'warning' as const,
      path: cloneField(last.config),
      message: `takes cluster ${source} past ${CLONE_LIMITS.copyOnWritePerSource} copy-on-write clones: ${clones} may be open at once (${tally(group)}); past ${CLONE_LIMITS.copyOnWritePerSource} (AWS's earlier guide) a clone may be a full copy, billed for all of production's storage`,
      value: last.config.previews?.maxOpen ?? 'clone',
    }];
  });
}

// RDS quotas, "DB clusters": 40 per Region by default. The clones, and the clusters they are cloned from, all count.
export function clonesWithinClusterQuota(files: readonly FileConfig[]): FileFinding[] {
  const cloning = files.filter(({ config }) => clonesOf(config) > 0 && config.service.database?.clusterIdentifier !== undefined);
  return grouped(cloning, (entry) => `${accountOf(entry)}#${entry.config.region}`).flatMap((group) => {
    const clones = group.reduce((sum, { config }) => sum + clonesOf(config), 0);
    const sources = new Set(group.map(({ config }) => config.service.database!.clusterIdentifier!.toLowerCase())).size;
    const quota = Math.max(...group.map(({ config }) => clusterQuota(config)));
    if (clones + sources <= quota) return [];
    const last = group[group.length - 1];
    return [{
      file: last.file,
      others: group.slice(0, -1).map((entry) => entry.file),
      path: ['service', 'database', 'clone', 'clusterQuota'],
      message: `must hold the DB clusters the clones take in ${last.config.region}: ${clones} clones (${tally(group)}) and ${sources} source cluster(s) make ${clones + sources}, past the quota of ${quota}; lower previews.maxOpen, or raise the Region's DB cluster quota (Service Quotas) and give it here (the Region's other clusters count too)`,
      value: quota,
    }];
  });
}

// RDS identifiers are at most 63 characters; a clone's leaves room for its instance's "-1". Two files'
// clones may not share one either (a stack name's "_" becomes "-").
export function cloneIdentifiersFit(files: readonly FileConfig[]): FileFinding[] {
  const findings: FileFinding[] = [];
  const taken = new Map<string, string>();
  for (const { file, config } of files) {
    const identifiers = cloneIdentifiersOf(stackOf(file), config, LARGEST_PULL_REQUEST);
    const long = identifiers.find((identifier) => identifier.length > CLONE_IDENTIFIER_MAX || !isDbIdentifier(identifier));
    if (long) {
      findings.push({
        file,
        others: [],
        path: ['service', 'database', 'clusterIdentifier'],
        message: `leaves no room for its clones' identifiers: "${long}" (<source>-<stack>-clone, or -pr-<number> for a preview) is ${long.length} characters, at most ${CLONE_IDENTIFIER_MAX} (RDS: 63, with "-1" for the instance); shorten the file's name`,
        value: config.service.database!.clusterIdentifier,
      });
      continue;
    }
    const key = `${accountOf({ file, config, json: undefined })}#${config.region}#${identifiers[0]}`;
    const other = identifiers.length > 0 ? taken.get(key) : undefined;
    if (other) {
      findings.push({ file, others: [other], path: ['service', 'database', 'clusterIdentifier'], message: `gives a clone identifier, ${identifiers[0]}, that ${shownFileName(other)}'s clone takes too (a stack name's "_" is "-" there): rename one file`, value: config.service.database!.clusterIdentifier });
    } else if (identifiers.length > 0) taken.set(key, file);
  }
  return findings;
}

export const CLONE_ACROSS_FILE_RULES = [clonesPerSource, clonesWithinClusterQuota, cloneIdentifiersFit] as const;
