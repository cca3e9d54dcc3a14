import { ALB_QUOTAS, isValidHostHeader, PRIORITY, rulePriorities } from '../../aws/elb';
import { hostPattern, LARGEST_PULL_REQUEST, NUMBER_PLACEHOLDER, previewBand, resolvePreview, rulesPerPreview } from '../previews';
import type { EnvironmentConfig } from '../schema';
import { createdNames } from '../names';
import { Finding } from './rule';
import { fargateSizeFindings } from './task-definition';

type CrossFieldRule = (config: EnvironmentConfig) => Finding[];

/**
 * What staging environments and previews together may take of one ALB: half of each quota, so that
 * production keeps the other half (its own rules and target groups are not known at synth).
 */
export const ALB_BUDGET = { rules: ALB_QUOTAS.rules / 2, targetGroups: ALB_QUOTAS.targetGroups / 2 } as const;

export const stagingPriorities = (config: EnvironmentConfig): number[] => rulePriorities(config.listenerRule.priority, rulesPerPreview(config));

// Previews are built by CodeBuild from pull request events, and each keeps its state in S3.
export const previewsNeedPipelineAndBackend: CrossFieldRule = (config) => {
  if (!config.previews) return [];
  return [
    ...(config.pipeline ? [] : [{ path: ['previews'], message: 'needs a pipeline section: the previews build uses its repository and GitHub connection' }]),
    ...(config.backend ? [] : [{ path: ['previews'], message: 'needs a backend section: each preview keeps its state in that bucket under previews/<stack>/' }]),
  ];
};

// One wildcard record, "*.<hostHeader>", serves every preview; so the pattern is one label under the staging host.
export const previewHostPattern: CrossFieldRule = (config) => {
  if (!config.previews) return [];
  const pattern = hostPattern(config);
  const path = ['previews', 'hostPattern'];
  const host = config.listenerRule.hostHeader.toLowerCase();
  const [label, ...rest] = pattern.split('.');
  if (/[*?]/.test(host)) return [{ path: ['listenerRule', 'hostHeader'], message: 'must be one host name when previews are on: their wildcard record is "*.<hostHeader>"', value: config.listenerRule.hostHeader }];
  if (pattern.split(NUMBER_PLACEHOLDER).length !== 2 || !label.includes(NUMBER_PLACEHOLDER) || rest.join('.').toLowerCase() !== host) {
    return [{ path, message: `must be one label holding "${NUMBER_PLACEHOLDER}" once, then the staging host, like "pr-${NUMBER_PLACEHOLDER}.${host}" (one wildcard record and certificate, "*.${host}", cover every preview)`, value: pattern }];
  }
  const longest = pattern.replace(NUMBER_PLACEHOLDER, String(LARGEST_PULL_REQUEST));
  // DNS (RFC 1035): a label is at most 63 characters; ELBv2 host header conditions at most 128.
  if (longest.split('.')[0].length > 63 || !isValidHostHeader(longest)) {
    return [{ path, message: 'must make host names ELBv2 and DNS accept for every pull request number: letters, digits and "-", a first label of at most 63 characters, 128 in all', value: pattern }];
  }
  return [];
};

// The band: maxOpen slots of the rules one preview takes, within 1–50000 and clear of staging's own rules.
export const previewBandFits: CrossFieldRule = (config) => {
  const band = previewBand(config);
  if (!band) return [];
  if (band.last > PRIORITY.max) {
    return [{ path: ['previews', 'priorityBase'], message: `must leave room for the band: maxOpen × ${rulesPerPreview(config)} rule(s) from it end at ${band.last}, past ${PRIORITY.max}`, value: band.first }];
  }
  const overlap = stagingPriorities(config).find((priority) => priority >= band.first && priority <= band.last);
  return overlap === undefined
    ? []
    : [{ path: ['previews', 'priorityBase'], message: `must start a band (${band.first}–${band.last}) clear of staging's own rule priority ${overlap}`, value: band.first }];
};

// Fargate sizes, with the previews' overrides over staging's task size.
export const previewTaskSize: CrossFieldRule = (config) => {
  const previews = config.previews;
  if (!previews || (previews.cpu === undefined && previews.memory === undefined)) return [];
  return fargateSizeFindings(previews.cpu ?? config.taskDefinition.cpu, previews.memory ?? config.taskDefinition.memory, {
    cpu: ['previews', previews.cpu === undefined ? 'memory' : 'cpu'],
    memory: ['previews', previews.memory === undefined ? 'cpu' : 'memory'],
  });
};

// The names a preview derives (ECS: 255 characters; CloudWatch Logs: 512), for the largest number.
export const previewNamesFit: CrossFieldRule = (config) => {
  if (!config.previews) return [];
  const names = resolvePreview('x', config, LARGEST_PULL_REQUEST);
  const findings = [];
  if (names.family.length > 255) findings.push({ path: ['taskDefinition', 'family'], message: `must leave room for "-pr-<number>" in the previews' family (at most ${255 - 13} characters)`, value: config.taskDefinition.family });
  if (names.service.length > 255) findings.push({ path: ['service', 'name'], message: `must leave room for "-pr-<number>" in the previews' service names (at most ${255 - 13} characters)`, value: config.service.name });
  if (names.logGroup.length > 512) findings.push({ path: ['taskDefinition', 'container', 'logGroup'], message: 'must leave room for "/pr-<number>" in the previews\' log groups (at most 499 characters)', value: names.logGroup });
  // IAM role names: at most 64 characters; the previews' build and reaper roles add "-previews-codebuild".
  const project = createdNames(config).buildProject;
  if (project && `${project}-previews-codebuild`.length > 64) {
    findings.push({ path: ['pipeline', 'projectName'], message: `must leave room for "-previews-codebuild" in the previews' build role (IAM: 64 characters; at most ${64 - 19} here)`, value: project });
  }
  return findings;
};

export const PREVIEW_RULES: readonly CrossFieldRule[] = [previewsNeedPipelineAndBackend, previewHostPattern, previewBandFits, previewTaskSize, previewNamesFit];

