import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkEnvironmentFile } from '../../src/environment/load';
import { environmentSchema } from '../../src/environment/schema';
import { fixtureJson, setPath, tempProject } from '../support/environments';
import { PREVIEWS } from '../support/bad-input-cases';

/**
 * The cross-field rules (src/environment/rules/cross-field.ts) at their boundaries: for each branch
 * the change to the stg example that just passes and the one that just fails, read as a file by
 * `checkEnvironmentFile`. Error lines are compared without the file name: "<field>: <message> (got …)".
 */
const dir = tempProject({}).environmentsDir;
let files = 0;

/** The stg example (or `base`) with values set (or, with `undefined`, removed) at dotted paths. */
function stg(set: Record<string, unknown> = {}, base: Record<string, any> = fixtureJson('stg')): Record<string, any> {
  for (const [dotted, value] of Object.entries(set)) setPath(base, dotted, value);
  return base;
}

/** The error lines of a file holding `config`, each without its "<file>: " prefix. */
function errorsOf(config: Record<string, unknown>): string[] {
  const file = path.join(dir, `cross${files++}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  return checkEnvironmentFile(file).errors.map((line) => (line.startsWith(`${file}: `) ? line.slice(file.length + 2) : line));
}

/** The error lines about one field (its dotted path). */
const about = (errors: string[], field: string): string[] => errors.filter((line) => line.startsWith(`${field}: `));

/** The ALB looked up by name (listenerRule.loadBalancer) instead of a listener ARN, VPC ID and DNS target. */
const lookedUp = (listenerPort = 443): Record<string, unknown> => ({
  'listenerRule.listenerArn': undefined,
  'targetGroup.vpcId': undefined,
  'dnsRecord.target': undefined,
  'listenerRule.loadBalancer': { name: 'prod-alb', listenerPort },
});
const OIDC = {
  issuer: 'https://id.example.com',
  authorizationEndpoint: 'https://id.example.com/a',
  tokenEndpoint: 'https://id.example.com/t',
  userInfoEndpoint: 'https://id.example.com/u',
  clientId: 'stg',
  clientSecretFrom: '/staging/oidc',
};
const COGNITO = { userPoolArn: 'arn:aws:cognito-idp:ap-northeast-1:123456789012:userpool/ap-northeast-1_AbCdEf123', userPoolClientId: 'abc123', userPoolDomain: 'stg-login' };
const HEADER = { name: 'X-Staging-Key', valueFrom: '/staging/key' };
const cidrs = (count: number): string[] => Array.from({ length: count }, (_, i) => `10.0.${i}.0/24`);
const KMS_KEY = 'arn:aws:kms:ap-northeast-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab';

describe('deploymentPercents: the maximum percent against the minimum and a single task', () => {
  test('a maximum equal to the minimum passes', () => {
    // GIVEN one task, minimum 100 and maximum 100
    const config = stg({ 'service.deploymentMinimumHealthyPercent': 100, 'service.deploymentMaximumPercent': 100 });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });

  test('a maximum one below the minimum fails', () => {
    // GIVEN two tasks, minimum 60, maximum 59
    const config = stg({ 'service.desiredCount': 2, 'service.deploymentMinimumHealthyPercent': 60, 'service.deploymentMaximumPercent': 59 });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual(['service.deploymentMaximumPercent: must be at least deploymentMinimumHealthyPercent (60) (got 59)']);
  });

  test('one task with a maximum of exactly 100 passes; 99 fails', () => {
    // GIVEN one task, minimum 0
    const at = stg({ 'service.deploymentMinimumHealthyPercent': 0, 'service.deploymentMaximumPercent': 100 });
    const below = stg({ 'service.deploymentMinimumHealthyPercent': 0, 'service.deploymentMaximumPercent': 99 });
    // WHEN / THEN
    expect(errorsOf(at)).toEqual([]);
    expect(errorsOf(below)).toEqual(['service.deploymentMaximumPercent: must be at least 100 when desiredCount is 1 (got 99)']);
  });

  test('two tasks may deploy with a maximum below 100 (one stops before the next starts)', () => {
    // GIVEN two tasks, minimum 50, maximum 90
    const config = stg({ 'service.desiredCount': 2, 'service.deploymentMinimumHealthyPercent': 50, 'service.deploymentMaximumPercent': 90 });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });
});

describe('referencesByIdOrLookup: each production reference by ID or by lookup, never both', () => {
  test('subnets both by ID and by tag fail on the lookup', () => {
    // GIVEN subnetIds and subnetTags
    const config = stg({ 'service.subnetTags': { Tier: 'public' } });
    // WHEN / THEN
    expect(about(errorsOf(config), 'service.subnetTags')).toEqual(['service.subnetTags: give either subnetIds or subnetTags, not both']);
  });

  test('subnets neither by ID nor by tag fail on the ID', () => {
    // GIVEN no subnets at all
    const config = stg({ 'service.subnetIds': undefined });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual(['service.subnetIds: is required (or look it up with subnetTags)']);
  });

  test('security groups both by ID and by tag fail on the lookup', () => {
    // GIVEN securityGroupIds and securityGroupTags (and no ALB group, which given groups exclude)
    const config = stg({ 'service.securityGroupIds': ['sg-0123456789abcdef0'], 'service.securityGroupTags': { Name: 'stg' }, 'service.loadBalancerSecurityGroupId': undefined });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual(['service.securityGroupTags: give either securityGroupIds or securityGroupTags, not both']);
  });

  test('the hosted zone both by ID and by name fails on the name', () => {
    // GIVEN zoneId and zoneName
    const config = stg({ 'dnsRecord.zoneName': 'example.com' });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual(['dnsRecord.zoneName: give either zoneId or zoneName, not both']);
  });

  test('the hosted zone neither by ID nor by name fails on the ID', () => {
    // GIVEN no zone at all
    const config = stg({ 'dnsRecord.zoneId': undefined });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual(['dnsRecord.zoneId: is required (or look it up with zoneName)']);
  });

  test('a listener ARN without a VPC ID fails: only a looked-up ALB gives the VPC', () => {
    // GIVEN the listener by ARN, no targetGroup.vpcId
    const config = stg({ 'targetGroup.vpcId': undefined });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual(['targetGroup.vpcId: is required unless the ALB is looked up (listenerRule.loadBalancer)']);
  });

  test('a listener ARN without a DNS target fails: only a looked-up ALB gives its DNS name', () => {
    // GIVEN the listener by ARN, no dnsRecord.target
    const config = stg({ 'dnsRecord.target': undefined });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual(["dnsRecord.target: is required (the ALB's DNS name) unless the ALB is looked up (listenerRule.loadBalancer)"]);
  });

  test('a looked-up ALB needs neither a VPC ID nor a DNS target', () => {
    // GIVEN listenerRule.loadBalancer, no listenerArn, vpcId or target
    const config = stg(lookedUp());
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });
});

describe('dnsRecordShape: alias records, CNAMEs and the zone apex', () => {
  const alias = { 'dnsRecord.type': 'alias', 'dnsRecord.ttl': undefined };

  test('an alias without a target zone passes when the ALB is looked up (its zone comes with it)', () => {
    // GIVEN an alias, no targetZoneId, the ALB looked up
    const config = stg({ ...lookedUp(), ...alias });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });

  test('an alias naming the region’s ALB zone passes', () => {
    // GIVEN an alias to Z14GRHDCWA56QT, the ALB zone of ap-northeast-1
    const config = stg({ ...alias, 'dnsRecord.targetZoneId': 'Z14GRHDCWA56QT' });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });

  test('in a region with no known ALB zone, any alias target zone passes', () => {
    // GIVEN the example moved to mx-central-1 (absent from the ALB zone table), an alias to some zone
    const moved = JSON.parse(JSON.stringify(fixtureJson('stg')).replaceAll('ap-northeast-1', 'mx-central-1'));
    const config = stg({ ...alias, 'dnsRecord.targetZoneId': 'Z0123456789ABCDEFGHIJ' }, moved);
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });

  test('a CNAME with a target zone fails on that field alone: it applies to alias records only', () => {
    // GIVEN a CNAME (no type) with a zone that is not the ALB zone
    const config = stg({ 'dnsRecord.targetZoneId': 'Z0123456789ABCDEFGHIJ' });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual(['dnsRecord.targetZoneId: applies to alias records only (set type to "alias") (got "Z0123456789ABCDEFGHIJ")']);
  });

  test('a CNAME inside a looked-up zone, below its apex, passes', () => {
    // GIVEN zoneName example.com and the CNAME stg-api.example.com
    const config = stg({ 'dnsRecord.zoneId': undefined, 'dnsRecord.zoneName': 'example.com' });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });

  test('an alias at the zone apex passes (only a CNAME cannot sit there)', () => {
    // GIVEN zoneName example.com, an alias named example.com, the host header the same
    const config = stg({ ...alias, 'dnsRecord.targetZoneId': 'Z14GRHDCWA56QT', 'dnsRecord.zoneId': undefined, 'dnsRecord.zoneName': 'example.com', 'dnsRecord.name': 'example.com', 'listenerRule.hostHeader': 'example.com' });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });
});

describe('accessRestricted: restricted, or public by an explicit choice', () => {
  test('public alone passes', () => {
    // GIVEN access { public: true } and nothing else
    const config = stg({ 'listenerRule.access': { public: true } });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });

  test('public with two restrictions names both, comma-separated', () => {
    // GIVEN public, an allowlist and a header
    const config = stg({ 'listenerRule.access.public': true, 'listenerRule.access.httpHeader': HEADER });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual(['listenerRule.access.public: must not be true while sourceIps, httpHeader restrict access; remove one (got true)']);
  });

  test.each([
    ['a header alone', { httpHeader: HEADER }],
    ['an OIDC login alone', { oidc: OIDC }],
    ['a Cognito login alone', { cognito: COGNITO }],
  ])('%s restricts access enough', (_, access) => {
    // GIVEN access with that one control
    const config = stg({ 'listenerRule.access': access });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });
});

describe('authenticationOnHttps: one login, on an HTTPS listener', () => {
  test('OIDC alone on the HTTPS listener passes', () => {
    // GIVEN oidc (no cognito), the ALB looked up on 443
    const config = stg({ ...lookedUp(443), 'listenerRule.access.oidc': OIDC });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });

  test('Cognito on the HTTP listener fails on the cognito field', () => {
    // GIVEN cognito, the ALB looked up on 80
    const config = stg({ ...lookedUp(80), 'listenerRule.access.cognito': COGNITO });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([
      'listenerRule.access.cognito: needs an HTTPS listener: authenticate-cognito actions are rejected on HTTP, and listener port 80 is HTTP; use the 443 listener (got 80)',
    ]);
  });

  test('the HTTP listener without a login passes (an allowlist works on HTTP)', () => {
    // GIVEN the ALB looked up on 80, access by allowlist only
    const config = stg(lookedUp(80));
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });
});

describe('allowlistFitsRules: 4 CIDRs per rule (3 with a header), at most 10 rules', () => {
  test('40 CIDRs without a header fill exactly 10 rules and pass', () => {
    // GIVEN 40 CIDRs
    const config = stg({ 'listenerRule.access.sourceIps': cidrs(40) });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });

  test('30 CIDRs with a header fill exactly 10 rules and pass', () => {
    // GIVEN 30 CIDRs and a header
    const config = stg({ 'listenerRule.access.sourceIps': cidrs(30), 'listenerRule.access.httpHeader': HEADER });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });

  test('31 CIDRs with a header need 11 rules and fail, counted at 3 per rule', () => {
    // GIVEN 31 CIDRs and a header
    const config = stg({ 'listenerRule.access.sourceIps': cidrs(31), 'listenerRule.access.httpHeader': HEADER });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([
      'listenerRule.access.sourceIps: must list at most 30 CIDRs (3 per listener rule, at most 10 rules); use a VPN range or WAF for more (got 31)',
    ]);
  });

  test('without an allowlist one rule fits at the last priority, 50000', () => {
    // GIVEN a header only, priority 50000
    const config = stg({ 'listenerRule.access': { httpHeader: HEADER }, 'listenerRule.priority': 50000 });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });
});

describe('createdRoleSettings: settings of the created roles need the roles created', () => {
  test('a KMS key with the created execution role passes', () => {
    // GIVEN no executionRoleArn, a KMS key
    const config = stg({ 'taskDefinition.executionRoleArn': undefined, 'taskDefinition.secretsKmsKeyArn': KMS_KEY });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });

  test('task role statements beside a given task role fail', () => {
    // GIVEN taskRoleArn and taskRolePolicy
    const config = stg({ 'taskDefinition.taskRolePolicy': [{ actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:ap-northeast-1:123456789012:stg-jobs'] }] });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual(['taskDefinition.taskRolePolicy: applies only to the task role the stack creates; leave out taskRoleArn, or add the statements to your role']);
  });

  test('task role statements by exact ARN, with the created task role, pass', () => {
    // GIVEN no taskRoleArn, one exact queue ARN
    const config = stg({ 'taskDefinition.taskRoleArn': undefined, 'taskDefinition.taskRolePolicy': [{ actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:ap-northeast-1:123456789012:stg-jobs'] }] });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });

  test('a task role statement on a whole service (an ARN ending in ":*") fails', () => {
    // GIVEN every queue of the account
    const config = stg({ 'taskDefinition.taskRoleArn': undefined, 'taskDefinition.taskRolePolicy': [{ actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:ap-northeast-1:123456789012:*'] }] });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([
      'taskDefinition.taskRolePolicy.0.resources.0: must name exact resources: no wildcard in a secret, parameter or key ARN, and none for a whole service (got "arn:aws:sqs:ap-northeast-1:123456789012:*")',
    ]);
  });

  test('with a given execution role, a secret by SSM parameter name or by partial ARN passes (that role is the user’s)', () => {
    // GIVEN executionRoleArn, one secret by name and one by partial ARN
    const config = stg({ 'taskDefinition.container.secrets': { DB_PASSWORD: '/prod/db-password', API_KEY: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:prod/api-key' } });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });
});

describe('serviceNetworkPath: the ALB group only for a created security group', () => {
  test('groups looked up by tag with the ALB group fail', () => {
    // GIVEN securityGroupTags and loadBalancerSecurityGroupId
    const config = stg({ 'service.securityGroupTags': { Name: 'stg' } });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([
      'service.loadBalancerSecurityGroupId: applies only when the stack creates the security group; leave out securityGroupIds/securityGroupTags, or remove it (got "sg-0fedcba9876543210")',
    ]);
  });

  test.each([
    ['by ID', { 'service.securityGroupIds': ['sg-0123456789abcdef0'] }],
    ['by tag', { 'service.securityGroupTags': { Name: 'stg' } }],
  ])('groups given %s without the ALB group pass', (_, groups) => {
    // GIVEN the tasks' groups given, no loadBalancerSecurityGroupId
    const config = stg({ ...groups, 'service.loadBalancerSecurityGroupId': undefined });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });

  test('a database with groups looked up by tag fails; by ID it passes', () => {
    // GIVEN a database ingress and the tasks' groups by tag, then by ID
    const database = { securityGroupId: 'sg-0aaaaaaaaaaaaaaa1', port: 5432 };
    const byTag = stg({ 'service.database': database, 'service.securityGroupTags': { Name: 'stg' }, 'service.loadBalancerSecurityGroupId': undefined });
    const byId = stg({ 'service.database': database, 'service.securityGroupIds': ['sg-0123456789abcdef0'], 'service.loadBalancerSecurityGroupId': undefined });
    // WHEN / THEN
    expect(errorsOf(byTag)).toEqual(['service.database: needs the service security groups by ID (or created by the stack), not looked up by tag']);
    expect(errorsOf(byId)).toEqual([]);
  });
});

describe('deployFitsWait: grace + healthy checks + drain within the pipeline wait', () => {
  // The example: grace 60 (default), 5 checks × 30 s, wait 600 (default): the drain may be 390 s.
  test('a deploy that needs exactly the wait passes; one second more fails', () => {
    // GIVEN drains of 390 and 391 seconds
    const exact = stg({ 'targetGroup.deregistrationDelay': 390 });
    const over = stg({ 'targetGroup.deregistrationDelay': 391 });
    // WHEN / THEN
    expect(errorsOf(exact)).toEqual([]);
    expect(errorsOf(over)).toEqual([
      'targetGroup.deregistrationDelay: must leave a deploy time to finish inside pipeline.waitTimeoutSeconds (600 s): grace 60 + 5 healthy checks × 30 s + drain 391 = 601 s (got 391)',
    ]);
  });
});

describe('pipelineInputs: the image is the one the build pushes', () => {
  test('an untagged image is "latest": it matches tag prefix "latest"', () => {
    // GIVEN an image without a tag, tagPrefix latest
    const config = stg({ 'taskDefinition.container.image': '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server', 'ecrLifecycle.tagPrefix': 'latest' });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });
});

describe('adoptionTargets: moves and imports', () => {
  test('a move of something not also imported passes', () => {
    // GIVEN the cluster moved, nothing imported
    const config = stg({ 'adopt.movedFrom': { cluster: 'aws_ecs_cluster.staging' } });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });

  test('a record import with the zone ID passes', () => {
    // GIVEN adopt.dnsRecord and dnsRecord.zoneId
    const config = stg({ 'adopt.dnsRecord': true });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });

  test('another import with the zone looked up by name passes (only the record import needs the ID)', () => {
    // GIVEN adopt.cluster, the zone by name
    const config = stg({ 'adopt.cluster': true, 'dnsRecord.zoneId': undefined, 'dnsRecord.zoneName': 'example.com' });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });

  test('a record import without the zone ID quotes the field’s value, true', () => {
    // GIVEN adopt.dnsRecord, the zone by name
    const config = stg({ 'adopt.dnsRecord': true, 'dnsRecord.zoneId': undefined, 'dnsRecord.zoneName': 'example.com' });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual(['adopt.dnsRecord: needs dnsRecord.zoneId: the import ID is <zone ID>_<name>_<type>_<set identifier> (got true)']);
  });
});

describe('derivedNamesFit: names the stack derives fit the APIs that take them', () => {
  // A given execution role and a short project name leave the created task role "<family>-task" the tightest name.
  const taskRoleOnly = (family: string) => stg({ 'taskDefinition.family': family, 'taskDefinition.taskRoleArn': undefined, 'pipeline.projectName': 'stg-build' });

  test('a family of 59 characters passes: "<family>-task" is exactly 64', () => {
    // GIVEN a 59-character family, the task role created
    const config = taskRoleOnly('f'.repeat(59));
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });

  test('a family of 60 characters fails on the task role', () => {
    // GIVEN a 60-character family, the task role created
    const config = taskRoleOnly('f'.repeat(60));
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([
      `taskDefinition.family: must be at most 59 characters: it names the task role "<family>-task"; IAM role names are at most 64 (got "${'f'.repeat(60)}")`,
    ]);
  });

  test('a family too long for three created names gets one line, for the tightest', () => {
    // GIVEN a 60-character family naming the execution role, the task role and (by default) the build project's role
    const config = stg({ 'taskDefinition.family': 'f'.repeat(60), 'taskDefinition.executionRoleArn': undefined, 'taskDefinition.taskRoleArn': undefined });
    // WHEN
    const errors = errorsOf(config);
    // THEN
    expect(about(errors, 'taskDefinition.family')).toEqual([
      `taskDefinition.family: must be at most 54 characters: it names the execution role "<family>-execution"; IAM role names are at most 64 (got "${'f'.repeat(60)}")`,
    ]);
  });

  test('a second field too long gets its own line after the first field’s', () => {
    // GIVEN a 60-character family (task role created) and a 250-character service name (security group created)
    const config = stg({ 'service.name': 's'.repeat(250) }, taskRoleOnly('f'.repeat(60)));
    // WHEN
    const errors = errorsOf(config);
    // THEN
    expect([...about(errors, 'taskDefinition.family'), ...about(errors, 'service.name')]).toEqual([
      `taskDefinition.family: must be at most 59 characters: it names the task role "<family>-task"; IAM role names are at most 64 (got "${'f'.repeat(60)}")`,
      `service.name: must be at most 249 characters: it names the security group "<service>-tasks"; EC2 group names are at most 255 (got "${'s'.repeat(76)}...)`,
    ]);
  });
});

