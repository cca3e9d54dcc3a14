import { createdNames } from '../names';
import type { EnvironmentConfig } from '../schema';
import { Finding } from './rule';
import { ALB_QUOTAS } from '../../aws/elb';
import { previewBand, rulesPerPreview } from '../previews';
import { ALB_BUDGET, stagingPriorities } from './previews';

export interface FileConfig {
  readonly file: string;
  readonly config: EnvironmentConfig;
}

export interface FileFinding extends Finding {
  readonly file: string;
  /** The other files the problem involves (the one it collides with). */
  readonly others: readonly string[];
}

/** Which listener a config's rule lands on: its ARN, or the looked-up ALB and port. */
function listenerKey(config: EnvironmentConfig): string {
  const { listenerArn, loadBalancer } = config.listenerRule;
  return listenerArn ?? `${config.region}:alb/${loadBalancer?.name}:${loadBalancer?.listenerPort}`;
}

/**
 * A rule across files: every config yields a key (or none); two files with the same key collide.
 * The later file (in name order) gets the error, naming the earlier one.
 */
function unique(path: readonly string[], what: string, key: (config: EnvironmentConfig) => string | string[] | undefined, shown: (config: EnvironmentConfig) => unknown) {
  return (files: readonly FileConfig[]): FileFinding[] => {
    const seen = new Map<string, string>();
    const findings: FileFinding[] = [];
    for (const { file, config } of files) {
      const keys = [key(config) ?? []].flat();
      const first = keys.map((k) => seen.get(k)).find((f) => f !== undefined);
      if (first) findings.push({ file, others: [first], path, message: `must be unique ${what}; ${first} uses it too`, value: shown(config) });
      else keys.forEach((k) => seen.set(k, file));
    }
    return findings;
  };
}

// ELBv2 CreateRule: "PriorityInUse" — priorities are unique per listener.
// An allowlist spread over several rules takes consecutive priorities from `priority`.
export const uniquePriorityPerListener = unique(
  ['listenerRule', 'priority'],
  'on the listener (with the priorities its allowlist takes)',
  (c) => stagingPriorities(c).map((p) => `${listenerKey(c)}#${p}`),
  (c) => c.listenerRule.priority,
);

// Two rules for one host on one listener: only the lower priority would ever match.
export const uniqueHostPerListener = unique(['listenerRule', 'hostHeader'], 'on the listener', (c) => `${listenerKey(c)}#${c.listenerRule.hostHeader.toLowerCase()}`, (c) => c.listenerRule.hostHeader);

// ELBv2 CreateTargetGroup: names are unique per account and region, and compared without case.
export const uniqueTargetGroupName = unique(['targetGroup', 'name'], 'in the region (ELBv2 ignores case)', (c) => `${c.region}#${createdNames(c).targetGroup.toLowerCase()}`, (c) => createdNames(c).targetGroup);

// ECS CreateCluster returns an existing cluster of the same name, so two stacks would silently share (and destroy) one.
export const uniqueClusterName = unique(['cluster', 'name'], 'in the region', (c) => `${c.region}#${createdNames(c).cluster}`, (c) => createdNames(c).cluster);

// CloudWatch Logs: a log group name is unique per account and region; two services would mix their logs.
export const uniqueLogGroup = unique(['taskDefinition', 'container', 'logGroup'], 'in the region', (c) => `${c.region}#${createdNames(c).logGroup}`, (c) => createdNames(c).logGroup);

// IAM is global to the account, and role names are unique without regard to case (IAM User Guide, "IAM identifiers").
export const uniqueRoleNames = unique(
  ['taskDefinition', 'family'],
  'in the account: it names the created IAM roles "<family>-execution" and "<family>-task" (IAM is global and ignores case)',
  (c) => [createdNames(c).executionRole, createdNames(c).taskRole].flatMap((role) => (role ? [role.toLowerCase()] : [])),
  (c) => createdNames(c).family,
);

// EC2 CreateSecurityGroup: group names are unique per VPC.
export const uniqueSecurityGroupName = unique(
  ['service', 'name'],
  'in the VPC: it names the created security group "<service>-tasks"',
  (c) => {
    const group = createdNames(c).securityGroup;
    // the VPC: its ID, or the looked-up ALB's (the same ALB is in one VPC)
    return group && `${c.region}#${c.targetGroup.vpcId ?? listenerKey(c)}#${group}`;
  },
  (c) => createdNames(c).service,
);

// CodeBuild project names are unique per region; the build role (IAM, global) and log group follow from them.
export const uniqueBuildProject = unique(
  ['pipeline', 'projectName'],
  'in the account: it names the CodeBuild project, its role "<projectName>-codebuild" and log group "/aws/codebuild/<projectName>"',
  (c) => {
    const names = createdNames(c);
    return names.buildProject && [`${c.region}#${names.buildProject}`, `role#${names.buildRole!.toLowerCase()}`];
  },
  (c) => createdNames(c).buildProject,
);

// Route 53: a weighted record is identified by zone, name, type and set identifier.
export const uniqueDnsRecord = unique(
  ['dnsRecord', 'setIdentifier'],
  'for the record name',
  (c) => `${c.dnsRecord.zoneId ?? c.dnsRecord.zoneName}#${c.dnsRecord.name.toLowerCase()}#${c.dnsRecord.setIdentifier}`,
  (c) => c.dnsRecord.setIdentifier,
);

// ECR PutLifecyclePolicy: a repository has one lifecycle policy, so a second stack would overwrite the first.
export const uniqueEcrRepository = unique(['ecrLifecycle', 'repository'], 'in the region (a repository has one lifecycle policy)', (c) => `${c.region}#${c.ecrLifecycle.repository}`, (c) => c.ecrLifecycle.repository);

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
    if (clash) findings.push({ file, others: [clash.file], path: ['previews', 'priorityBase'], message: `must start a band (${band.first}–${band.last}) clear of the priorities ${clash.file} takes (${clash.first}–${clash.last})`, value: band.first });
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
