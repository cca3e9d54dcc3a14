import type { EnvironmentConfig } from '../schema';
import { isReference } from '../../kit/reference';
import { Finding } from './rule';
import { stringsIn } from '../strings';

/**
 * One account, one region: every AWS resource an environment file names lies in the file's account
 * and (where the service is regional) its `region`. The whole parsed config is walked, so a field
 * added later is covered without touching this rule. `${...}` references are resolved at apply and skipped.
 *
 * No field of the file is cross-account: the stack deploys into one account, next to the production
 * resources it names, so a second account ID is a value copied from another environment. (AWS itself
 * would accept some cross-account or cross-region references, e.g. an ECS secret by full ARN; the kit
 * does not, so that a copied ARN fails at synth instead of at apply, or never.)
 */

// AWS General Reference / IAM User Guide, "Amazon Resource Names (ARNs)":
// arn:<partition>:<service>:<region>:<account-id>:<resource>. Global services leave the region empty,
// S3 bucket and object ARNs leave both empty.
const ARN = /^arn:(aws|aws-cn|aws-us-gov):([a-z0-9-]+):([^:]*):([^:]*):./;
// Services whose ARNs carry no region (IAM User Guide, ARN format by service; S3 buckets are
// arn:aws:s3:::<bucket>): nothing to compare even if a region were written.
const GLOBAL_SERVICES = new Set(['iam', 'route53', 'cloudfront', 's3']);
const ACCOUNT_ID = /^\d{12}$/;
// Amazon ECR User Guide, "Private registry": <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/<repository>.
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?(?:[/:@]|$)/;
// Elastic Load Balancing, "DNS name" of an Application Load Balancer:
// [dualstack.]<name>-<id>.<region>.elb.amazonaws.com[.cn] (internal ALBs: internal-<name>-<id>.…).
const ALB_DNS_NAME = /^(?:dualstack\.)?[a-z0-9-]+\.([a-z0-9-]+)\.elb\.amazonaws\.com(?:\.cn)?\.?$/i;

/** Where a value says it lives: its region (if regional) and its account (if it names one). */
export function awsLocation(value: string): { region?: string; account?: string } | undefined {
  const arn = ARN.exec(value);
  if (arn) {
    const [, , service, region, account] = arn;
    return {
      // a wildcard region (arn:aws:logs:*:…, in an IAM statement) names no one region
      region: !/^[a-z0-9-]+$/.test(region) || GLOBAL_SERVICES.has(service) ? undefined : region,
      account: ACCOUNT_ID.test(account) ? account : undefined,
    };
  }
  const ecr = ECR_HOST.exec(value);
  if (ecr) return { account: ecr[1], region: ecr[2] };
  const alb = ALB_DNS_NAME.exec(value);
  if (alb) return { region: alb[1].toLowerCase() };
  return undefined;
}

interface Located {
  readonly path: readonly (string | number)[];
  readonly value: string;
  readonly region?: string;
  readonly account?: string;
}

// A parsed config is never changed, and the rules across files ask for each file's account once per rule.
const locatedCache = new WeakMap<object, Located[]>();

/** Every string of the config that names an AWS location, in the config's order (the schema's field order). */
function locatedValues(config: unknown): Located[] {
  if (config === null || typeof config !== 'object') return [];
  const known = locatedCache.get(config);
  if (known) return known;
  const found = stringsIn(config).flatMap(({ path, value }): Located[] => {
    if (isReference(value)) return [];
    const location = awsLocation(value);
    return location && (location.region || location.account) ? [{ path, value, ...location }] : [];
  });
  locatedCache.set(config, found);
  return found;
}

/** The accounts the located values name, each with its values, the most named first (ties in the config's order). */
function byAccount(located: readonly Located[]): { account: string; values: Located[] }[] {
  const groups = new Map<string, Located[]>();
  for (const item of located) if (item.account !== undefined) groups.set(item.account, [...(groups.get(item.account) ?? []), item]);
  return [...groups].map(([account, values]) => ({ account, values })).sort((a, b) => b.values.length - a.values.length);
}

/**
 * The file's account: the one named by most of its ARNs and its ECR image. Undefined when none names an
 * account (everything looked up, or references) or when two accounts are named equally often: the
 * rules across files then treat the file as possibly in any account.
 */
export function fileAccount(config: EnvironmentConfig): string | undefined {
  const [first, second] = byAccount(locatedValues(config));
  return first && (!second || second.values.length < first.values.length) ? first.account : undefined;
}

/** `listenerRule.listenerArn`, `a and b`, `a, b and 3 more`. */
function fieldList(values: readonly Located[]): string {
  const paths = values.map((item) => item.path.join('.'));
  if (paths.length <= 2) return paths.join(' and ');
  return `${paths.slice(0, 2).join(', ')} and ${paths.length - 2} more`;
}

/** `210987654321 (pipeline.connectionArn) or 555566667777 (…)`. */
function sides(groups: readonly { account: string; values: Located[] }[]): string {
  return groups.map((group) => `${group.account} (${fieldList(group.values)})`).join(' or ');
}

export function oneAccountOneRegion(config: EnvironmentConfig): Finding[] {
  const located = locatedValues(config);
  const findings: Finding[] = [];
  for (const { path, value, region } of located) {
    // The state bucket has its own region (backend.region); its KMS key must be in that one (SSE-KMS).
    const backend = path[0] === 'backend' && config.backend?.region !== undefined;
    const expected = backend ? config.backend!.region! : config.region;
    if (region === undefined || region === expected) continue;
    findings.push({
      path,
      message: backend
        ? `must be in the state bucket's region ${expected} (backend.region), like every regional ARN of the backend`
        : `must be in the file's region ${expected}, like every regional ARN`,
      value,
      got: `region ${JSON.stringify(region)} in ${JSON.stringify(value)}`,
    });
  }
  // The file's account is the one most of its values name, so the error lands on the value that differs
  // (a typo in the image's account), not on the first value that happened to come before it. On a tie
  // no side is the rest of the file: every value of the tied accounts is named, each with the other side.
  const accounts = byAccount(located);
  const leaders = accounts.filter((group) => group.values.length === accounts[0]?.values.length);
  for (const { path, value, account } of located) {
    if (account === undefined || (leaders.length === 1 && leaders[0].account === account)) continue;
    const others = leaders.filter((group) => group.account !== account);
    findings.push({
      path,
      message:
        leaders.length === 1
          ? `must be in one AWS account with the rest of the file: ${leaders[0].account} (${leaders[0].values[0].path.join('.')})`
          : others.length < leaders.length
            ? `must be in one AWS account with the rest of the file, but as many fields name ${sides(others)} as name ${account}; change the ones that are wrong`
            : `must be in one AWS account with the rest of the file: ${sides(others)}, named by as many fields each`,
      value,
      got: `account ${account}`,
    });
  }
  return findings;
}