describe('wildcardHostNeedsConsent', () => {
  test('a wildcard host with allowWildcardHost true passes', () => {
    // GIVEN *.example.com, consented to
    const config = stg({ 'listenerRule.hostHeader': '*.example.com', 'listenerRule.allowWildcardHost': true });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });
});

describe("taskDefinitionFits: the task definition within ECS's 64 KiB, 4 KiB left for the stack", () => {
  /** The stg example with its environment (or command) padded so the task definition's JSON is `bytes` long; a string holds at most 16384 characters. */
  function taskDefinitionOf(bytes: number, field: 'environment' | 'command'): Record<string, any> {
    const pads = ['', '', '', '', ''];
    const config = field === 'environment' ? stg({ 'taskDefinition.container.environment': { APP_ENV: 'staging' } }) : stg({ 'taskDefinition.container.environment': undefined });
    const apply = () => {
      if (field === 'environment') pads.forEach((pad, i) => (config.taskDefinition.container.environment[`PAD_${i}`] = pad));
      else config.taskDefinition.container.command = ['./server', ...pads];
    };
    const size = () => Buffer.byteLength(JSON.stringify(environmentSchema.parse(config).taskDefinition), 'utf8');
    apply();
    let missing = bytes - size();
    for (let i = 0; i < pads.length; i++) {
      pads[i] = 'x'.repeat(Math.min(missing, 16000));
      missing -= pads[i].length;
    }
    apply();
    expect(size()).toBe(bytes);
    return config;
  }

  test('61440 bytes (64 KiB less 4 KiB) pass', () => {
    // GIVEN a task definition of exactly 61440 bytes
    const config = taskDefinitionOf(61440, 'environment');
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });

  test('61441 bytes fail on the environment, quoting the size', () => {
    // GIVEN a task definition of 61441 bytes
    const config = taskDefinitionOf(61441, 'environment');
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([
      "taskDefinition.container.environment: must leave the task definition within ECS's 64 KiB: this one holds 61441 bytes (at most 61440); move large values to SSM or S3 (got 61441 bytes)",
    ]);
  });

  test('without an environment the line is about the container', () => {
    // GIVEN a 61441-byte task definition, its bulk in the command
    const config = taskDefinitionOf(61441, 'command');
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([
      "taskDefinition.container: must leave the task definition within ECS's 64 KiB: this one holds 61441 bytes (at most 61440); move large values to SSM or S3 (got 61441 bytes)",
    ]);
  });
});

