import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatError } from '../../src/environment/errors';
import { readEnvironments } from '../../src/environment/load';
import { synthesize } from '../../src/synth/synth';
import {
  FileConfig,
  FileFinding,
  previewBandsApart,
  previewsWithinAlbBudget,
  uniqueBuildProject,
  uniqueClusterName,
  uniqueDnsRecord,
  uniqueEcrRepository,
  uniqueHostPerListener,
  uniqueLogGroup,
  uniquePriorityPerListener,
  uniqueRoleNames,
  uniqueSecurityGroupName,
  uniqueTargetGroupName,
} from '../../src/environment/rules/across-files';
import { EnvironmentConfig, environmentSchema } from '../../src/environment/schema';
import { PREVIEWS } from '../support/bad-input-cases';
import { fixtureJson, setPath, tempProject } from '../support/environments';

/**
 * The rules across environment files, one rule at a time: each gets the parsed files in name order
 * (as readEnvironments gives them), and reports a collision on every file it involves, each on the
 * field to change in that file, naming the others.
 */

type AcrossRule = (files: readonly FileConfig[]) => FileFinding[];

/** A file as the rules get it: its JSON as written, and as parsed (with the schema's defaults). */
interface Parsed {
  readonly json: Record<string, any>;
  readonly config: EnvironmentConfig;
}

/** The stg fixture, with changes at dotted paths (`undefined` removes a field). */
function stg(set: Record<string, unknown> = {}): Parsed {
  const json = fixtureJson('stg');
  for (const [dotted, value] of Object.entries(set)) setPath(json, dotted, value);
  return { json, config: environmentSchema.parse(json) };
}

const ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '555566667777';
/** The same file with every ARN and the image in another account. */
function inAccount({ json }: Parsed, account: string): Parsed {
  const moved = JSON.parse(JSON.stringify(json).replaceAll(ACCOUNT, account));
  return { json: moved, config: environmentSchema.parse(moved) };
}

/** A second environment (uat) on stg's listener, every name its own, no pipeline. */
const UAT = {
  'taskDefinition.family': 'uat-server',
  'taskDefinition.container.name': 'uat-server',
  'taskDefinition.container.image': '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/uat-server:stg',
  'targetGroup.name': 'uat-server-target',
  'cluster.name': 'uat_ecs_cluster',
  'service.name': 'uat-server',
  'listenerRule.priority': 200,
  'listenerRule.hostHeader': 'uat-api.example.com',
  'dnsRecord.name': 'uat-api.example.com',
  'dnsRecord.setIdentifier': 'uat',
  'ecrLifecycle.repository': 'uat-server',
  pipeline: undefined,
};
const uat = (set: Record<string, unknown> = {}) => stg({ ...UAT, ...set });

const LISTENER = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/prod-alb/0123456789abcdef/0123456789abcdef';
/** Another listener (port) of the same ALB. */
const OTHER_LISTENER = LISTENER.replace(/[0-9a-f]{16}$/, 'fedcba9876543210');
/** A listener of another ALB in the same account and region. */
const OTHER_ALB_LISTENER = LISTENER.replace('/prod-alb/', '/admin-alb/');
/** Five CIDRs: four fit one rule, so the allowlist takes two consecutive priorities. */
const FIVE_CIDRS = ['203.0.113.0/24', '198.51.100.0/24', '192.0.2.0/24', '198.51.100.128/25', '203.0.113.128/25'];
const NO_ROLE_ARNS = { 'taskDefinition.executionRoleArn': undefined, 'taskDefinition.taskRoleArn': undefined };

/** What the rule reports, as the loader prints it: the error line and the files it involves. */
function check(rule: AcrossRule, files: Record<string, Parsed>) {
  const entries = Object.entries(files).map(([file, { json, config }]) => ({ file, config, json }));
  return rule(entries).map((finding) => ({ line: formatError(finding.file, finding), files: [finding.file, ...finding.others] }));
}

