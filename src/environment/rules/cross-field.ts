import { ALB_HOSTED_ZONE_IDS } from '../../aws/alb-hosted-zones';
import { parseEcrImage } from '../../aws/ecr';
import { chunkCidrs, cidrsPerRule, hostMatches, PRIORITY, priorityRoom, timeoutBelowInterval } from '../../aws/elb';
import { COMPLETE_SECRET_ARN_SUFFIX, SSM_PARAMETER_NAME, WHOLE_SECRET_ARN } from '../../aws/ids';
import { isInsideZone } from '../../aws/route53';
import { RESOURCE_TYPE } from '../../kit/defaults';
import { admitsOnlyKnownCallers } from '../../policy/access';
import { grantsSecretsByWildcard } from '../../policy/secrets';
import type { EnvironmentConfig } from '../schema';
import { oneAccountOneRegion } from './account-region';
import { ACCESS_RULE, MAX_RULES_PER_ENVIRONMENT } from './access';
import { isReference } from '../../kit/reference';
import { Finding } from './rule';
import { fargateSizeFindings } from './task-definition';
import { PREVIEW_RULES } from './previews';
import { CAPACITY_RULES } from './capacity';
import { DATABASE_RULES } from './database-access';
import { CLONE_RULES } from './database-clone';
import { createdNames } from '../names';
import { INVISIBLE } from '../terminal';
import { stringsIn } from '../strings';


/**
 * Rules that relate several fields of one environment file. Each is a small pure function of a
 * schema-valid config, returning what it finds; defaults are the article's, as in the constructs.
 */
export type CrossFieldRule = (config: EnvironmentConfig) => Finding[];

const known = (value: unknown): boolean => value !== undefined && !isReference(value);

// ELBv2 CreateTargetGroup: HealthCheckTimeoutSeconds must be smaller than HealthCheckIntervalSeconds (API-only check).
export const healthCheckTimeoutBelowInterval: CrossFieldRule = (config) => {
  const healthCheck = config.targetGroup.healthCheck ?? {};
  const timeout = healthCheck.timeout;
  const interval = healthCheck.interval;
  return timeoutBelowInterval(timeout, interval)
    ? []
    : [{ path: ['targetGroup', 'healthCheck', 'timeout'], message: `must be less than the interval (${interval})`, value: timeout }];
};

export const fargateTaskSize: CrossFieldRule = (config) =>
  fargateSizeFindings(config.taskDefinition.cpu, config.taskDefinition.memory, { cpu: ['taskDefinition', 'cpu'], memory: ['taskDefinition', 'memory'] });

// ECS DeploymentConfiguration: maximumPercent bounds the tasks during a deployment; below the minimum, or below 100 with a single task, no deployment can proceed.
export const deploymentPercents: CrossFieldRule = (config) => {
  const desired = config.service.desiredCount;
  const maximum = config.service.deploymentMaximumPercent;
  const minimum = config.service.deploymentMinimumHealthyPercent;
  const path = ['service', 'deploymentMaximumPercent'];
  if (maximum < minimum) return [{ path, message: `must be at least deploymentMinimumHealthyPercent (${minimum})`, value: maximum }];
  if (desired === 1 && maximum < 100) return [{ path, message: 'must be at least 100 when desiredCount is 1', value: maximum }];
  return [];
};

/** Exactly one of two ways to name a production resource: by ID, or by lookup. */
function exactlyOne(section: string, byId: string, byLookup: string, values: Record<string, unknown>, optional = false): Finding[] {
  const hasId = values[byId] !== undefined;
  const hasLookup = values[byLookup] !== undefined;
  if (hasId && hasLookup) return [{ path: [section, byLookup], message: `give either ${byId} or ${byLookup}, not both` }];
  if (!hasId && !hasLookup && !optional) return [{ path: [section, byId], message: `is required (or look it up with ${byLookup})` }];
  return [];
}

