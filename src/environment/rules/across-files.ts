import { createdNames } from '../names';
import type { EnvironmentConfig } from '../schema';
import { Finding } from './rule';
import type { FileConfig, FileFinding } from './file-finding';
import { ALB_QUOTAS } from '../../aws/elb';
import { previewBand, rulesPerPreview } from '../previews';
import { ALB_BUDGET, stagingPriorities } from './previews';
import { fileAccount } from './account-region';
import { shownFileName } from '../terminal';
import { CLONE_ACROSS_FILE_RULES } from './clone-budget';

export type { FileConfig, FileFinding } from './file-finding';

type FieldPath = readonly string[];

/** Whether the file's JSON writes the field (the schema's default fills it otherwise). */
function writes(json: unknown, path: FieldPath): boolean {
  let node = json;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.prototype.hasOwnProperty.call(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return node !== undefined;
}

function valueAt(config: EnvironmentConfig, path: FieldPath): unknown {
  return path.reduce<any>((node, key) => node?.[key], config);
}

/** `a.json uses`, `a.json and b.json use`, `a.json, b.json and c.json use`. */
function filesUse(files: readonly string[]): string {
  const shown = files.map(shownFileName);
  const list = shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
  return `${list} ${shown.length === 1 ? 'uses' : 'use'}`;
}

/**
 * Where a created name must be unique, as a string (`<region>#<name>`), and the account it is in.
 * Two files collide on equal scopes in one account; a file whose account is unknown (see
 * `fileAccount`), or a key whose scope already names one thing in the world (a listener ARN, a
 * hosted zone ID), has no account here and is compared with every file.
 */
interface NameKey {
  readonly scope: string;
  readonly account?: string;
}

interface UniqueName {
  /**
   * The fields the name comes from, in order: the name's own field, then the fields it falls back to
   * (`container.logGroup`, else `family`). A file's error is on the first one it writes, or, when it
   * writes none, on the last one, whose default made the name.
   */
  readonly chain: readonly FieldPath[];
  /** Where the field's value must be unique, after "must be unique ": `in the account and region`. */
  readonly unique: string;
  /**
   * For a name that fell back to a later field of the chain: what it is (`the log group`), the name
   * (quoted) and where it must be unique. Required when the chain has more than one field.
   */
  readonly derived?: (config: EnvironmentConfig) => { readonly what: string; readonly name: string; readonly unique: string };
  /** The scopes the file's name takes (none when the stack creates no such thing). `account` is the file's. */
  readonly keys: (config: EnvironmentConfig, account: string | undefined) => readonly NameKey[];
}

/**
 * A rule across files: every file's name yields keys; two files with a key alike collide (see
 * `NameKey`). Each file of a collision gets its own error, on the field to change in that file,
 * naming the other files.
 */
function unique(spec: UniqueName) {
  return (files: readonly FileConfig[]): FileFinding[] => {
    const byScope = new Map<string, { index: number; account?: string }[]>();
    files.forEach(({ config }, index) => {
      const account = fileAccount(config);
      for (const key of spec.keys(config, account)) byScope.set(key.scope, [...(byScope.get(key.scope) ?? []), { index, account: key.account }]);
    });
    const others = files.map(() => new Set<number>());
    for (const entries of byScope.values()) {
      for (const a of entries) {
        for (const b of entries) {
          if (a.index !== b.index && (a.account === undefined || b.account === undefined || a.account === b.account)) others[a.index].add(b.index);
        }
      }
    }
    return files.flatMap((entry, index) => {
      if (others[index].size === 0) return [];
      const names = [...others[index]].sort((x, y) => x - y).map((other) => files[other].file);
      return [{ file: entry.file, others: names, ...whereToFix(spec, entry, `; ${filesUse(names)} it too`) }];
    });
  };
}

/** The field to change in this file, and the line's rule: the name's own field, the field it fell back to, or the default it took. */
function whereToFix(spec: UniqueName, { config, json }: FileConfig, collision: string): Finding {
  const { chain } = spec;
  const at = chain.findIndex((field) => writes(json, field));
  // the file writes the name's own field
  if (at === 0) return { path: chain[0], message: `must be unique ${spec.unique}${collision}`, value: valueAt(config, chain[0]) };
  const path = at === -1 ? chain[chain.length - 1] : chain[at];
  const value = valueAt(config, path);
  const unset = chain.slice(0, at === -1 ? -1 : at).map((field) => field.join('.'));
  const derived = unset.length > 0 ? spec.derived!(config) : undefined;
  const names = derived && `names ${derived.what} ${derived.name} (${unset.join(', ')} ${unset.length === 1 ? 'is' : 'are'} not set${at === -1 ? ' either' : ''}); ${derived.what} must be unique ${derived.unique}`;
  // a field the name falls back to
  if (at > 0) return { path, message: `${names}${collision}`, value };
  // none: the last field's default made the name
  return { path, message: `not set, so it defaults to ${JSON.stringify(value)}, which ${names ?? `must be unique ${spec.unique}`}${collision}`, value };
}

/** Which listener a config's rule lands on: its ARN, or the looked-up ALB and port. */
function listenerKey(config: EnvironmentConfig): string {
  const { listenerArn, loadBalancer } = config.listenerRule;
  return listenerArn ?? `${config.region}:alb/${loadBalancer?.name}:${loadBalancer?.listenerPort}`;
}

/**
 * A scope on the config's listener: its ARN names the listener (and its account) wherever it is read;
 * a listener looked up by ALB name and port is in the file's account.
 */
function onListener(config: EnvironmentConfig, account: string | undefined, suffix: string): NameKey {
  return { scope: `${listenerKey(config)}#${suffix}`, account: config.listenerRule.listenerArn ? undefined : account };
}

/** A scope per account and region: ECS clusters, ELBv2 target groups, CloudWatch log groups, ECR repositories, CodeBuild projects. */
const inRegion = (config: EnvironmentConfig, account: string | undefined, name: string): NameKey => ({ scope: `${config.region}#${name}`, account });

const FAMILY = ['taskDefinition', 'family'];

// ELBv2 CreateRule: "PriorityInUse" — priorities are unique per listener.
// An allowlist spread over several rules takes consecutive priorities from `priority`.
export const uniquePriorityPerListener = unique({
  chain: [['listenerRule', 'priority']],
  unique: 'on the listener (with the priorities its allowlist takes)',
  keys: (c, account) => stagingPriorities(c).map((p) => onListener(c, account, `${p}`)),
});

// Two rules for one host on one listener: only the lower priority would ever match.
export const uniqueHostPerListener = unique({
  chain: [['listenerRule', 'hostHeader']],
  unique: 'on the listener',
  keys: (c, account) => [onListener(c, account, c.listenerRule.hostHeader.toLowerCase())],
});

// ELBv2 CreateTargetGroup: names are unique per account and region, and compared without case.
export const uniqueTargetGroupName = unique({
  chain: [['targetGroup', 'name']],
  unique: 'in the account and region (ELBv2 ignores case)',
  keys: (c, account) => [inRegion(c, account, createdNames(c).targetGroup.toLowerCase())],
});

// ECS CreateCluster returns an existing cluster of the same name, so two stacks would silently share (and destroy) one.
export const uniqueClusterName = unique({
  chain: [['cluster', 'name']],
  unique: 'in the account and region',
  keys: (c, account) => [inRegion(c, account, createdNames(c).cluster)],
});

// CloudWatch Logs: a log group name is unique per account and region; two services would mix their logs.
// Its name is the container's logGroup, else the family, else the family's default.
export const uniqueLogGroup = unique({
  chain: [['taskDefinition', 'container', 'logGroup'], FAMILY],
  unique: 'in the account and region',
  derived: (c) => ({ what: 'the log group', name: JSON.stringify(createdNames(c).logGroup), unique: 'in the account and region' }),
  keys: (c, account) => [inRegion(c, account, createdNames(c).logGroup)],
});

// IAM is global to the account, and role names are unique without regard to case (IAM User Guide, "IAM identifiers").
export const uniqueRoleNames = unique({
  chain: [FAMILY],
  unique: 'in the account: it names the created IAM roles "<family>-execution" and "<family>-task" (IAM is global and ignores case)',
  keys: (c, account) => [createdNames(c).executionRole, createdNames(c).taskRole].flatMap((role) => (role ? [{ scope: `role#${role.toLowerCase()}`, account }] : [])),
});

// EC2 CreateSecurityGroup: group names are unique per VPC (a VPC is one account's).
export const uniqueSecurityGroupName = unique({
  chain: [['service', 'name']],
  unique: 'in the VPC: it names the created security group "<service>-tasks"',
  keys: (c, account) => {
    const group = createdNames(c).securityGroup;
    // the VPC: its ID, or the looked-up ALB's (the same ALB is in one VPC)
    return group ? [{ scope: `${c.region}#${c.targetGroup.vpcId ?? listenerKey(c)}#${group}`, account }] : [];
  },
});

// CodeBuild project names are unique per account and region; the build role (IAM, global to the account)
// and log group follow from them. The project is named projectName, else "<family>-build".
export const uniqueBuildProject = unique({
  chain: [['pipeline', 'projectName'], FAMILY],
  unique: 'in the account: it names the CodeBuild project, its role "<projectName>-codebuild" and log group "/aws/codebuild/<projectName>"',
  derived: (c) => {
    const names = createdNames(c);
    return {
      what: 'the CodeBuild project',
      name: JSON.stringify(names.buildProject),
      unique: `in the account, with its role ${JSON.stringify(names.buildRole)} and log group ${JSON.stringify(names.buildLogGroup)}`,
    };
  },
  keys: (c, account) => {
    const names = createdNames(c);
    return names.buildProject ? [inRegion(c, account, names.buildProject), { scope: `role#${names.buildRole!.toLowerCase()}`, account }] : [];
  },
});

// Route 53: a weighted record is identified by zone, name, type and set identifier. A zone ID names
// one zone; a zone looked up by name is the file's account's.
export const uniqueDnsRecord = unique({
  chain: [['dnsRecord', 'setIdentifier']],
  unique: 'for the record name',
  keys: (c, account) => [
    { scope: `${c.dnsRecord.zoneId ?? c.dnsRecord.zoneName}#${c.dnsRecord.name.toLowerCase()}#${c.dnsRecord.setIdentifier}`, account: c.dnsRecord.zoneId ? undefined : account },
  ],
});

// ECR PutLifecyclePolicy: a repository has one lifecycle policy, so a second stack would overwrite the first.
export const uniqueEcrRepository = unique({
  chain: [['ecrLifecycle', 'repository']],
  unique: 'in the account and region (a repository has one lifecycle policy)',
  keys: (c, account) => [inRegion(c, account, c.ecrLifecycle.repository)],
});

// ---------------------------------------------------------------------------------------------
// Previews: their bands and their share of the ALB

/** Which ALB a file's rules land on: the listener ARN's load balancer, or the looked-up one. */
function albKey(config: EnvironmentConfig): string {
  const { listenerArn, loadBalancer } = config.listenerRule;
  return listenerArn ? listenerArn.replace(/:listener\/(app\/[^/]+\/[^/]+)\/[^/]+$/, ':$1') : `${config.region}:alb/${loadBalancer?.name}`;
}

// Priorities are unique per listener (ELBv2 PriorityInUse): a band may not overlap another file's rules or band.
export function previewBandsApart(files: readonly FileConfig[]): FileFinding[] {
  const taken: { file: string; listener: string; first: number; last: number }[] = files.flatMap(({ file, config }) => {
    const staging = stagingPriorities(config);
    return [{ file, listener: listenerKey(config), first: staging[0], last: staging[staging.length - 1] }];
  });
  const findings: FileFinding[] = [];
  for (const { file, config } of files) {
    const band = previewBand(config);
    if (!band) continue;
    const clash = taken.find((other) => other.file !== file && other.listener === listenerKey(config) && other.first <= band.last && band.first <= other.last);
    if (clash) findings.push({ file, others: [clash.file], path: ['previews', 'priorityBase'], message: `must start a band (${band.first}–${band.last}) clear of the priorities ${shownFileName(clash.file)} takes (${clash.first}–${clash.last})`, value: band.first });
    taken.push({ file, listener: listenerKey(config), ...band });
  }
  return findings;
}

// ALB quotas: every staging environment and every open preview on one ALB count against ALB_BUDGET.
export function previewsWithinAlbBudget(files: readonly FileConfig[]): FileFinding[] {
  const byAlb = new Map<string, FileConfig[]>();
  for (const entry of files) byAlb.set(albKey(entry.config), [...(byAlb.get(albKey(entry.config)) ?? []), entry]);
  const findings: FileFinding[] = [];
  for (const group of byAlb.values()) {
    const rules = group.reduce((sum, { config }) => sum + rulesPerPreview(config) * (1 + (config.previews?.maxOpen ?? 0)), 0);
    const targetGroups = group.reduce((sum, { config }) => sum + 1 + (config.previews?.maxOpen ?? 0), 0);
    if (rules <= ALB_BUDGET.rules && targetGroups <= ALB_BUDGET.targetGroups) continue;
    const withPreviews = group.filter(({ config }) => config.previews);
    const last = withPreviews[withPreviews.length - 1];
    if (!last) continue;
    const over = rules > ALB_BUDGET.rules ? `${rules} listener rules (budget ${ALB_BUDGET.rules} of the ALB's ${ALB_QUOTAS.rules})` : `${targetGroups} target groups (budget ${ALB_BUDGET.targetGroups} of the ALB's ${ALB_QUOTAS.targetGroups}, a hard quota)`;
    findings.push({
      file: last.file,
      others: group.filter((entry) => entry !== last).map((entry) => entry.file),
      path: ['previews', 'maxOpen'],
      message: `must keep the ALB within the previews' budget: staging and open previews on it would take ${over}; lower maxOpen`,
      value: last.config.previews!.maxOpen,
    });
  }
  return findings;
}

export const ACROSS_FILE_RULES = [
  ...CLONE_ACROSS_FILE_RULES,
  uniquePriorityPerListener,
  uniqueHostPerListener,
  uniqueTargetGroupName,
  uniqueClusterName,
  uniqueLogGroup,
  uniqueDnsRecord,
  uniqueEcrRepository,
  uniqueRoleNames,
  uniqueSecurityGroupName,
  uniqueBuildProject,
  previewBandsApart,
  previewsWithinAlbBudget,
] as const;