describe('uniquePriorityPerListener', () => {
  test('the same priority on one listener is refused on both files, each naming the other', () => {
    // GIVEN / WHEN
    const found = check(uniquePriorityPerListener, { 'stg.json': stg(), 'uat.json': uat({ 'listenerRule.priority': 100 }) });
    // THEN
    expect(found).toEqual([
      { line: 'stg.json: listenerRule.priority: must be unique on the listener (with the priorities its allowlist takes); uat.json uses it too (got 100)', files: ['stg.json', 'uat.json'] },
      { line: 'uat.json: listenerRule.priority: must be unique on the listener (with the priorities its allowlist takes); stg.json uses it too (got 100)', files: ['uat.json', 'stg.json'] },
    ]);
  });

  test('three files on one priority: each names the two others', () => {
    // GIVEN / WHEN
    const found = check(uniquePriorityPerListener, { 'dev.json': uat({ 'listenerRule.priority': 100 }), 'stg.json': stg(), 'uat.json': uat({ 'listenerRule.priority': 100 }) });
    // THEN
    expect(found.map((f) => f.line)).toEqual([
      'dev.json: listenerRule.priority: must be unique on the listener (with the priorities its allowlist takes); stg.json and uat.json use it too (got 100)',
      'stg.json: listenerRule.priority: must be unique on the listener (with the priorities its allowlist takes); dev.json and uat.json use it too (got 100)',
      'uat.json: listenerRule.priority: must be unique on the listener (with the priorities its allowlist takes); dev.json and stg.json use it too (got 100)',
    ]);
  });

  test('a clash at the second priority of an allowlist spread over two rules is refused', () => {
    // GIVEN uat's five CIDRs take 99 and 100; stg takes 100
    const found = check(uniquePriorityPerListener, { 'stg.json': stg(), 'uat.json': uat({ 'listenerRule.priority': 99, 'listenerRule.access.sourceIps': FIVE_CIDRS }) });
    // THEN
    expect(found).toEqual([
      { line: 'stg.json: listenerRule.priority: must be unique on the listener (with the priorities its allowlist takes); uat.json uses it too (got 100)', files: ['stg.json', 'uat.json'] },
      { line: 'uat.json: listenerRule.priority: must be unique on the listener (with the priorities its allowlist takes); stg.json uses it too (got 99)', files: ['uat.json', 'stg.json'] },
    ]);
  });

  test('the priority right after the earlier file’s allowlist is free', () => {
    // GIVEN stg's five CIDRs take 100 and 101
    const found = check(uniquePriorityPerListener, { 'stg.json': stg({ 'listenerRule.access.sourceIps': FIVE_CIDRS }), 'uat.json': uat({ 'listenerRule.priority': 102 }) });
    // THEN
    expect(found).toEqual([]);
  });

  test('the same priority on another listener of the ALB is fine', () => {
    // GIVEN / WHEN
    const found = check(uniquePriorityPerListener, { 'stg.json': stg(), 'uat.json': uat({ 'listenerRule.priority': 100, 'listenerRule.listenerArn': OTHER_LISTENER }) });
    // THEN
    expect(found).toEqual([]);
  });

  const lookup = (lb: object, set: Record<string, unknown> = {}) => ({ 'listenerRule.listenerArn': undefined, 'listenerRule.loadBalancer': lb, ...set });
  test.each([
    ['the same ALB and port', 1, { name: 'prod-alb', listenerPort: 443 }],
    ['the same ALB on another port', 0, { name: 'prod-alb', listenerPort: 80 }],
    ['another ALB on the same port', 0, { name: 'admin-alb', listenerPort: 443 }],
  ])('listeners looked up by name and port: %s gives %d clash(es)', (_, clashes, loadBalancer) => {
    // GIVEN both looked up, stg on prod-alb:443
    const files = { 'stg.json': stg(lookup({ name: 'prod-alb', listenerPort: 443 })), 'uat.json': uat(lookup(loadBalancer, { 'listenerRule.priority': 100 })) };
    // WHEN
    const found = check(uniquePriorityPerListener, files);
    // THEN
    expect(found.map((f) => f.line)).toEqual(
      Array(clashes)
        .fill([
          'stg.json: listenerRule.priority: must be unique on the listener (with the priorities its allowlist takes); uat.json uses it too (got 100)',
          'uat.json: listenerRule.priority: must be unique on the listener (with the priorities its allowlist takes); stg.json uses it too (got 100)',
        ])
        .flat(),
    );
  });

  test('the same ALB name and port looked up in another account is another listener', () => {
    // GIVEN both looked up as prod-alb:443, uat's ARNs and image in another account
    const files = { 'stg.json': stg(lookup({ name: 'prod-alb', listenerPort: 443 })), 'uat.json': inAccount(uat(lookup({ name: 'prod-alb', listenerPort: 443 }, { 'listenerRule.priority': 100 })), OTHER_ACCOUNT) };
    // WHEN / THEN
    expect(check(uniquePriorityPerListener, files)).toEqual([]);
  });
});