// Each production reference is either an explicit ID/ARN or a lookup (a data source), never both.
export const referencesByIdOrLookup: CrossFieldRule = (config) => {
  const lookedUpAlb = config.listenerRule.loadBalancer !== undefined;
  const findings = [
    ...exactlyOne('listenerRule', 'listenerArn', 'loadBalancer', config.listenerRule),
    ...exactlyOne('service', 'subnetIds', 'subnetTags', config.service),
    ...exactlyOne('service', 'securityGroupIds', 'securityGroupTags', config.service, true),
    ...exactlyOne('dnsRecord', 'zoneId', 'zoneName', config.dnsRecord),
  ];
  if (!lookedUpAlb && config.targetGroup.vpcId === undefined) {
    findings.push({ path: ['targetGroup', 'vpcId'], message: 'is required unless the ALB is looked up (listenerRule.loadBalancer)' });
  }
  if (!lookedUpAlb && config.dnsRecord.target === undefined) {
    findings.push({ path: ['dnsRecord', 'target'], message: "is required (the ALB's DNS name) unless the ALB is looked up (listenerRule.loadBalancer)" });
  }
  return findings;
};

// ELBv2 listener ARNs are regional: a rule can only be added to a listener in the provider's region.
// That, and the same for every other ARN, image and ALB DNS name, is `oneAccountOneRegion` (./account-region.ts).

// Route 53: alias records take the target's hosted zone and no TTL; a CNAME takes a TTL and cannot sit at the zone apex (RFC 1034 §3.6.2).
export const dnsRecordShape: CrossFieldRule = (config) => {
  const record = config.dnsRecord;
  const findings: Finding[] = [];
  const alias = record.type === 'alias';
  if (alias && record.ttl !== undefined) findings.push({ path: ['dnsRecord', 'ttl'], message: 'must not be set for an alias record (Route 53 uses the target’s TTL)', value: record.ttl });
  if (alias && record.targetZoneId === undefined && config.listenerRule.loadBalancer === undefined) {
    findings.push({ path: ['dnsRecord', 'targetZoneId'], message: "is required for an alias record (the ALB's canonical hosted zone ID) unless the ALB is looked up" });
  }
  const albZone = ALB_HOSTED_ZONE_IDS[config.region];
  if (alias && known(record.targetZoneId) && albZone !== undefined && record.targetZoneId !== albZone) {
    findings.push({ path: ['dnsRecord', 'targetZoneId'], message: `must be the canonical hosted zone of ALBs in ${config.region}, ${albZone} (not the zone of the record): Route 53 refuses any other alias target zone`, value: record.targetZoneId });
  }
  if (!alias && record.targetZoneId !== undefined) findings.push({ path: ['dnsRecord', 'targetZoneId'], message: 'applies to alias records only (set type to "alias")', value: record.targetZoneId });
  if (known(record.zoneName) && known(record.name)) {
    if (!isInsideZone(record.name, record.zoneName!)) {
      findings.push({ path: ['dnsRecord', 'name'], message: `must lie inside the zone ${record.zoneName}`, value: record.name });
    } else if (!alias && isInsideZone(record.zoneName!, record.name)) {
      findings.push({ path: ['dnsRecord', 'name'], message: 'cannot be a CNAME at the zone apex; use type "alias"', value: record.name });
    }
  }
  return findings;
};

// ALB routes on the Host header: a record name the rule does not match would send staging traffic to production's default action.
export const recordMatchesHostHeader: CrossFieldRule = (config) => {
  const { hostHeader } = config.listenerRule;
  const { name } = config.dnsRecord;
  if (!known(hostHeader) || !known(name) || hostMatches(hostHeader, name)) return [];
  return [{ path: ['dnsRecord', 'name'], message: `must match listenerRule.hostHeader (${hostHeader}), or the ALB will not route it to staging`, value: name }];
};