describe('visibleText: tabs and newlines only in environment values', () => {
  test('a tab and a newline in an environment value pass', () => {
    // GIVEN an environment value with a tab and a newline
    const config = stg({ 'taskDefinition.container.environment.GREETING': 'a\tb\nc' });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });

  test("a tab and a newline in a preview's environment value pass, as in staging's", () => {
    // GIVEN previews with an environment value holding a tab and a newline
    const config = stg({ ...structuredClone(PREVIEWS), 'previews.environment': { GREETING: 'a\tb\nc' } });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([]);
  });

  test('a tab between the two halves of a surrogate pair does not join them: both are lone, and fail', () => {
    // GIVEN an environment value with a lone high surrogate, a tab, a lone low surrogate
    const config = stg({ 'taskDefinition.container.environment.GREETING': '\ud800\t\udc00' });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual([expect.stringMatching(/^taskDefinition\.container\.environment\.GREETING: must not hold control or invisible characters \(found U\+D800\)/)]);
  });

  test('a tab in a command argument fails (the command is not an environment value)', () => {
    // GIVEN a tab in taskDefinition.container.command
    const config = stg({ 'taskDefinition.container.command': ['./server', 'a\tb'] });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual(['taskDefinition.container.command.1: must not hold control or invisible characters (found U+0009) (got "a\\tb")']);
  });

  test('a tab under a key named "environment" outside the task definition fails (a tag value)', () => {
    // GIVEN the subnets looked up by a tag named environment whose value holds a tab
    const config = stg({ 'service.subnetIds': undefined, 'service.subnetTags': { environment: 'stg\tblue' } });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual(['service.subnetTags.environment: must not hold control or invisible characters (found U+0009) (got "stg\\tblue")']);
  });

  test('a tab in free text outside the task definition fails', () => {
    // GIVEN a tab in ecrLifecycle.description
    const config = stg({ 'ecrLifecycle.description': 'keep\ttwo' });
    // WHEN / THEN
    expect(errorsOf(config)).toEqual(['ecrLifecycle.description: must not hold control or invisible characters (found U+0009) (got "keep\\ttwo")']);
  });
});