describe('the unique names, each in its scope', () => {
  test.each([
    [
      'uniqueHostPerListener: the same host, in other case, on one listener',
      uniqueHostPerListener,
      { 'listenerRule.hostHeader': 'STG-API.example.com' },
      'stg.json: listenerRule.hostHeader: must be unique on the listener; uat.json uses it too (got "stg-api.example.com")',
      'uat.json: listenerRule.hostHeader: must be unique on the listener; stg.json uses it too (got "STG-API.example.com")',
    ],
    [
      'uniqueTargetGroupName: the same name, in other case, in one account and region',
      uniqueTargetGroupName,
      { 'targetGroup.name': 'STG-Server-Target' },
      'stg.json: targetGroup.name: must be unique in the account and region (ELBv2 ignores case); uat.json uses it too (got "stg-server-target")',
      'uat.json: targetGroup.name: must be unique in the account and region (ELBv2 ignores case); stg.json uses it too (got "STG-Server-Target")',
    ],
    [
      'uniqueClusterName: the same cluster in one account and region',
      uniqueClusterName,
      { 'cluster.name': 'stg_ecs_cluster' },
      'stg.json: cluster.name: must be unique in the account and region; uat.json uses it too (got "stg_ecs_cluster")',
      'uat.json: cluster.name: must be unique in the account and region; stg.json uses it too (got "stg_ecs_cluster")',
    ],
    [
      'uniqueLogGroup: a log group named as the other file’s default (its family), which that file is told to change',
      uniqueLogGroup,
      { 'taskDefinition.container.logGroup': 'stg-server' },
      'stg.json: taskDefinition.family: names the log group "stg-server" (taskDefinition.container.logGroup is not set); the log group must be unique in the account and region; uat.json uses it too (got "stg-server")',
      'uat.json: taskDefinition.container.logGroup: must be unique in the account and region; stg.json uses it too (got "stg-server")',
    ],
    [
      'uniqueDnsRecord: the same zone, name (in other case) and set identifier',
      uniqueDnsRecord,
      { 'dnsRecord.name': 'STG-API.example.com', 'dnsRecord.setIdentifier': 'stg' },
      'stg.json: dnsRecord.setIdentifier: must be unique for the record name; uat.json uses it too (got "stg")',
      'uat.json: dnsRecord.setIdentifier: must be unique for the record name; stg.json uses it too (got "stg")',
    ],
    [
      'uniqueEcrRepository: the same repository in one account and region',
      uniqueEcrRepository,
      { 'ecrLifecycle.repository': 'stg-server' },
      'stg.json: ecrLifecycle.repository: must be unique in the account and region (a repository has one lifecycle policy); uat.json uses it too (got "stg-server")',
      'uat.json: ecrLifecycle.repository: must be unique in the account and region (a repository has one lifecycle policy); stg.json uses it too (got "stg-server")',
    ],
    [
      'uniqueSecurityGroupName: the same service name (so group name) in one VPC',
      uniqueSecurityGroupName,
      { 'service.name': 'stg-server' },
      'stg.json: service.name: must be unique in the VPC: it names the created security group "<service>-tasks"; uat.json uses it too (got "stg-server")',
      'uat.json: service.name: must be unique in the VPC: it names the created security group "<service>-tasks"; stg.json uses it too (got "stg-server")',
    ],
  ])('%s is refused on both files', (_, rule, set, stgLine, uatLine) => {
    // GIVEN / WHEN
    const found = check(rule, { 'stg.json': stg(), 'uat.json': uat(set) });
    // THEN
    expect(found).toEqual([
      { line: stgLine, files: ['stg.json', 'uat.json'] },
      { line: uatLine, files: ['uat.json', 'stg.json'] },
    ]);
  });

  const OWN_GROUPS = (id: string) => ({ 'service.securityGroupIds': [id], 'service.loadBalancerSecurityGroupId': undefined });
  test.each([
    ['uniqueHostPerListener: the same host on another listener', uniqueHostPerListener, {}, { 'listenerRule.hostHeader': 'stg-api.example.com', 'listenerRule.listenerArn': OTHER_LISTENER }],
    ['uniqueTargetGroupName: the same name in another region', uniqueTargetGroupName, {}, { 'targetGroup.name': 'stg-server-target', region: 'us-east-1' }],
    ['uniqueClusterName: the same cluster in another region', uniqueClusterName, {}, { 'cluster.name': 'stg_ecs_cluster', region: 'us-east-1' }],
    ['uniqueLogGroup: the same log group in another region', uniqueLogGroup, {}, { 'taskDefinition.container.logGroup': 'stg-server', region: 'us-east-1' }],
    ['uniqueDnsRecord: the same name and set identifier in another zone', uniqueDnsRecord, {}, { 'dnsRecord.name': 'stg-api.example.com', 'dnsRecord.setIdentifier': 'stg', 'dnsRecord.zoneId': 'Z9876543210ABCDEFGHIJ' }],
    [
      'uniqueDnsRecord: the same name and set identifier in zones looked up by other names',
      uniqueDnsRecord,
      { 'dnsRecord.zoneId': undefined, 'dnsRecord.zoneName': 'example.com' },
      { 'dnsRecord.name': 'stg-api.example.com', 'dnsRecord.setIdentifier': 'stg', 'dnsRecord.zoneId': undefined, 'dnsRecord.zoneName': 'example.org' },
    ],
    ['uniqueDnsRecord: the same zone and name with another set identifier', uniqueDnsRecord, {}, { 'dnsRecord.name': 'stg-api.example.com' }],
    ['uniqueEcrRepository: the same repository in another region', uniqueEcrRepository, {}, { 'ecrLifecycle.repository': 'stg-server', region: 'us-east-1' }],
    [
      'uniqueDnsRecord: the same name and set identifier in zones looked up by name in two accounts',
      uniqueDnsRecord,
      { 'dnsRecord.zoneId': undefined, 'dnsRecord.zoneName': 'example.com' },
      { 'dnsRecord.name': 'stg-api.example.com', 'dnsRecord.setIdentifier': 'stg', 'dnsRecord.zoneId': undefined, 'dnsRecord.zoneName': 'example.com', otherAccount: true },
    ],
    ['uniqueSecurityGroupName: the same service name in another VPC', uniqueSecurityGroupName, {}, { 'service.name': 'stg-server', 'targetGroup.vpcId': 'vpc-0fedcba9876543210' }],
    [
      'uniqueSecurityGroupName: the same service name in one VPC with security groups given (none created)',
      uniqueSecurityGroupName,
      OWN_GROUPS('sg-0123456789abcdef1'),
      { 'service.name': 'stg-server', ...OWN_GROUPS('sg-0123456789abcdef2') },
    ],
  ])('%s is fine', (_, rule, stgSet, { otherAccount, ...uatSet }: Record<string, unknown>) => {
    // GIVEN stg, and uat sharing the name, but not its scope
    // WHEN
    const found = check(rule, { 'stg.json': stg(stgSet), 'uat.json': otherAccount ? inAccount(uat(uatSet), OTHER_ACCOUNT) : uat(uatSet) });
    // THEN
    expect(found).toEqual([]);
  });

  test('uniqueSecurityGroupName: without a VPC ID the looked-up ALB stands for the VPC', () => {
    // GIVEN both services named stg-server, with no vpcId, their ALBs looked up
    const lookedUp = (name: string) => ({ 'targetGroup.vpcId': undefined, 'listenerRule.listenerArn': undefined, 'listenerRule.loadBalancer': { name, listenerPort: 443 } });
    const files = (other: string) => ({ 'stg.json': stg(lookedUp('prod-alb')), 'uat.json': uat({ ...lookedUp(other), 'service.name': 'stg-server' }) });
    // WHEN / THEN one ALB, one VPC: refused; another ALB: fine
    expect(check(uniqueSecurityGroupName, files('prod-alb')).map((f) => f.files)).toEqual([
      ['stg.json', 'uat.json'],
      ['uat.json', 'stg.json'],
    ]);
    expect(check(uniqueSecurityGroupName, files('admin-alb'))).toEqual([]);
  });
});

