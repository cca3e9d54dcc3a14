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

/** Every string of the config that names an AWS location, in the config's order (the schema's field order). */
function locatedValues(config: unknown): Located[] {
  return stringsIn(config).flatMap(({ path, value }): Located[] => {
    if (isReference(value)) return [];
    const location = awsLocation(value);
    return location && (location.region || location.account) ? [{ path, value, ...location }] : [];
  });
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
  const first = located.find((item) => item.account !== undefined);
  if (first) {
    for (const { path, value, account } of located) {
      if (account === undefined || account === first.account) continue;
      findings.push({
        path,
        message: `must be in one AWS account with the rest of the file: ${first.account} (${first.path.join('.')})`,
        value,
        got: `account ${account}`,
      });
    }
  }
  return findings;
}
