import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthesize } from '../../src/synth/synth';
import { fixtureJson, setPath, snapshot, tempProject } from '../support/environments';

/**
 * One case per rule and boundary: a change to the example environment, and the error it must give.
 * `got` is the value the message must quote; omit it for rules about a missing field.
 */
interface BadInput {
  readonly rule: string;
  readonly set: Record<string, unknown>;
  readonly path: string;
  readonly message: RegExp;
  readonly got?: unknown;
  /** A plain value in a secret field: no error line may print it, and this one must say how long it is instead. */
  readonly hidden?: string;
}

const LISTENER = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012';
const SECRET = 'arn:aws:secretsmanager:ap-northeast-1:123456789012';
const CASES: BadInput[] = [
  // allowlist CIDRs: node:net's syntax, no host bits (AWS rejects them), ipaddr.js's arithmetic
  { rule: 'source CIDR: host bits set', set: { 'listenerRule.access.sourceIps': ['203.0.113.7/24'] }, path: 'listenerRule.access.sourceIps.0', message: /no bits set after the prefix: write 203\.0\.113\.0\/24/, got: '203.0.113.7/24' },
  { rule: 'source CIDR: IPv6 host bits set', set: { 'listenerRule.access.sourceIps': ['2001:db8::1/32'] }, path: 'listenerRule.access.sourceIps.0', message: /write 2001:db8::\/32/, got: '2001:db8::1/32' },
  { rule: 'source CIDR: a leading zero', set: { 'listenerRule.access.sourceIps': ['03.0.113.0/24'] }, path: 'listenerRule.access.sourceIps.0', message: /must be an IPv4 or IPv6 CIDR/, got: '03.0.113.0/24' },
  { rule: 'source CIDR: ":::"', set: { 'listenerRule.access.sourceIps': [':::/64'] }, path: 'listenerRule.access.sourceIps.0', message: /must be an IPv4 or IPv6 CIDR/, got: ':::/64' },
  { rule: 'source CIDR: "::" twice', set: { 'listenerRule.access.sourceIps': ['1::2::3/64'] }, path: 'listenerRule.access.sourceIps.0', message: /must be an IPv4 or IPv6 CIDR/, got: '1::2::3/64' },
  // target group
  { rule: 'target group name: the article’s underscores', set: { 'targetGroup.name': 'stg_server_target' }, path: 'targetGroup.name', message: /letters, digits or hyphens/, got: 'stg_server_target' },
  { rule: 'target group name: 33 characters', set: { 'targetGroup.name': 'a'.repeat(33) }, path: 'targetGroup.name', message: /1–32/, got: 'a'.repeat(33) },
  { rule: 'target group name: leading hyphen', set: { 'targetGroup.name': '-stg' }, path: 'targetGroup.name', message: /not starting or ending with a hyphen/, got: '-stg' },
  { rule: 'target group name: trailing hyphen', set: { 'targetGroup.name': 'stg-' }, path: 'targetGroup.name', message: /not starting or ending with a hyphen/, got: 'stg-' },
  { rule: 'container port: 0', set: { 'taskDefinition.container.port': 0 }, path: 'taskDefinition.container.port', message: /integer from 1 to 65535/, got: 0 },
  { rule: 'container port: 65536', set: { 'taskDefinition.container.port': 65536 }, path: 'taskDefinition.container.port', message: /integer from 1 to 65535/, got: 65536 },
  { rule: 'deregistration delay: 3601', set: { 'targetGroup.deregistrationDelay': 3601 }, path: 'targetGroup.deregistrationDelay', message: /integer from 0 to 3600/, got: 3601 },
  { rule: 'deregistration delay: -1', set: { 'targetGroup.deregistrationDelay': -1 }, path: 'targetGroup.deregistrationDelay', message: /integer from 0 to 3600/, got: -1 },
  { rule: 'health check path: no leading slash', set: { 'targetGroup.healthCheck.path': 'healthcheck' }, path: 'targetGroup.healthCheck.path', message: /start with "\/"/, got: 'healthcheck' },
  { rule: 'health check path: 1025 characters', set: { 'targetGroup.healthCheck.path': `/${'a'.repeat(1024)}` }, path: 'targetGroup.healthCheck.path', message: /at most 1024/ },
  { rule: 'health check interval: 4', set: { 'targetGroup.healthCheck.interval': 4 }, path: 'targetGroup.healthCheck.interval', message: /integer from 5 to 300/, got: 4 },
  { rule: 'health check interval: 301', set: { 'targetGroup.healthCheck.interval': 301 }, path: 'targetGroup.healthCheck.interval', message: /integer from 5 to 300/, got: 301 },
  { rule: 'health check timeout: 1', set: { 'targetGroup.healthCheck.timeout': 1 }, path: 'targetGroup.healthCheck.timeout', message: /integer from 2 to 120/, got: 1 },
  { rule: 'health check timeout: 121', set: { 'targetGroup.healthCheck.timeout': 121 }, path: 'targetGroup.healthCheck.timeout', message: /integer from 2 to 120/, got: 121 },
  { rule: 'health check timeout: equal to the interval', set: { 'targetGroup.healthCheck.timeout': 30 }, path: 'targetGroup.healthCheck.timeout', message: /less than the interval \(30\)/, got: 30 },
  { rule: 'healthy threshold: 1', set: { 'targetGroup.healthCheck.healthyThreshold': 1 }, path: 'targetGroup.healthCheck.healthyThreshold', message: /integer from 2 to 10/, got: 1 },
  { rule: 'unhealthy threshold: 11', set: { 'targetGroup.healthCheck.unhealthyThreshold': 11 }, path: 'targetGroup.healthCheck.unhealthyThreshold', message: /integer from 2 to 10/, got: 11 },
  { rule: 'matcher: 199', set: { 'targetGroup.healthCheck.matcher': '199' }, path: 'targetGroup.healthCheck.matcher', message: /200 to 499/, got: '199' },
  { rule: 'matcher: a range into 4xx calls a task answering 404 healthy', set: { 'targetGroup.healthCheck.matcher': '200-499' }, path: 'targetGroup.healthCheck.matcher', message: /range below 400/, got: '200-499' },
  { rule: 'health check path: a space', set: { 'targetGroup.healthCheck.path': '/health check' }, path: 'targetGroup.healthCheck.path', message: /encode anything else as %XX/, got: '/health check' },
  { rule: 'health check path: non-ASCII', set: { 'targetGroup.healthCheck.path': '/ヘルス' }, path: 'targetGroup.healthCheck.path', message: /encode anything else as %XX/, got: '/ヘルス' },
  { rule: 'matcher: range to 500', set: { 'targetGroup.healthCheck.matcher': '200-500' }, path: 'targetGroup.healthCheck.matcher', message: /200 to 499/, got: '200-500' },
  { rule: 'VPC ID: malformed', set: { 'targetGroup.vpcId': 'vpc-XYZ' }, path: 'targetGroup.vpcId', message: /VPC ID/, got: 'vpc-XYZ' },
  // task definition
  { rule: 'Fargate size: 256 CPU with 4096 MiB', set: { 'taskDefinition.memory': 4096 }, path: 'taskDefinition.memory', message: /for cpu 256: 512, 1024, 2048/, got: 4096 },
  { rule: 'Fargate size: 4096 CPU with 31744 MiB', set: { 'taskDefinition.cpu': 4096, 'taskDefinition.memory': 31744 }, path: 'taskDefinition.memory', message: /8192–30720 in steps of 1024/, got: 31744 },
  { rule: 'Fargate size: 300 CPU', set: { 'taskDefinition.cpu': 300 }, path: 'taskDefinition.cpu', message: /Fargate CPU size/, got: 300 },
  { rule: 'family: a space', set: { 'taskDefinition.family': 'stg server' }, path: 'taskDefinition.family', message: /letters, digits, hyphens or underscores/, got: 'stg server' },
  { rule: 'container name: empty', set: { 'taskDefinition.container.name': '' }, path: 'taskDefinition.container.name', message: /1–255/, got: '' },
  { rule: 'cluster name: 256 characters', set: { 'cluster.name': 'c'.repeat(256) }, path: 'cluster.name', message: /1–255/ },
  { rule: 'CPU architecture: lower case', set: { 'taskDefinition.cpuArchitecture': 'arm64' }, path: 'taskDefinition.cpuArchitecture', message: /one of "X86_64", "ARM64"/, got: 'arm64' },
  { rule: 'execution role: a user ARN', set: { 'taskDefinition.executionRoleArn': 'arn:aws:iam::123456789012:user/deploy' }, path: 'taskDefinition.executionRoleArn', message: /IAM role ARN/, got: 'arn:aws:iam::123456789012:user/deploy' },
  { rule: 'secret: a plain value', set: { 'taskDefinition.container.secrets.DB_PASSWORD': 'hunter2' }, path: 'taskDefinition.container.secrets.DB_PASSWORD', message: /Secrets Manager secret ARN .*, an SSM parameter ARN .* or an SSM parameter name starting with "\/"/, hidden: 'hunter2' },
  { rule: 'image: empty', set: { 'taskDefinition.container.image': '' }, path: 'taskDefinition.container.image', message: /image reference/, got: '' },
  { rule: 'image: malformed', set: { 'taskDefinition.container.image': 'Not An Image' }, path: 'taskDefinition.container.image', message: /image reference/, got: 'Not An Image' },
  // service
  { rule: 'desired count: -1', set: { 'service.desiredCount': -1 }, path: 'service.desiredCount', message: /integer from 0 to 5000/, got: -1 },
  { rule: 'desired count: 5001, above ECS’s tasks per service', set: { 'service.desiredCount': 5001 }, path: 'service.desiredCount', message: /integer from 0 to 5000/, got: 5001 },
  { rule: 'deployment maximum percent: 2^31, beyond AWS’s 32-bit integers', set: { 'service.deploymentMaximumPercent': 2 ** 31 }, path: 'service.deploymentMaximumPercent', message: /at most 2147483647: AWS takes 32-bit integers/, got: 2 ** 31 },
  { rule: 'keep images: 2^31', set: { 'ecrLifecycle.keepImages': 2 ** 31 }, path: 'ecrLifecycle.keepImages', message: /at most 2147483647/, got: 2 ** 31 },
  { rule: 'grace period: 2^31', set: { 'service.healthCheckGracePeriodSeconds': 2 ** 31 }, path: 'service.healthCheckGracePeriodSeconds', message: /integer from 0 to 2147483647/, got: 2 ** 31 },
  { rule: 'maximum percent below the minimum', set: { 'service.deploymentMaximumPercent': 50 }, path: 'service.deploymentMaximumPercent', message: /at least deploymentMinimumHealthyPercent \(100\)/, got: 50 },
  { rule: 'maximum percent below 100 with one task', set: { 'service.deploymentMinimumHealthyPercent': 0, 'service.deploymentMaximumPercent': 90 }, path: 'service.deploymentMaximumPercent', message: /at least 100 when desiredCount is 1/, got: 90 },
  { rule: 'subnets: none', set: { 'service.subnetIds': [] }, path: 'service.subnetIds', message: /at least one subnet/ },
  { rule: 'subnets: one twice', set: { 'service.subnetIds': ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2', 'subnet-0aaaaaaaaaaaaaaa1'] }, path: 'service.subnetIds.2', message: /must not repeat entry 0: list each once/, got: 'subnet-0aaaaaaaaaaaaaaa1' },
  { rule: 'security groups: one twice', set: { 'service.securityGroupIds': ['sg-0bbbbbbbbbbbbbbb1', 'sg-0bbbbbbbbbbbbbbb1'] }, path: 'service.securityGroupIds.1', message: /must not repeat entry 0/, got: 'sg-0bbbbbbbbbbbbbbb1' },
  { rule: 'allowlist: one CIDR twice', set: { 'listenerRule.access.sourceIps': ['203.0.113.0/24', '198.51.100.0/24', '203.0.113.0/24'] }, path: 'listenerRule.access.sourceIps.2', message: /must not repeat entry 0/, got: '203.0.113.0/24' },
  { rule: 'subnet ID: malformed', set: { 'service.subnetIds': ['subnet-xyz'] }, path: 'service.subnetIds.0', message: /subnet ID/, got: 'subnet-xyz' },
  { rule: 'subnet lookup: no tag', set: { 'service.subnetIds': undefined, 'service.subnetTags': {} }, path: 'service.subnetTags', message: /must name at least one tag/ },
  { rule: 'security group ID: malformed', set: { 'service.securityGroupIds': ['sg-123'] }, path: 'service.securityGroupIds.0', message: /security group ID/, got: 'sg-123' },
  // listener rule
  { rule: 'priority: 0', set: { 'listenerRule.priority': 0 }, path: 'listenerRule.priority', message: /must be an integer from 1 to 50000/, got: 0 },
  { rule: 'priority: 50001', set: { 'listenerRule.priority': 50001 }, path: 'listenerRule.priority', message: /must be an integer from 1 to 50000/, got: 50001 },
  { rule: 'priority: not an integer', set: { 'listenerRule.priority': 1.5 }, path: 'listenerRule.priority', message: /must be an integer from 1 to 50000/, got: 1.5 },
  { rule: 'priority: a string', set: { 'listenerRule.priority': '100' }, path: 'listenerRule.priority', message: /must be a number/, got: '100' },
  { rule: 'listener ARN: a load balancer ARN', set: { 'listenerRule.listenerArn': `${LISTENER}:loadbalancer/app/prod-alb/0123456789abcdef` }, path: 'listenerRule.listenerArn', message: /not a load balancer ARN/ },
  { rule: 'listener ARN: a target group ARN', set: { 'listenerRule.listenerArn': `${LISTENER}:targetgroup/prod/0123456789abcdef` }, path: 'listenerRule.listenerArn', message: /not a target group ARN/ },
  { rule: 'listener ARN: another region', set: { 'listenerRule.listenerArn': 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/prod-alb/0123456789abcdef/0123456789abcdef' }, path: 'listenerRule.listenerArn', message: /must be in the file's region ap-northeast-1, like every regional ARN \(got region "us-east-1" in "arn:aws:elasticloadbalancing:us-east-1:/ },
  { rule: 'host header: 129 characters', set: { 'listenerRule.hostHeader': `${'a'.repeat(117)}.example.com`, 'dnsRecord.name': `${'a'.repeat(117)}.example.com` }, path: 'listenerRule.hostHeader', message: /at most 128 characters/ },
  { rule: 'host header: a wildcard, which can take production’s hosts', set: { 'listenerRule.hostHeader': '*.example.com', 'dnsRecord.name': 'stg-api.example.com' }, path: 'listenerRule.hostHeader', message: /without "\*" or "\?": a wildcard on the production listener can take production hosts \(set listenerRule.allowWildcardHost/, got: '*.example.com' },
  { rule: 'host header: "?" is a wildcard too', set: { 'listenerRule.hostHeader': 'stg-ap?.example.com' }, path: 'listenerRule.hostHeader', message: /without "\*" or "\?"/, got: 'stg-ap?.example.com' },
  { rule: 'allowWildcardHost without a wildcard', set: { 'listenerRule.allowWildcardHost': true }, path: 'listenerRule.allowWildcardHost', message: /applies only to a hostHeader with "\*" or "\?"/, got: true },
  { rule: 'image: over ECS’s 255 characters', set: { 'taskDefinition.container.image': `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/${'a'.repeat(210)}:stg` }, path: 'taskDefinition.container.image', message: /at most 255 characters/ },
  { rule: 'container: environment beyond ECS’s 64 KiB task definition', set: { 'taskDefinition.container.environment': Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`VALUE_${i}`, 'x'.repeat(1000)])) }, path: 'taskDefinition.container.environment', message: /within ECS's 64 KiB: this one holds \d+ bytes/ },
  { rule: 'a control character (NUL) in free text', set: { 'ecrLifecycle.description': 'keep\u0000' }, path: 'ecrLifecycle.description', message: /control or invisible characters \(found U\+0000\)/ },
  { rule: 'a zero-width space in a set identifier', set: { 'dnsRecord.setIdentifier': 'stg\u200b' }, path: 'dnsRecord.setIdentifier', message: /found U\+200B/ },
  { rule: 'a line separator in an environment value (tabs and newlines are fine there)', set: { 'taskDefinition.container.environment': { GREETING: 'a\tb\nc\u2028' } }, path: 'taskDefinition.container.environment.GREETING', message: /found U\+2028/ },
  { rule: 'a lone surrogate in a command argument', set: { 'taskDefinition.container.command': ['serve', '\ud800'] }, path: 'taskDefinition.container.command.1', message: /found U\+D800/ },
  { rule: 'host header: no dot', set: { 'listenerRule.hostHeader': 'localhost' }, path: 'listenerRule.hostHeader', message: /ending in a dot and letters/, got: 'localhost' },
  { rule: 'host header: digits after the last dot', set: { 'listenerRule.hostHeader': 'stg-api.example.123' }, path: 'listenerRule.hostHeader', message: /ending in a dot and letters/, got: 'stg-api.example.123' },
  { rule: 'host header: an underscore', set: { 'listenerRule.hostHeader': 'stg_api.example.com' }, path: 'listenerRule.hostHeader', message: /letters, digits, "-", "."/, got: 'stg_api.example.com' },
  { rule: 'listener: both an ARN and a lookup', set: { 'listenerRule.loadBalancer': { name: 'prod-alb', listenerPort: 443 } }, path: 'listenerRule.loadBalancer', message: /either listenerArn or loadBalancer, not both/ },
  { rule: 'listener: neither an ARN nor a lookup', set: { 'listenerRule.listenerArn': undefined }, path: 'listenerRule.listenerArn', message: /is required \(or look it up with loadBalancer\)/ },
  // DNS record
  { rule: 'TTL: -1', set: { 'dnsRecord.ttl': -1 }, path: 'dnsRecord.ttl', message: /integer from 0 to 2147483647/, got: -1 },
  { rule: 'weight: 256', set: { 'dnsRecord.weight': 256 }, path: 'dnsRecord.weight', message: /integer from 0 to 255/, got: 256 },
  { rule: 'set identifier: empty', set: { 'dnsRecord.setIdentifier': '' }, path: 'dnsRecord.setIdentifier', message: /1–128 characters/, got: '' },
  { rule: 'zone ID: malformed', set: { 'dnsRecord.zoneId': 'zone-123' }, path: 'dnsRecord.zoneId', message: /hosted zone ID/, got: 'zone-123' },
  { rule: 'record name outside the looked-up zone', set: { 'dnsRecord.zoneId': undefined, 'dnsRecord.zoneName': 'example.org' }, path: 'dnsRecord.name', message: /inside the zone example\.org/, got: 'stg-api.example.com' },
  { rule: 'CNAME at the zone apex', set: { 'dnsRecord.zoneId': undefined, 'dnsRecord.zoneName': 'example.com', 'dnsRecord.name': 'example.com', 'listenerRule.hostHeader': 'example.com' }, path: 'dnsRecord.name', message: /zone apex; use type "alias"/ },
  { rule: 'alias: a target zone that is not the region’s ALB zone', set: { 'dnsRecord.type': 'alias', 'dnsRecord.ttl': undefined, 'dnsRecord.targetZoneId': 'Z0123456789ABCDEFGHIJ' }, path: 'dnsRecord.targetZoneId', message: /must be the canonical hosted zone of ALBs in ap-northeast-1, Z14GRHDCWA56QT/, got: 'Z0123456789ABCDEFGHIJ' },
  { rule: 'alias: another region’s ALB zone', set: { 'dnsRecord.type': 'alias', 'dnsRecord.ttl': undefined, 'dnsRecord.targetZoneId': 'Z35SXDOTRQ7X7K' }, path: 'dnsRecord.targetZoneId', message: /Z14GRHDCWA56QT/, got: 'Z35SXDOTRQ7X7K' },
  { rule: 'record name the rule does not match', set: { 'dnsRecord.name': 'api.example.com' }, path: 'dnsRecord.name', message: /match listenerRule.hostHeader/, got: 'api.example.com' },
  { rule: 'alias with a TTL', set: { 'dnsRecord.type': 'alias', 'dnsRecord.targetZoneId': 'Z14GRHDCWA56QT' }, path: 'dnsRecord.ttl', message: /not be set for an alias/, got: 300 },
  { rule: 'alias without the ALB zone', set: { 'dnsRecord.type': 'alias', 'dnsRecord.ttl': undefined }, path: 'dnsRecord.targetZoneId', message: /required for an alias record/ },
  // ECR
  { rule: 'repository: upper case', set: { 'ecrLifecycle.repository': 'Stg-Server' }, path: 'ecrLifecycle.repository', message: /lowercase/, got: 'Stg-Server' },
  { rule: 'tag prefix: "-stg", which no Docker tag can start with', set: { 'ecrLifecycle.tagPrefix': '-stg' }, path: 'ecrLifecycle.tagPrefix', message: /starting with a letter, digit or "_"/, got: '-stg' },
  { rule: 'tag prefix: ".stg"', set: { 'ecrLifecycle.tagPrefix': '.stg' }, path: 'ecrLifecycle.tagPrefix', message: /starting with a letter, digit or "_"/, got: '.stg' },
  { rule: 'tag prefix: empty', set: { 'ecrLifecycle.tagPrefix': '' }, path: 'ecrLifecycle.tagPrefix', message: /1–128/, got: '' },
  { rule: 'keep images: 0', set: { 'ecrLifecycle.keepImages': 0 }, path: 'ecrLifecycle.keepImages', message: /integer of at least 1/, got: 0 },
  // access (secure by default)
  { rule: 'access: none at all', set: { 'listenerRule.access': undefined }, path: 'listenerRule.access', message: /must restrict who reaches staging .* or set "public": true/ },
  { rule: 'access: an empty section', set: { 'listenerRule.access': {} }, path: 'listenerRule.access', message: /must restrict who reaches staging/ },
  { rule: 'access: public and an allowlist at once', set: { 'listenerRule.access.public': true }, path: 'listenerRule.access.public', message: /must not be true while sourceIps restrict access/, got: true },
  { rule: 'access: not a CIDR', set: { 'listenerRule.access.sourceIps': ['203.0.113.0'] }, path: 'listenerRule.access.sourceIps.0', message: /IPv4 or IPv6 CIDR/, got: '203.0.113.0' },
  { rule: 'access: an octet over 255', set: { 'listenerRule.access.sourceIps': ['203.0.256.0/24'] }, path: 'listenerRule.access.sourceIps.0', message: /IPv4 or IPv6 CIDR/, got: '203.0.256.0/24' },
  { rule: 'access: 0.0.0.0/0 is no allowlist', set: { 'listenerRule.access.sourceIps': ['0.0.0.0/0'] }, path: 'listenerRule.access.sourceIps.0', message: /at most a \/8 \(IPv4\) or a \/32 \(IPv6\)/, got: '0.0.0.0/0' },
  { rule: 'access: half the internet twice is no allowlist either', set: { 'listenerRule.access.sourceIps': ['0.0.0.0/1', '128.0.0.0/1'] }, path: 'listenerRule.access.sourceIps.0', message: /wider range admits a large part of the internet/, got: '0.0.0.0/1' },
  { rule: 'access: an IPv6 /16', set: { 'listenerRule.access.sourceIps': ['2001::/16'] }, path: 'listenerRule.access.sourceIps.0', message: /\/32 \(IPv6\)/, got: '2001::/16' },
  { rule: 'access: an empty allowlist', set: { 'listenerRule.access.sourceIps': [] }, path: 'listenerRule.access.sourceIps', message: /at least one CIDR/ },
  { rule: 'access: 41 CIDRs are more than 10 rules hold', set: { 'listenerRule.access.sourceIps': Array.from({ length: 41 }, (_, i) => `10.0.${i}.0/24`) }, path: 'listenerRule.access.sourceIps', message: /at most 40 CIDRs \(4 per listener rule, at most 10 rules\)/, got: 41 },
  { rule: 'access: no room for the allowlist’s rules below 50000', set: { 'listenerRule.priority': 50000, 'listenerRule.access.sourceIps': ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24', '10.0.4.0/24'] }, path: 'listenerRule.priority', message: /room for 2 consecutive rules .* at most 49999/, got: 50000 },
  { rule: 'access: a header value written in the file', set: { 'listenerRule.access.httpHeader': { name: 'X-Staging-Key', valueFrom: 'let-me-in' } }, path: 'listenerRule.access.httpHeader.valueFrom', message: /Secrets Manager secret ARN/, hidden: 'let-me-in' },
  { rule: 'access: a header name with a space', set: { 'listenerRule.access.httpHeader': { name: 'X Staging', valueFrom: '/staging/key' } }, path: 'listenerRule.access.httpHeader.name', message: /HTTP header name/, got: 'X Staging' },
  { rule: 'access: oidc on the HTTP listener', set: { 'listenerRule.listenerArn': undefined, 'targetGroup.vpcId': undefined, 'dnsRecord.target': undefined, 'listenerRule.loadBalancer': { name: 'prod-alb', listenerPort: 80 }, 'listenerRule.access.oidc': { issuer: 'https://id.example.com', authorizationEndpoint: 'https://id.example.com/a', tokenEndpoint: 'https://id.example.com/t', userInfoEndpoint: 'https://id.example.com/u', clientId: 'stg', clientSecretFrom: '/staging/oidc' } }, path: 'listenerRule.access.oidc', message: /needs an HTTPS listener.*port 80 is HTTP/, got: 80 },
  { rule: 'access: oidc and cognito at once', set: { 'listenerRule.access.cognito': { userPoolArn: 'arn:aws:cognito-idp:ap-northeast-1:123456789012:userpool/ap-northeast-1_AbCdEf123', userPoolClientId: 'abc123', userPoolDomain: 'stg-login' }, 'listenerRule.access.oidc': { issuer: 'https://id.example.com', authorizationEndpoint: 'https://id.example.com/a', tokenEndpoint: 'https://id.example.com/t', userInfoEndpoint: 'https://id.example.com/u', clientId: 'stg', clientSecretFrom: '/staging/oidc' } }, path: 'listenerRule.access.cognito', message: /either oidc or cognito, not both/ },
  // IAM, logs, network, guardrails (secure by default)
  { rule: 'secrets: an SSM name when the stack creates the execution role', set: { 'taskDefinition.executionRoleArn': undefined, 'taskDefinition.container.secrets.DB_PASSWORD': '/prod/db-password' }, path: 'taskDefinition.container.secrets.DB_PASSWORD', message: /SSM parameter ARN when the stack creates the execution role/, got: '/prod/db-password' },
  { rule: 'KMS key with a given execution role', set: { 'taskDefinition.secretsKmsKeyArn': 'arn:aws:kms:ap-northeast-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab' }, path: 'taskDefinition.secretsKmsKeyArn', message: /applies only to the execution role the stack creates/ },
  { rule: 'KMS key: an alias is not a key', set: { 'taskDefinition.executionRoleArn': undefined, 'taskDefinition.secretsKmsKeyArn': 'arn:aws:kms:ap-northeast-1:123456789012:alias/secrets' }, path: 'taskDefinition.secretsKmsKeyArn', message: /KMS key ARN .*not an alias/ },
  { rule: 'task role statements: a wildcard ARN', set: { 'taskDefinition.taskRoleArn': undefined, 'taskDefinition.taskRolePolicy': [{ actions: ['secretsmanager:GetSecretValue'], resources: ['arn:aws:secretsmanager:ap-northeast-1:123456789012:*'] }] }, path: 'taskDefinition.taskRolePolicy.0.resources.0', message: /must name exact resources: no wildcard/ },
  { rule: 'task role statements: an empty list', set: { 'taskDefinition.taskRoleArn': undefined, 'taskDefinition.taskRolePolicy': [] }, path: 'taskDefinition.taskRolePolicy', message: /at least one statement/ },
  { rule: 'task role statements: every secret by a wildcard inside the ARN', set: { 'taskDefinition.taskRoleArn': undefined, 'taskDefinition.taskRolePolicy': [{ actions: ['secretsmanager:GetSecretValue'], resources: ['arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:*-*'] }] }, path: 'taskDefinition.taskRolePolicy.0.resources.0', message: /no wildcard in a secret, parameter or key ARN/ },
  { rule: 'secrets: a partial secret ARN when the stack creates the execution role', set: { 'taskDefinition.executionRoleArn': undefined, 'taskDefinition.container.secrets.DB_PASSWORD': 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:prod/db-password' }, path: 'taskDefinition.container.secrets.DB_PASSWORD', message: /complete secret ARN, ending in "-" and six characters/ },
  { rule: 'task role statements: "*"', set: { 'taskDefinition.taskRoleArn': undefined, 'taskDefinition.taskRolePolicy': [{ actions: ['s3:GetObject'], resources: ['*'] }] }, path: 'taskDefinition.taskRolePolicy.0.resources.0', message: /must be an ARN/, got: '*' },
  { rule: 'log retention: not a CloudWatch value', set: { 'logs.retentionInDays': 10 }, path: 'logs.retentionInDays', message: /CloudWatch Logs retention: 1, 3, 5, 7, 14, 30/, got: 10 },
  { rule: 'log retention: 0 (never expire) is refused', set: { 'logs.retentionInDays': 0 }, path: 'logs.retentionInDays', message: /CloudWatch Logs retention/, got: 0 },
  { rule: 'security group: created, but no ALB group to admit', set: { 'service.loadBalancerSecurityGroupId': undefined }, path: 'service.loadBalancerSecurityGroupId', message: /is required when the stack creates the service's security group/ },
  { rule: 'security group: an ALB group beside given groups', set: { 'service.securityGroupIds': ['sg-0123456789abcdef0'] }, path: 'service.loadBalancerSecurityGroupId', message: /applies only when the stack creates the security group/ },
  { rule: 'suppression: a reason too short', set: { 'guardrails.suppress.0.reason': 'ok' }, path: 'guardrails.suppress.0.reason', message: /at least 20 characters/ },
  { rule: 'suppression: a rule that cannot be suppressed', set: { 'guardrails.suppress.0.id': 'STG-RestrictedAccess' }, path: 'guardrails.suppress.0.id', message: /must name a suppressible guardrail rule: STG-RestrictedAccess cannot be suppressed \(its opt-out is a field of the file\); they are .*STG-PublicIp/, got: 'STG-RestrictedAccess' },
  { rule: 'suppression: a rule that does not exist, with the nearest name', set: { 'guardrails.suppress.0.id': 'STG-PublicIP' }, path: 'guardrails.suppress.0.id', message: /there is no STG-PublicIP; did you mean STG-PublicIp\?/, got: 'STG-PublicIP' },
  { rule: 'suppression: not a rule ID at all', set: { 'guardrails.suppress.0.id': 'public ip' }, path: 'guardrails.suppress.0.id', message: /must be a guardrail rule ID like STG-PublicIp/, got: 'public ip' },
  { rule: 'backend: not a bucket name', set: { backend: { bucket: 'My_State' } }, path: 'backend.bucket', message: /S3 bucket name/, got: 'My_State' },
  // pipeline
  { rule: 'pipeline repository: not a GitHub URL', set: { 'pipeline.repository': 'https://gitlab.com/example/stg-server.git' }, path: 'pipeline.repository', message: /must be a GitHub repository URL like https:\/\/github\.com\//, got: 'https://gitlab.com/example/stg-server.git' },
  { rule: 'pipeline repository: SSH, not HTTPS', set: { 'pipeline.repository': 'git@github.com:example/stg-server.git' }, path: 'pipeline.repository', message: /must be a GitHub repository URL/, got: 'git@github.com:example/stg-server.git' },
  { rule: 'branch: a space', set: { 'pipeline.branch': 'feature x' }, path: 'pipeline.branch', message: /must be a git branch name like develop/, got: 'feature x' },
  { rule: 'branch: ".."', set: { 'pipeline.branch': 'release..1' }, path: 'pipeline.branch', message: /must be a git branch name like develop/, got: 'release..1' },
  { rule: 'source credential: both a connection and a token secret', set: { 'pipeline.tokenSecretArn': `${SECRET}:secret:github-token-AbCdEf` }, path: 'pipeline.connectionArn', message: /give exactly one source credential: connectionArn \(CodeConnections\) or tokenSecretArn/ },
  { rule: 'source credential: neither', set: { 'pipeline.connectionArn': undefined }, path: 'pipeline.connectionArn', message: /give exactly one source credential/ },
  { rule: 'token secret: an SSM parameter name', set: { 'pipeline.connectionArn': undefined, 'pipeline.tokenSecretArn': '/stg/github-token' }, path: 'pipeline.tokenSecretArn', message: /must be a Secrets Manager secret ARN, without a :json-key suffix/, got: '/stg/github-token' },
  { rule: 'Docker Hub secret: an SSM parameter name', set: { 'pipeline.dockerHubSecretArn': '/stg/dockerhub' }, path: 'pipeline.dockerHubSecretArn', message: /must be a Secrets Manager secret ARN/, got: '/stg/dockerhub' },
  { rule: 'connection ARN: not a connection', set: { 'pipeline.connectionArn': 'arn:aws:codeconnections:ap-northeast-1:123456789012:host/stg-ghe-0123abcd' }, path: 'pipeline.connectionArn', message: /must be a CodeConnections connection ARN like arn:aws:codeconnections:/, got: 'arn:aws:codeconnections:ap-northeast-1:123456789012:host/stg-ghe-0123abcd' },
  { rule: 'connection ARN: not a UUID', set: { 'pipeline.connectionArn': 'arn:aws:codeconnections:ap-northeast-1:123456789012:connection/github' }, path: 'pipeline.connectionArn', message: /must be a CodeConnections connection ARN/, got: 'arn:aws:codeconnections:ap-northeast-1:123456789012:connection/github' },
  { rule: 'deploy wait: 601, past the AWS CLI waiter', set: { 'pipeline.waitTimeoutSeconds': 601 }, path: 'pipeline.waitTimeoutSeconds', message: /must be an integer from 60 to 600/, got: 601 },
  { rule: 'deploy wait: 59', set: { 'pipeline.waitTimeoutSeconds': 59 }, path: 'pipeline.waitTimeoutSeconds', message: /must be an integer from 60 to 600/, got: 59 },
  { rule: 'deploy cannot fit: a 500 s drain', set: { 'targetGroup.deregistrationDelay': 500 }, path: 'targetGroup.deregistrationDelay', message: /must leave a deploy time to finish inside pipeline\.waitTimeoutSeconds \(600 s\): grace 60 \+ 5 healthy checks × 30 s \+ drain 500 = 710 s/, got: 500 },
  { rule: 'deploy cannot fit: a 200 s wait', set: { 'pipeline.waitTimeoutSeconds': 200 }, path: 'targetGroup.deregistrationDelay', message: /inside pipeline\.waitTimeoutSeconds \(200 s\): grace 60 \+ 5 healthy checks × 30 s \+ drain 30 = 240 s/, got: 30 },
  { rule: 'pipeline with the image left to the lookup', set: { 'taskDefinition.container.image': undefined }, path: 'taskDefinition.container.image', message: /must be written out as the staging ECR image .* when pipeline is set: the buildspec pushes to it/ },
  { rule: 'pipeline with an image outside ECR', set: { 'taskDefinition.container.image': 'ghcr.io/example/stg-server:stg' }, path: 'taskDefinition.container.image', message: /must be written out as the staging ECR image/, got: 'ghcr.io/example/stg-server:stg' },
  // derived names: IAM roles ≤ 64, CodeBuild projects ≤ 150, EC2 group names ≤ 255 and not "sg-…"
  { rule: 'project name: 55 characters (its role "<projectName>-codebuild" would pass 64)', set: { 'pipeline.projectName': 'p'.repeat(55) }, path: 'pipeline.projectName', message: /must be at most 54 characters: it names the build role "<projectName>-codebuild"; IAM role names are at most 64/, got: 'p'.repeat(55) },
  { rule: 'family: 50 characters, so the default project "<family>-build" and its role pass 64', set: { 'taskDefinition.family': 'f'.repeat(50) }, path: 'taskDefinition.family', message: /must be at most 48 characters: it names the build role/, got: 'f'.repeat(50) },
  { rule: 'family: 55 characters, with the execution role created', set: { 'taskDefinition.family': 'f'.repeat(55), 'taskDefinition.executionRoleArn': undefined, 'pipeline.projectName': 'stg-build' }, path: 'taskDefinition.family', message: /must be at most 54 characters: it names the execution role "<family>-execution"; IAM role names are at most 64/, got: 'f'.repeat(55) },
  { rule: 'service name: 250 characters, with the security group "<service>-tasks" created', set: { 'service.name': 's'.repeat(250), 'service.securityGroupIds': undefined, 'service.loadBalancerSecurityGroupId': 'sg-0123456789abcdef0' }, path: 'service.name', message: /must be at most 249 characters: it names the security group "<service>-tasks"; EC2 group names are at most 255/ },
  { rule: 'service name: "sg-…", with the security group created', set: { 'service.name': 'sg-api', 'service.securityGroupIds': undefined, 'service.loadBalancerSecurityGroupId': 'sg-0123456789abcdef0' }, path: 'service.name', message: /must not start with "sg-".*EC2 refuses/, got: 'sg-api' },
  { rule: 'project name: a space', set: { 'pipeline.projectName': 'stg build' }, path: 'pipeline.projectName', message: /must be a CodeBuild project name/, got: 'stg build' },
  { rule: 'unknown field in pipeline: a typo gets a hint', set: { 'pipeline.brnach': 'develop' }, path: 'pipeline.brnach', message: /unknown field; did you mean "branch"\?/ },
  { rule: 'branch: written as a ref, refs/heads/main (its webhook filter would never fire)', set: { 'pipeline.branch': 'refs/heads/main' }, path: 'pipeline.branch', message: /must be a branch name without "refs\/heads\/": write "main"/, got: 'refs/heads/main' },
  { rule: 'branch: another ref, refs/tags/v1', set: { 'pipeline.branch': 'refs/tags/v1' }, path: 'pipeline.branch', message: /must be a branch name, not a ref/, got: 'refs/tags/v1' },
  { rule: 'branch: a space (git check-ref-format)', set: { 'pipeline.branch': 'feature x' }, path: 'pipeline.branch', message: /git branch name like develop: no spaces or control characters/, got: 'feature x' },
  { rule: 'branch: ".." (git check-ref-format)', set: { 'pipeline.branch': 'release..1' }, path: 'pipeline.branch', message: /git branch name like develop: no "\.\."/, got: 'release..1' },
  { rule: 'branch: a trailing ".lock"', set: { 'pipeline.branch': 'release.lock' }, path: 'pipeline.branch', message: /no part ending in "\.lock"/, got: 'release.lock' },
  { rule: 'branch: a part ending in ".lock"', set: { 'pipeline.branch': 'hotfix.lock/x' }, path: 'pipeline.branch', message: /no part ending in "\.lock"/, got: 'hotfix.lock/x' },
  { rule: 'branch: "@{"', set: { 'pipeline.branch': 'main@{1}' }, path: 'pipeline.branch', message: /no "@\{"/, got: 'main@{1}' },
  { rule: 'branch: "//"', set: { 'pipeline.branch': 'feature//x' }, path: 'pipeline.branch', message: /no "\/" at either end and no "\/\/"/, got: 'feature//x' },
  { rule: 'branch: a trailing "/"', set: { 'pipeline.branch': 'feature/' }, path: 'pipeline.branch', message: /no "\/" at either end/, got: 'feature/' },
  { rule: 'branch: a leading "-"', set: { 'pipeline.branch': '-main' }, path: 'pipeline.branch', message: /not starting with "-"/, got: '-main' },
  { rule: 'branch: a trailing "."', set: { 'pipeline.branch': 'main.' }, path: 'pipeline.branch', message: /not ending in "\."/, got: 'main.' },
  { rule: 'branch: a part starting with "."', set: { 'pipeline.branch': 'feature/.x' }, path: 'pipeline.branch', message: /no part starting with "\."/, got: 'feature/.x' },
  { rule: 'branch: a "~"', set: { 'pipeline.branch': 'main~1' }, path: 'pipeline.branch', message: /none of ~ \^ : \? \* \[ \\/, got: 'main~1' },
  // secrets are never echoed: a plain value in a secret-reference field is described, not printed
  { rule: 'token secret: a GitHub token written in the file is not echoed', set: { 'pipeline.connectionArn': undefined, 'pipeline.tokenSecretArn': 'ghp_FAKE0123456789abcdefghijklmnopqrstuv' }, path: 'pipeline.tokenSecretArn', message: /must be a Secrets Manager secret ARN/, hidden: 'ghp_FAKE0123456789abcdefghijklmnopqrstuv' },
  { rule: 'Docker Hub secret: a password written in the file is not echoed', set: { 'pipeline.dockerHubSecretArn': 'dckr_pat_FAKE1234' }, path: 'pipeline.dockerHubSecretArn', message: /must be a Secrets Manager secret ARN/, hidden: 'dckr_pat_FAKE1234' },
  { rule: 'access: an OIDC client secret written in the file is not echoed', set: { 'listenerRule.access.oidc': { issuer: 'https://id.example.com', authorizationEndpoint: 'https://id.example.com/a', tokenEndpoint: 'https://id.example.com/t', userInfoEndpoint: 'https://id.example.com/u', clientId: 'stg', clientSecretFrom: 'sup3r-s3cret-value' } }, path: 'listenerRule.access.oidc.clientSecretFrom', message: /Secrets Manager secret ARN/, hidden: 'sup3r-s3cret-value' },
  { rule: 'secrets: a plain value one level up is not echoed either', set: { 'taskDefinition.container.secrets': 'hunter2' }, path: 'taskDefinition.container.secrets', message: /must be an object/, hidden: 'hunter2' },
  { rule: 'secrets: a reference is still shown', set: { 'taskDefinition.container.secrets.DB_PASSWORD': 'arn:aws:kms:ap-northeast-1:123456789012:key/x' }, path: 'taskDefinition.container.secrets.DB_PASSWORD', message: /Secrets Manager secret ARN/, got: 'arn:aws:kms:ap-northeast-1:123456789012:key/x' },
  // one account, one region
  { rule: 'one region: a connection in another region', set: { 'pipeline.connectionArn': 'arn:aws:codeconnections:us-east-1:123456789012:connection/0123abcd-0123-4567-89ab-0123456789ab' }, path: 'pipeline.connectionArn', message: /^[^\n]*: must be in the file's region ap-northeast-1, like every regional ARN \(got region "us-east-1" in "arn:aws:codeconnections:us-east-1:123456789012:connection\/0123abcd-0123-4567-89ab-0123456789ab"\)$/ },
  { rule: 'one region: a secret in another region', set: { 'taskDefinition.container.secrets.DB_PASSWORD': 'arn:aws:secretsmanager:us-west-2:123456789012:secret:prod/db-password-AbCdEf' }, path: 'taskDefinition.container.secrets.DB_PASSWORD', message: /file's region ap-northeast-1.*\(got region "us-west-2" in "arn:aws:secretsmanager:us-west-2:/ },
  { rule: 'one region: the image in another region', set: { 'taskDefinition.container.image': '123456789012.dkr.ecr.eu-west-1.amazonaws.com/stg-server:stg' }, path: 'taskDefinition.container.image', message: /file's region ap-northeast-1.*\(got region "eu-west-1" in "123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/stg-server:stg"\)/ },
  { rule: 'one region: the ALB DNS name (dualstack) in another region', set: { 'dnsRecord.target': 'dualstack.prod-alb-1234567890.us-east-1.elb.amazonaws.com' }, path: 'dnsRecord.target', message: /file's region ap-northeast-1.*\(got region "us-east-1" in "dualstack\.prod-alb-1234567890\.us-east-1\.elb\.amazonaws\.com"\)/ },
  { rule: 'one account: the listener in another account', set: { 'listenerRule.listenerArn': 'arn:aws:elasticloadbalancing:ap-northeast-1:210987654321:listener/app/prod-alb/0123456789abcdef/0123456789abcdef' }, path: 'listenerRule.listenerArn', message: /: must be in one AWS account with the rest of the file: 123456789012 \(taskDefinition\.executionRoleArn\) \(got account 210987654321\)$/ },
  { rule: 'one account: the image in another account', set: { 'taskDefinition.container.image': '210987654321.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server:stg' }, path: 'taskDefinition.container.image', message: /one AWS account with the rest of the file: 123456789012 \(taskDefinition\.executionRoleArn\) \(got account 210987654321\)/ },
  { rule: 'one account: a secret in another account', set: { 'taskDefinition.container.secrets.DB_PASSWORD': 'arn:aws:secretsmanager:ap-northeast-1:210987654321:secret:prod/db-password-AbCdEf' }, path: 'taskDefinition.container.secrets.DB_PASSWORD', message: /one AWS account with the rest of the file: 123456789012 .*\(got account 210987654321\)/ },
  { rule: 'token secret: with an ECS :json-key suffix', set: { 'pipeline.connectionArn': undefined, 'pipeline.tokenSecretArn': 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:github-AbCdEf:token::' }, path: 'pipeline.tokenSecretArn', message: /without a :json-key suffix/ },
  { rule: 'pipeline: the image is not what the build pushes', set: { 'taskDefinition.container.image': '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server:latest' }, path: 'taskDefinition.container.image', message: /must be the image the pipeline pushes, <registry>\/stg-server:stg/ },
  { rule: 'pipeline: the image is in another repository', set: { 'taskDefinition.container.image': '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/other:stg' }, path: 'taskDefinition.container.image', message: /must be the image the pipeline pushes/ },
  // adopt
  { rule: 'adopt: a move across resource types', set: { 'adopt.movedFrom': { cluster: 'aws_lb.staging' } }, path: 'adopt.movedFrom.cluster', message: /must be a aws_ecs_cluster address \(a move keeps the resource type\)/, got: 'aws_lb.staging' },
  { rule: 'adopt: a move from something not an address', set: { 'adopt.movedFrom': { cluster: 'staging' } }, path: 'adopt.movedFrom.cluster', message: /must be a resource address like aws_ecs_cluster\.staging/, got: 'staging' },
  { rule: 'adopt: a move of something no file names', set: { 'adopt.movedFrom': { database: 'aws_db_instance.main' } }, path: 'adopt.movedFrom.database', message: /unknown field \(known: taskDefinition, targetGroup, cluster, service, listenerRule, dnsRecord, ecrLifecyclePolicy, logGroup\)/ },
  { rule: 'adopt: a typo in what to move gets a hint', set: { 'adopt.movedFrom': { clustr: 'aws_ecs_cluster.staging' } }, path: 'adopt.movedFrom.clustr', message: /unknown field; did you mean "cluster"\?/ },
  { rule: 'adopt: moved and imported at once', set: { adopt: { cluster: true, movedFrom: { cluster: 'aws_ecs_cluster.staging' } } }, path: 'adopt.movedFrom.cluster', message: /cannot move cluster and import it at once/ },
  { rule: 'adopt: a record import without its zone ID', set: { 'adopt.dnsRecord': true, 'dnsRecord.zoneId': undefined, 'dnsRecord.zoneName': 'example.com' }, path: 'adopt.dnsRecord', message: /needs dnsRecord\.zoneId/ },
  { rule: 'adopt: a target group by something not its ARN', set: { 'adopt.targetGroup': 'stg-server-target' }, path: 'adopt.targetGroup', message: /must be an ELBv2 targetgroup ARN/, got: 'stg-server-target' },
  // region, unknown and missing fields
  { rule: 'region: not a region', set: { region: 'ap-northeast-9' }, path: 'region', message: /AWS region code/, got: 'ap-northeast-9' },
  { rule: 'unknown field: a typo gets a hint', set: { 'targetGroup.heathCheck': {} }, path: 'targetGroup.heathCheck', message: /unknown field; did you mean "healthCheck"\?/ },
  { rule: 'unknown field at the top', set: { regoin: 'ap-northeast-1' }, path: 'regoin', message: /did you mean "region"\?/ },
  { rule: 'missing required field', set: { 'listenerRule.priority': undefined }, path: 'listenerRule.priority', message: /is required/ },
  { rule: 'wrong type of section', set: { service: [] }, path: 'service', message: /must be an object/ },
];

describe('bad input is rejected at synth, with file, path, rule and value, and cdktf.out is untouched', () => {
  // GIVEN a project whose previous synth left output behind
  const project = tempProject({ stg: fixtureJson('stg') });
  const file = path.join(project.environmentsDir, 'stg.json');
  beforeAll(() => {
    expect(synthesize({ ...project, info: () => undefined }).exitCode).toBe(0);
  });
  const before = () => snapshot(project.outdir);

  test('there is at least one case per rule: 40 or more', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  test.each(CASES)('$rule', ({ set, path: field, message, got, hidden }) => {
    // GIVEN the example with one change
    const config = fixtureJson('stg');
    for (const [dotted, value] of Object.entries(set)) setPath(config, dotted, value);
    fs.writeFileSync(file, JSON.stringify(config, null, 2));
    const output = before();
    const errors: string[] = [];

    // WHEN
    const result = synthesize({ ...project, info: () => undefined, error: (line) => errors.push(line) });

    // THEN synth fails, the error names file, path, rule and value, and nothing was written
    expect(result.exitCode).toBe(1);
    const line = errors.find((error) => error.startsWith(`error: ${file}: ${field}: `));
    expect(line ?? errors).toEqual(expect.stringMatching(message));
    if (got !== undefined) expect(line).toContain(`(got ${JSON.stringify(got)})`);
    if (hidden !== undefined) {
      expect(line).toContain(`(got a plain value, ${hidden.length} characters, not shown)`);
      expect(errors.join('\n')).not.toContain(hidden);
    }
    expect(snapshot(project.outdir)).toEqual(output);
    expect(Object.keys(output).length).toBeGreaterThan(0);
  });
});

describe('rules across files', () => {
  const stg = fixtureJson('stg');
  const preview = fixtureJson('preview');
  const cases: { rule: string; set: Record<string, unknown>; path: string; message: RegExp }[] = [
    { rule: 'same priority on the same listener', set: { 'listenerRule.priority': stg.listenerRule.priority }, path: 'listenerRule.priority', message: /unique on the listener .*; .*preview\.json uses it too/ },
    // preview.json's five CIDRs need two rules, at 99 and 100: the second takes stg.json's priority
    { rule: 'a priority taken by another file’s second allowlist rule', set: { 'listenerRule.priority': stg.listenerRule.priority - 1 }, path: 'listenerRule.priority', message: /unique on the listener \(with the priorities its allowlist takes\); .*preview\.json uses it too/ },
    { rule: 'same host header on the same listener', set: { 'listenerRule.hostHeader': 'STG-API.example.com', 'dnsRecord.name': 'stg-api.example.com', 'dnsRecord.setIdentifier': 'other' }, path: 'listenerRule.hostHeader', message: /unique on the listener/ },
    { rule: 'same target group name', set: { 'targetGroup.name': stg.targetGroup.name }, path: 'targetGroup.name', message: /unique in the region/ },
    { rule: 'same cluster name', set: { 'cluster.name': stg.cluster.name }, path: 'cluster.name', message: /unique in the region/ },
    { rule: 'same target group name but for case (ELBv2 ignores case)', set: { 'targetGroup.name': stg.targetGroup.name.toUpperCase() }, path: 'targetGroup.name', message: /unique in the region \(ELBv2 ignores case\)/ },
    { rule: 'a service whose created security group has another file’s name in the same VPC', set: { 'service.name': 'stg-server' }, path: 'service.name', message: /unique in the VPC: it names the created security group "<service>-tasks"/ },
    {
      rule: 'a pipeline whose CodeBuild project (and role) has another file’s name',
      set: { pipeline: { ...stg.pipeline, projectName: 'stg-server-build' } },
      path: 'pipeline.projectName',
      message: /unique in the account: it names the CodeBuild project, its role/,
    },
    { rule: 'same ECR repository (one lifecycle policy each)', set: { 'ecrLifecycle.repository': stg.ecrLifecycle.repository }, path: 'ecrLifecycle.repository', message: /one lifecycle policy/ },
  ];

  test.each(cases)('$rule', ({ set, path: field, message }) => {
    // GIVEN preview.json changed to collide with stg.json (stg sorts after preview, so stg gets the error)
    const colliding = structuredClone(preview);
    for (const [dotted, value] of Object.entries(set)) setPath(colliding, dotted, value);
    const project = tempProject({ preview: colliding, stg });
    const errors: string[] = [];
    // WHEN
    const result = synthesize({ ...project, info: () => undefined, error: (line) => errors.push(line) });
    // THEN
    expect(result.exitCode).toBe(1);
    const file = path.join(project.environmentsDir, 'stg.json');
    expect(errors.find((error) => error.startsWith(`error: ${file}: ${field}: `))).toMatch(message);
    expect(fs.existsSync(project.outdir)).toBe(false);
  });

  test('a family whose created IAM roles have another file’s names but for case is an error (IAM is global and ignores case)', () => {
    // GIVEN two files creating "<family>-execution" and "<family>-task", the second in capitals
    const project = tempProject({ a: preview, b: setPath(structuredClone(preview), 'taskDefinition.family', 'PREVIEW-SERVER') });
    const errors: string[] = [];
    // WHEN
    const result = synthesize({ ...project, info: () => undefined, error: (line) => errors.push(line) });
    // THEN
    expect(result.exitCode).toBe(1);
    expect(errors.find((error) => error.includes('b.json: taskDefinition.family: '))).toMatch(/unique in the account: it names the created IAM roles.*a\.json uses it too/);
  });

  test('stack names that differ only in case are an error: they would share an output directory on macOS', () => {
    // GIVEN Preview.json beside preview.json
    const project = tempProject({ Preview: setPath(fixtureJson('preview'), 'listenerRule.priority', 7), stg });
    fs.copyFileSync(path.join(project.environmentsDir, 'Preview.json'), path.join(project.environmentsDir, 'preview.json'));
    const errors: string[] = [];
    // WHEN
    const result = synthesize({ ...project, info: () => undefined, error: (line) => errors.push(line) });
    // THEN
    expect(result.exitCode).toBe(1);
    expect(errors.find((error) => error.includes('preview.json: (file): '))).toMatch(/the stack name must differ from Preview \(.*Preview\.json\) in more than case/);
  });

  test('all errors of all files come in one run', () => {
    // GIVEN two files, each with two errors
    const project = tempProject({
      a: setPath(setPath(fixtureJson('stg'), 'listenerRule.priority', 0), 'region', 'nowhere-1'),
      b: setPath(setPath(fixtureJson('preview'), 'targetGroup.name', '-x'), 'ecrLifecycle.keepImages', 0),
    });
    const errors: string[] = [];
    // WHEN
    synthesize({ ...project, info: () => undefined, error: (line) => errors.push(line) });
    // THEN
    expect(errors.filter((error) => error.startsWith('error: ')).map((error) => error.split(': ').slice(1, 3).join(': ').replace(project.environmentsDir + path.sep, ''))).toEqual([
      'a.json: region',
      'a.json: listenerRule.priority',
      'b.json: targetGroup.name',
      'b.json: ecrLifecycle.keepImages',
    ]);
  });
});

/** Synthesizes the stg example with `set` applied; the lines it printed, and the stack when it was written. */
function synthWith(set: Record<string, unknown>): { exitCode: number; errors: string[]; stack?: any } {
  const config = fixtureJson('stg');
  for (const [field, value] of Object.entries(set)) setPath(config, field, value);
  const project = tempProject({ stg: config });
  const errors: string[] = [];
  const result = synthesize({ ...project, info: () => undefined, error: (line) => errors.push(line), warn: () => undefined });
  const file = path.join(project.outdir, 'stacks', 'stg', 'cdk.tf.json');
  return { exitCode: result.exitCode, errors, stack: fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined };
}

describe('Terraform references: whole references in ID and ARN fields, declared by the stack', () => {
  test('a variable reference reaches the stack as written, and the stack declares the variable', () => {
    // GIVEN the listener ARN as a variable
    // WHEN
    const { exitCode, errors, stack } = synthWith({ 'listenerRule.listenerArn': '${var.production_listener_arn}' });
    // THEN
    expect(errors).toEqual([]);
    expect(exitCode).toBe(0);
    expect(stack.resource.aws_alb_listener_rule.stg_server_rule.listener_arn).toBe('${var.production_listener_arn}');
    expect(stack.variable.production_listener_arn).toEqual({ type: 'string', description: expect.stringContaining('var.production_listener_arn') });
  });

  test('references to a data source the stack declares pass: a string attribute, and a list attribute by index', () => {
    // GIVEN the lookup fixture, whose ALB is data.aws_lb.production
    const config = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'lookup', 'lookup.json'), 'utf8'));
    delete config.adopt;
    setPath(config, 'dnsRecord.target', '${data.aws_lb.production.dns_name}');
    setPath(config, 'service.subnetTags', undefined);
    setPath(config, 'service.subnetIds', ['${data.aws_lb.production.subnets[0]}']);
    const project = tempProject({ lookup: config });
    const errors: string[] = [];
    // WHEN
    const result = synthesize({ ...project, info: () => undefined, error: (line) => errors.push(line), warn: () => undefined });
    // THEN
    expect(errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    const stack = fs.readFileSync(path.join(project.outdir, 'stacks', 'lookup', 'cdk.tf.json'), 'utf8');
    expect(stack).toContain('${data.aws_lb.production.subnets[0]}');
  });

  test.each([
    ['a data source it does not declare', '${data.aws_vpc.production.id}', /must reference a variable, or a data source this stack declares: it declares no data\.aws_vpc\.production/],
    ['a resource of the stack (a cycle waiting to happen)', '${aws_lb_target_group.stg_server_target.arn}', /no resource of the stack/],
    ['a variable Terraform reserves', '${var.count}', /must name a variable Terraform allows: .*count.* are reserved/],
    ['a variable named like a JavaScript object key', '${var.__proto__}', /must name a variable other than __proto__/],
  ])('a reference to %s is an error at synth', (_, reference, message) => {
    // GIVEN
    // WHEN
    const { exitCode, errors } = synthWith({ 'targetGroup.vpcId': reference });
    // THEN one line: file, field, rule, value
    expect(exitCode).toBe(1);
    const line = errors.find((error) => error.includes(': targetGroup.vpcId: '));
    expect(line).toMatch(message);
    expect(line).toContain(`(got ${JSON.stringify(reference)})`);
  });

  test.each([
    ['a member of the cdktf class, not an attribute', '${data.aws_lb.production.fqn}', /must reference an attribute of data\.aws_lb\.production: it has no "fqn"/],
    ['an input getter', '${data.aws_lb.production.name_input}', /it has no "name_input"/],
    ['no such attribute', '${data.aws_lb.production.no_such_attribute}', /it has no "no_such_attribute"/],
    ['an index into a string', '${data.aws_lb.production.dns_name[0]}', /must index only a list: data\.aws_lb\.production\.dns_name is not one/],
    ['a list, unindexed, in a string field', '${data.aws_lb.production.subnets}', /must reference a string: .* is a list \(index it/],
    ['a map in a string field', '${data.aws_lb.production.tags}', /must reference a string: .* is a map or block/],
  ])('a data source reference to %s is an error at synth', (_, reference, message) => {
    // GIVEN the lookup fixture, whose ALB is data.aws_lb.production
    const config = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'lookup', 'lookup.json'), 'utf8'));
    delete config.adopt;
    setPath(config, 'dnsRecord.target', reference);
    const project = tempProject({ lookup: config });
    const errors: string[] = [];
    // WHEN
    const result = synthesize({ ...project, info: () => undefined, error: (line) => errors.push(line), warn: () => undefined });
    // THEN
    expect(result.exitCode).toBe(1);
    expect(errors.find((error) => error.includes(': dnsRecord.target: '))).toMatch(message);
  });

  test.each([
    ['a function call, which would read a local file at plan', '${file("~/.aws/credentials")}'],
    ['a template around a reference', 'vpc-${var.suffix}'],
    ['two references', '${var.a}${var.b}'],
    ['a directive', '%{ if true }vpc-0123456789abcdef0%{ endif }'],
    ['a local (the stack declares none)', '${local.vpc_id}'],
    ['a path expression', '${path.cwd}'],
  ])('%s is refused in a reference field', (_, value) => {
    // GIVEN
    // WHEN
    const { exitCode, errors } = synthWith({ 'targetGroup.vpcId': value });
    // THEN
    expect(exitCode).toBe(1);
    expect(errors.find((error) => error.includes(': targetGroup.vpcId: '))).toMatch(/must be a value, or one whole reference: \$\{var\.<name>\}.*no functions/);
  });

  test.each([
    ['listenerRule.hostHeader', '${var.staging_host}', /must be a host name/],
    ['listenerRule.access.sourceIps', ['${var.office_cidr}'], /must be an IPv4 or IPv6 CIDR/],
    ['targetGroup.name', 'stg-server-target${path.cwd}', /1–32 letters, digits or hyphens/],
    ['cluster.name', '${var.cluster}', /letters, digits, hyphens or underscores/],
  ])('%s is checked as text, never a reference: the rules that protect production must see its value', (field, value, message) => {
    // GIVEN
    // WHEN
    const { exitCode, errors } = synthWith({ [field]: value });
    // THEN
    expect(exitCode).toBe(1);
    expect(errors.find((error) => error.includes(`: ${field}`))).toMatch(message);
  });

  test('free text reaches AWS as written: "${" and "%{" are escaped in the synthesized JSON', () => {
    // GIVEN free text holding what Terraform would otherwise evaluate
    const description = '${path.cwd} %{ if true }yes%{ endif } $${kept}';
    // WHEN
    const { exitCode, stack } = synthWith({ 'ecrLifecycle.description': description, 'taskDefinition.container.environment': { GREETING: '${file("/etc/hostname")}' } });
    // THEN Terraform reads each back as the text itself (plan: __tests__/terraform/literal-text.test.ts)
    expect(exitCode).toBe(0);
    const policy = JSON.parse(stack.resource.aws_ecr_lifecycle_policy['stg-server-lifecycle_policy'].policy);
    expect(policy.rules[0].description).toBe('$${path.cwd} %%{ if true }yes%%{ endif } $$${kept}');
    const [container] = JSON.parse(stack.resource.aws_ecs_task_definition.stg_server.container_definitions);
    expect(container.environment).toContainEqual({ name: 'GREETING', value: '$${file("/etc/hostname")}' });
  });
});

describe('accepted edge values', () => {
  test('a wildcard host is accepted with listenerRule.allowWildcardHost, and reaches the rule as written', () => {
    // GIVEN
    // WHEN
    const { exitCode, errors, stack } = synthWith({ 'listenerRule.hostHeader': '*.stg.example.com', 'listenerRule.allowWildcardHost': true, 'dnsRecord.name': 'api.stg.example.com' });
    // THEN
    expect(errors).toEqual([]);
    expect(exitCode).toBe(0);
    expect(JSON.stringify(stack.resource.aws_alb_listener_rule.stg_server_rule.condition)).toContain('*.stg.example.com');
  });

  test.each(['::ffff:203.0.113.7/128', '2001:db8::/32', '203.0.113.0/24'])('the CIDR %s is accepted', (cidr) => {
    // GIVEN / WHEN
    const { exitCode, errors } = synthWith({ 'listenerRule.access.sourceIps': [cidr] });
    // THEN
    expect(errors).toEqual([]);
    expect(exitCode).toBe(0);
  });
});