describe('names unique per account collide only within one account', () => {
  const pipeline = fixtureJson('stg').pipeline;
  test.each([
    ['uniqueTargetGroupName', uniqueTargetGroupName, {}, { 'targetGroup.name': 'stg-server-target' }],
    ['uniqueClusterName', uniqueClusterName, {}, { 'cluster.name': 'stg_ecs_cluster' }],
    ['uniqueLogGroup', uniqueLogGroup, {}, { 'taskDefinition.container.logGroup': 'stg-server' }],
    ['uniqueEcrRepository', uniqueEcrRepository, {}, { 'ecrLifecycle.repository': 'stg-server' }],
    ['uniqueSecurityGroupName (a VPC is one account’s)', uniqueSecurityGroupName, {}, { 'service.name': 'stg-server' }],
    ['uniqueRoleNames', uniqueRoleNames, NO_ROLE_ARNS, { ...NO_ROLE_ARNS, 'taskDefinition.family': 'stg-server' }],
    ['uniqueBuildProject', uniqueBuildProject, {}, { pipeline }],
    ['uniqueHostPerListener, the ALB looked up by name', uniqueHostPerListener, { 'listenerRule.listenerArn': undefined, 'listenerRule.loadBalancer': { name: 'prod-alb', listenerPort: 443 } }, { 'listenerRule.hostHeader': 'stg-api.example.com', 'listenerRule.listenerArn': undefined, 'listenerRule.loadBalancer': { name: 'prod-alb', listenerPort: 443 } }],
  ])('%s: the same name in another account is fine, and in the same account refused', (_, rule, stgSet, uatSet) => {
    // GIVEN uat with stg's name, in stg's account or in another one
    const sameAccount = { 'stg.json': stg(stgSet), 'uat.json': uat({ 'taskDefinition.family': 'stg-server', ...uatSet }) };
    const otherAccount = { ...sameAccount, 'uat.json': inAccount(sameAccount['uat.json'], OTHER_ACCOUNT) };
    // WHEN / THEN
    expect(check(rule, otherAccount)).toEqual([]);
    expect(check(rule, sameAccount).map((f) => f.files)).toEqual([
      ['stg.json', 'uat.json'],
      ['uat.json', 'stg.json'],
    ]);
  });

  test('a file whose account is unknown (everything looked up, no ARN) collides with the files of every account', () => {
    // GIVEN stg in 123456789012, prd in 555566667777, and uat with no ARN and no image, all on one cluster name
    const lookedUp = {
      'cluster.name': 'stg_ecs_cluster',
      'taskDefinition.executionRoleArn': undefined,
      'taskDefinition.taskRoleArn': undefined,
      'taskDefinition.container.image': undefined,
      'taskDefinition.container.secrets': undefined,
      'listenerRule.listenerArn': undefined,
      'listenerRule.loadBalancer': { name: 'prod-alb', listenerPort: 443 },
    };
    const files = { 'prd.json': inAccount(uat({ 'taskDefinition.family': 'prd-server', 'cluster.name': 'stg_ecs_cluster' }), OTHER_ACCOUNT), 'stg.json': stg(), 'uat.json': uat(lookedUp) };
    // WHEN
    const found = check(uniqueClusterName, files);
    // THEN prd and stg do not collide with each other, but each may be in uat's account
    expect(found).toEqual([
      { line: 'prd.json: cluster.name: must be unique in the account and region; uat.json uses it too (got "stg_ecs_cluster")', files: ['prd.json', 'uat.json'] },
      { line: 'stg.json: cluster.name: must be unique in the account and region; uat.json uses it too (got "stg_ecs_cluster")', files: ['stg.json', 'uat.json'] },
      { line: 'uat.json: cluster.name: must be unique in the account and region; prd.json and stg.json use it too (got "stg_ecs_cluster")', files: ['uat.json', 'prd.json', 'stg.json'] },
    ]);
  });
});