// The staging API serves production data: it is restricted, or public by an explicit, visible choice.
export const accessRestricted: CrossFieldRule = (config) => {
  const access = config.listenerRule.access ?? {};
  const restrictions = (['sourceIps', 'httpHeader', 'oidc', 'cognito'] as const).filter((key) => access[key] !== undefined);
  if (access.public === true && restrictions.length > 0) {
    return [{ path: ['listenerRule', 'access', 'public'], message: `must not be true while ${restrictions.join(', ')} restrict access; remove one`, value: true }];
  }
  const controls = { allowlist: access.sourceIps ?? [], header: access.httpHeader !== undefined, login: access.oidc !== undefined || access.cognito !== undefined };
  if (access.public === true || admitsOnlyKnownCallers(controls)) return [];
  return [{ path: ['listenerRule', 'access'], message: ACCESS_RULE, value: config.listenerRule.access }];
};

// ELBv2 rule actions: one authenticate action per rule, and only on an HTTPS listener.
export const authenticationOnHttps: CrossFieldRule = (config) => {
  const access = config.listenerRule.access ?? {};
  const findings: Finding[] = [];
  if (access.oidc && access.cognito) findings.push({ path: ['listenerRule', 'access', 'cognito'], message: 'give either oidc or cognito, not both (a rule takes one authenticate action)' });
  const port = config.listenerRule.loadBalancer?.listenerPort;
  const login = access.oidc ? 'oidc' : access.cognito ? 'cognito' : undefined;
  if (login && port === 80) {
    findings.push({
      path: ['listenerRule', 'access', login],
      message: `needs an HTTPS listener: authenticate-${login} actions are rejected on HTTP, and listener port 80 is HTTP; use the 443 listener`,
      value: port,
    });
  }
  return findings;
};

// ELBv2 quotas, "Condition values per rule": 5, the host header and a header condition included.
// A longer allowlist spreads over consecutive priorities, one rule per chunk.
export const allowlistFitsRules: CrossFieldRule = (config) => {
  const { access, priority } = config.listenerRule;
  const cidrs = access?.sourceIps ?? [];
  const rules = chunkCidrs(cidrs, access?.httpHeader !== undefined).length;
  const path = ['listenerRule', 'access', 'sourceIps'];
  if (rules > MAX_RULES_PER_ENVIRONMENT) {
    const most = MAX_RULES_PER_ENVIRONMENT * cidrsPerRule(access?.httpHeader !== undefined);
    return [{ path, message: `must list at most ${most} CIDRs (${cidrsPerRule(access?.httpHeader !== undefined)} per listener rule, at most ${MAX_RULES_PER_ENVIRONMENT} rules); use a VPN range or WAF for more`, value: cidrs.length }];
  }
  if (!priorityRoom(priority, rules)) {
    return [{ path: ['listenerRule', 'priority'], message: `must leave room for ${rules} consecutive rules (the allowlist spreads over them), so at most ${PRIORITY.max - rules + 1}`, value: priority }];
  }
  return [];
};

// The created roles are scoped by what the file lists; with a given role ARN those settings would silently do nothing.
export const createdRoleSettings: CrossFieldRule = (config) => {
  const task = config.taskDefinition;
  const findings: Finding[] = [];
  if (task.executionRoleArn !== undefined && task.secretsKmsKeyArn !== undefined) {
    findings.push({ path: ['taskDefinition', 'secretsKmsKeyArn'], message: 'applies only to the execution role the stack creates; leave out executionRoleArn, or grant kms:Decrypt in your role', value: task.secretsKmsKeyArn });
  }
  if (task.taskRoleArn !== undefined && task.taskRolePolicy !== undefined) {
    findings.push({ path: ['taskDefinition', 'taskRolePolicy'], message: 'applies only to the task role the stack creates; leave out taskRoleArn, or add the statements to your role' });
  }
  if (task.executionRoleArn === undefined) {
    for (const [name, reference] of Object.entries(task.container.secrets ?? {})) {
      if (SSM_PARAMETER_NAME.test(reference)) {
        findings.push({
          path: ['taskDefinition', 'container', 'secrets', name],
          message: 'must be an SSM parameter ARN when the stack creates the execution role, so its policy names exactly that parameter',
          value: reference,
        });
      }
    }
  }
  (task.taskRolePolicy ?? []).forEach((statement, index) => {
    statement.resources.forEach((resource, at) => {
      // Secrets, parameters and keys by exact ARN, judged by the ARN's service; elsewhere no whole-service wildcard.
      if (grantsSecretsByWildcard(resource) || resource.endsWith(':*')) {
        findings.push({ path: ['taskDefinition', 'taskRolePolicy', index, 'resources', at], message: 'must name exact resources: no wildcard in a secret, parameter or key ARN, and none for a whole service', value: resource });
      }
    });
  });
  if (task.executionRoleArn === undefined) {
    for (const [name, reference] of Object.entries(task.container.secrets ?? {})) {
      if (reference.includes(':secretsmanager:') && !COMPLETE_SECRET_ARN_SUFFIX.test(reference)) {
        findings.push({
          path: ['taskDefinition', 'container', 'secrets', name],
          message: 'must be the complete secret ARN, ending in "-" and six characters, so the created execution role can be granted exactly that secret',
          value: reference,
        });
      }
    }
  }
  return findings;
};

