import { createHash } from 'node:crypto';
import { TARGET_GROUP_NAME } from '../aws/elb';
import { placeholder } from './placeholders';

/** What a new file names what its stack creates: the write-up's names, with its `stg` replaced by `<name>`. */
export interface NewEnvironmentNames {
  /** `<name>-server`, as the task definition family; the log group, roles and build project follow from it. */
  readonly family: string;
  /** `<name>-server`. */
  readonly container: string;
  /** `<name>_ecs_cluster`. */
  readonly cluster: string;
  /** `<name>-server`. */
  readonly service: string;
  /** `<name>-server-target` (with "-" for "_"), or, past ELBv2's 32 characters, `<name, cut>-<hash>-target`. */
  readonly targetGroup: string;
}

// IAM CreateRole, RoleName: at most 64 characters. The longest role a file from `new` can come to
// make is the build role a pipeline section adds, "<family>-build-codebuild" (derivedNamesFit checks it at synth).
const ROLE_NAME_MAX = 64;
const LONGEST_ROLE_SUFFIX = '-server-build-codebuild';
/** The longest `<name>` whose derived names all fit. */
export const NEW_NAME_MAX = ROLE_NAME_MAX - LONGEST_ROLE_SUFFIX.length;

/**
 * The names of a new file, derived from `<name>` (the stack name) so that two files of one account never
 * collide. Throws a one-line error for a name too long for the IAM roles it leads to.
 */
export function newEnvironmentNames(name: string): NewEnvironmentNames {
  if (name.length > NEW_NAME_MAX) {
    throw new Error(`"${name}": the name must be at most ${NEW_NAME_MAX} characters: it names the IAM roles, the longest "${name}${LONGEST_ROLE_SUFFIX}" once a pipeline is added, and IAM role names are at most ${ROLE_NAME_MAX}`);
  }
  const server = `${name}-server`;
  return { family: server, container: server, cluster: `${name}_ecs_cluster`, service: server, targetGroup: targetGroupNameFor(name) };
}

/**
 * ELBv2 target group names are at most 32 letters, digits and hyphens, unique in the region. A long
 * `<name>` is cut and given 4 hex digits of its hash, so that two long names with one beginning still differ.
 */
function targetGroupNameFor(name: string): string {
  const base = name.replace(/_/g, '-');
  const whole = `${base}-server-target`;
  if (TARGET_GROUP_NAME.test(whole)) return whole;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 4);
  const suffix = `-${hash}-target`;
  return `${base.slice(0, 32 - suffix.length).replace(/-+$/, '')}${suffix}`;
}

/**
 * The least a team writes for its own staging environment (`npm run new -- <name>`): the required
 * sections, with every value only the team knows as a placeholder that synth names until it is filled,
 * and every name the stack gives derived from `<name>` (see `newEnvironmentNames`). Production is found
 * by lookup (the ALB by name, the zone by name), which saves most IDs.
 */
export function newEnvironmentFile(name: string): Record<string, unknown> {
  const names = newEnvironmentNames(name);
  return {
    $schema: './environment.schema.json',
    region: placeholder('your AWS region code, e.g. "ap-northeast-1"'),
    taskDefinition: {
      family: names.family,
      container: { name: names.container },
    },
    targetGroup: { name: names.targetGroup },
    cluster: { name: names.cluster },
    service: {
      name: names.service,
      subnetIds: [placeholder('a subnet ID of the production VPC for the tasks, e.g. "subnet-0123456789abcdef0" (or use subnetTags)')],
      loadBalancerSecurityGroupId: placeholder('the security group ID of the production ALB, e.g. "sg-0123456789abcdef0"'),
      // Private subnets (with a NAT gateway or VPC endpoints for ECR and logs): the write-up's public IPs are a guardrail warning.
      assignPublicIp: false,
    },
    listenerRule: {
      loadBalancer: {
        name: placeholder('the name of the production ALB (or use listenerArn instead of loadBalancer)'),
        listenerPort: 443,
      },
      priority: placeholder('a priority no rule of that listener uses, an integer from 1 to 50000'),
      hostHeader: placeholder('the staging host name, e.g. "stg-api.example.com"'),
      access: {
        sourceIps: [placeholder('the CIDR of your office or VPN, e.g. "203.0.113.0/24" (or use httpHeader, oidc or cognito)')],
      },
    },
    dnsRecord: {
      zoneName: placeholder('the hosted zone of the staging host, e.g. "example.com"'),
      name: placeholder('the staging host name again, e.g. "stg-api.example.com"'),
    },
    ecrLifecycle: {
      repository: placeholder('the name of the ECR repository that holds the staging image'),
      // One image more than the write-up, so that a rolled-back deployment still finds its image.
      keepImages: 2,
    },
  };
}