describe('uniqueRoleNames (IAM: global, and without case)', () => {
  const MESSAGE = 'must be unique in the account: it names the created IAM roles "<family>-execution" and "<family>-task" (IAM is global and ignores case)';

  test('two families alike but for case, both creating their roles, are refused', () => {
    // GIVEN neither file gives its roles, and ECS Exec is on
    const files = { 'stg.json': stg(NO_ROLE_ARNS), 'uat.json': uat({ ...NO_ROLE_ARNS, 'taskDefinition.family': 'STG-Server', region: 'us-east-1' }) };
    // WHEN / THEN
    expect(check(uniqueRoleNames, files)).toEqual([
      { line: `stg.json: taskDefinition.family: ${MESSAGE}; uat.json uses it too (got "stg-server")`, files: ['stg.json', 'uat.json'] },
      { line: `uat.json: taskDefinition.family: ${MESSAGE}; stg.json uses it too (got "STG-Server")`, files: ['uat.json', 'stg.json'] },
    ]);
  });

  test('a clash on the task role alone (the second role name) is refused', () => {
    // GIVEN stg gives its execution role and creates only stg-server-task; uat creates both
    const files = { 'stg.json': stg({ 'taskDefinition.taskRoleArn': undefined }), 'uat.json': uat({ ...NO_ROLE_ARNS, 'taskDefinition.family': 'stg-server' }) };
    // WHEN / THEN
    expect(check(uniqueRoleNames, files)).toEqual([
      { line: `stg.json: taskDefinition.family: ${MESSAGE}; uat.json uses it too (got "stg-server")`, files: ['stg.json', 'uat.json'] },
      { line: `uat.json: taskDefinition.family: ${MESSAGE}; stg.json uses it too (got "stg-server")`, files: ['uat.json', 'stg.json'] },
    ]);
  });

  test('a family left to its default is named as such, with the default', () => {
    // GIVEN uat without a family (so "stg-server"), both creating their roles
    const files = { 'stg.json': stg(NO_ROLE_ARNS), 'uat.json': uat({ ...NO_ROLE_ARNS, 'taskDefinition.family': undefined }) };
    // WHEN / THEN
    expect(check(uniqueRoleNames, files)[1]).toEqual({
      line: `uat.json: taskDefinition.family: not set, so it defaults to "stg-server", which ${MESSAGE}; stg.json uses it too (got "stg-server")`,
      files: ['uat.json', 'stg.json'],
    });
  });

  test('the same family is fine when both files give their roles (none is created)', () => {
    // GIVEN stg's fixture gives both role ARNs
    const files = { 'stg.json': stg(), 'uat.json': uat({ 'taskDefinition.family': 'stg-server' }) };
    // WHEN / THEN
    expect(check(uniqueRoleNames, files)).toEqual([]);
  });

  test('two families that differ, both creating their roles, are fine', () => {
    // GIVEN / WHEN / THEN
    expect(check(uniqueRoleNames, { 'stg.json': stg(NO_ROLE_ARNS), 'uat.json': uat(NO_ROLE_ARNS) })).toEqual([]);
  });
});