// Without given groups the stack creates one that admits only the ALB; the ALB's group is then needed.
export const serviceNetworkPath: CrossFieldRule = (config) => {
  const service = config.service;
  const given = service.securityGroupIds !== undefined || service.securityGroupTags !== undefined;
  const findings: Finding[] = [];
  if (!given && service.loadBalancerSecurityGroupId === undefined) {
    findings.push({
      path: ['service', 'loadBalancerSecurityGroupId'],
      message: "is required when the stack creates the service's security group (no securityGroupIds or securityGroupTags): it admits only the production ALB",
    });
  }
  if (given && service.loadBalancerSecurityGroupId !== undefined) {
    findings.push({ path: ['service', 'loadBalancerSecurityGroupId'], message: 'applies only when the stack creates the security group; leave out securityGroupIds/securityGroupTags, or remove it', value: service.loadBalancerSecurityGroupId });
  }
  if (service.database && service.securityGroupTags !== undefined) {
    findings.push({ path: ['service', 'database'], message: 'needs the service security groups by ID (or created by the stack), not looked up by tag' });
  }
  return findings;
};

// The pipeline waits for the service to be stable: a new task must start and pass its health checks,
// and the old one must drain. Together they must fit in the wait, or every slow deploy fails the build.
export const deployFitsWait: CrossFieldRule = (config) => {
  if (!config.pipeline) return [];
  const wait = config.pipeline.waitTimeoutSeconds;
  const health = config.targetGroup.healthCheck ?? {};
  const interval = health.interval;
  const healthy = health.healthyThreshold;
  const grace = config.service.healthCheckGracePeriodSeconds;
  const drain = config.targetGroup.deregistrationDelay;
  const needed = grace + healthy * interval + drain;
  return needed <= wait
    ? []
    : [{
        path: ['targetGroup', 'deregistrationDelay'],
        message: `must leave a deploy time to finish inside pipeline.waitTimeoutSeconds (${wait} s): grace ${grace} + ${healthy} healthy checks × ${interval} s + drain ${drain} = ${needed} s`,
        value: drain,
      }];
};

