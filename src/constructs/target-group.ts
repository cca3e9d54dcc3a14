import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Construct } from 'constructs';
import { ADDRESS, ARTICLE, SAFE_DEPLOYS } from '../kit/defaults';
import { TARGET_GROUP_NAME, TARGET_GROUP_NAME_RULE, timeoutBelowInterval } from '../aws/elb';
import { requireValid } from './validate';
import { adopt, AdoptionProps } from './adoption';

export interface HealthCheckProps {
  /**
   * Path the ALB requests.
   * @default "/healthcheck"
   */
  readonly path?: string;
  /**
   * Seconds between checks.
   * @default 30
   */
  readonly interval?: number;
  /**
   * Seconds before a check counts as failed; must be less than `interval`.
   * @default 5
   */
  readonly timeout?: number;
  /**
   * Consecutive successes before a target is healthy.
   * @default 5
   */
  readonly healthyThreshold?: number;
  /**
   * Consecutive failures before a target is unhealthy.
   * @default 2
   */
  readonly unhealthyThreshold?: number;
  /**
   * HTTP codes that count as healthy, e.g. "200" or "200-299".
   * @default - the provider's default, "200"
   */
  readonly matcher?: string;
}

export interface TargetGroupProps extends AdoptionProps {
  /**
   * Target group name. The article's `stg_server_target` is invalid (no underscores allowed).
   * @default "stg-server-target"
   */
  readonly name?: string;
  /**
   * Port the targets receive traffic on.
   * @default 1323
   */
  readonly port?: number;
  /** The production VPC. */
  readonly vpcId: string;
  /**
   * Seconds the ALB drains a deregistering target. Must fit, with the health checks, in a deploy's wait.
   * @default 30 (the article leaves AWS's 300)
   */
  readonly deregistrationDelay?: number;
  /**
   * Health check.
   * @default - path "/healthcheck", interval 30, timeout 5, thresholds 5 / 2
   */
  readonly healthCheck?: HealthCheckProps;
}

/** Article section 2: the IP target group `aws_lb_target_group.stg_server_target`. */
export class TargetGroup extends Construct {
  public readonly resource: LbTargetGroup;

  constructor(scope: Construct, id: string, props: TargetGroupProps) {
    super(scope, id);
    const defaults = ARTICLE.targetGroup;
    const healthCheck = props.healthCheck ?? {};
    const interval = healthCheck.interval ?? defaults.healthCheck.interval;
    requireValid(this, 'name', props.name, (name) => TARGET_GROUP_NAME.test(name), TARGET_GROUP_NAME_RULE);
    requireValid(this, 'healthCheck.timeout', healthCheck.timeout, (timeout) => timeoutBelowInterval(timeout, interval), `must be less than the interval (${interval})`);
    this.resource = new LbTargetGroup(this, 'Resource', {
      name: props.name ?? defaults.name,
      port: props.port ?? ARTICLE.container.port,
      targetType: defaults.targetType,
      protocol: defaults.protocol,
      vpcId: props.vpcId,
      deregistrationDelay: String(props.deregistrationDelay ?? SAFE_DEPLOYS.deregistrationDelay),
      healthCheck: {
        path: healthCheck.path ?? defaults.healthCheck.path,
        interval,
        timeout: healthCheck.timeout ?? defaults.healthCheck.timeout,
        healthyThreshold: healthCheck.healthyThreshold ?? defaults.healthCheck.healthyThreshold,
        unhealthyThreshold: healthCheck.unhealthyThreshold ?? defaults.healthCheck.unhealthyThreshold,
        matcher: healthCheck.matcher,
      },
    });
    this.resource.overrideLogicalId(ADDRESS.targetGroup);
    adopt(this.resource, props);
  }

  public get arn(): string {
    return this.resource.arn;
  }
}