describe('uniqueBuildProject (CodeBuild: per region; its role: the account)', () => {
  const line = (got: string) =>
    `uat.json: pipeline.projectName: must be unique in the account: it names the CodeBuild project, its role "<projectName>-codebuild" and log group "/aws/codebuild/<projectName>"; stg.json uses it too (got "${got}")`;
  /** stg's own line: it writes no projectName, so its family names the project. */
  const STG_LINE =
    'stg.json: taskDefinition.family: names the CodeBuild project "stg-server-build" (pipeline.projectName is not set); the CodeBuild project must be unique in the account, with its role "stg-server-build-codebuild" and log group "/aws/codebuild/stg-server-build"; uat.json uses it too (got "stg-server")';
  const pipeline = fixtureJson('stg').pipeline;

  test('the same project name in one region is refused; the file that took the default "<family>-build" is told to change its family', () => {
    // GIVEN stg's default project name stg-server-build
    const found = check(uniqueBuildProject, { 'stg.json': stg(), 'uat.json': uat({ pipeline: { ...pipeline, projectName: 'stg-server-build' } }) });
    // THEN
    expect(found).toEqual([
      { line: STG_LINE, files: ['stg.json', 'uat.json'] },
      { line: line('stg-server-build'), files: ['uat.json', 'stg.json'] },
    ]);
  });

  test('the same project name, in other case, in another region is refused: its IAM role is global', () => {
    // GIVEN / WHEN
    const found = check(uniqueBuildProject, { 'stg.json': stg(), 'uat.json': uat({ region: 'us-east-1', pipeline: { ...pipeline, projectName: 'STG-Server-Build' } }) });
    // THEN
    expect(found).toEqual([
      { line: STG_LINE, files: ['stg.json', 'uat.json'] },
      { line: line('STG-Server-Build'), files: ['uat.json', 'stg.json'] },
    ]);
  });

  test('two files whose family and project both took their defaults are told of the family and its default', () => {
    // GIVEN neither file writes a family or a project name: both build "stg-server-build"
    const found = check(uniqueBuildProject, { 'stg.json': stg({ 'taskDefinition.family': undefined }), 'uat.json': uat({ 'taskDefinition.family': undefined, pipeline }) });
    // THEN
    expect(found.map((f) => f.line)).toEqual(
      ['stg.json', 'uat.json'].map(
        (file) =>
          `${file}: taskDefinition.family: not set, so it defaults to "stg-server", which names the CodeBuild project "stg-server-build" (pipeline.projectName is not set either); the CodeBuild project must be unique in the account, with its role "stg-server-build-codebuild" and log group "/aws/codebuild/stg-server-build"; ${file === 'stg.json' ? 'uat.json' : 'stg.json'} uses it too (got "stg-server")`,
      ),
    );
  });

  test('the same default project name in two accounts is fine', () => {
    // GIVEN both default to stg-server-build, uat in 555566667777
    const found = check(uniqueBuildProject, { 'stg.json': stg(), 'uat.json': inAccount(uat({ 'taskDefinition.family': 'stg-server', pipeline }), OTHER_ACCOUNT) });
    // THEN
    expect(found).toEqual([]);
  });

  test('two pipelines with their own project names are fine', () => {
    // GIVEN stg-server-build and uat-server-build
    expect(check(uniqueBuildProject, { 'stg.json': stg(), 'uat.json': uat({ pipeline }) })).toEqual([]);
  });

  test('two files without a pipeline are fine', () => {
    expect(check(uniqueBuildProject, { 'stg.json': stg({ pipeline: undefined }), 'uat.json': uat() })).toEqual([]);
  });
});

describe('previewBandsApart: a band clear of every other file’s rules', () => {
  /** stg with previews: the band 1000–1009 (10 slots of one rule). */
  const withPreviews = (set: Record<string, unknown> = {}) => stg({ ...structuredClone(PREVIEWS), ...set });

  test.each([
    [1000, 'the band’s first priority'],
    [1009, 'the band’s last priority'],
  ])('another file’s rule at %s (%s) is refused, naming both', (priority) => {
    // GIVEN / WHEN
    const found = check(previewBandsApart, { 'stg.json': withPreviews(), 'uat.json': uat({ 'listenerRule.priority': priority }) });
    // THEN
    expect(found).toEqual([
      { line: `stg.json: previews.priorityBase: must start a band (1000–1009) clear of the priorities uat.json takes (${priority}–${priority}) (got 1000)`, files: ['stg.json', 'uat.json'] },
    ]);
  });

  test.each([999, 1010])('another file’s rule at %s, just outside the band, is fine', (priority) => {
    expect(check(previewBandsApart, { 'stg.json': withPreviews(), 'uat.json': uat({ 'listenerRule.priority': priority }) })).toEqual([]);
  });

  test('another file’s rule inside the band on another listener is fine', () => {
    expect(check(previewBandsApart, { 'stg.json': withPreviews(), 'uat.json': uat({ 'listenerRule.priority': 1005, 'listenerRule.listenerArn': OTHER_LISTENER }) })).toEqual([]);
  });

  test('the file’s own rule inside its band is not a clash between files (previewBandFits reports it)', () => {
    expect(check(previewBandsApart, { 'stg.json': withPreviews({ 'listenerRule.priority': 1005 }), 'uat.json': uat() })).toEqual([]);
  });
});