// The buildspec is generated now; CodeBuild and the role need the repository's URL and ARN at synth.
export const pipelineInputs: CrossFieldRule = (config) => {
  const pipeline = config.pipeline;
  if (!pipeline) return [];
  const findings: Finding[] = [];
  if ((pipeline.connectionArn === undefined) === (pipeline.tokenSecretArn === undefined)) {
    findings.push({ path: ['pipeline', 'connectionArn'], message: 'give exactly one source credential: connectionArn (CodeConnections) or tokenSecretArn (a GitHub token in Secrets Manager)' });
  }
  for (const key of ['tokenSecretArn', 'dockerHubSecretArn'] as const) {
    const value = pipeline[key];
    if (value !== undefined && !WHOLE_SECRET_ARN.test(value)) {
      findings.push({ path: ['pipeline', key], message: 'must be a Secrets Manager secret ARN, without a :json-key suffix (CodeBuild reads the whole secret)', value });
    }
  }
  const image = config.taskDefinition.container.image;
  const ecrImage = image === undefined ? undefined : parseEcrImage(image);
  const tagPrefix = config.ecrLifecycle.tagPrefix;
  if (!ecrImage) {
    findings.push({
      path: ['taskDefinition', 'container', 'image'],
      message: 'must be written out as the staging ECR image (e.g. 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server:stg) when pipeline is set: the buildspec pushes to it',
      value: image,
    });
  } else if (ecrImage.repository !== config.ecrLifecycle.repository || (ecrImage.tag ?? 'latest') !== tagPrefix) {
    // The build pushes <repository>:<tagPrefix> and redeploys; a task pulling anything else would never see a build.
    findings.push({
      path: ['taskDefinition', 'container', 'image'],
      message: `must be the image the pipeline pushes, <registry>/${config.ecrLifecycle.repository}:${tagPrefix} (ecrLifecycle.repository and tagPrefix)`,
      value: image,
    });
  }
  return findings;
};

// Terraform `moved` blocks keep the resource type (AWS provider 5.x has no cross-type moves), and an import of
// a record needs its zone ID in the import ID.
export const adoptionTargets: CrossFieldRule = (config) => {
  const adopt = config.adopt;
  if (!adopt) return [];
  const findings: Finding[] = [];
  for (const [key, from] of Object.entries(adopt.movedFrom ?? {})) {
    const type = RESOURCE_TYPE[key as keyof typeof RESOURCE_TYPE];
    if (from.split('.')[0] !== type) findings.push({ path: ['adopt', 'movedFrom', key], message: `must be a ${type} address (a move keeps the resource type)`, value: from });
  }
  for (const key of Object.keys(adopt.movedFrom ?? {})) {
    if (adopt[key as keyof typeof adopt] !== undefined) {
      findings.push({ path: ['adopt', 'movedFrom', key], message: `cannot move ${key} and import it at once: it is either in state under another address (move) or not in state (import)` });
    }
  }
  if (adopt.dnsRecord && config.dnsRecord.zoneId === undefined) {
    findings.push({ path: ['adopt', 'dnsRecord'], message: 'needs dnsRecord.zoneId: the import ID is <zone ID>_<name>_<type>_<set identifier>', value: true });
  }
  return findings;
};

/** A name the stack derives: from which field (and its value), and the limit of the API that takes it. */
interface DerivedName {
  readonly name: string | undefined;
  readonly field: readonly string[];
  readonly value: string;
  readonly what: string;
  readonly max: number;
}

// Names the stack derives from the file's names must fit the APIs that take them: IAM CreateRole
// RoleName ≤ 64; EC2 CreateSecurityGroup GroupName ≤ 255, not starting with "sg-". CodeBuild's
// CreateProject name ≤ 150 needs no entry: the build role "<project>-codebuild" (≤ 64) is always
// tighter. One finding per field: the tightest limit it misses.
export const derivedNamesFit: CrossFieldRule = (config) => {
  const names = createdNames(config);
  const family = { field: ['taskDefinition', 'family'], value: names.family };
  const project = config.pipeline?.projectName === undefined ? family : { field: ['pipeline', 'projectName'], value: config.pipeline.projectName };
  const service = { field: ['service', 'name'], value: names.service };
  const derived: DerivedName[] = [
    { name: names.executionRole, ...family, what: 'the execution role "<family>-execution"; IAM role names', max: 64 },
    { name: names.taskRole, ...family, what: 'the task role "<family>-task"; IAM role names', max: 64 },
    { name: names.buildRole, ...project, what: 'the build role "<projectName>-codebuild"; IAM role names', max: 64 },
    { name: names.securityGroup, ...service, what: 'the security group "<service>-tasks"; EC2 group names', max: 255 },
  ];
  const findings: Finding[] = [];
  for (const { name, field, value, what, max } of derived) {
    if (name === undefined || name.length <= max || findings.some((finding) => finding.path.join('.') === field.join('.'))) continue;
    findings.push({ path: field, message: `must be at most ${max - (name.length - value.length)} characters: it names ${what} are at most ${max}`, value });
  }
  if (names.securityGroup?.toLowerCase().startsWith('sg-')) {
    findings.push({ path: service.field, value: service.value, message: 'must not start with "sg-" while the stack creates the security group "<service>-tasks": EC2 refuses group names starting with "sg-"' });
  }
  return findings;
};