describe('previewsWithinAlbBudget: staging and open previews take at most 50 rules of an ALB', () => {
  const withPreviews = (maxOpen: number, set: Record<string, unknown> = {}) => stg({ ...structuredClone(PREVIEWS), 'previews.maxOpen': maxOpen, ...set });

  test('an allowlist of two rules counts twice per preview: 26 × 2 rules are refused', () => {
    // GIVEN five CIDRs (two rules), 25 previews: 52 rules but only 26 target groups
    const found = check(previewsWithinAlbBudget, { 'stg.json': withPreviews(25, { 'listenerRule.access.sourceIps': FIVE_CIDRS }) });
    // THEN
    expect(found).toEqual([
      {
        line: "stg.json: previews.maxOpen: must keep the ALB within the previews' budget: staging and open previews on it would take 52 listener rules (budget 50 of the ALB's 100); lower maxOpen (got 25)",
        files: ['stg.json'],
      },
    ]);
  });

  test('exactly 50 rules fit', () => {
    // GIVEN two rules each for staging and 24 previews
    expect(check(previewsWithinAlbBudget, { 'stg.json': withPreviews(24, { 'listenerRule.access.sourceIps': FIVE_CIDRS }) })).toEqual([]);
  });

  test('the error goes to the last file with previews, and names every other file on the ALB', () => {
    // GIVEN stg with 49 previews and uat after it without: 51 rules
    const found = check(previewsWithinAlbBudget, { 'stg.json': withPreviews(49), 'uat.json': uat() });
    // THEN
    expect(found).toEqual([
      {
        line: "stg.json: previews.maxOpen: must keep the ALB within the previews' budget: staging and open previews on it would take 51 listener rules (budget 50 of the ALB's 100); lower maxOpen (got 49)",
        files: ['stg.json', 'uat.json'],
      },
    ]);
  });

  test('previews on two ALBs count against each ALB alone', () => {
    // GIVEN 31 rules on prod-alb and 31 on admin-alb (62 if they were one)
    const files = { 'stg.json': withPreviews(30), 'uat.json': uat({ ...structuredClone(PREVIEWS), 'previews.maxOpen': 30, 'previews.priorityBase': 3000, 'listenerRule.listenerArn': OTHER_ALB_LISTENER }) };
    // WHEN / THEN
    expect(check(previewsWithinAlbBudget, files)).toEqual([]);
  });

  test('staging environments alone past the budget are not the previews’ to report', () => {
    // GIVEN six staging environments of ten rules each (40 CIDRs) on one ALB, none with previews
    const tenRules = stg({ 'listenerRule.access.sourceIps': Array.from({ length: 40 }, (_, i) => `203.0.113.${i}/32`) });
    const files = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((name) => [`${name}.json`, tenRules]));
    // WHEN / THEN
    expect(check(previewsWithinAlbBudget, files)).toEqual([]);
  });
});

describe('the rules across files, through the loader', () => {
  test('a file with no listener at all is refused on its own, and the rules across files still run', () => {
    // GIVEN uat with neither listenerArn nor loadBalancer (its cross-field rules refuse it), and its own names
    const uatJson = fixtureJson('stg');
    for (const [dotted, value] of Object.entries({ ...UAT, 'listenerRule.listenerArn': undefined, 'listenerRule.priority': 100 })) setPath(uatJson, dotted, value);
    const project = tempProject({ stg: fixtureJson('stg'), uat: uatJson });
    try {
      // WHEN
      const report = readEnvironments(project.environmentsDir);
      // THEN no listener is not stg's listener: no clash, and no crash
      expect(report.files.map((file) => file.stage)).toEqual(['valid', 'cross-field']);
      expect(report.acrossFiles).toEqual([]);
    } finally {
      fs.rmSync(project.root, { recursive: true, force: true });
    }
  });

  test('each file’s error line names the file, the field and the other file', () => {
    // GIVEN uat on stg's cluster
    const uatJson = fixtureJson('stg');
    for (const [dotted, value] of Object.entries({ ...UAT, 'cluster.name': 'stg_ecs_cluster' })) setPath(uatJson, dotted, value);
    const project = tempProject({ stg: fixtureJson('stg'), uat: uatJson });
    try {
      // WHEN
      const report = readEnvironments(project.environmentsDir);
      // THEN
      const [stgFile, uatFile] = report.files.map((file) => file.file);
      expect(report.acrossFiles).toEqual([
        { message: `${stgFile}: cluster.name: must be unique in the account and region; ${uatFile} uses it too (got "stg_ecs_cluster")`, files: [stgFile, uatFile] },
        { message: `${uatFile}: cluster.name: must be unique in the account and region; ${stgFile} uses it too (got "stg_ecs_cluster")`, files: [uatFile, stgFile] },
      ]);
    } finally {
      fs.rmSync(project.root, { recursive: true, force: true });
    }
  });

  test('the issue’s example: preview.json without a family collides on the log group, and both files are told what to change', () => {
    // GIVEN the fixtures, preview.json's taskDefinition.family removed (so it defaults to "stg-server", stg.json's family)
    const preview = setPath(fixtureJson('preview'), 'taskDefinition.family', undefined);
    const project = tempProject({ preview, stg: fixtureJson('stg') });
    try {
      // WHEN
      const report = readEnvironments(project.environmentsDir);
      // THEN preview.json's line names the field it left out and the default; stg.json's the family that names its log group
      const [previewFile, stgFile] = report.files.map((file) => file.file);
      expect(report.acrossFiles).toEqual([
        {
          message: `${previewFile}: taskDefinition.family: not set, so it defaults to "stg-server", which names the log group "stg-server" (taskDefinition.container.logGroup is not set either); the log group must be unique in the account and region; ${stgFile} uses it too (got "stg-server")`,
          files: [previewFile, stgFile],
        },
        {
          message: `${stgFile}: taskDefinition.family: names the log group "stg-server" (taskDefinition.container.logGroup is not set); the log group must be unique in the account and region; ${previewFile} uses it too (got "stg-server")`,
          files: [stgFile, previewFile],
        },
      ]);
    } finally {
      fs.rmSync(project.root, { recursive: true, force: true });
    }
  });
});

describe('two files that take every default name, in one account or in two', () => {
  /** stg's fixture with every name left to its default, creating its roles, its hosted zone looked up by name; its ARNs and image in `account`. */
  const allDefaults = (account: string) => {
    const json = fixtureJson('stg');
    for (const field of ['taskDefinition.family', 'taskDefinition.container.name', 'targetGroup.name', 'cluster.name', 'service.name', 'dnsRecord.setIdentifier', 'dnsRecord.zoneId', 'taskDefinition.executionRoleArn', 'taskDefinition.taskRoleArn']) {
      setPath(json, field, undefined);
    }
    setPath(json, 'dnsRecord.zoneName', 'example.com');
    return JSON.parse(JSON.stringify(json).replaceAll(ACCOUNT, account));
  };

  test('in two accounts they synthesize: no finding across the files', () => {
    // GIVEN a.json in 123456789012 and b.json in 555566667777, identical but for the account
    const project = tempProject({ a: allDefaults(ACCOUNT), b: allDefaults(OTHER_ACCOUNT) });
    const errors: string[] = [];
    try {
      // WHEN
      const report = readEnvironments(project.environmentsDir);
      const result = synthesize({ ...project, info: () => undefined, error: (line) => errors.push(line), warn: (line) => errors.push(line) });
      // THEN
      expect(report.files.map((file) => file.stage)).toEqual(['valid', 'valid']);
      expect(report.acrossFiles).toEqual([]);
      expect(errors).toEqual([]);
      expect(result.exitCode).toBe(0);
      expect(result.stacks.map((stack) => stack.node.id)).toEqual(['a', 'b']);
      expect(fs.existsSync(path.join(project.outdir, 'stacks', 'b', 'cdk.tf.json'))).toBe(true);
    } finally {
      fs.rmSync(project.root, { recursive: true, force: true });
    }
  });

  test('in one account every name collides, reported on both files at the field each file would change', () => {
    // GIVEN a.json and b.json, both in 123456789012
    const project = tempProject({ a: allDefaults(ACCOUNT), b: allDefaults(ACCOUNT) });
    try {
      // WHEN
      const report = readEnvironments(project.environmentsDir);
      // THEN each rule reports both files: the fields they write, else the root field that took its default
      const where = report.acrossFiles.map(({ message }) => message.slice(project.environmentsDir.length + 1).split(': ').slice(0, 2).join(': '));
      const both = (field: string) => [`a.json: ${field}`, `b.json: ${field}`];
      expect(where).toEqual([
        ...both('listenerRule.priority'),
        ...both('listenerRule.hostHeader'),
        ...both('targetGroup.name'),
        ...both('cluster.name'),
        ...both('taskDefinition.family'), // the log group
        ...both('dnsRecord.setIdentifier'),
        ...both('ecrLifecycle.repository'),
        ...both('taskDefinition.family'), // the IAM roles
        ...both('service.name'),
        ...both('taskDefinition.family'), // the CodeBuild project
      ]);
      const [a, b] = report.files.map((file) => file.file);
      expect(report.acrossFiles.find((error) => error.message.startsWith(`${a}: targetGroup.name: `))).toEqual({
        message: `${a}: targetGroup.name: not set, so it defaults to "stg-server-target", which must be unique in the account and region (ELBv2 ignores case); ${b} uses it too (got "stg-server-target")`,
        files: [a, b],
      });
    } finally {
      fs.rmSync(project.root, { recursive: true, force: true });
    }
  });
});