// A wildcard host on the production listener matches production's own hosts (`*.example.com` matches
// api.example.com), and the ALB evaluates rules by priority: below production's priorities, staging
// would take production traffic. Only an explicit, visible choice allows one.
export const wildcardHostNeedsConsent: CrossFieldRule = (config) => {
  const { hostHeader, allowWildcardHost } = config.listenerRule;
  const wildcard = /[*?]/.test(hostHeader);
  if (wildcard && allowWildcardHost !== true) {
    return [{ path: ['listenerRule', 'hostHeader'], message: 'must be one host name, without "*" or "?": a wildcard on the production listener can take production hosts (set listenerRule.allowWildcardHost to true to accept that)', value: hostHeader }];
  }
  if (!wildcard && allowWildcardHost !== undefined) {
    return [{ path: ['listenerRule', 'allowWildcardHost'], message: 'applies only to a hostHeader with "*" or "?"; remove it', value: allowWildcardHost }];
  }
  return [];
};

// ECS RegisterTaskDefinition: a task definition is at most 64 KiB of JSON. The container (its
// environment, command and secrets) is most of it; 4 KiB is left for what the stack adds.
export const TASK_DEFINITION_BYTES = 64 * 1024;
export const taskDefinitionFits: CrossFieldRule = (config) => {
  const bytes = Buffer.byteLength(JSON.stringify(config.taskDefinition), 'utf8');
  if (bytes <= TASK_DEFINITION_BYTES - 4096) return [];
  const path = config.taskDefinition.container.environment ? ['taskDefinition', 'container', 'environment'] : ['taskDefinition', 'container'];
  return [{ path, message: `must leave the task definition within ECS's 64 KiB: this one holds ${bytes} bytes (at most ${TASK_DEFINITION_BYTES - 4096}); move large values to SSM or S3`, got: `${bytes} bytes` }];
};

// Text reaches AWS APIs, logs and terminals: a control, zero-width or bidirectional character (or a lone
// surrogate, which is not even UTF-8) is refused everywhere; an environment value may hold tabs and newlines.
export const visibleText: CrossFieldRule = (config) => {
  return stringsIn(config).flatMap(({ path, value }): Finding[] => {
    // environment values (staging's container, a preview's) may hold tabs and newlines; a space in
    // their place keeps the characters either side apart (two halves of a surrogate pair stay lone)
    const multiline = (path[0] === 'taskDefinition' && path[2] === 'environment') || (path[0] === 'previews' && path[1] === 'environment');
    const found = INVISIBLE.exec(multiline ? value.replace(/[\t\n]/g, ' ') : value);
    return found ? [{ path, message: `must not hold control or invisible characters (found U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`, value }] : [];
  });
};

export const CROSS_FIELD_RULES: readonly CrossFieldRule[] = [
  healthCheckTimeoutBelowInterval,
  fargateTaskSize,
  deploymentPercents,
  referencesByIdOrLookup,
  oneAccountOneRegion,
  dnsRecordShape,
  recordMatchesHostHeader,
  accessRestricted,
  authenticationOnHttps,
  allowlistFitsRules,
  createdRoleSettings,
  serviceNetworkPath,
  deployFitsWait,
  pipelineInputs,
  adoptionTargets,
  derivedNamesFit,
  wildcardHostNeedsConsent,
  taskDefinitionFits,
  visibleText,
  ...PREVIEW_RULES,
  ...CAPACITY_RULES,
  ...DATABASE_RULES,
  ...CLONE_RULES,
];
